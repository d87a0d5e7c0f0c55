package app

import (
	"context"
	"errors"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/webhook"
)

// WebhookAttempt is one HTTP attempt of a delivery.
type WebhookAttempt struct {
	Attempt    int
	At         time.Time
	StatusCode int // 0 when no answer came
	Duration   time.Duration
	Error      string // "" on success; never the URL
	Manual     bool
}

// WebhookDelivery is the delivery of one event to one endpoint, with its
// attempts (oldest first).
type WebhookDelivery struct {
	ID             string
	EndpointID     string
	EventID        string
	EventType      string
	Status         string // pending, succeeded, failed
	AttemptCount   int
	NextAttemptAt  *time.Time
	LastStatusCode int
	LastError      string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Attempts       []WebhookAttempt
}

func deliveryOut(r store.WebhookDeliveryRecord) WebhookDelivery {
	d := WebhookDelivery{ID: r.ID, EndpointID: r.EndpointID, EventID: r.EventID, EventType: r.EventType, Status: r.Status,
		AttemptCount: r.Attempts, LastStatusCode: r.LastStatusCode, LastError: r.LastError, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.Status == DeliveryPending {
		d.NextAttemptAt = r.NextAttemptAt
	}
	return d
}

func (s *Webhooks) withAttempts(ctx context.Context, d WebhookDelivery) (WebhookDelivery, error) {
	as, err := s.d.Store.Webhooks().ListAttempts(ctx, d.ID)
	if err != nil {
		return d, err
	}
	d.Attempts = make([]WebhookAttempt, 0, len(as))
	for _, a := range as {
		d.Attempts = append(d.Attempts, WebhookAttempt{Attempt: a.Attempt, At: a.StartedAt, StatusCode: a.StatusCode,
			Duration: a.Duration, Error: a.Error, Manual: a.Manual})
	}
	return d, nil
}

// ListDeliveries returns an endpoint's deliveries, newest first, each with
// every attempt, after the cursor (a delivery id; "" for the newest); the
// second result is the cursor of the next page ("" at the end).
func (s *Webhooks) ListDeliveries(ctx context.Context, actor domain.Actor, endpointID, cursor string, limit int) ([]WebhookDelivery, string, error) {
	if err := Authorize(actor, PermWebhooksWrite); err != nil {
		return nil, "", err
	}
	rec, err := s.d.Store.Webhooks().GetEndpoint(ctx, endpointID)
	if err != nil {
		return nil, "", notFound(err, "Webhook endpoint")
	}
	if !canSeeTenant(actor, rec.Tenant) {
		return nil, "", domain.Errorf(domain.ECodeNotFound, "Webhook endpoint not found.")
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	rows, err := s.d.Store.Webhooks().ListDeliveries(ctx, store.WebhookDeliveryFilter{EndpointID: endpointID, BeforeID: cursor, Limit: limit + 1})
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		next = rows[limit-1].ID
	}
	out := make([]WebhookDelivery, 0, len(rows))
	for _, r := range rows {
		d, err := s.withAttempts(ctx, deliveryOut(r))
		if err != nil {
			return nil, "", err
		}
		out = append(out, d)
	}
	return out, next, nil
}

// GetDelivery returns one delivery with its attempts.
func (s *Webhooks) GetDelivery(ctx context.Context, actor domain.Actor, id string) (WebhookDelivery, error) {
	if err := Authorize(actor, PermWebhooksWrite); err != nil {
		return WebhookDelivery{}, err
	}
	r, err := s.d.Store.Webhooks().GetDelivery(ctx, id)
	if err != nil {
		return WebhookDelivery{}, notFound(err, "Webhook delivery")
	}
	if !canSeeTenant(actor, r.Tenant) {
		return WebhookDelivery{}, domain.Errorf(domain.ECodeNotFound, "Webhook delivery not found.")
	}
	return s.withAttempts(ctx, deliveryOut(r))
}

// Retry sends a delivery again now, by hand: one attempt, whatever its
// status; a failure leaves it failed (no new schedule). A delivery already
// waiting for an attempt is refused (409), as is one whose endpoint was
// removed.
func (s *Webhooks) Retry(ctx context.Context, actor domain.Actor, id string) (WebhookDelivery, error) {
	if err := Authorize(actor, PermWebhooksWrite); err != nil {
		return WebhookDelivery{}, err
	}
	if s.d.Webhooks.Enqueue == nil {
		return WebhookDelivery{}, domain.Errorf(domain.ECodeUnavailable, "Webhooks are not configured on this server.")
	}
	var out WebhookDelivery
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		r, err := tx.Webhooks().GetDelivery(ctx, id)
		if err != nil {
			return notFound(err, "Webhook delivery")
		}
		if !canSeeTenant(actor, r.Tenant) {
			return domain.Errorf(domain.ECodeNotFound, "Webhook delivery not found.")
		}
		if r.Status == DeliveryPending {
			return domain.Errorf(domain.ECodeConflict, "The delivery is already waiting for its next attempt.")
		}
		ep, err := tx.Webhooks().GetEndpoint(ctx, r.EndpointID)
		if err != nil {
			return err
		}
		if ep.DeletedAt != nil {
			return domain.Errorf(domain.ECodeConflict, "The endpoint of this delivery was removed.")
		}
		now := s.d.now()
		oldStatus := r.Status
		r.Status, r.NextAttemptAt, r.UpdatedAt = DeliveryPending, &now, now
		if err := tx.Webhooks().UpdateDelivery(ctx, r, r.Attempts, oldStatus); err != nil {
			return conflict(err, "The delivery changed meanwhile; try again.")
		}
		if err := s.d.Webhooks.Enqueue.EnqueueWebhooks(ctx, tx, []WebhookJob{{DeliveryID: r.ID, Attempt: r.Attempts + 1, Manual: true, At: now}}); err != nil {
			return err
		}
		out = deliveryOut(r)
		return s.audit.record(ctx, tx, auditEntry{Tenant: r.Tenant, Actor: actor, Action: domain.EventWebhookRetried, EntityID: r.ID,
			Meta: map[string]string{"endpoint_id": r.EndpointID, "event_id": r.EventID, "from": oldStatus}})
	})
	if err != nil {
		return WebhookDelivery{}, err
	}
	return s.withAttempts(ctx, out)
}

// Deliver makes one attempt of a delivery (the job of package jobs calls
// it). The request is sent outside any transaction; its outcome is then
// recorded in one: the attempt, the delivery's new status and, after a
// failure with retries left, the next attempt scheduled after the wait of
// the schedule. A job that is stale (the delivery moved on: already
// delivered, retried, or run twice) does nothing. The endpoint's address
// is checked again by the sender's dialer against what its name resolves
// to now (netguard). It returns an error only when the outcome could not
// be recorded, so that the job is retried.
func (s *Webhooks) Deliver(ctx context.Context, job WebhookJob) error {
	repo := s.d.Store.Webhooks()
	d, err := repo.GetDelivery(ctx, job.DeliveryID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if d.Status != DeliveryPending || d.Attempts+1 != job.Attempt {
		return nil
	}
	ep, err := repo.GetEndpoint(ctx, d.EndpointID)
	if err != nil {
		return err
	}
	now := s.d.now()
	var res webhook.Result
	if ep.DeletedAt != nil {
		res = webhook.Result{Error: "the endpoint was removed"}
	} else {
		ev, err := repo.GetEvent(ctx, d.EventID)
		if err != nil {
			return err
		}
		secrets, err := s.signingSecrets(ep, now)
		if err != nil {
			return err
		}
		if s.d.Webhooks.Sender == nil {
			return errors.New("webhooks: no sender configured")
		}
		res = s.d.Webhooks.Sender.Send(ctx, ep.URL, secrets, ev.ID, now, ev.Payload)
		if ctx.Err() != nil {
			// The worker is stopping: not the receiver's fault. The job is
			// retried with the same attempt number.
			return ctx.Err()
		}
	}
	outcome, err := s.recordAttempt(ctx, d, job, ep.DeletedAt != nil, now, res)
	if errors.Is(err, errStale) {
		return nil
	}
	if err != nil {
		return err
	}
	if m, ok := s.d.Metrics.(WebhookMetrics); ok && outcome != "" {
		m.WebhookDelivery(outcome) // after the commit: counted once per recorded attempt
	}
	return nil
}

// WebhookMetrics, when the Metrics implement it, counts webhook delivery
// attempts by outcome: DeliverySucceeded, "retry" (failed, another attempt
// scheduled) or DeliveryFailed (the delivery gave up).
type WebhookMetrics interface {
	WebhookDelivery(outcome string)
}

// DeliveryRetry is the outcome of a failed attempt that another follows.
const DeliveryRetry = "retry"

// recordAttempt records one attempt and the delivery's next state in one
// transaction, and returns the attempt's outcome ("" when another run of
// the job had recorded it already).
func (s *Webhooks) recordAttempt(ctx context.Context, d store.WebhookDeliveryRecord, job WebhookJob, gone bool, started time.Time, res webhook.Result) (string, error) {
	var outcome string
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		outcome = ""
		err := tx.Webhooks().AddAttempt(ctx, store.WebhookAttemptRecord{DeliveryID: d.ID, Attempt: job.Attempt, StartedAt: started,
			StatusCode: res.StatusCode, Duration: res.Duration, Error: res.Error, Manual: job.Manual})
		if errors.Is(err, store.ErrConflict) {
			return nil // another run of this job recorded the attempt
		}
		if err != nil {
			return err
		}
		now := s.d.now()
		next := d
		next.Attempts, next.LastAttemptAt, next.LastStatusCode, next.LastError, next.UpdatedAt = job.Attempt, &started, res.StatusCode, res.Error, now
		next.NextAttemptAt = nil
		var jobs []WebhookJob
		switch {
		case res.OK():
			next.Status = DeliverySucceeded
		case gone || job.Manual:
			next.Status = DeliveryFailed
		default:
			if wait, ok := webhook.NextDelay(s.d.Webhooks.schedule(), job.Attempt); ok {
				at := now.Add(wait)
				next.Status, next.NextAttemptAt = DeliveryPending, &at
				jobs = append(jobs, WebhookJob{DeliveryID: d.ID, Attempt: job.Attempt + 1, At: at})
			} else {
				next.Status = DeliveryFailed
			}
		}
		if err := tx.Webhooks().UpdateDelivery(ctx, next, d.Attempts, d.Status); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return errStale
			}
			return err
		}
		outcome = next.Status
		if next.Status == DeliveryPending {
			outcome = DeliveryRetry
		}
		if len(jobs) > 0 {
			return s.d.Webhooks.Enqueue.EnqueueWebhooks(ctx, tx, jobs)
		}
		return nil
	})
	return outcome, err
}

// errStale rolls back an attempt's record when the delivery moved on
// meanwhile; Deliver treats it as done.
var errStale = errors.New("webhook delivery moved on")
