package app_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store"
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

// The job carries the submission's customer (app.RoundEnqueuer), so the
// worker runs the round without reading a check to find it
// (Checks.RunRoundOf, issue 13). The customer's round decides as RunRound
// does; checks named with the wrong customer are still run, each on its
// own, never skipped.
func TestRunRoundOfCustomer(t *testing.T) {
	t.Parallel()
	kyctest.Engines(t, func(t *testing.T, engine string) {
		h := kyctest.New(t, kyctest.WithEngine(engine))
		h.ImportOFAC()
		for _, wrong := range []bool{false, true} {
			c := kyctest.Customer(t, h, nil)
			if _, err := h.App.Customers.Submit(h.Ctx, kyctest.Client, c.ID); err != nil {
				t.Fatal(err)
			}
			ids := h.Queue.Take()
			owner := c.ID
			if wrong {
				owner = kyctest.Customer(t, h, nil).ID
			}
			if err := h.App.Checks.RunRoundOf(h.Ctx, owner, ids, 1); err != nil {
				t.Fatalf("wrong customer %v: %v", wrong, err)
			}
			checks, err := h.App.Customers.ListChecks(h.Ctx, kyctest.Client, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, chk := range checks {
				if !chk.Status.Done() {
					t.Fatalf("wrong customer %v: check %s %s", wrong, chk.Type, chk.Status)
				}
			}
			got, err := h.App.Customers.Get(h.Ctx, kyctest.Client, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != domain.StatusApproved {
				t.Fatalf("wrong customer %v: customer %s, want approved by the policy", wrong, got.Status)
			}
		}
	})
}

// hitCountingStore counts the reads of a customer's hits outside
// transactions.
type hitCountingStore struct {
	store.Store
	mu    sync.Mutex
	reads int
}

func (s *hitCountingStore) Hits() store.Hits { return countingHits{s.Store.Hits(), s} }

type countingHits struct {
	store.Hits
	s *hitCountingStore
}

func (h countingHits) ListByCustomer(ctx context.Context, id string) ([]store.HitRecord, error) {
	h.s.mu.Lock()
	h.s.reads++
	h.s.mu.Unlock()
	return h.Hits.ListByCustomer(ctx, id)
}

// A round's screening and risk checks read the customer's hits once
// between them before the round's transaction (issue 13), and every check
// of the round is recorded.
func TestRunRoundReadsHitsOnce(t *testing.T) {
	t.Parallel()
	kyctest.Engines(t, func(t *testing.T, engine string) {
		h := kyctest.New(t, kyctest.WithEngine(engine))
		h.ImportOFAC()
		deps := h.Deps()
		cs := &hitCountingStore{Store: deps.Store}
		deps.Store = cs
		a := app.New(deps)
		c := kyctest.Customer(t, h, nil)
		if _, err := a.Customers.Submit(h.Ctx, kyctest.Client, c.ID); err != nil {
			t.Fatal(err)
		}
		ids := h.Queue.Take()
		cs.reads = 0
		if err := a.Checks.RunRound(h.Ctx, ids, 1); err != nil {
			t.Fatal(err)
		}
		if cs.reads != 1 {
			t.Fatalf("%d reads of the hits outside the transaction, want 1", cs.reads)
		}
		checks, err := a.Customers.ListChecks(h.Ctx, kyctest.Client, c.ID)
		if err != nil || len(checks) != 3 {
			t.Fatalf("%d checks, %v", len(checks), err)
		}
		for _, chk := range checks {
			if !chk.Status.Done() {
				t.Fatalf("check %s %s", chk.Type, chk.Status)
			}
		}
	})
}

// A customer's first submission starts round 1 without reading its checks
// (it has none: only a submission's round creates checks, and it sets
// SubmittedAt; issue 13); a resubmission after a request for information
// reads them and starts round 2 (TestFalsePositiveIsRememberedAndApproved).
func TestFirstSubmissionIsRoundOne(t *testing.T) {
	t.Parallel()
	kyctest.Engines(t, func(t *testing.T, engine string) {
		h := kyctest.New(t, kyctest.WithEngine(engine))
		c := kyctest.Customer(t, h, nil)
		if c.SubmittedAt != nil {
			t.Fatal("a new customer has a submission time")
		}
		if _, err := h.App.Customers.Submit(h.Ctx, kyctest.Client, c.ID); err != nil {
			t.Fatal(err)
		}
		checks, err := h.App.Customers.ListChecks(h.Ctx, kyctest.Client, c.ID)
		if err != nil || len(checks) != 3 {
			t.Fatalf("%d checks, %v", len(checks), err)
		}
		for _, chk := range checks {
			if chk.Round != 1 {
				t.Fatalf("check %s of the first submission: round %d", chk.Type, chk.Round)
			}
		}
	})
}

// A check round writes the customer once: the risk check's rating goes in
// with the decision (one update of the customer's row and its indexes, not
// two; issue 13), and where the policy does not decide yet, the rating is
// written all the same.
func TestRoundWritesTheCustomerOnce(t *testing.T) {
	t.Parallel()
	kyctest.Engines(t, func(t *testing.T, engine string) {
		p := &flakyProvider{real: verify.NewDocument(verify.DocumentOptions{MinAge: 18})}
		h := kyctest.New(t, kyctest.WithEngine(engine), kyctest.WithIdentity(p))
		h.ImportOFAC()
		get := func(id string) *domain.Customer {
			t.Helper()
			c, err := h.App.Customers.Get(h.Ctx, kyctest.Client, id)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		// Decided in the round: approved with its rating, one version on.
		c := kyctest.Customer(t, h, nil)
		if _, err := h.App.Customers.Submit(h.Ctx, kyctest.Client, c.ID); err != nil {
			t.Fatal(err)
		}
		submitted := get(c.ID)
		if err := h.App.Checks.RunRound(h.Ctx, h.Queue.Take(), 1); err != nil {
			t.Fatal(err)
		}
		got := get(c.ID)
		if got.Status != domain.StatusApproved || got.RiskRating == "" || got.DueDiligence == "" || got.Version != submitted.Version+1 {
			t.Fatalf("after the round: %s, rating %q, due diligence %q, version %d (submitted %d), want approved, rated, version +1",
				got.Status, got.RiskRating, got.DueDiligence, got.Version, submitted.Version)
		}
		// Not decided (the identity check could not run): the rating is
		// stored by the round all the same, and the decision comes with
		// the retry.
		c = kyctest.Customer(t, h, nil)
		if _, err := h.App.Customers.Submit(h.Ctx, kyctest.Client, c.ID); err != nil {
			t.Fatal(err)
		}
		submitted = get(c.ID)
		ids := h.Queue.Take()
		p.mu.Lock()
		p.err = errors.New("provider unavailable")
		p.mu.Unlock()
		if err := h.App.Checks.RunRound(h.Ctx, ids, 1); err == nil {
			t.Fatal("the identity check ran with its provider down")
		}
		got = get(c.ID)
		if got.Status != domain.StatusSubmitted || got.RiskRating == "" || got.Version != submitted.Version+1 {
			t.Fatalf("round not done: %s, rating %q, version %d (submitted %d), want submitted, rated, version +1",
				got.Status, got.RiskRating, got.Version, submitted.Version)
		}
		p.mu.Lock()
		p.err = nil
		p.mu.Unlock()
		if err := h.App.Checks.RunRound(h.Ctx, ids, 2); err != nil {
			t.Fatal(err)
		}
		if got = get(c.ID); got.Status != domain.StatusApproved || got.Version != submitted.Version+2 {
			t.Fatalf("after the retry: %s, version %d (submitted %d), want approved, version +2", got.Status, got.Version, submitted.Version)
		}
	})
}
