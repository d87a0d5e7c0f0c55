package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/netguard"
	"github.com/kyc-platform/kyc/internal/webhook"
)

// receiver is a webhook receiver that records what it got.
type receiver struct {
	*httptest.Server
	mu   sync.Mutex
	got  []received
	code int
}

type received struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{code: http.StatusNoContent}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, received{req.Header.Clone(), b})
		code := r.code
		r.mu.Unlock()
		w.WriteHeader(code)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) messages() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got)
}

func register(t *testing.T, h *kyctest.Bundle, a *app.App, url string, types ...string) app.NewWebhookEndpoint {
	t.Helper()
	if len(types) == 0 {
		types = []string{"*"}
	}
	ep, err := a.Webhooks.CreateEndpoint(h.Ctx, kyctest.Client, app.WebhookEndpointInput{URL: url, EventTypes: types})
	if err != nil {
		t.Fatal(err)
	}
	return ep
}

func deliveries(t *testing.T, h *kyctest.Bundle, a *app.App, endpointID string) []app.WebhookDelivery {
	t.Helper()
	ds, _, err := a.Webhooks.ListDeliveries(h.Ctx, kyctest.Client, endpointID, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// TestWebhookOutboxAndDelivery onboards a customer with an endpoint
// subscribed to everything: each webhook event of the onboarding is in the
// outbox, delivered signed (Standard Webhooks) with the payload structure
// {type, timestamp, data}, and no payload carries personal data (PRODUCT.md
// section 7, README "Webhooks"; GDPR art. 5(1)(c), data minimisation).
func TestWebhookOutboxAndDelivery(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		rcv := newReceiver(t)
		ep := register(t, h, h.App, rcv.URL+"/hooks?token=abc")
		secret, err := webhook.ParseSecret(ep.Secret)
		if err != nil || !strings.HasPrefix(ep.Secret, "whsec_") {
			t.Fatalf("secret %q: %v", ep.Secret, err)
		}
		only := register(t, h, h.App, rcv.URL+"/approved", string(domain.EventCustomerApproved))
		h.ImportOFAC()
		c := kyctest.SubmittedCustomer(t, h, nil)
		if c.Status != domain.StatusApproved {
			t.Fatalf("customer %s", c.Status)
		}
		ds := deliveries(t, h, h.App, ep.ID)
		var types []string
		for _, d := range ds {
			types = append(types, d.EventType)
			if d.Status != app.DeliveryPending || d.AttemptCount != 0 {
				t.Errorf("before delivery: %+v", d)
			}
		}
		slices.Sort(types)
		want := []string{"check.completed", "check.completed", "check.completed", "customer.approved", "customer.submitted"}
		if !slices.Equal(types, want) {
			t.Fatalf("outbox of the subscriber to *: %v, want %v", types, want)
		}
		if ds := deliveries(t, h, h.App, only.ID); len(ds) != 1 || ds[0].EventType != "customer.approved" {
			t.Fatalf("subscriber to customer.approved: %+v", ds)
		}
		if n := h.RunWebhooks(); n != 6 {
			t.Fatalf("ran %d attempts, want 6", n)
		}
		msgs := rcv.messages()
		if len(msgs) != 6 {
			t.Fatalf("receiver got %d messages", len(msgs))
		}
		personal := []string{"Anna", "Eriksson", "1990-08-12", "anna.eriksson", "+46701234567", "Storgatan", "Stockholm", "AB1234567", "Teacher", "Salary"}
		for _, m := range msgs {
			var p webhook.Payload
			if err := json.Unmarshal(m.body, &p); err != nil || p.Type == "" || p.Timestamp.IsZero() {
				t.Fatalf("payload %s: %v", m.body, err)
			}
			for _, s := range personal {
				if strings.Contains(string(m.body), s) {
					t.Errorf("payload carries personal data %q: %s", s, m.body)
				}
			}
			switch p.Type {
			case "customer.approved":
				if p.Data["customer_id"] != c.ID || p.Data["status"] != "approved" {
					t.Errorf("approved payload %s", m.body)
				}
			case "check.completed":
				if p.Data["customer_id"] != c.ID || p.Data["check_id"] == "" || p.Data["status"] == "" || p.Data["type"] == "" {
					t.Errorf("check payload %s", m.body)
				}
			}
		}
		// Signed with the endpoint's secret, verifiable as a receiver would.
		verified := 0
		for _, m := range msgs {
			if webhook.Verify(secret, m.header, m.body, h.Clock.Peek(), webhook.DefaultTolerance) == nil {
				verified++
			}
		}
		if verified != 5 {
			t.Errorf("%d messages verify with the first endpoint's secret, want 5", verified)
		}
		for _, d := range deliveries(t, h, h.App, ep.ID) {
			if d.Status != app.DeliverySucceeded || len(d.Attempts) != 1 || d.Attempts[0].StatusCode != 204 || d.NextAttemptAt != nil {
				t.Errorf("after delivery: %+v", d)
			}
		}
		// Nothing left to run.
		if n := h.RunWebhooks(); n != 0 {
			t.Errorf("%d more attempts ran", n)
		}
	})
}

// TestWebhookOutboxRollsBackWithTheChange: a change that fails leaves no
// event in the outbox (the outbox row is in the change's transaction).
func TestWebhookOutboxRollsBackWithTheChange(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		rcv := newReceiver(t)
		ep := register(t, h, h.App, rcv.URL)
		c := kyctest.Customer(t, h, nil)
		h.Queue.Fail(errors.New("queue down"))
		if _, err := h.App.Customers.Submit(h.Ctx, kyctest.Client, c.ID); err == nil {
			t.Fatal("submit succeeded with the queue down")
		}
		if ds := deliveries(t, h, h.App, ep.ID); len(ds) != 0 || len(h.Webhooks.Pending()) != 0 {
			t.Fatalf("a rolled-back submission left %d deliveries, %d jobs", len(ds), len(h.Webhooks.Pending()))
		}
		h.Queue.Fail(nil)
		if _, err := h.App.Customers.Submit(h.Ctx, kyctest.Client, c.ID); err != nil {
			t.Fatal(err)
		}
		if ds := deliveries(t, h, h.App, ep.ID); len(ds) != 1 || ds[0].EventType != "customer.submitted" {
			t.Fatalf("deliveries %+v", ds)
		}
		h.Queue.Take()
		// Another tenant's endpoint hears nothing of this tenant.
		other, err := h.App.Webhooks.CreateEndpoint(h.Ctx, kyctest.Outsider, app.WebhookEndpointInput{URL: rcv.URL, EventTypes: []string{"*"}})
		if err != nil {
			t.Fatal(err)
		}
		kyctest.SubmittedCustomer(t, h, nil)
		if ds, _, _ := h.App.Webhooks.ListDeliveries(h.Ctx, kyctest.Outsider, other.ID, "", 10); len(ds) != 0 {
			t.Fatalf("another tenant's endpoint got %d deliveries", len(ds))
		}
	})
}

type fixedResolver struct{ addr netip.Addr }

func (f fixedResolver) LookupNetIP(context.Context, string, string) ([]netip.Addr, error) {
	return []netip.Addr{f.addr}, nil
}

// TestWebhookEndpointValidation: https and public addresses only (OWASP
// ASVS 5.0 1.3.6, server-side request forgery), known event types, each
// bad field named; tenants see only their own endpoints.
func TestWebhookEndpointValidation(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		deps := h.Deps()
		deps.Webhooks.Guard = netguard.Policy{Resolver: fixedResolver{netip.MustParseAddr("10.1.2.3")}}
		strict := app.New(deps)
		cases := []struct {
			in     app.WebhookEndpointInput
			fields []string
			text   string
		}{
			{app.WebhookEndpointInput{URL: "http://hooks.example/in", EventTypes: []string{"*"}}, []string{"url"}, "https"},
			{app.WebhookEndpointInput{URL: "https://hooks.example/in", EventTypes: []string{"*"}}, []string{"url"}, "non-public address (private)"},
			{app.WebhookEndpointInput{URL: "https://169.254.169.254/latest", EventTypes: []string{"*"}}, []string{"url"}, "link-local"},
			{app.WebhookEndpointInput{URL: "", EventTypes: nil}, []string{"url", "event_types"}, ""},
			{app.WebhookEndpointInput{URL: "http://hooks.example/in", EventTypes: []string{"customer.approved", "customer.exploded", "*"}}, []string{"url", "event_types[1]", "event_types[2]"}, "Unknown event type"},
			{app.WebhookEndpointInput{URL: "http://hooks.example/in", EventTypes: []string{"customer.updated"}}, []string{"url", "event_types[0]"}, ""},
		}
		for i, c := range cases {
			_, err := strict.Webhooks.CreateEndpoint(h.Ctx, kyctest.Client, c.in)
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.ECodeInvalid {
				t.Fatalf("case %d: %v", i, err)
			}
			var locs []string
			for _, f := range de.Fields {
				locs = append(locs, f.Location)
			}
			if !slices.Equal(locs, c.fields) || !strings.Contains(err.Error(), c.text) {
				t.Errorf("case %d: %v, want fields %v and %q", i, err, c.fields, c.text)
			}
			if strings.Contains(err.Error(), "10.1.2.3") {
				t.Errorf("case %d: the error names the resolved address: %v", i, err)
			}
		}
		if eps, _ := strict.Webhooks.ListEndpoints(h.Ctx, kyctest.Client); len(eps) != 0 {
			t.Fatalf("refused endpoints were stored: %+v", eps)
		}
		if _, err := h.App.Webhooks.CreateEndpoint(h.Ctx, kyctest.ReadOnly, app.WebhookEndpointInput{URL: "http://127.0.0.1:1/", EventTypes: []string{"*"}}); domain.ErrCode(err) != domain.ECodeForbidden {
			t.Fatalf("without webhooks:write: %v", err)
		}
		ep := register(t, h, h.App, "http://127.0.0.1:1/in", "case.opened", "case.decided")
		if !slices.Equal(ep.EventTypes, []string{"case.opened", "case.decided"}) || ep.Tenant != kyctest.Tenant {
			t.Fatalf("endpoint %+v", ep)
		}
		// Stored encrypted: the raw row does not hold the secret.
		rec, err := h.Store.Webhooks().GetEndpoint(h.Ctx, ep.ID)
		if err != nil || strings.Contains(string(rec.Secret), strings.TrimPrefix(ep.Secret, "whsec_")) {
			t.Fatalf("secret stored in the clear (%v)", err)
		}
		if _, err := h.App.Webhooks.GetEndpoint(h.Ctx, kyctest.Outsider, ep.ID); domain.ErrCode(err) != domain.ECodeNotFound {
			t.Fatalf("other tenant reads: %v", err)
		}
		if err := h.App.Webhooks.DeleteEndpoint(h.Ctx, kyctest.Outsider, ep.ID); domain.ErrCode(err) != domain.ECodeNotFound {
			t.Fatalf("other tenant deletes: %v", err)
		}
		if eps, _ := h.App.Webhooks.ListEndpoints(h.Ctx, kyctest.Outsider); len(eps) != 0 {
			t.Fatalf("other tenant lists %d", len(eps))
		}
		if err := h.App.Webhooks.DeleteEndpoint(h.Ctx, kyctest.Client, ep.ID); err != nil {
			t.Fatal(err)
		}
		if err := h.App.Webhooks.DeleteEndpoint(h.Ctx, kyctest.Client, ep.ID); domain.ErrCode(err) != domain.ECodeNotFound {
			t.Fatalf("second delete: %v", err)
		}
		h.SealAudit()
		evs, err := h.App.Audit.ListEvents(h.Ctx, kyctest.Operator, app.AuditQuery{EntityType: domain.EntityWebhookEndpoint, EntityID: ep.ID})
		if err != nil || len(evs) != 2 || evs[0].Action != string(domain.EventWebhookEndpointAdded) || evs[1].Action != string(domain.EventWebhookEndpointGone) {
			t.Fatalf("audit %+v %v", evs, err)
		}
	})
}

// failing receivers: one answering 500, one never answering in time, one
// resetting the connection.
func failingReceivers(t *testing.T) map[string]string {
	block := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/500", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		select {
		case <-block:
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/reset", func(w http.ResponseWriter, _ *http.Request) {
		c, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		c.(*net.TCPConn).SetLinger(0)
		c.Close()
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(block) })
	return map[string]string{"500": srv.URL + "/500", "timeout": srv.URL + "/slow", "reset": srv.URL + "/reset"}
}

// TestWebhookRetries: a receiver that answers 500, times out or resets the
// connection gets its attempts on the retry schedule, each recorded with
// its reason, then the delivery is failed; the healthy receiver beside
// them is delivered to at once. A manual retry sends once more.
func TestWebhookRetries(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		deps := h.Deps()
		deps.Webhooks.Schedule = []time.Duration{10 * time.Second, time.Minute}
		deps.Webhooks.Sender = &webhook.Sender{Client: netguard.Policy{AllowPrivate: true}.Client(netguard.ClientOptions{Timeout: 300 * time.Millisecond})}
		outcomes := &webhookOutcomes{}
		deps.Metrics = outcomes
		a := app.New(deps)
		run := func() int {
			n, err := h.Webhooks.RunDue(h.Ctx, a.Webhooks, h.Clock.Peek())
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		good := newReceiver(t)
		urls := failingReceivers(t)
		eps := map[string]string{"good": register(t, h, a, good.URL, "customer.submitted").ID}
		for name, u := range urls {
			eps[name] = register(t, h, a, u, "customer.submitted").ID
		}
		c := kyctest.Customer(t, h, nil)
		if _, err := a.Customers.Submit(h.Ctx, kyctest.Client, c.ID); err != nil {
			t.Fatal(err)
		}
		if n := run(); n != 4 {
			t.Fatalf("first round ran %d", n)
		}
		if len(good.messages()) != 1 {
			t.Fatalf("the healthy receiver got %d", len(good.messages()))
		}
		reasons := map[string]string{"500": "HTTP 500", "timeout": "timeout", "reset": "connection reset"}
		for name, reason := range reasons {
			ds := deliveries(t, h, a, eps[name])
			if len(ds) != 1 {
				t.Fatalf("%s: %d deliveries", name, len(ds))
			}
			d := ds[0]
			if d.Status != app.DeliveryPending || d.AttemptCount != 1 || !strings.Contains(d.LastError, reason) || d.NextAttemptAt == nil {
				t.Fatalf("%s after one attempt: %+v", name, d)
			}
			if wait := d.NextAttemptAt.Sub(d.Attempts[0].At); wait < 9*time.Second || wait > 11*time.Second+time.Second {
				t.Errorf("%s: next attempt after %v, want 10 s ± 10%%", name, wait)
			}
			if strings.Contains(d.LastError, "127.0.0.1") {
				t.Errorf("%s: the reason names the address: %s", name, d.LastError)
			}
		}
		// Not due yet.
		if n := run(); n != 0 {
			t.Fatalf("ran %d before the wait", n)
		}
		h.Advance(12 * time.Second)
		if n := run(); n != 3 {
			t.Fatalf("second round ran %d", n)
		}
		h.Advance(70 * time.Second)
		if n := run(); n != 3 {
			t.Fatalf("third round ran %d", n)
		}
		for name, reason := range reasons {
			d := deliveries(t, h, a, eps[name])[0]
			if d.Status != app.DeliveryFailed || d.AttemptCount != 3 || len(d.Attempts) != 3 || d.NextAttemptAt != nil {
				t.Fatalf("%s after the schedule: %+v", name, d)
			}
			for _, at := range d.Attempts {
				if !strings.Contains(at.Error, reason) || at.Manual {
					t.Errorf("%s attempt %+v", name, at)
				}
			}
		}
		h.Advance(24 * time.Hour)
		if n := run(); n != 0 {
			t.Fatalf("%d attempts after failure", n)
		}
		// A manual retry sends once; refused while one is pending.
		d := deliveries(t, h, a, eps["500"])[0]
		r, err := a.Webhooks.Retry(h.Ctx, kyctest.Client, d.ID)
		if err != nil || r.Status != app.DeliveryPending {
			t.Fatalf("retry: %+v %v", r, err)
		}
		if _, err := a.Webhooks.Retry(h.Ctx, kyctest.Client, d.ID); domain.ErrCode(err) != domain.ECodeConflict {
			t.Fatalf("second retry: %v", err)
		}
		if _, err := a.Webhooks.Retry(h.Ctx, kyctest.Outsider, d.ID); domain.ErrCode(err) != domain.ECodeNotFound {
			t.Fatalf("other tenant retries: %v", err)
		}
		if n := run(); n != 1 {
			t.Fatalf("manual retry ran %d", n)
		}
		d, err = a.Webhooks.GetDelivery(h.Ctx, kyctest.Client, d.ID)
		if err != nil || d.Status != app.DeliveryFailed || len(d.Attempts) != 4 || !d.Attempts[3].Manual {
			t.Fatalf("after a failed manual retry: %+v %v", d, err)
		}
		// Running a stale job again changes nothing.
		if err := a.Webhooks.Deliver(h.Ctx, app.WebhookJob{DeliveryID: d.ID, Attempt: 2}); err != nil {
			t.Fatal(err)
		}
		if d2, _ := a.Webhooks.GetDelivery(h.Ctx, kyctest.Client, d.ID); len(d2.Attempts) != 4 {
			t.Fatalf("a stale job made an attempt: %+v", d2)
		}
		// Every recorded attempt is counted once by outcome (issue 14,
		// item 2): the healthy endpoint's success; two failed attempts
		// with a retry scheduled for each of the three failing endpoints;
		// their last scheduled attempts and the failed manual retry gave
		// up; the stale job counts nothing.
		if got := outcomes.snapshot(); got[app.DeliverySucceeded] != 1 || got[app.DeliveryRetry] != 6 || got[app.DeliveryFailed] != 4 || len(got) != 3 {
			t.Fatalf("webhook outcomes counted %v", got)
		}
	})
}

// webhookOutcomes records app.WebhookMetrics.
type webhookOutcomes struct {
	mu sync.Mutex
	n  map[string]int
}

func (w *webhookOutcomes) CheckFinished(string, string) {}
func (w *webhookOutcomes) Decision(string)              {}
func (w *webhookOutcomes) WebhookDelivery(outcome string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.n == nil {
		w.n = map[string]int{}
	}
	w.n[outcome]++
}

func (w *webhookOutcomes) snapshot() map[string]int {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := map[string]int{}
	for k, v := range w.n {
		out[k] = v
	}
	return out
}

// TestWebhookSecretRotation: after a rotation both secrets sign for 24
// hours (two signatures in webhook-signature), then only the new one.
func TestWebhookSecretRotation(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		rcv := newReceiver(t)
		ep := register(t, h, h.App, rcv.URL, "customer.submitted")
		old, _ := webhook.ParseSecret(ep.Secret)
		rot, err := h.App.Webhooks.RotateSecret(h.Ctx, kyctest.Client, ep.ID)
		if err != nil || rot.Secret == ep.Secret || rot.PreviousSecretUntil == nil {
			t.Fatalf("rotate: %+v %v", rot, err)
		}
		if _, err := h.App.Webhooks.RotateSecret(h.Ctx, kyctest.Outsider, ep.ID); domain.ErrCode(err) != domain.ECodeNotFound {
			t.Fatalf("other tenant rotates: %v", err)
		}
		cur, _ := webhook.ParseSecret(rot.Secret)
		submit := func() received {
			c := kyctest.Customer(t, h, nil)
			if _, err := h.App.Customers.Submit(h.Ctx, kyctest.Client, c.ID); err != nil {
				t.Fatal(err)
			}
			n := len(rcv.messages())
			h.RunWebhooks()
			ms := rcv.messages()
			if len(ms) != n+1 {
				t.Fatalf("got %d messages, want %d", len(ms), n+1)
			}
			return ms[n]
		}
		m := submit()
		now := h.Clock.Peek()
		if len(strings.Fields(m.header.Get("webhook-signature"))) != 2 ||
			webhook.Verify(old, m.header, m.body, now, webhook.DefaultTolerance) != nil ||
			webhook.Verify(cur, m.header, m.body, now, webhook.DefaultTolerance) != nil {
			t.Fatalf("during the overlap: %q", m.header.Get("webhook-signature"))
		}
		h.Advance(24*time.Hour + time.Minute)
		m = submit()
		now = h.Clock.Peek()
		if len(strings.Fields(m.header.Get("webhook-signature"))) != 1 ||
			webhook.Verify(old, m.header, m.body, now, webhook.DefaultTolerance) == nil ||
			webhook.Verify(cur, m.header, m.body, now, webhook.DefaultTolerance) != nil {
			t.Fatalf("after the overlap: %q", m.header.Get("webhook-signature"))
		}
		if got, _ := h.App.Webhooks.GetEndpoint(h.Ctx, kyctest.Client, ep.ID); got.PreviousSecretUntil != nil {
			t.Errorf("previous secret still shown: %+v", got)
		}
	})
}

// TestWebhookPayloadsOfAHit: a customer on a sanctions list raises
// screening.hit_created and case.opened, and deciding the case
// case.decided; none of the payloads names the customer or the listed
// person (PRODUCT.md section 7: ids and statuses, not personal data).
func TestWebhookPayloadsOfAHit(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		rcv := newReceiver(t)
		register(t, h, h.App, rcv.URL)
		cs, hit := kyctest.Hit(t, h, nil)
		if _, err := h.App.Cases.Decide(h.Ctx, kyctest.Client, cs.ID, app.DecideInput{Decision: domain.DecisionEscalate, Reason: "Zakharov needs the MLRO"}); err != nil {
			t.Fatal(err)
		}
		h.RunWebhooks()
		types := map[string]webhook.Payload{}
		for _, m := range rcv.messages() {
			var p webhook.Payload
			if err := json.Unmarshal(m.body, &p); err != nil {
				t.Fatal(err)
			}
			types[p.Type] = p
			for _, s := range []string{"Andrey", "Zakharov", "ZAKHAROV", "1969", "Tverskaya", "Moscow", "andrey.zakharov", "+7495", "MLRO"} {
				if strings.Contains(string(m.body), s) {
					t.Errorf("payload carries %q: %s", s, m.body)
				}
			}
		}
		if p := types["screening.hit_created"]; p.Data["screening_hit_id"] != hit.ID || p.Data["customer_id"] != cs.CustomerID || p.Data["list"] == "" {
			t.Errorf("hit payload %+v", p)
		}
		if p := types["case.opened"]; p.Data["case_id"] != cs.ID || p.Data["kind"] != string(domain.CaseScreeningHit) {
			t.Errorf("case payload %+v", p)
		}
		if p := types["case.decided"]; p.Data["case_id"] != cs.ID || p.Data["decision"] != "escalate" || p.Data["customer_id"] != cs.CustomerID {
			t.Errorf("decision payload %+v", p)
		}
	})
}

// TestWebhookCustomerClosed: closing an approved customer (recorded as a
// status change) is published once, as customer.closed with the status.
func TestWebhookCustomerClosed(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		rcv := newReceiver(t)
		register(t, h, h.App, rcv.URL, string(domain.EventCustomerClosed), string(domain.EventCustomerApproved))
		h.ImportOFAC()
		c := kyctest.SubmittedCustomer(t, h, nil)
		if _, err := h.App.Customers.Close(h.Ctx, kyctest.Client, c.ID, app.CloseInput{Reason: "Customer moved abroad"}); err != nil {
			t.Fatal(err)
		}
		h.RunWebhooks()
		var got []string
		for _, m := range rcv.messages() {
			var p webhook.Payload
			if err := json.Unmarshal(m.body, &p); err != nil {
				t.Fatal(err)
			}
			got = append(got, p.Type+":"+p.Data["status"])
			if p.Data["customer_id"] != c.ID || strings.Contains(string(m.body), "abroad") {
				t.Errorf("payload %s", m.body)
			}
		}
		if !slices.Equal(got, []string{"customer.approved:approved", "customer.closed:closed"}) {
			t.Fatalf("published %v", got)
		}
	})
}

// TestWebhookGuardAtDelivery: a name that resolved to a public address at
// registration and to a loopback one at delivery (DNS rebinding) is
// refused by the sender's dialer; the attempt says why, without the
// address, and nothing reaches the internal receiver (OWASP ASVS 5.0
// 1.3.6).
func TestWebhookGuardAtDelivery(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		rcv := newReceiver(t)
		_, port, _ := net.SplitHostPort(strings.TrimPrefix(rcv.URL, "http://"))
		deps := h.Deps()
		deps.Webhooks.Guard = netguard.Policy{Resolver: fixedResolver{netip.MustParseAddr("93.184.215.14")}}
		atDelivery := netguard.Policy{Resolver: fixedResolver{netip.MustParseAddr("127.0.0.1")}}
		deps.Webhooks.Sender = &webhook.Sender{Client: atDelivery.Client(netguard.ClientOptions{Timeout: 2 * time.Second}),
			IsRefusal: func(err error) bool { return errors.Is(err, netguard.ErrNotAllowed) }}
		a := app.New(deps)
		ep := register(t, h, a, "https://hooks.example:"+port+"/in", "customer.submitted")
		c := kyctest.Customer(t, h, nil)
		if _, err := a.Customers.Submit(h.Ctx, kyctest.Client, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := h.Webhooks.RunDue(h.Ctx, a.Webhooks, h.Clock.Peek()); err != nil {
			t.Fatal(err)
		}
		d := deliveries(t, h, a, ep.ID)[0]
		if d.AttemptCount != 1 || !strings.Contains(d.LastError, "non-public address (loopback)") || strings.Contains(d.LastError, "127.0.0.1") {
			t.Fatalf("delivery %+v", d)
		}
		if len(rcv.messages()) != 0 {
			t.Fatal("the internal receiver was reached")
		}
	})
}
