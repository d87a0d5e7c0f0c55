package app_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/verify"
)

// flakyProvider fails while err is set, else asks the document provider.
type flakyProvider struct {
	real  verify.Provider
	mu    sync.Mutex
	err   error
	calls int
}

func (p *flakyProvider) Name() string { return "flaky-document" }

func (p *flakyProvider) Verify(ctx context.Context, req verify.Request) (verify.Result, error) {
	p.mu.Lock()
	p.calls++
	err := p.err
	p.mu.Unlock()
	if err != nil {
		return verify.Result{}, err
	}
	return p.real.Verify(ctx, req)
}

// One job runs a submission's checks (Checks.RunRound): a check that
// cannot be run does not hold the others back, the error names it, and the
// retry runs it alone; the policy decides once, when the round is done.
func TestRunRoundRecordsTheOthersAndRetriesOnlyTheFailedCheck(t *testing.T) {
	t.Parallel()
	kyctest.Engines(t, func(t *testing.T, engine string) {
		p := &flakyProvider{real: verify.NewDocument(verify.DocumentOptions{MinAge: 18}), err: errors.New("provider unavailable")}
		h := kyctest.New(t, kyctest.WithEngine(engine), kyctest.WithIdentity(p))
		h.ImportOFAC()
		c := kyctest.Customer(t, h, nil)
		if _, err := h.App.Customers.Submit(h.Ctx, kyctest.Client, c.ID); err != nil {
			t.Fatal(err)
		}
		ids := h.Queue.Take()
		if len(ids) != 3 {
			t.Fatalf("%d checks enqueued", len(ids))
		}
		idCheck := identityCheck(t, h, c.ID)

		err := h.App.Checks.RunRound(h.Ctx, ids, 1)
		var re *app.CheckRoundError
		if !errors.As(err, &re) || len(re.Errs) != 1 || re.Errs[idCheck.ID] == nil {
			t.Fatalf("first attempt: %v, want an error naming the identity check only", err)
		}
		checks, err := h.App.Customers.ListChecks(h.Ctx, kyctest.Client, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, ck := range checks {
			want := domain.CheckPassed
			if ck.Type == domain.CheckIdentity {
				want = domain.CheckPending
			}
			if ck.Status != want {
				t.Fatalf("after the first attempt the %s check is %s, want %s", ck.Type, ck.Status, want)
			}
		}
		if got, _ := h.App.Customers.Get(h.Ctx, kyctest.Client, c.ID); got.Status != domain.StatusSubmitted {
			t.Fatalf("customer %s before the round is done", got.Status)
		}

		p.mu.Lock()
		p.err = nil
		p.mu.Unlock()
		if err := h.App.Checks.RunRound(h.Ctx, ids, 2); err != nil {
			t.Fatalf("second attempt: %v", err)
		}
		checks, _ = h.App.Customers.ListChecks(h.Ctx, kyctest.Client, c.ID)
		for _, ck := range checks {
			wantAttempts := 1
			if ck.Type == domain.CheckIdentity {
				wantAttempts = 2
			}
			if ck.Status != domain.CheckPassed || ck.Attempts != wantAttempts {
				t.Fatalf("%s check %s after %d attempts, want passed after %d", ck.Type, ck.Status, ck.Attempts, wantAttempts)
			}
		}
		if p.calls != 2 {
			t.Fatalf("provider called %d times, want 2", p.calls)
		}
		if got, _ := h.App.Customers.Get(h.Ctx, kyctest.Client, c.ID); got.Status != domain.StatusApproved {
			t.Fatalf("customer %s, want approved", got.Status)
		}
		// A third run (River rescuing the job) changes nothing.
		if err := h.App.Checks.RunRound(h.Ctx, ids, 3); err != nil || p.calls != 2 {
			t.Fatalf("repeated round: %v, %d provider calls", err, p.calls)
		}
		if _, err := h.App.Audit.SealAll(h.Ctx); err != nil {
			t.Fatal(err)
		}
		evs, err := h.App.Audit.ListEvents(h.Ctx, kyctest.Operator, app.AuditQuery{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		n := map[domain.EventType]int{}
		for _, e := range evs {
			n[domain.EventType(e.Action)]++
		}
		if n[domain.EventCheckCompleted] != 3 || n[domain.EventCustomerApproved] != 1 || n[domain.EventRiskAssessed] != 1 {
			t.Fatalf("audit events %v", n)
		}
	})
}
