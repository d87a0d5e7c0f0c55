package app_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/verify"
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

func asyncEngines(t *testing.T, fn func(t *testing.T, h *kyctest.Bundle, p *asyncProvider)) {
	kyctest.Engines(t, func(t *testing.T, engine string) {
		p := &asyncProvider{}
		h := kyctest.New(t, kyctest.WithEngine(engine), kyctest.WithIdentity(p))
		h.ImportOFAC() // screening without lists needs review
		fn(t, h, p)
	})
}

// submitAsync submits a low-risk person and runs the three checks; the
// identity check is left pending by the provider. It returns the customer
// and its identity check.
func submitAsync(t *testing.T, h *kyctest.Bundle) (*domain.Customer, domain.Check) {
	t.Helper()
	c := kyctest.SubmittedCustomer(t, h, nil)
	return c, identityCheck(t, h, c.ID)
}

func identityCheck(t *testing.T, h *kyctest.Bundle, customerID string) domain.Check {
	t.Helper()
	checks, err := h.App.Customers.ListChecks(h.Ctx, kyctest.Client, customerID)
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range checks {
		if ch.Type == domain.CheckIdentity {
			return ch
		}
	}
	t.Fatal("no identity check")
	return domain.Check{}
}

func checkEvents(t *testing.T, h *kyctest.Bundle, checkID string) []domain.AuditEvent {
	t.Helper()
	h.SealAudit()
	evs, err := h.Store.Audit().List(h.Ctx, store.AuditFilter{EntityType: "check", EntityID: checkID})
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func customer(t *testing.T, h *kyctest.Bundle, id string) *domain.Customer {
	t.Helper()
	c, err := h.App.Customers.Get(h.Ctx, kyctest.Client, id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// An asynchronous provider leaves the identity check pending; its result,
// reported through Complete, finishes the check and runs the decision
// policy exactly as a synchronous result does; a repeated result changes
// nothing.
func TestAsyncIdentityCheckCompletes(t *testing.T) {
	t.Parallel()
	asyncEngines(t, func(t *testing.T, h *kyctest.Bundle, p *asyncProvider) {
		c, chk := submitAsync(t, h)
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
		evs := checkEvents(t, h, chk.ID)
		if len(evs) != 1 || evs[0].Action != "check.pending" || meta(t, evs[0])["provider_reference"] != "ref-"+chk.ID {
			t.Fatalf("audit of the pending check: %+v", evs)
		}

		// A retried job does not hand the check to the provider again.
		if err := h.App.Checks.Run(h.Ctx, chk.ID, 2); err != nil {
			t.Fatal(err)
		}
		if n := len(p.calls()); n != 1 {
			t.Fatalf("provider called %d times", n)
		}

		done := app.CompleteInput{CheckID: chk.ID, Provider: "fake-async", Reference: "ref-" + chk.ID,
			Status: domain.CheckPassed, Summary: "Document and selfie match.", Details: map[string]string{"score": "0.98"}}
		applied, err := h.App.Checks.Complete(h.Ctx, callback, done)
		if err != nil || !applied {
			t.Fatalf("complete: %v, %v", applied, err)
		}
		chk = identityCheck(t, h, c.ID)
		if chk.Status != domain.CheckPassed || chk.Summary != "Document and selfie match." || chk.FinishedAt == nil || chk.Provider != "fake-async" {
			t.Fatalf("completed check %+v", chk)
		}
		det = nil
		if err := json.Unmarshal(chk.Details, &det); err != nil || det["provider_reference"] != "ref-"+chk.ID || det["details"].(map[string]any)["score"] != "0.98" {
			t.Fatalf("completed details %s (%v)", chk.Details, err)
		}
		// The policy ran: a clean low-risk customer is approved.
		if got := customer(t, h, c.ID); got.Status != domain.StatusApproved || got.NextReviewAt == nil {
			t.Fatalf("customer %s after the result, want approved", got.Status)
		}
		evs = checkEvents(t, h, chk.ID)
		if len(evs) != 2 || evs[1].Action != "check.completed" || evs[1].Actor != "system:identity-callback:fake-async" ||
			meta(t, evs[1])["status"] != "passed" || meta(t, evs[1])["provider_reference"] != "ref-"+chk.ID {
			t.Fatalf("audit of the completion: %+v", evs)
		}
		h.SealAudit()
		before, err := h.Store.Audit().List(h.Ctx, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}

		// The same result again, or a different one, changes nothing.
		for _, again := range []domain.CheckStatus{domain.CheckPassed, domain.CheckFailed} {
			in := done
			in.Status, in.Summary = again, "Changed my mind."
			applied, err := h.App.Checks.Complete(h.Ctx, callback, in)
			if err != nil || applied {
				t.Fatalf("repeated completion (%s): applied %v, %v", again, applied, err)
			}
		}
		if got := identityCheck(t, h, c.ID); got.Status != domain.CheckPassed || got.Summary != "Document and selfie match." {
			t.Fatalf("check changed by a repeated result: %+v", got)
		}
		if got := customer(t, h, c.ID); got.Status != domain.StatusApproved {
			t.Fatalf("customer changed by a repeated result: %s", got.Status)
		}
		h.SealAudit()
		after, err := h.Store.Audit().List(h.Ctx, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before) {
			t.Fatalf("a repeated result wrote %d audit events", len(after)-len(before))
		}
		if res := h.VerifyAudit(); !res.OK {
			t.Fatalf("audit chain broken: %+v", res)
		}
	})
}

// A result that needs review goes to a person like a synchronous one: the
// customer moves to review with an onboarding case.
func TestAsyncIdentityNeedsReviewOpensCase(t *testing.T) {
	t.Parallel()
	asyncEngines(t, func(t *testing.T, h *kyctest.Bundle, _ *asyncProvider) {
		c, chk := submitAsync(t, h)
		applied, err := h.App.Checks.Complete(h.Ctx, callback, app.CompleteInput{
			CheckID: chk.ID, Provider: "fake-async", Status: domain.CheckNeedsReview, Summary: "Selfie does not match the document photo.",
		})
		if err != nil || !applied {
			t.Fatalf("complete: %v, %v", applied, err)
		}
		if got := customer(t, h, c.ID); got.Status != domain.StatusInReview {
			t.Fatalf("customer %s, want in_review", got.Status)
		}
		if cs := kyctest.OpenCase(t, h, c.ID); cs.Kind != domain.CaseOnboarding || cs.Status != domain.CaseOpen {
			t.Fatalf("case %+v", cs)
		}
	})
}

// Results that do not belong to the check, or come from anyone but the
// system, are refused and change nothing.
func TestAsyncIdentityCompleteRefusals(t *testing.T) {
	t.Parallel()
	asyncEngines(t, func(t *testing.T, h *kyctest.Bundle, _ *asyncProvider) {
		c, chk := submitAsync(t, h)
		ok := app.CompleteInput{CheckID: chk.ID, Provider: "fake-async", Status: domain.CheckPassed, Summary: "Verified."}
		with := func(mut func(*app.CompleteInput)) app.CompleteInput {
			in := ok
			mut(&in)
			return in
		}
		var screeningID string
		checks, err := h.App.Customers.ListChecks(h.Ctx, kyctest.Client, c.ID)
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
			{"an API client", kyctest.Client, ok, domain.ECodeForbidden},
			{"another tenant", kyctest.Outsider, ok, domain.ECodeForbidden},
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
			applied, err := h.App.Checks.Complete(h.Ctx, tt.actor, tt.in)
			if applied || domain.ErrCode(err) != tt.code {
				t.Errorf("%s: applied %v, error %v, want %s", tt.name, applied, err, tt.code)
			}
		}
		_, err = h.App.Checks.Complete(h.Ctx, callback, with(func(in *app.CompleteInput) { in.Status, in.Summary, in.CheckID = "", "", "" }))
		var de *domain.Error
		if !asDomainError(err, &de) || len(de.Fields) != 3 {
			t.Fatalf("want the three bad fields named, got %v", err)
		}
		if got := identityCheck(t, h, c.ID); got.Status != domain.CheckPending {
			t.Fatalf("refused results changed the check: %+v", got)
		}
		if got := customer(t, h, c.ID); got.Status != domain.StatusSubmitted {
			t.Fatalf("refused results changed the customer: %s", got.Status)
		}
	})
}

// A result for a check the provider has not taken yet (its job has not
// run) is refused with a conflict, so the sender retries.
func TestAsyncIdentityCompleteBeforeHandOver(t *testing.T) {
	t.Parallel()
	asyncEngines(t, func(t *testing.T, h *kyctest.Bundle, p *asyncProvider) {
		c := kyctest.Customer(t, h, nil)
		if _, err := h.App.Customers.Submit(h.Ctx, kyctest.Client, c.ID); err != nil {
			t.Fatal(err)
		}
		h.Queue.Take()
		chk := identityCheck(t, h, c.ID)
		_, err := h.App.Checks.Complete(h.Ctx, callback, app.CompleteInput{CheckID: chk.ID, Provider: "fake-async", Status: domain.CheckPassed, Summary: "Verified."})
		kyctest.WantCode(t, err, domain.ECodeConflict)
		if len(p.calls()) != 0 {
			t.Fatal("provider called")
		}
	})
}

// A provider that answers pending without a reference cannot be completed
// later: the check fails (and is retried) instead of waiting forever.
func TestAsyncIdentityPendingNeedsReference(t *testing.T) {
	t.Parallel()
	asyncEngines(t, func(t *testing.T, h *kyctest.Bundle, p *asyncProvider) {
		p.noRef = true
		c := kyctest.Customer(t, h, nil)
		if _, err := h.App.Customers.Submit(h.Ctx, kyctest.Client, c.ID); err != nil {
			t.Fatal(err)
		}
		h.Queue.Take()
		chk := identityCheck(t, h, c.ID)
		if err := h.App.Checks.Run(h.Ctx, chk.ID, 1); err == nil {
			t.Fatal("pending without a reference accepted")
		}
		if got := identityCheck(t, h, c.ID); got.Status != domain.CheckPending || got.Provider != "" {
			t.Fatalf("check recorded: %+v", got)
		}
	})
}

// A check that waits longer than the timeout goes to a person: it becomes
// needs_review and the policy opens a case; younger checks keep waiting, and
// a late result changes nothing.
func TestAsyncIdentityExpires(t *testing.T) {
	t.Parallel()
	asyncEngines(t, func(t *testing.T, h *kyctest.Bundle, _ *asyncProvider) {
		old, oldChk := submitAsync(t, h)
		h.Advance(2 * time.Hour)
		young, youngChk := submitAsync(t, h)
		h.Advance(30 * time.Minute)

		if _, err := h.App.Checks.ExpirePending(h.Ctx, 0); err == nil {
			t.Fatal("a zero timeout accepted")
		}
		n, err := h.App.Checks.ExpirePending(h.Ctx, time.Hour)
		if err != nil || n != 1 {
			t.Fatalf("expired %d (%v), want 1", n, err)
		}
		got := identityCheck(t, h, old.ID)
		if got.Status != domain.CheckNeedsReview || got.Provider != "fake-async" || got.FinishedAt == nil {
			t.Fatalf("expired check %+v", got)
		}
		var det map[string]any
		if err := json.Unmarshal(got.Details, &det); err != nil || det["provider_reference"] != "ref-"+oldChk.ID {
			t.Fatalf("expired check lost its reference: %s (%v)", got.Details, err)
		}
		evs := checkEvents(t, h, oldChk.ID)
		if last := evs[len(evs)-1]; last.Action != "check.completed" || last.Actor != "system:identity-timeout" || meta(t, last)["status"] != "needs_review" {
			t.Fatalf("audit of the expiry: %+v", last)
		}
		if c := customer(t, h, old.ID); c.Status != domain.StatusInReview {
			t.Fatalf("customer %s after the timeout, want in_review", c.Status)
		}
		kyctest.OpenCase(t, h, old.ID)
		if got := identityCheck(t, h, young.ID); got.Status != domain.CheckPending {
			t.Fatalf("young check expired: %+v", got)
		}
		if n, err := h.App.Checks.ExpirePending(h.Ctx, time.Hour); err != nil || n != 0 {
			t.Fatalf("second run expired %d (%v)", n, err)
		}
		// A late result for the expired check changes nothing.
		applied, err := h.App.Checks.Complete(h.Ctx, callback, app.CompleteInput{CheckID: oldChk.ID, Provider: "fake-async", Status: domain.CheckPassed, Summary: "Verified."})
		if err != nil || applied {
			t.Fatalf("late result: applied %v, %v", applied, err)
		}
		if got := identityCheck(t, h, old.ID); got.Status != domain.CheckNeedsReview {
			t.Fatalf("late result changed the check: %+v", got)
		}
		// The young one still completes normally.
		if applied, err := h.App.Checks.Complete(h.Ctx, callback, app.CompleteInput{CheckID: youngChk.ID, Provider: "fake-async", Status: domain.CheckPassed, Summary: "Verified."}); err != nil || !applied {
			t.Fatalf("young result: %v, %v", applied, err)
		}
		if c := customer(t, h, young.ID); c.Status != domain.StatusApproved {
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
