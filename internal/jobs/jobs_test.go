package jobs_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/jobs"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/store/testdb"
	"github.com/kyc-platform/kyc/internal/verify"
)

// provider wraps the document provider: it can fail every call, or block
// each call until released.
type provider struct {
	real    verify.Provider
	mu      sync.Mutex
	err     error
	calls   int
	block   chan struct{} // nil: do not block
	started chan struct{} // receives once per call when blocking
}

func (p *provider) Name() string { return "test-document" }

func (p *provider) Verify(ctx context.Context, req verify.Request) (verify.Result, error) {
	p.mu.Lock()
	p.calls++
	err, block, started := p.err, p.block, p.started
	p.mu.Unlock()
	if block != nil {
		started <- struct{}{}
		select {
		case <-block:
		case <-ctx.Done():
			return verify.Result{}, ctx.Err()
		}
	}
	if err != nil {
		return verify.Result{}, err
	}
	return p.real.Verify(ctx, req)
}

func (p *provider) callCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls
}

// recorder counts job outcomes.
type recorder struct {
	mu       sync.Mutex
	outcomes map[string]int
}

func (r *recorder) Job(kind, outcome string, _ time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.outcomes[kind+"/"+outcome]++
}

func (r *recorder) count(key string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.outcomes[key]
}

type harness struct {
	*kyctest.Bundle
	t        *testing.T
	provider *provider
	metrics  *recorder
}

// setup builds the harness bundle on real time (River schedules on it)
// with the wrapped document provider.
func setup(t *testing.T, engine string) *harness {
	t.Helper()
	p := &provider{real: verify.NewDocument(verify.DocumentOptions{MinAge: 18})}
	return &harness{
		Bundle:   kyctest.New(t, kyctest.WithEngine(engine), kyctest.WithRealTime(), kyctest.WithIdentity(p)),
		t:        t,
		provider: p,
		metrics:  &recorder{outcomes: map[string]int{}},
	}
}

// newApp returns an application over the harness store that enqueues its
// checks through r, as a kyc process does.
func (h *harness) newApp(r *jobs.Runner) *app.App {
	d := h.Deps()
	d.Enqueue = r
	return app.New(d)
}

// start builds a working runner and an app that enqueues through it, and
// starts the runner; it is stopped at cleanup.
func (h *harness) start(maxAttempts int) (*jobs.Runner, *app.App) {
	h.t.Helper()
	r, err := jobs.New(jobs.Options{
		Store: h.Store, PGPool: testdb.PGPool(h.Store), Workers: 4, MaxAttempts: maxAttempts,
		FetchPollInterval: 20 * time.Millisecond, RetryBase: 10 * time.Millisecond, Metrics: h.metrics,
	})
	if err != nil {
		h.t.Fatal(err)
	}
	a := h.newApp(r)
	r.SetApp(a)
	h.loadLists(a)
	if err := r.Start(h.Ctx); err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = r.Stop(ctx)
	})
	return r, a
}

// engines runs fn on both River drivers: riversqlite, and riverdatabasesql
// with the pgx listener.
func engines(t *testing.T, fn func(t *testing.T, h *harness)) {
	kyctest.Engines(t, func(t *testing.T, engine string) { fn(t, setup(t, engine)) })
}

func (h *harness) submit(a *app.App) string {
	h.t.Helper()
	c, err := a.Customers.Create(h.Ctx, kyctest.Client, app.CreateCustomerInput{Type: domain.CustomerIndividual, Data: kyctest.Individual()})
	if err != nil {
		h.t.Fatal(err)
	}
	if _, err := a.Customers.Submit(h.Ctx, kyctest.Client, c.ID); err != nil {
		h.t.Fatal(err)
	}
	return c.ID
}

// waitFor polls cond until it holds, failing the test after a generous
// bound; the bound is a safety net, not an assertion about speed.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// jobsIn waits until n check jobs are in state and returns them: River
// records a job's outcome only after the worker returned, so after the
// check row itself.
func (h *harness) jobsIn(r *jobs.Runner, state rivertype.JobState, n int) []*rivertype.JobRow {
	h.t.Helper()
	var rows []*rivertype.JobRow
	waitFor(h.t, "check jobs "+string(state), func() bool {
		res, err := r.Client().JobList(h.Ctx, river.NewJobListParams().Kinds("check").States(state).First(100))
		if err != nil {
			h.t.Fatal(err)
		}
		rows = res.Jobs
		return len(rows) >= n
	})
	return rows
}

// checksDone waits until the checks of the latest round are all done and
// returns them.
func (h *harness) checksDone(a *app.App, customerID string) map[domain.CheckType]domain.Check {
	h.t.Helper()
	var out map[domain.CheckType]domain.Check
	waitFor(h.t, "the checks", func() bool {
		cs, err := a.Customers.ListChecks(h.Ctx, kyctest.Client, customerID)
		if err != nil {
			h.t.Fatal(err)
		}
		out = map[domain.CheckType]domain.Check{}
		for _, c := range cs {
			if !c.Status.Done() {
				return false
			}
			out[c.Type] = c
		}
		return len(out) == 3
	})
	return out
}

// customerSettled waits until the decision policy moved the customer on.
func (h *harness) customerSettled(a *app.App, id string) *domain.Customer {
	h.t.Helper()
	var c *domain.Customer
	waitFor(h.t, "the decision policy", func() bool {
		var err error
		c, err = a.Customers.Get(h.Ctx, kyctest.Client, id)
		if err != nil {
			h.t.Fatal(err)
		}
		return c.Status != domain.StatusSubmitted
	})
	return c
}

func TestSubmitRunsAllChecksAndThePolicy(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		r, a := h.start(3)
		ids := []string{h.submit(a), h.submit(a), h.submit(a)}
		for _, id := range ids {
			checks := h.checksDone(a, id)
			for typ, c := range checks {
				if c.Status != domain.CheckPassed || c.Attempts != 1 || c.FinishedAt == nil {
					t.Fatalf("%s check: %s after %d attempts (%s)", typ, c.Status, c.Attempts, c.Summary)
				}
			}
			c := h.customerSettled(a, id)
			if c.Status != domain.StatusApproved || c.RiskRating != domain.RiskLow {
				t.Fatalf("customer %s %s", c.Status, c.RiskRating)
			}
		}
		// One job per submission runs its three checks and the policy.
		h.jobsIn(r, rivertype.JobStateCompleted, 3)
		if n := h.metrics.count("check/ok"); n != 3 {
			t.Fatalf("%d check jobs ok, want 3", n)
		}
		if res, err := a.Audit.Verify(h.Ctx, domain.SystemActor("test")); err != nil || !res.OK {
			t.Fatalf("audit chain %+v %v", res, err)
		}
	})
}

func TestFailingCheckEndsInErrorWithACase(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		h.provider.err = errors.New("provider unavailable (HTTP 503)")
		r, a := h.start(2)
		id := h.submit(a)
		checks := h.checksDone(a, id)
		idc := checks[domain.CheckIdentity]
		if idc.Status != domain.CheckError || idc.Attempts != 2 {
			t.Fatalf("identity check %s after %d attempts", idc.Status, idc.Attempts)
		}
		if !strings.Contains(idc.Error, "Failed after 2 attempts") || !strings.Contains(idc.Error, "provider unavailable (HTTP 503)") {
			t.Fatalf("error reason %q", idc.Error)
		}
		if n := h.provider.callCount(); n != 2 {
			t.Fatalf("provider called %d times, want 2", n)
		}
		// The failing identity check held nothing back: the other checks
		// of the job were recorded on its first attempt and not run again.
		if checks[domain.CheckScreening].Status != domain.CheckPassed || checks[domain.CheckRisk].Status != domain.CheckPassed ||
			checks[domain.CheckScreening].Attempts != 1 || checks[domain.CheckRisk].Attempts != 1 {
			t.Fatalf("other checks %+v", checks)
		}
		c := h.customerSettled(a, id)
		if c.Status != domain.StatusInReview {
			t.Fatalf("customer %s, want in_review", c.Status)
		}
		cs, _, err := a.Cases.List(h.Ctx, kyctest.Client, app.ListCasesInput{CustomerID: id})
		if err != nil || len(cs) != 1 || cs[0].Kind != domain.CaseOnboarding || !strings.Contains(cs[0].Reason, "identity error") {
			t.Fatalf("cases %+v %v", cs, err)
		}
		// River keeps the submission's job, discarded, with both errors.
		discarded := h.jobsIn(r, rivertype.JobStateDiscarded, 1)
		if len(discarded) != 1 || len(discarded[0].Errors) != 2 {
			t.Fatalf("discarded jobs %+v", discarded)
		}
		if h.metrics.count("check/retry") != 1 || h.metrics.count("check/failed") != 1 || h.metrics.count("check/ok") != 0 {
			t.Fatalf("job outcomes %v", h.metrics.outcomes)
		}
	})
}

func TestRolledBackEnqueueNeverRuns(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		r, a := h.start(3)
		errRollback := errors.New("rollback")
		err := h.Store.InTx(h.Ctx, func(tx store.Tx) error {
			if err := r.EnqueueChecks(h.Ctx, tx, []string{"chk_rolled_back_1", "chk_rolled_back_2"}); err != nil {
				return err
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("InTx: %v", err)
		}
		// A submit whose transaction fails after enqueueing leaves nothing either.
		c, err := a.Customers.Create(h.Ctx, kyctest.Client, app.CreateCustomerInput{Type: domain.CustomerIndividual, Data: kyctest.Individual()})
		if err != nil {
			t.Fatal(err)
		}
		// A committed submission is worked; when it is done, every check job
		// River has ever seen belongs to it.
		id := h.submit(a)
		h.checksDone(a, id)
		h.jobsIn(r, rivertype.JobStateCompleted, 1)
		res, err := r.Client().JobList(h.Ctx, river.NewJobListParams().Kinds("check").First(100))
		if err != nil {
			t.Fatal(err)
		}
		checks, _ := a.Customers.ListChecks(h.Ctx, kyctest.Client, id)
		if len(res.Jobs) != 1 {
			t.Fatalf("%d check jobs, want the one committed", len(res.Jobs))
		}
		j := res.Jobs[0]
		if !strings.Contains(string(j.EncodedArgs), `"check_ids"`) || j.State != "completed" {
			t.Fatalf("job %d %s %s", j.ID, j.State, j.EncodedArgs)
		}
		for _, ck := range checks {
			if !strings.Contains(string(j.EncodedArgs), ck.ID) {
				t.Fatalf("job %s does not hold committed check %s", j.EncodedArgs, ck.ID)
			}
		}
		if got, _ := a.Customers.Get(h.Ctx, kyctest.Client, c.ID); got.Status != domain.StatusDraft {
			t.Fatalf("untouched customer is %s", got.Status)
		}
	})
}

// Stop lets a running job finish: the check completes instead of being
// cancelled.
func TestStopFinishesRunningJobs(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		h.provider.block, h.provider.started = make(chan struct{}), make(chan struct{}, 4)
		r, a := h.start(3)
		id := h.submit(a)
		<-h.provider.started // the identity job is running
		stopped := make(chan error, 1)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			stopped <- r.Stop(ctx)
		}()
		close(h.provider.block)
		if err := <-stopped; err != nil {
			t.Fatalf("Stop: %v", err)
		}
		checks, err := a.Customers.ListChecks(h.Ctx, kyctest.Client, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range checks {
			if c.Type == domain.CheckIdentity && c.Status != domain.CheckPassed {
				t.Fatalf("identity check %s after a graceful stop", c.Status)
			}
		}
	})
}

// A Stop whose deadline passes cancels the running job, which stays
// pending and is worked by the next runner: never lost, never an error.
func TestHardStopLeavesTheJobForTheNextRunner(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		h.provider.block, h.provider.started = make(chan struct{}), make(chan struct{}, 4)
		r, a := h.start(3)
		id := h.submit(a)
		<-h.provider.started
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // the shutdown deadline has already passed
		_ = r.Stop(ctx)
		checks, _ := a.Customers.ListChecks(h.Ctx, kyctest.Client, id)
		for _, c := range checks {
			if c.Type == domain.CheckIdentity && c.Status != domain.CheckPending {
				t.Fatalf("identity check %s after a cancelled job, want pending", c.Status)
			}
		}
		// Another process picks it up.
		h.provider.mu.Lock()
		h.provider.block = nil
		h.provider.mu.Unlock()
		_, a2 := h.start(3)
		got := h.checksDone(a2, id)
		if got[domain.CheckIdentity].Status != domain.CheckPassed {
			t.Fatalf("identity check %s on the next runner", got[domain.CheckIdentity].Status)
		}
		if c := h.customerSettled(a2, id); c.Status != domain.StatusApproved {
			t.Fatalf("customer %s", c.Status)
		}
	})
}

func TestInsertOnlyRunnerEnqueuesButDoesNotWork(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		r, err := jobs.New(jobs.Options{Store: h.Store, PGPool: testdb.PGPool(h.Store), Workers: 0})
		if err != nil {
			t.Fatal(err)
		}
		a := h.newApp(r)
		r.SetApp(a)
		if err := r.Start(h.Ctx); err != nil {
			t.Fatal(err)
		}
		id := h.submit(a)
		res, err := r.Client().JobList(h.Ctx, river.NewJobListParams().Kinds("check"))
		if err != nil || len(res.Jobs) != 1 {
			t.Fatalf("%v jobs enqueued (%v)", res, err)
		}
		if err := r.Stop(h.Ctx); err != nil {
			t.Fatal(err)
		}
		// A working runner (kyc serve --workers-only) does them.
		_, a2 := h.start(3)
		h.checksDone(a2, id)
	})
}

// A job enqueued by an earlier version, one per check, is still worked.
func TestOneCheckJobsOfEarlierVersionsRun(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		r, a := h.start(3)
		// A submission through an app whose queue keeps the ids: its
		// checks exist, no job does.
		d := h.Deps()
		c, err := a.Customers.Create(h.Ctx, kyctest.Client, app.CreateCustomerInput{Type: domain.CustomerIndividual, Data: kyctest.Individual()})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := app.New(d).Customers.Submit(h.Ctx, kyctest.Client, c.ID); err != nil {
			t.Fatal(err)
		}
		ids := h.Queue.Take()
		if len(ids) != 3 {
			t.Fatalf("%d checks enqueued, want 3", len(ids))
		}
		for _, id := range ids {
			if _, err := r.Client().Insert(h.Ctx, jobs.CheckArgs{CheckID: id}, nil); err != nil {
				t.Fatal(err)
			}
		}
		for typ, ck := range h.checksDone(a, c.ID) {
			if ck.Status != domain.CheckPassed || ck.Attempts != 1 {
				t.Fatalf("%s check: %s after %d attempts", typ, ck.Status, ck.Attempts)
			}
		}
		if got := h.customerSettled(a, c.ID); got.Status != domain.StatusApproved {
			t.Fatalf("customer %s", got.Status)
		}
	})
}

func TestStartWithoutAppFails(t *testing.T) {
	t.Parallel()
	st := testdb.Open(t, testdb.SQLite)
	r, err := jobs.New(jobs.Options{Store: st, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(context.Background()); err == nil {
		t.Fatal("Start without SetApp succeeded")
	}
}

func TestPeriodicListSyncRuns(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		called := make(chan struct{}, 4)
		r, err := jobs.New(jobs.Options{
			Store: h.Store, PGPool: testdb.PGPool(h.Store), Workers: 2, FetchPollInterval: 50 * time.Millisecond,
			ListSync:         func(context.Context) error { called <- struct{}{}; return nil },
			ListSyncInterval: time.Hour,
		})
		if err != nil {
			t.Fatal(err)
		}
		r.SetApp(h.newApp(r))
		if err := r.Start(h.Ctx); err != nil {
			t.Fatal(err)
		}
		defer r.Stop(context.Background())
		select {
		case <-called:
		case <-time.After(20 * time.Second):
			t.Fatal("the periodic list sync did not run on start")
		}
	})
}

// loadLists imports the small OFAC fixture: without a loaded list the
// screening check asks for a person instead of passing.
func (h *harness) loadLists(a *app.App) {
	h.t.Helper()
	if _, err := a.Screening.Import(h.Ctx, kyctest.Operator, "ofac_sdn", kyctest.OFACFiles(), false); err != nil {
		h.t.Fatalf("import: %v", err)
	}
}

// TestPeriodicReviewScanRuns: the periodic job (KYC_REVIEW_SCAN_INTERVAL)
// opens the periodic review of an approved customer whose review date has
// come, with its fresh checks worked by the same runner; two runners on
// one database open one case.
func TestPeriodicReviewScanRuns(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		var runners []*jobs.Runner
		var apps []*app.App
		for range 2 {
			r, err := jobs.New(jobs.Options{
				Store: h.Store, PGPool: testdb.PGPool(h.Store), Workers: 2, FetchPollInterval: 20 * time.Millisecond,
				ReviewScanInterval: time.Second,
			})
			if err != nil {
				t.Fatal(err)
			}
			a := h.newApp(r)
			r.SetApp(a)
			runners, apps = append(runners, r), append(apps, a)
		}
		a := apps[0]
		h.loadLists(a)
		if _, err := apps[1].Screening.Reload(h.Ctx); err != nil {
			t.Fatal(err)
		}
		for _, r := range runners {
			if err := r.Start(h.Ctx); err != nil {
				t.Fatal(err)
			}
		}
		defer func() {
			for _, r := range runners {
				_ = r.Stop(context.Background())
			}
		}()
		id := h.submit(a)
		if c := h.customerSettled(a, id); c.Status != domain.StatusApproved {
			t.Fatalf("customer %s, want approved", c.Status)
		}
		// The review date comes (set in the past directly: the runners
		// work on real time).
		rec, err := h.Store.Customers().Get(h.Ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		past := time.Now().Add(-time.Hour).UTC().Truncate(time.Microsecond)
		rec.NextReviewAt = &past
		rec.Version++
		if err := h.Store.Customers().Update(h.Ctx, rec); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the periodic review case", func() bool {
			cs, _, err := a.Cases.List(h.Ctx, kyctest.Operator, app.ListCasesInput{CustomerID: id, Kind: string(domain.CasePeriodicReview)})
			if err != nil {
				t.Fatal(err)
			}
			return len(cs) > 0
		})
		checks := h.checksDone(a, id)
		if checks[domain.CheckScreening].Round != 2 {
			t.Fatalf("fresh checks: round %d, want 2", checks[domain.CheckScreening].Round)
		}
		// More scans run, one per period whichever runner leads, and open
		// nothing more.
		scans := func() int {
			res, err := runners[0].Client().JobList(h.Ctx, river.NewJobListParams().Kinds(jobs.ReviewScanArgs{}.Kind()).States(rivertype.JobStateCompleted).First(100))
			if err != nil {
				t.Fatal(err)
			}
			return len(res.Jobs)
		}
		after := scans()
		waitFor(t, "two more completed scans", func() bool { return scans() >= after+2 })
		cs, _, err := a.Cases.List(h.Ctx, kyctest.Operator, app.ListCasesInput{CustomerID: id, Kind: string(domain.CasePeriodicReview)})
		if err != nil || len(cs) != 1 {
			t.Fatalf("review cases: %d, %v", len(cs), err)
		}
		if c, _ := a.Customers.Get(h.Ctx, kyctest.Client, id); c.Status != domain.StatusApproved {
			t.Fatalf("customer during review: %s", c.Status)
		}
	})
}

// TestStuckJobsRescuedSoonAfterAKill: a worker killed with -9 leaves its
// jobs "running" for ever; River rescues such jobs only after
// RescueStuckJobsAfter (an hour by default), so checks stayed pending for
// an hour after a crash. The runner sets it a little above the job timeout:
// a check job left running four minutes ago by a dead process is run again
// by the next runner (hardening item 5; the workers are idempotent).
func TestStuckJobsRescuedSoonAfterAKill(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		r, err := jobs.New(jobs.Options{Store: h.Store, PGPool: testdb.PGPool(h.Store), Workers: 0})
		if err != nil {
			t.Fatal(err)
		}
		a := h.newApp(r)
		r.SetApp(a)
		if err := r.Start(h.Ctx); err != nil {
			t.Fatal(err)
		}
		id := h.submit(a)
		if err := r.Stop(h.Ctx); err != nil {
			t.Fatal(err)
		}
		// What a process killed mid-job leaves behind.
		if pool := testdb.PGPool(h.Store); pool != nil {
			_, err = pool.Exec(h.Ctx, `UPDATE river_job SET state = 'running', attempt = 1, attempted_at = now() - interval '4 minutes', attempted_by = ARRAY['killed-host'] WHERE kind = 'check'`)
		} else {
			_, err = h.Store.(interface{ DB() *sql.DB }).DB().ExecContext(h.Ctx, `UPDATE river_job SET state = 'running', attempt = 1, attempted_at = datetime('now', '-4 minutes', 'subsec'), attempted_by = json_array('killed-host') WHERE kind = 'check'`)
		}
		if err != nil {
			t.Fatal(err)
		}
		_, a2 := h.start(3)
		checks := h.checksDone(a2, id)
		if len(checks) != 3 {
			t.Fatalf("checks %v", checks)
		}
		if c := h.customerSettled(a2, id); c.Status != domain.StatusApproved {
			t.Fatalf("customer %s", c.Status)
		}
	})
}

// TestDocumentExpiryScanRuns: the periodic job
// (KYC_DOCUMENT_EXPIRY_SCAN_INTERVAL) opens the document_expiry case of an
// approved customer whose identity document expires within the notice.
func TestDocumentExpiryScanRuns(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		r, err := jobs.New(jobs.Options{
			Store: h.Store, PGPool: testdb.PGPool(h.Store), Workers: 2, FetchPollInterval: 20 * time.Millisecond,
			DocumentExpiryScanInterval: time.Second,
		})
		if err != nil {
			t.Fatal(err)
		}
		a := h.newApp(r)
		r.SetApp(a)
		h.loadLists(a)
		if err := r.Start(h.Ctx); err != nil {
			t.Fatal(err)
		}
		defer r.Stop(context.Background())
		data := kyctest.Individual()
		data.Individual.Document.ExpiryDate = time.Now().AddDate(0, 0, 10).Format("2006-01-02")
		c, err := a.Customers.Create(h.Ctx, kyctest.Client, app.CreateCustomerInput{Type: domain.CustomerIndividual, Data: data})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Customers.Submit(h.Ctx, kyctest.Client, c.ID); err != nil {
			t.Fatal(err)
		}
		if got := h.customerSettled(a, c.ID); got.Status != domain.StatusApproved {
			t.Fatalf("customer %s, want approved", got.Status)
		}
		waitFor(t, "the document expiry case", func() bool {
			cs, _, err := a.Cases.List(h.Ctx, kyctest.Operator, app.ListCasesInput{CustomerID: c.ID, Kind: string(domain.CaseDocumentExpiry)})
			if err != nil {
				t.Fatal(err)
			}
			return len(cs) == 1
		})
	})
}
