package app

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/webhook"
)

// Webhooks tell a tenant's own systems about changes (README, "Webhooks").
// Endpoints are registered here; every audit event that domain maps to a
// webhook event (domain.WebhookPublication) is written to the outbox with
// one delivery per subscribed endpoint, in the transaction of the change
// (AuditLog.record calls publish); a job per delivery sends it (Deliver,
// webhook_delivery.go).
type Webhooks struct {
	d     *Deps
	audit *AuditLog
}

// WebhookSender posts one signed webhook and reports the attempt;
// *webhook.Sender over a netguard client implements it.
type WebhookSender interface {
	Send(ctx context.Context, rawURL string, secrets []webhook.Secret, id string, ts time.Time, body []byte) webhook.Result
}

// URLGuard checks an endpoint's URL at registration (https, a host that
// resolves to public addresses only); netguard.Policy implements it. Its
// errors are shown to the caller: they name the rule, never an address.
type URLGuard interface {
	CheckURL(ctx context.Context, raw string) (*url.URL, error)
}

// WebhookJob is one delivery attempt to schedule: Attempt is the number it
// will have (1 for the first), At when it is due; Manual marks a retry
// asked for by a person (one attempt, no schedule after it).
type WebhookJob struct {
	DeliveryID string
	Attempt    int
	Manual     bool
	At         time.Time
}

// WebhookEnqueuer schedules delivery attempts in the caller's transaction,
// so that an attempt is scheduled if and only if its delivery row commits.
type WebhookEnqueuer interface {
	EnqueueWebhooks(ctx context.Context, tx EnqueueTx, jobs []WebhookJob) error
}

// WebhookDeps configure webhooks. Without Enqueue nothing is published;
// without Guard no endpoint can be registered.
type WebhookDeps struct {
	Enqueue WebhookEnqueuer
	Sender  WebhookSender
	Guard   URLGuard
	// Schedule is the wait before each retry (nil: webhook.DefaultSchedule).
	Schedule []time.Duration
	// RotationOverlap is how long the previous secret still signs after a
	// rotation (zero: 24 hours).
	RotationOverlap time.Duration
}

// DefaultRotationOverlap is how long a rotated-out secret keeps signing.
const DefaultRotationOverlap = 24 * time.Hour

func (w WebhookDeps) schedule() []time.Duration {
	if w.Schedule != nil {
		return w.Schedule
	}
	return webhook.DefaultSchedule
}

// Webhook delivery statuses.
const (
	DeliveryPending   = "pending"
	DeliverySucceeded = "succeeded"
	DeliveryFailed    = "failed"
)

// WebhookEndpoint is an endpoint as the API and the admin page show it
// (never its secret).
type WebhookEndpoint struct {
	ID          string
	Tenant      string
	URL         string
	Description string
	EventTypes  []string
	// PreviousSecretUntil is set while a rotated-out secret still signs.
	PreviousSecretUntil *time.Time
	CreatedAt           time.Time
}

// NewWebhookEndpoint is a registered endpoint with its secret, shown once.
type NewWebhookEndpoint struct {
	WebhookEndpoint
	Secret string
}

// WebhookEndpointInput registers an endpoint. Tenant is honoured for staff
// and the operator only; an API client registers for its own tenant.
type WebhookEndpointInput struct {
	URL         string
	EventTypes  []string
	Description string
	Tenant      string
}

func secretAAD(endpointID string) []byte { return []byte("webhook-endpoint-secret:" + endpointID) }

func endpointOut(r store.WebhookEndpointRecord, now time.Time) WebhookEndpoint {
	e := WebhookEndpoint{ID: r.ID, Tenant: r.Tenant, URL: r.URL, Description: r.Description,
		EventTypes: strings.Split(r.EventTypes, ","), CreatedAt: r.CreatedAt}
	if r.PreviousUntil != nil && r.PreviousUntil.After(now) {
		e.PreviousSecretUntil = r.PreviousUntil
	}
	return e
}

// validEventTypes checks a subscription: "*" alone, or registered webhook
// event types, each once.
func validEventTypes(v *domain.Validation, types []string) []string {
	if len(types) == 0 {
		v.Add("event_types", `Name at least one event type, or ["*"] for all.`)
		return nil
	}
	var out []string
	for i, t := range types {
		t = strings.TrimSpace(t)
		switch {
		case t == domain.AllWebhookEvents && len(types) == 1:
		case t == domain.AllWebhookEvents:
			v.Add(fmt.Sprintf("event_types[%d]", i), `"*" subscribes to every event type and cannot be combined with others.`)
		case !domain.IsWebhookEvent(t):
			v.Add(fmt.Sprintf("event_types[%d]", i), "Unknown event type; known: "+webhookTypeList()+".")
		case slices.Contains(out, t):
			v.Add(fmt.Sprintf("event_types[%d]", i), "Listed twice.")
		}
		out = append(out, t)
	}
	return out
}

func webhookTypeList() string {
	var s []string
	for _, t := range domain.WebhookEvents() {
		s = append(s, string(t))
	}
	return strings.Join(s, ", ")
}

// CreateEndpoint registers an endpoint after checking its URL (https, a
// public address: netguard, OWASP ASVS 5.0 1.3.6) and returns its secret,
// which is stored encrypted and never shown again.
func (s *Webhooks) CreateEndpoint(ctx context.Context, actor domain.Actor, in WebhookEndpointInput) (NewWebhookEndpoint, error) {
	if err := Authorize(actor, PermWebhooksWrite); err != nil {
		return NewWebhookEndpoint{}, err
	}
	var v domain.Validation
	tenant := tenantOf(actor)
	if actor.Type != domain.ActorClient && in.Tenant != "" {
		tenant = in.Tenant
		if !validTenant(tenant) {
			v.Add("tenant", "Use 1 to 64 lower-case letters, digits, hyphens or underscores.")
		}
	}
	raw := strings.TrimSpace(in.URL)
	switch {
	case raw == "":
		v.Add("url", "Give the https URL that receives the webhooks.")
	case len(raw) > 2000:
		v.Add("url", "The URL is longer than 2000 characters.")
	case s.d.Webhooks.Guard == nil:
		return NewWebhookEndpoint{}, domain.Errorf(domain.ECodeUnavailable, "Webhooks are not configured on this server.")
	default:
		if _, err := s.d.Webhooks.Guard.CheckURL(ctx, raw); err != nil {
			v.Add("url", "The URL is refused: "+err.Error()+".")
		}
	}
	types := validEventTypes(&v, in.EventTypes)
	desc := strings.TrimSpace(in.Description)
	if utf8.RuneCountInString(desc) > 200 {
		v.Add("description", "Use at most 200 characters.")
	}
	if err := v.Err(); err != nil {
		return NewWebhookEndpoint{}, err
	}
	secret, err := webhook.GenerateSecret()
	if err != nil {
		return NewWebhookEndpoint{}, err
	}
	now := s.d.now()
	id := domain.NewID("whe", now)
	sealed, err := s.d.Crypt.Seal([]byte(secret.Encode()), secretAAD(id))
	if err != nil {
		return NewWebhookEndpoint{}, err
	}
	rec := store.WebhookEndpointRecord{ID: id, Tenant: tenant, URL: raw, Description: desc, EventTypes: strings.Join(types, ","),
		Secret: sealed, CreatedBy: actor.String(), CreatedAt: now, UpdatedAt: now}
	err = s.d.Store.InTx(ctx, func(tx store.Tx) error {
		if err := tx.Webhooks().CreateEndpoint(ctx, rec); err != nil {
			return err
		}
		return s.audit.record(ctx, tx, auditEntry{Tenant: tenant, Actor: actor, Action: domain.EventWebhookEndpointAdded, EntityID: id,
			Change: map[string]any{"url": raw, "event_types": types, "description": desc},
			Meta:   map[string]string{"event_types": rec.EventTypes}})
	})
	if err != nil {
		return NewWebhookEndpoint{}, err
	}
	return NewWebhookEndpoint{WebhookEndpoint: endpointOut(rec, now), Secret: secret.Encode()}, nil
}

// ListEndpoints returns the endpoints the actor may manage (a client: its
// tenant's; staff and the operator: every tenant's).
func (s *Webhooks) ListEndpoints(ctx context.Context, actor domain.Actor) ([]WebhookEndpoint, error) {
	if err := Authorize(actor, PermWebhooksWrite); err != nil {
		return nil, err
	}
	recs, err := s.d.Store.Webhooks().ListEndpoints(ctx, tenantFilter(actor))
	if err != nil {
		return nil, err
	}
	now := s.d.now()
	out := make([]WebhookEndpoint, 0, len(recs))
	for _, r := range recs {
		out = append(out, endpointOut(r, now))
	}
	return out, nil
}

// GetEndpoint returns one endpoint (not found when removed or another
// tenant's).
func (s *Webhooks) GetEndpoint(ctx context.Context, actor domain.Actor, id string) (WebhookEndpoint, error) {
	rec, err := s.endpoint(ctx, s.d.Store, actor, id)
	if err != nil {
		return WebhookEndpoint{}, err
	}
	return endpointOut(rec, s.d.now()), nil
}

func (s *Webhooks) endpoint(ctx context.Context, r store.Repos, actor domain.Actor, id string) (store.WebhookEndpointRecord, error) {
	if err := Authorize(actor, PermWebhooksWrite); err != nil {
		return store.WebhookEndpointRecord{}, err
	}
	rec, err := r.Webhooks().GetEndpoint(ctx, id)
	if err != nil {
		return rec, notFound(err, "Webhook endpoint")
	}
	if rec.DeletedAt != nil || !canSeeTenant(actor, rec.Tenant) {
		return rec, domain.Errorf(domain.ECodeNotFound, "Webhook endpoint not found.")
	}
	return rec, nil
}

// DeleteEndpoint removes an endpoint: nothing more is sent to it, and its
// pending deliveries end as failed when their attempt comes. Its delivery
// log stays readable through the deliveries of the admin page.
func (s *Webhooks) DeleteEndpoint(ctx context.Context, actor domain.Actor, id string) error {
	return s.d.Store.InTx(ctx, func(tx store.Tx) error {
		rec, err := s.endpoint(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := tx.Webhooks().DeleteEndpoint(ctx, id, s.d.now()); err != nil {
			return notFound(err, "Webhook endpoint")
		}
		return s.audit.record(ctx, tx, auditEntry{Tenant: rec.Tenant, Actor: actor, Action: domain.EventWebhookEndpointGone, EntityID: id})
	})
}

// RotateSecret gives the endpoint a new secret, returned once. The previous
// one keeps signing beside it (two signatures in webhook-signature) for
// RotationOverlap, so that the receiver can switch without losing a
// message; a second rotation within that time drops the oldest.
func (s *Webhooks) RotateSecret(ctx context.Context, actor domain.Actor, id string) (NewWebhookEndpoint, error) {
	secret, err := webhook.GenerateSecret()
	if err != nil {
		return NewWebhookEndpoint{}, err
	}
	var out NewWebhookEndpoint
	err = s.d.Store.InTx(ctx, func(tx store.Tx) error {
		rec, err := s.endpoint(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		now := s.d.now()
		sealed, err := s.d.Crypt.Seal([]byte(secret.Encode()), secretAAD(id))
		if err != nil {
			return err
		}
		until := now.Add(cmpOr(s.d.Webhooks.RotationOverlap, DefaultRotationOverlap))
		if err := tx.Webhooks().UpdateSecret(ctx, id, sealed, rec.Secret, &until, now); err != nil {
			return notFound(err, "Webhook endpoint")
		}
		rec.Secret, rec.PreviousSecret, rec.PreviousUntil, rec.UpdatedAt = sealed, rec.Secret, &until, now
		out = NewWebhookEndpoint{WebhookEndpoint: endpointOut(rec, now), Secret: secret.Encode()}
		return s.audit.record(ctx, tx, auditEntry{Tenant: rec.Tenant, Actor: actor, Action: domain.EventWebhookSecretRotated, EntityID: id,
			Meta: map[string]string{"previous_until": until.Format(time.RFC3339)}})
	})
	return out, err
}

func cmpOr[T comparable](a, b T) T {
	var zero T
	if a != zero {
		return a
	}
	return b
}

// signingSecrets opens the endpoint's current secret and, while it is
// still in its overlap, the previous one.
func (s *Webhooks) signingSecrets(rec store.WebhookEndpointRecord, now time.Time) ([]webhook.Secret, error) {
	open := func(sealed []byte) (webhook.Secret, error) {
		b, err := s.d.Crypt.Open(sealed, secretAAD(rec.ID))
		if err != nil {
			return webhook.Secret{}, fmt.Errorf("webhook secret of %s: %w", rec.ID, err)
		}
		return webhook.ParseSecret(string(b))
	}
	cur, err := open(rec.Secret)
	if err != nil {
		return nil, err
	}
	out := []webhook.Secret{cur}
	if len(rec.PreviousSecret) > 0 && rec.PreviousUntil != nil && now.Before(*rec.PreviousUntil) {
		prev, err := open(rec.PreviousSecret)
		if err != nil {
			return nil, err
		}
		out = append(out, prev)
	}
	return out, nil
}

func subscribed(rec store.WebhookEndpointRecord, t domain.EventType) bool {
	if rec.EventTypes == domain.AllWebhookEvents {
		return true
	}
	return slices.Contains(strings.Split(rec.EventTypes, ","), string(t))
}

// publish is the outbox: called by AuditLog.record in the change's
// transaction, it writes the webhook event an audit event maps to
// (domain.WebhookPublication) with one delivery per endpoint of the tenant
// subscribed to it, and schedules their first attempts in the same
// transaction. A tenant without a subscribed endpoint costs one indexed
// read and writes nothing.
func (l *AuditLog) publish(ctx context.Context, tx store.Tx, tenant string, action domain.EventType, entityID string, meta map[string]string, now time.Time) error {
	if tenant == "" || l.d.Webhooks.Enqueue == nil {
		return nil
	}
	typ, data, ok := domain.WebhookPublication(action, entityID, meta)
	if !ok {
		return nil
	}
	eps, err := tx.Webhooks().ListEndpoints(ctx, tenant)
	if err != nil {
		return fmt.Errorf("webhook outbox: %w", err)
	}
	eps = slices.DeleteFunc(eps, func(e store.WebhookEndpointRecord) bool { return !subscribed(e, typ) })
	if len(eps) == 0 {
		return nil
	}
	body, err := webhook.Payload{Type: string(typ), Timestamp: now, Data: data}.Marshal()
	if err != nil {
		return err
	}
	ev := store.WebhookEventRecord{ID: domain.NewID("msg", now), Tenant: tenant, Type: string(typ), Payload: body, CreatedAt: now}
	if err := tx.Webhooks().CreateEvent(ctx, ev); err != nil {
		return fmt.Errorf("webhook outbox: %w", err)
	}
	jobs := make([]WebhookJob, 0, len(eps))
	for _, e := range eps {
		d := store.WebhookDeliveryRecord{ID: domain.NewID("whd", now), Tenant: tenant, EventID: ev.ID, EndpointID: e.ID,
			EventType: ev.Type, Status: DeliveryPending, NextAttemptAt: &now, CreatedAt: now, UpdatedAt: now}
		if err := tx.Webhooks().CreateDelivery(ctx, d); err != nil {
			return fmt.Errorf("webhook outbox: %w", err)
		}
		jobs = append(jobs, WebhookJob{DeliveryID: d.ID, Attempt: 1, At: now})
	}
	return l.d.Webhooks.Enqueue.EnqueueWebhooks(ctx, tx, jobs)
}
