package app_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/risk"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/store/testdb"
	"github.com/kyc-platform/kyc/internal/vault"
	"github.com/kyc-platform/kyc/internal/verify"
	"github.com/kyc-platform/kyc/internal/verify/phone"
)

// asyncProvider behaves like an external identity service: it takes the
// request, answers pending with its own reference, and reports later
// through Checks.Complete.
type asyncProvider struct {
	mu    sync.Mutex
	reqs  []verify.Request
	noRef bool // answer pending without a reference (a broken adapter)
}

func (p *asyncProvider) Name() string { return "fake-async" }

func (p *asyncProvider) Verify(_ context.Context, req verify.Request) (verify.Result, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.reqs = append(p.reqs, req)
	ref := "ref-" + req.CheckID
	if p.noRef {
		ref = ""
	}
	return verify.Result{Status: domain.CheckPending, Reference: ref, Summary: "Sent to fake-async.", Details: map[string]string{"session": "s-1"}}, nil
}

func (p *asyncProvider) calls() []verify.Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]verify.Request(nil), p.reqs...)
}

// callback is the actor of the (future) callback route that authenticated
// the provider.
var callback = domain.SystemActor("identity-callback:fake-async")

// setupWith is setup with deps changed by mod (another identity provider,
// another policy).
func setupWith(t *testing.T, engine string, mod func(*app.Deps)) *harness {
	t.Helper()
	st := testdb.Open(t, engine)
	v, err := vault.LoadOrCreate(vault.GenerateKey(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	model, err := risk.Default()
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, store: st, queue: &fakeQueue{}, clock: &clock{t: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}, ctx: context.Background()}
	deps := app.Deps{
		Store: st, Crypt: v, Enqueue: h.queue, Identity: verify.NewDocument(verify.DocumentOptions{MinAge: 18}), Risk: model,
		Policy: app.Policy{
			AutoApprove: map[domain.RiskRating]bool{domain.RiskLow: true}, MinAge: 18,
			CaseSLA: 5 * 24 * time.Hour, HitSLA: 24 * time.Hour, PhoneCheck: phone.Validate,
		},
		Now: h.clock.Now,
	}
	mod(&deps)
	h.app = app.New(deps)
	return h
}

func asyncEngines(t *testing.T, fn func(t *testing.T, h *harness, p *asyncProvider)) {
	for _, e := range testdb.Engines() {
		t.Run(e, func(t *testing.T) {
			t.Parallel()
			p := &asyncProvider{}
			h := setupWith(t, e, func(d *app.Deps) { d.Identity = p })
			h.importOFAC() // screening without lists needs review
			fn(t, h, p)
		})
	}
}

// submitAsync submits a low-risk person and runs the three checks; the
// identity check is left pending by the provider. It returns the customer
// and its identity check.
func (h *harness) submitAsync() (*domain.Customer, domain.Check) {
	h.t.Helper()
	c := h.submitAndRun(clientA, h.create(clientA, person()).ID)
	return c, h.identityCheck(c.ID)
}

func (h *harness) identityCheck(customerID string) domain.Check {
	h.t.Helper()
	checks, err := h.app.Customers.ListChecks(h.ctx, clientA, customerID)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, ch := range checks {
		if ch.Type == domain.CheckIdentity {
			return ch
		}
	}
	h.t.Fatal("no identity check")
	return domain.Check{}
}

func (h *harness) checkEvents(checkID string) []domain.AuditEvent {
	h.t.Helper()
	evs, err := h.store.Audit().List(h.ctx, store.AuditFilter{EntityType: "check", EntityID: checkID})
	if err != nil {
		h.t.Fatal(err)
	}
	return evs
}

func (h *harness) customer(id string) *domain.Customer {
	h.t.Helper()
	c, err := h.app.Customers.Get(h.ctx, clientA, id)
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

// An asynchronous provider leaves the identity check pending; its result,
// reported through Complete, finishes the check and runs the decision
// policy exactly as a synchronous result does; a repeated result changes
// nothing.
func TestAsyncIdentityCheckCompletes(t *testing.T) {
	t.Parallel()
	asyncEngines(t, func(t *testing.T, h *harness, p *asyncProvider) {
		c, chk := h.submitAsync()
		if c.Status != domain.StatusSubmitted {
			t.Fatalf("customer %s while identity is pending, want submitted", c.Status)
		}
		if chk.Status != domain.CheckPending || chk.Provider != "fake-async" || chk.Summary != "Sent to fake-async." || chk.FinishedAt != nil {
			t.Fatalf("pending check %+v", chk)
		}
		reqs := p.calls()
		if len(reqs) != 1 || reqs[0].CheckID != chk.ID || reqs[0].Customer == nil || reqs[0].Customer.ID != c.ID {
			t.Fatalf("provider requests %+v", reqs)
		}
		var det map[string]any
		if err := json.Unmarshal(chk.Details, &det); err != nil || det["provider_reference"] != "ref-"+chk.ID {
			t.Fatalf("pending details %s (%v)", chk.Details, err)
		}
		evs := h.checkEvents(chk.ID)
		if len(evs) != 1 || evs[0].Action != "check.pending" || meta(t, evs[0])["provider_reference"] != "ref-"+chk.ID {
			t.Fatalf("audit of the pending check: %+v", evs)
		}

		// A retried job does not hand the check to the provider again.
		if err := h.app.Checks.Run(h.ctx, chk.ID, 2); err != nil {
			t.Fatal(err)
		}
		if n := len(p.calls()); n != 1 {
			t.Fatalf("provider called %d times", n)
		}

		done := app.CompleteInput{CheckID: chk.ID, Provider: "fake-async", Reference: "ref-" + chk.ID,
			Status: domain.CheckPassed, Summary: "Document and selfie match.", Details: map[string]string{"score": "0.98"}}
		applied, err := h.app.Checks.Complete(h.ctx, callback, done)
		if err != nil || !applied {
			t.Fatalf("complete: %v, %v", applied, err)
		}
		chk = h.identityCheck(c.ID)
		if chk.Status != domain.CheckPassed || chk.Summary != "Document and selfie match." || chk.FinishedAt == nil || chk.Provider != "fake-async" {
			t.Fatalf("completed check %+v", chk)
		}
		det = nil
		if err := json.Unmarshal(chk.Details, &det); err != nil || det["provider_reference"] != "ref-"+chk.ID || det["details"].(map[string]any)["score"] != "0.98" {
			t.Fatalf("completed details %s (%v)", chk.Details, err)
		}
		// The policy ran: a clean low-risk customer is approved.
		if got := h.customer(c.ID); got.Status != domain.StatusApproved || got.NextReviewAt == nil {
			t.Fatalf("customer %s after the result, want approved", got.Status)
		}
		evs = h.checkEvents(chk.ID)
		if len(evs) != 2 || evs[1].Action != "check.completed" || evs[1].Actor != "system:identity-callback:fake-async" ||
			meta(t, evs[1])["status"] != "passed" || meta(t, evs[1])["provider_reference"] != "ref-"+chk.ID {
			t.Fatalf("audit of the completion: %+v", evs)
		}
		before, err := h.store.Audit().List(h.ctx, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}

		// The same result again, or a different one, changes nothing.
		for _, again := range []domain.CheckStatus{domain.CheckPassed, domain.CheckFailed} {
			in := done
			in.Status, in.Summary = again, "Changed my mind."
			applied, err := h.app.Checks.Complete(h.ctx, callback, in)
			if err != nil || applied {
				t.Fatalf("repeated completion (%s): applied %v, %v", again, applied, err)
			}
		}
		if got := h.identityCheck(c.ID); got.Status != domain.CheckPassed || got.Summary != "Document and selfie match." {
			t.Fatalf("check changed by a repeated result: %+v", got)
		}
		if got := h.customer(c.ID); got.Status != domain.StatusApproved {
			t.Fatalf("customer changed by a repeated result: %s", got.Status)
		}
		after, err := h.store.Audit().List(h.ctx, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before) {
			t.Fatalf("a repeated result wrote %d audit events", len(after)-len(before))
		}
		if res := h.verifyChain(); !res.OK {
			t.Fatalf("audit chain broken: %+v", res)
		}
	})
}

// A result that needs review goes to a person like a synchronous one: the
// customer moves to review with an onboarding case.
func TestAsyncIdentityNeedsReviewOpensCase(t *testing.T) {
	t.Parallel()
	asyncEngines(t, func(t *testing.T, h *harness, _ *asyncProvider) {
		c, chk := h.submitAsync()
		applied, err := h.app.Checks.Complete(h.ctx, callback, app.CompleteInput{
			CheckID: chk.ID, Provider: "fake-async", Status: domain.CheckNeedsReview, Summary: "Selfie does not match the document photo.",
		})
		if err != nil || !applied {
			t.Fatalf("complete: %v, %v", applied, err)
		}
		if got := h.customer(c.ID); got.Status != domain.StatusInReview {
			t.Fatalf("customer %s, want in_review", got.Status)
		}
		if cs := h.openCase(c.ID); cs.Kind != domain.CaseOnboarding || cs.Status != domain.CaseOpen {
			t.Fatalf("case %+v", cs)
		}
	})
}

// Results that do not belong to the check, or come from anyone but the
// system, are refused and change nothing.
func TestAsyncIdentityCompleteRefusals(t *testing.T) {
	t.Parallel()
	asyncEngines(t, func(t *testing.T, h *harness, _ *asyncProvider) {
		c, chk := h.submitAsync()
		ok := app.CompleteInput{CheckID: chk.ID, Provider: "fake-async", Status: domain.CheckPassed, Summary: "Verified."}
		with := func(mut func(*app.CompleteInput)) app.CompleteInput {
			in := ok
			mut(&in)
			return in
		}
		var screeningID string
		checks, err := h.app.Customers.ListChecks(h.ctx, clientA, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range checks {
			if ch.Type == domain.CheckScreening {
				screeningID = ch.ID
			}
		}
		tests := []struct {
			name  string
			actor domain.Actor
			in    app.CompleteInput
			code  domain.ErrorCode
		}{
			{"an API client", clientA, ok, domain.ECodeForbidden},
			{"another tenant", otherTenant, ok, domain.ECodeForbidden},
			{"another provider", callback, with(func(in *app.CompleteInput) { in.Provider = "document" }), domain.ECodeNotFound},
			{"another reference", callback, with(func(in *app.CompleteInput) { in.Reference = "ref-forged" }), domain.ECodeConflict},
			{"an unknown check", callback, with(func(in *app.CompleteInput) { in.CheckID = "chk_unknown" }), domain.ECodeNotFound},
			{"a screening check", callback, with(func(in *app.CompleteInput) { in.CheckID = screeningID }), domain.ECodeNotFound},
			{"status pending", callback, with(func(in *app.CompleteInput) { in.Status = domain.CheckPending }), domain.ECodeInvalid},
			{"status error", callback, with(func(in *app.CompleteInput) { in.Status = domain.CheckError }), domain.ECodeInvalid},
			{"no summary", callback, with(func(in *app.CompleteInput) { in.Summary = " " }), domain.ECodeInvalid},
			{"no check", callback, with(func(in *app.CompleteInput) { in.CheckID = "" }), domain.ECodeInvalid},
		}
		for _, tt := range tests {
			applied, err := h.app.Checks.Complete(h.ctx, tt.actor, tt.in)
			if applied || domain.ErrCode(err) != tt.code {
				t.Errorf("%s: applied %v, error %v, want %s", tt.name, applied, err, tt.code)
			}
		}
		_, err = h.app.Checks.Complete(h.ctx, callback, with(func(in *app.CompleteInput) { in.Status, in.Summary, in.CheckID = "", "", "" }))
		var de *domain.Error
		if !asDomainError(err, &de) || len(de.Fields) != 3 {
			t.Fatalf("want the three bad fields named, got %v", err)
		}
		if got := h.identityCheck(c.ID); got.Status != domain.CheckPending {
			t.Fatalf("refused results changed the check: %+v", got)
		}
		if got := h.customer(c.ID); got.Status != domain.StatusSubmitted {
			t.Fatalf("refused results changed the customer: %s", got.Status)
		}
	})
}

// A result for a check the provider has not taken yet (its job has not
// run) is refused with a conflict, so the sender retries.
func TestAsyncIdentityCompleteBeforeHandOver(t *testing.T) {
	t.Parallel()
	asyncEngines(t, func(t *testing.T, h *harness, p *asyncProvider) {
		c := h.create(clientA, person())
		if _, err := h.app.Customers.Submit(h.ctx, clientA, c.ID); err != nil {
			t.Fatal(err)
		}
		h.queue.take()
		chk := h.identityCheck(c.ID)
		_, err := h.app.Checks.Complete(h.ctx, callback, app.CompleteInput{CheckID: chk.ID, Provider: "fake-async", Status: domain.CheckPassed, Summary: "Verified."})
		wantCode(t, err, domain.ECodeConflict)
		if len(p.calls()) != 0 {
			t.Fatal("provider called")
		}
	})
}

// A provider that answers pending without a reference cannot be completed
// later: the check fails (and is retried) instead of waiting forever.
func TestAsyncIdentityPendingNeedsReference(t *testing.T) {
	t.Parallel()
	asyncEngines(t, func(t *testing.T, h *harness, p *asyncProvider) {
		p.noRef = true
		c := h.create(clientA, person())
		if _, err := h.app.Customers.Submit(h.ctx, clientA, c.ID); err != nil {
			t.Fatal(err)
		}
		h.queue.take()
		chk := h.identityCheck(c.ID)
		if err := h.app.Checks.Run(h.ctx, chk.ID, 1); err == nil {
			t.Fatal("pending without a reference accepted")
		}
		if got := h.identityCheck(c.ID); got.Status != domain.CheckPending || got.Provider != "" {
			t.Fatalf("check recorded: %+v", got)
		}
	})
}

// A check that waits longer than the timeout goes to a person: it becomes
// needs_review and the policy opens a case; younger checks keep waiting, and
// a late result changes nothing.
func TestAsyncIdentityExpires(t *testing.T) {
	t.Parallel()
	asyncEngines(t, func(t *testing.T, h *harness, _ *asyncProvider) {
		old, oldChk := h.submitAsync()
		h.advance(2 * time.Hour)
		young, youngChk := h.submitAsync()
		h.advance(30 * time.Minute)

		if _, err := h.app.Checks.ExpirePending(h.ctx, 0); err == nil {
			t.Fatal("a zero timeout accepted")
		}
		n, err := h.app.Checks.ExpirePending(h.ctx, time.Hour)
		if err != nil || n != 1 {
			t.Fatalf("expired %d (%v), want 1", n, err)
		}
		got := h.identityCheck(old.ID)
		if got.Status != domain.CheckNeedsReview || got.Provider != "fake-async" || got.FinishedAt == nil {
			t.Fatalf("expired check %+v", got)
		}
		var det map[string]any
		if err := json.Unmarshal(got.Details, &det); err != nil || det["provider_reference"] != "ref-"+oldChk.ID {
			t.Fatalf("expired check lost its reference: %s (%v)", got.Details, err)
		}
		evs := h.checkEvents(oldChk.ID)
		if last := evs[len(evs)-1]; last.Action != "check.completed" || last.Actor != "system:identity-timeout" || meta(t, last)["status"] != "needs_review" {
			t.Fatalf("audit of the expiry: %+v", last)
		}
		if c := h.customer(old.ID); c.Status != domain.StatusInReview {
			t.Fatalf("customer %s after the timeout, want in_review", c.Status)
		}
		h.openCase(old.ID)
		if got := h.identityCheck(young.ID); got.Status != domain.CheckPending {
			t.Fatalf("young check expired: %+v", got)
		}
		if n, err := h.app.Checks.ExpirePending(h.ctx, time.Hour); err != nil || n != 0 {
			t.Fatalf("second run expired %d (%v)", n, err)
		}
		// A late result for the expired check changes nothing.
		applied, err := h.app.Checks.Complete(h.ctx, callback, app.CompleteInput{CheckID: oldChk.ID, Provider: "fake-async", Status: domain.CheckPassed, Summary: "Verified."})
		if err != nil || applied {
			t.Fatalf("late result: applied %v, %v", applied, err)
		}
		if got := h.identityCheck(old.ID); got.Status != domain.CheckNeedsReview {
			t.Fatalf("late result changed the check: %+v", got)
		}
		// The young one still completes normally.
		if applied, err := h.app.Checks.Complete(h.ctx, callback, app.CompleteInput{CheckID: youngChk.ID, Provider: "fake-async", Status: domain.CheckPassed, Summary: "Verified."}); err != nil || !applied {
			t.Fatalf("young result: %v, %v", applied, err)
		}
		if c := h.customer(young.ID); c.Status != domain.StatusApproved {
			t.Fatalf("young customer %s, want approved", c.Status)
		}
	})
}

func meta(t *testing.T, e domain.AuditEvent) map[string]string {
	t.Helper()
	var m map[string]string
	if err := json.Unmarshal([]byte(e.Meta), &m); err != nil {
		t.Fatalf("audit meta %q: %v", e.Meta, err)
	}
	return m
}

func asDomainError(err error, target **domain.Error) bool {
	de, ok := err.(*domain.Error)
	if ok {
		*target = de
	}
	return ok
}
