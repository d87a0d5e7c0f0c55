package app_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/risk"
	"github.com/kyc-platform/kyc/internal/screening"
	"github.com/kyc-platform/kyc/internal/screening/lists"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/store/testdb"
	"github.com/kyc-platform/kyc/internal/vault"
	"github.com/kyc-platform/kyc/internal/verify"
	"github.com/kyc-platform/kyc/internal/verify/phone"
)

// fakeQueue records enqueued checks; tests run them explicitly.
type fakeQueue struct {
	mu  sync.Mutex
	ids []string
	err error
}

func (q *fakeQueue) EnqueueChecks(_ context.Context, _ store.Tx, ids []string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.err != nil {
		return q.err
	}
	q.ids = append(q.ids, ids...)
	return nil
}

func (q *fakeQueue) take() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	ids := q.ids
	q.ids = nil
	return ids
}

// clock is an injected, settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(1234567 * time.Nanosecond) // sub-microsecond part on purpose
	return c.t
}

type harness struct {
	t     *testing.T
	app   *app.App
	store store.Store
	queue *fakeQueue
	clock *clock
	ctx   context.Context
}

var (
	clientA  = domain.Actor{Type: domain.ActorClient, ID: "kyc_ci_a", Tenant: "acme", Scopes: []string{"customers:read", "customers:write", "cases:read", "cases:write", "audit:read", "screening:read", "lists:read"}}
	clientB  = domain.Actor{Type: domain.ActorClient, ID: "kyc_ci_b", Tenant: "acme", Scopes: []string{"customers:read", "customers:write", "cases:read", "cases:write"}}
	readOnly = domain.Actor{Type: domain.ActorClient, ID: "kyc_ci_r", Tenant: "acme", Scopes: []string{"customers:read"}}
	// otherTenant holds every scope, in another tenant.
	otherTenant = domain.Actor{Type: domain.ActorClient, ID: "kyc_ci_o", Tenant: "globex", Scopes: clientA.Scopes}
	operatorA   = domain.Actor{Type: domain.ActorSystem, ID: "cli:test"}
)

func setup(t *testing.T, engine string) *harness {
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
	h.app = app.New(app.Deps{
		Store: st, Crypt: v, Enqueue: h.queue,
		Identity: verify.NewDocument(verify.DocumentOptions{MinAge: 18}),
		Risk:     model,
		Policy: app.Policy{
			AutoApprove: map[domain.RiskRating]bool{domain.RiskLow: true}, MinAge: 18,
			CaseSLA: 5 * 24 * time.Hour, HitSLA: 24 * time.Hour, PhoneCheck: phone.Validate,
		},
		Now: h.clock.Now,
	})
	return h
}

// engines runs fn as a subtest on every engine.
func engines(t *testing.T, fn func(t *testing.T, h *harness)) {
	for _, e := range testdb.Engines() {
		t.Run(e, func(t *testing.T) {
			t.Parallel()
			fn(t, setup(t, e))
		})
	}
}

// person returns a valid individual who passes every check at low risk.
func person() domain.CustomerData {
	return domain.CustomerData{FaceToFace: true, Individual: &domain.Person{
		GivenNames: "Anna Maria", FamilyName: "Eriksson", BirthDate: "1990-08-12", Nationality: "SE",
		Email: "anna.eriksson@example.com", Phone: "+46701234567",
		Address:    &domain.Address{Line1: "Storgatan 1", City: "Stockholm", PostalCode: "11122", Country: "SE"},
		Occupation: "Teacher", ExpectedMonthlyVolume: &domain.Money{Amount: 300000, Currency: "EUR"},
		SourceOfFunds: "Salary",
		Document:      &domain.IdentityDocument{Type: domain.DocIDCard, Number: "AB1234567", IssuingCountry: "SE", ExpiryDate: "2030-01-01"},
	}}
}

func (h *harness) create(actor domain.Actor, data domain.CustomerData) *domain.Customer {
	h.t.Helper()
	typ := domain.CustomerIndividual
	if data.Business != nil {
		typ = domain.CustomerBusiness
	}
	c, err := h.app.Customers.Create(h.ctx, actor, app.CreateCustomerInput{Type: typ, Data: data})
	if err != nil {
		h.t.Fatalf("create: %v", err)
	}
	return c
}

// submitAndRun submits and runs every enqueued check.
func (h *harness) submitAndRun(actor domain.Actor, id string) *domain.Customer {
	h.t.Helper()
	if _, err := h.app.Customers.Submit(h.ctx, actor, id); err != nil {
		h.t.Fatalf("submit: %v", err)
	}
	ids := h.queue.take()
	if len(ids) != 3 {
		h.t.Fatalf("want 3 checks enqueued, got %d", len(ids))
	}
	for _, cid := range ids {
		if err := h.app.Checks.Run(h.ctx, cid, 1); err != nil {
			h.t.Fatalf("run check %s: %v", cid, err)
		}
	}
	c, err := h.app.Customers.Get(h.ctx, actor, id)
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

func (h *harness) importOFAC() {
	h.t.Helper()
	var files []lists.File
	for _, n := range []string{"sdn.csv", "alt.csv", "add.csv"} {
		f, err := os.Open(filepath.Join("testdata", "ofac", n))
		if err != nil {
			h.t.Fatal(err)
		}
		defer f.Close()
		files = append(files, lists.File{Name: n, R: f})
	}
	if _, err := h.app.Screening.Import(h.ctx, operatorA, "ofac_sdn", files); err != nil {
		h.t.Fatalf("import: %v", err)
	}
}

func (h *harness) openCase(customerID string) domain.Case {
	h.t.Helper()
	cs, _, err := h.app.Cases.List(h.ctx, clientA, app.ListCasesInput{CustomerID: customerID})
	if err != nil || len(cs) != 1 {
		h.t.Fatalf("want one case, got %d (%v)", len(cs), err)
	}
	return cs[0]
}

func wantCode(t *testing.T, err error, code domain.ErrorCode) {
	t.Helper()
	if domain.ErrCode(err) != code {
		t.Fatalf("want error %s, got %v", code, err)
	}
}

func (h *harness) verifyChain() app.VerifyResult {
	h.t.Helper()
	res, err := h.app.Audit.Verify(h.ctx, clientA)
	if err != nil {
		h.t.Fatal(err)
	}
	return res
}

func TestCreateReadListAndTenancy(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		c := h.create(clientA, person())
		if c.Status != domain.StatusDraft || c.ID == "" {
			t.Fatalf("created %+v", c)
		}
		got, err := h.app.Customers.Get(h.ctx, clientA, c.ID)
		if err != nil || got.Data.Individual.FamilyName != "Eriksson" {
			t.Fatalf("get: %v %+v", err, got)
		}
		// Another client of the same tenant sees it.
		if _, err := h.app.Customers.Get(h.ctx, clientB, c.ID); err != nil {
			t.Fatalf("same tenant: %v", err)
		}
		// A client of another tenant never sees it, and cannot tell it exists.
		_, err = h.app.Customers.Get(h.ctx, otherTenant, c.ID)
		wantCode(t, err, domain.ECodeNotFound)
		_, err = h.app.Customers.Get(h.ctx, otherTenant, "cus_unknown")
		wantCode(t, err, domain.ECodeNotFound)
		list, _, err := h.app.Customers.List(h.ctx, otherTenant, app.ListCustomersInput{})
		if err != nil || len(list) != 0 {
			t.Fatalf("other tenant lists %d customers (%v)", len(list), err)
		}
		_, err = h.app.Customers.Update(h.ctx, otherTenant, c.ID, func(d domain.CustomerData) (domain.CustomerData, error) { return d, nil })
		wantCode(t, err, domain.ECodeNotFound)
		_, err = h.app.Customers.Submit(h.ctx, otherTenant, c.ID)
		wantCode(t, err, domain.ECodeNotFound)
		// Email lookup through the blind index.
		list, _, err = h.app.Customers.List(h.ctx, clientA, app.ListCustomersInput{Email: "ANNA.eriksson@example.com"})
		if err != nil || len(list) != 1 {
			t.Fatalf("email lookup found %d (%v)", len(list), err)
		}
		// Scope checks.
		_, err = h.app.Customers.Create(h.ctx, readOnly, app.CreateCustomerInput{Type: domain.CustomerIndividual, Data: person()})
		wantCode(t, err, domain.ECodeForbidden)
	})
}

func TestPagination(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		for range 5 {
			h.create(clientA, person())
		}
		var seen []string
		cursor := ""
		for {
			page, next, err := h.app.Customers.List(h.ctx, clientA, app.ListCustomersInput{Limit: 2, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range page {
				seen = append(seen, c.ID)
			}
			if next == "" {
				break
			}
			cursor = next
		}
		if len(seen) != 5 {
			t.Fatalf("paged through %d customers, want 5", len(seen))
		}
		sorted := slices.Clone(seen)
		slices.Sort(sorted)
		slices.Reverse(sorted)
		if !slices.Equal(sorted, seen) {
			t.Fatalf("not newest first: %v", seen)
		}
		_, _, err := h.app.Customers.List(h.ctx, clientA, app.ListCustomersInput{Status: "bogus"})
		wantCode(t, err, domain.ECodeInvalid)
	})
}

func TestSubmitValidatesEverythingAndWritesNothingOnError(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		d := person()
		d.Individual.BirthDate = ""
		d.Individual.Document = nil
		c := h.create(clientA, d)
		_, err := h.app.Customers.Submit(h.ctx, clientA, c.ID)
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != domain.ECodeInvalid || len(de.Fields) < 2 {
			t.Fatalf("want a validation error naming each field, got %v", err)
		}
		got, _ := h.app.Customers.Get(h.ctx, clientA, c.ID)
		if got.Status != domain.StatusDraft {
			t.Fatalf("status %s after failed submit", got.Status)
		}
		if len(h.queue.take()) != 0 {
			t.Fatal("checks enqueued despite the validation error")
		}
		checks, _ := h.app.Customers.ListChecks(h.ctx, clientA, c.ID)
		if len(checks) != 0 {
			t.Fatalf("%d checks written despite the validation error", len(checks))
		}
	})
}

func TestEnqueueFailureRollsBackSubmit(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		c := h.create(clientA, person())
		h.queue.err = errors.New("queue down")
		if _, err := h.app.Customers.Submit(h.ctx, clientA, c.ID); err == nil {
			t.Fatal("submit succeeded although enqueueing failed")
		}
		got, _ := h.app.Customers.Get(h.ctx, clientA, c.ID)
		checks, _ := h.app.Customers.ListChecks(h.ctx, clientA, c.ID)
		if got.Status != domain.StatusDraft || len(checks) != 0 {
			t.Fatalf("half-written submit: status %s, %d checks", got.Status, len(checks))
		}
	})
}

func TestCleanLowRiskIsApprovedAutomatically(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		h.importOFAC()
		c := h.create(clientA, person())
		got := h.submitAndRun(clientA, c.ID)
		if got.Status != domain.StatusApproved || got.RiskRating != domain.RiskLow || got.NextReviewAt == nil {
			t.Fatalf("want approved low with a review date, got %s %s", got.Status, got.RiskRating)
		}
		if want := got.DecidedAt.AddDate(3, 0, 0); !got.NextReviewAt.Equal(want) {
			t.Fatalf("next review %v, want %v", got.NextReviewAt, want)
		}
		checks, _ := h.app.Customers.ListChecks(h.ctx, clientA, c.ID)
		for _, ck := range checks {
			if ck.Status != domain.CheckPassed {
				t.Fatalf("check %s is %s: %s", ck.Type, ck.Status, ck.Summary)
			}
		}
		a, err := h.app.Customers.LatestRisk(h.ctx, clientA, c.ID)
		if err != nil || a.ModelVersion == "" || a.Rating != domain.RiskLow {
			t.Fatalf("risk %+v %v", a, err)
		}
		// Approved customers are no longer editable; submitting again is illegal.
		_, err = h.app.Customers.Update(h.ctx, clientA, c.ID, func(d domain.CustomerData) (domain.CustomerData, error) { return d, nil })
		wantCode(t, err, domain.ECodeConflict)
		_, err = h.app.Customers.Submit(h.ctx, clientA, c.ID)
		wantCode(t, err, domain.ECodeConflict)
		if res := h.verifyChain(); !res.OK || res.Events < 5 {
			t.Fatalf("audit chain %+v", res)
		}
	})
}

func TestScreeningHitFourEyesRejection(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		h.importOFAC()
		d := person()
		d.Individual.GivenNames, d.Individual.FamilyName, d.Individual.BirthDate, d.Individual.Nationality = "Andrey Georgiyevich", "Zakharov", "1969-01-08", "RU"
		d.Individual.Address.Country = "RU"
		d.Individual.Phone = "+74951234567"
		c := h.create(clientA, d)
		got := h.submitAndRun(clientA, c.ID)
		if got.Status != domain.StatusInReview {
			t.Fatalf("status %s, want in_review", got.Status)
		}
		cs := h.openCase(c.ID)
		if cs.Kind != domain.CaseScreeningHit || cs.Status != domain.CaseOpen {
			t.Fatalf("case %+v", cs)
		}
		hits, err := h.app.Cases.Hits(h.ctx, clientA, cs.ID)
		if err != nil || len(hits) == 0 || hits[0].SourceID != "35025" || hits[0].List != "ofac_sdn" {
			t.Fatalf("hits %+v %v", hits, err)
		}
		// Approving with an open hit is refused.
		_, err = h.app.Cases.Decide(h.ctx, clientA, cs.ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "looks fine"})
		wantCode(t, err, domain.ECodeConflict)
		// A reason is required.
		_, err = h.app.Cases.Decide(h.ctx, clientA, cs.ID, app.DecideInput{Decision: domain.DecisionReject})
		wantCode(t, err, domain.ECodeInvalid)
		// Confirm the match: risk becomes prohibited.
		if _, err := h.app.Cases.DispositionHit(h.ctx, clientA, hits[0].ID, app.DispositionInput{Disposition: domain.DispositionTrueMatch, Reason: "DOB and nationality match"}); err != nil {
			t.Fatal(err)
		}
		got, _ = h.app.Customers.Get(h.ctx, clientA, c.ID)
		if got.RiskRating != domain.RiskProhibited {
			t.Fatalf("rating after confirmed sanctions match: %s", got.RiskRating)
		}
		// Reject needs two different people.
		res, err := h.app.Cases.Decide(h.ctx, clientA, cs.ID, app.DecideInput{Decision: domain.DecisionReject, Reason: "sanctioned"})
		if err != nil || !res.AwaitingSecondApproval || res.Case.Status != domain.CasePendingSecondApproval {
			t.Fatalf("first rejection: %+v %v", res, err)
		}
		got, _ = h.app.Customers.Get(h.ctx, clientA, c.ID)
		if got.Status != domain.StatusInReview {
			t.Fatalf("first of two approvals changed the customer to %s", got.Status)
		}
		_, err = h.app.Cases.Decide(h.ctx, clientA, cs.ID, app.DecideInput{Decision: domain.DecisionReject, Reason: "again"})
		wantCode(t, err, domain.ECodeForbidden)
		res, err = h.app.Cases.Decide(h.ctx, clientB, cs.ID, app.DecideInput{Decision: domain.DecisionReject, Reason: "confirmed"})
		if err != nil || res.Case.Status != domain.CaseClosed || res.Customer.Status != domain.StatusRejected {
			t.Fatalf("second rejection: %+v %v", res, err)
		}
		_, err = h.app.Cases.Decide(h.ctx, clientB, cs.ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "x"})
		wantCode(t, err, domain.ECodeConflict)
		decs, _ := h.app.Cases.Decisions(h.ctx, clientA, cs.ID)
		if len(decs) != 2 || decs[0].Stage != "first" || decs[1].Stage != "second" || decs[0].Reason != "sanctioned" {
			t.Fatalf("decisions %+v", decs)
		}
		if res := h.verifyChain(); !res.OK {
			t.Fatalf("audit chain %+v", res)
		}
	})
}

func TestFalsePositiveIsRememberedAndApproved(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		h.importOFAC()
		d := person()
		d.Individual.GivenNames, d.Individual.FamilyName, d.Individual.BirthDate = "Andrey Georgiyevich", "Zakharov", "1969-01-08"
		c := h.create(clientA, d)
		h.submitAndRun(clientA, c.ID)
		cs := h.openCase(c.ID)
		hits, _ := h.app.Cases.Hits(h.ctx, clientA, cs.ID)
		if len(hits) == 0 {
			t.Fatal("no hit")
		}
		for _, hit := range hits {
			if _, err := h.app.Cases.DispositionHit(h.ctx, clientA, hit.ID, app.DispositionInput{Disposition: domain.DispositionFalsePositive, Reason: "Swedish citizen since birth, different tax id"}); err != nil {
				t.Fatal(err)
			}
		}
		// Ask for more information, then the customer resubmits: the hit is
		// not raised again since the list entity did not change.
		if _, err := h.app.Cases.Decide(h.ctx, clientA, cs.ID, app.DecideInput{Decision: domain.DecisionRequestInfo, Reason: "proof of address"}); err != nil {
			t.Fatal(err)
		}
		got, _ := h.app.Customers.Get(h.ctx, clientA, c.ID)
		if got.Status != domain.StatusInfoRequested {
			t.Fatalf("status %s", got.Status)
		}
		if _, err := h.app.Customers.Update(h.ctx, clientA, c.ID, func(d domain.CustomerData) (domain.CustomerData, error) {
			d.Individual.Address.Line2 = "Flat 2"
			return d, nil
		}); err != nil {
			t.Fatal(err)
		}
		got = h.submitAndRun(clientA, c.ID)
		if got.Status != domain.StatusInReview {
			t.Fatalf("status after resubmit %s", got.Status)
		}
		checks, _ := h.app.Customers.ListChecks(h.ctx, clientA, c.ID)
		for _, ck := range checks {
			if ck.Type == domain.CheckScreening && (ck.Status != domain.CheckPassed || ck.Round != 2) {
				t.Fatalf("screening after false positive: %s round %d (%s)", ck.Status, ck.Round, ck.Summary)
			}
		}
		cs2 := h.openCase(c.ID)
		if cs2.ID != cs.ID {
			t.Fatal("resubmission opened a second case")
		}
		res, err := h.app.Cases.Decide(h.ctx, clientA, cs.ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "verified"})
		if err != nil || res.Customer.Status != domain.StatusApproved {
			t.Fatalf("approve: %+v %v", res, err)
		}
	})
}

func TestHighRiskApprovalNeedsSecondApprover(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		d := person()
		d.Individual.PEPDeclared = true
		c := h.create(clientA, d)
		got := h.submitAndRun(clientA, c.ID)
		if got.RiskRating != domain.RiskHigh || got.DueDiligence != domain.DDEnhanced || got.Status != domain.StatusInReview {
			t.Fatalf("PEP: %s %s %s", got.RiskRating, got.DueDiligence, got.Status)
		}
		cs := h.openCase(c.ID)
		res, err := h.app.Cases.Decide(h.ctx, clientA, cs.ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "EDD complete"})
		if err != nil || !res.AwaitingSecondApproval {
			t.Fatalf("first approval %+v %v", res, err)
		}
		// The second approver may disagree: the case goes back to open.
		res, err = h.app.Cases.Decide(h.ctx, clientB, cs.ID, app.DecideInput{Decision: domain.DecisionReject, Reason: "source of wealth unclear"})
		if err != nil || res.Case.Status != domain.CaseOpen {
			t.Fatalf("disagreement %+v %v", res, err)
		}
		if _, err := h.app.Cases.Decide(h.ctx, clientA, cs.ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "SoW evidence added"}); err != nil {
			t.Fatal(err)
		}
		res, err = h.app.Cases.Decide(h.ctx, clientB, cs.ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "agreed"})
		if err != nil || res.Customer.Status != domain.StatusApproved || res.Case.Status != domain.CaseClosed {
			t.Fatalf("second approval %+v %v", res, err)
		}
		if want := res.Customer.DecidedAt.AddDate(1, 0, 0); !res.Customer.NextReviewAt.Equal(want) {
			t.Fatalf("high risk review %v, want %v", res.Customer.NextReviewAt, want)
		}
	})
}

func TestCheckErrorOpensACase(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		c := h.create(clientA, person())
		if _, err := h.app.Customers.Submit(h.ctx, clientA, c.ID); err != nil {
			t.Fatal(err)
		}
		ids := h.queue.take()
		if err := h.app.Checks.Fail(h.ctx, ids[0], 5, "provider unavailable"); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids[1:] {
			if err := h.app.Checks.Run(h.ctx, id, 1); err != nil {
				t.Fatal(err)
			}
		}
		// Running a finished check again is a no-op (retried job).
		if err := h.app.Checks.Run(h.ctx, ids[1], 2); err != nil {
			t.Fatal(err)
		}
		checks, _ := h.app.Customers.ListChecks(h.ctx, clientA, c.ID)
		var errored *domain.Check
		for i := range checks {
			if checks[i].Status == domain.CheckError {
				errored = &checks[i]
			}
		}
		if errored == nil || errored.Error != "provider unavailable" || errored.Attempts != 5 {
			t.Fatalf("no visible error check: %+v", checks)
		}
		cs := h.openCase(c.ID)
		if cs.Kind != domain.CaseOnboarding {
			t.Fatalf("case kind %s", cs.Kind)
		}
	})
}

func TestAuditChainDetectsTampering(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		h.create(clientA, person())
		h.create(clientA, person())
		h.create(clientA, person())
		if res := h.verifyChain(); !res.OK || res.Events != 3 {
			t.Fatalf("chain before tampering %+v", res)
		}
		if _, err := h.store.DB().ExecContext(h.ctx, `UPDATE audit_events SET action = 'customer.deleted' WHERE seq = 2`); err != nil {
			t.Fatal(err)
		}
		res := h.verifyChain()
		if res.OK || res.BrokenAt != 2 {
			t.Fatalf("tampering not detected at 2: %+v", res)
		}
	})
}

func TestIdempotency(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		hash := app.RequestHash("POST", "/api/v1/customers", []byte(`{"a":1}`))
		if r, err := h.app.Idem.Begin(h.ctx, "client:a", "k1", hash); r != nil || err != nil {
			t.Fatalf("fresh key: %v %v", r, err)
		}
		// A repeat while the first request is in flight (on any replica) is refused.
		_, err := h.app.Idem.Begin(h.ctx, "client:a", "k1", hash)
		wantCode(t, err, domain.ECodeConflict)
		if err := h.app.Idem.Finish(h.ctx, "client:a", "k1", app.Response{Status: 201, Body: []byte(`{"id":"x"}`)}); err != nil {
			t.Fatal(err)
		}
		r, err := h.app.Idem.Begin(h.ctx, "client:a", "k1", hash)
		if err != nil || r == nil || r.Status != 201 || string(r.Body) != `{"id":"x"}` {
			t.Fatalf("replay %v %v", r, err)
		}
		_, err = h.app.Idem.Begin(h.ctx, "client:a", "k1", app.RequestHash("POST", "/api/v1/customers", []byte(`{"a":2}`)))
		wantCode(t, err, domain.ECodeInvalid)
		if r, err := h.app.Idem.Begin(h.ctx, "client:b", "k1", hash); r != nil || err != nil {
			t.Fatalf("another client's key: %v %v", r, err)
		}
		// A failed request releases its key; a retry holds it again.
		if err := h.app.Idem.Abandon(h.ctx, "client:b", "k1"); err != nil {
			t.Fatal(err)
		}
		if r, err := h.app.Idem.Begin(h.ctx, "client:b", "k1", hash); r != nil || err != nil {
			t.Fatalf("retry after abandon: %v %v", r, err)
		}
		// A reservation whose process died is taken over after a while.
		h.clock.mu.Lock()
		h.clock.t = h.clock.t.Add(3 * time.Minute)
		h.clock.mu.Unlock()
		if r, err := h.app.Idem.Begin(h.ctx, "client:b", "k1", hash); r != nil || err != nil {
			t.Fatalf("stale reservation: %v %v", r, err)
		}
		// Keys expire after a day.
		h.clock.mu.Lock()
		h.clock.t = h.clock.t.Add(25 * time.Hour)
		h.clock.mu.Unlock()
		if r, err := h.app.Idem.Begin(h.ctx, "client:a", "k1", app.RequestHash("POST", "/x", nil)); r != nil || err != nil {
			t.Fatalf("expired key: %v %v", r, err)
		}
	})
}

func screeningQuery(name string) screening.Query { return screening.Query{Name: name} }

func TestCasesAreTenantScoped(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		h.importOFAC()
		d := person()
		d.Individual.GivenNames, d.Individual.FamilyName, d.Individual.BirthDate = "Andrey Georgiyevich", "Zakharov", "1969-01-08"
		c := h.create(clientA, d)
		h.submitAndRun(clientA, c.ID)
		cs := h.openCase(c.ID)
		hits, _ := h.app.Cases.Hits(h.ctx, clientA, cs.ID)
		if len(hits) == 0 {
			t.Fatal("no hit")
		}
		list, _, err := h.app.Cases.List(h.ctx, otherTenant, app.ListCasesInput{})
		if err != nil || len(list) != 0 {
			t.Fatalf("other tenant lists %d cases (%v)", len(list), err)
		}
		_, err = h.app.Cases.Get(h.ctx, otherTenant, cs.ID)
		wantCode(t, err, domain.ECodeNotFound)
		_, err = h.app.Cases.Hits(h.ctx, otherTenant, cs.ID)
		wantCode(t, err, domain.ECodeNotFound)
		_, err = h.app.Cases.Hit(h.ctx, otherTenant, hits[0].ID)
		wantCode(t, err, domain.ECodeNotFound)
		_, err = h.app.Cases.Decide(h.ctx, otherTenant, cs.ID, app.DecideInput{Decision: domain.DecisionReject, Reason: "x"})
		wantCode(t, err, domain.ECodeNotFound)
		_, err = h.app.Cases.DispositionHit(h.ctx, otherTenant, hits[0].ID, app.DispositionInput{Disposition: domain.DispositionFalsePositive, Reason: "x"})
		wantCode(t, err, domain.ECodeNotFound)
		evs, err := h.app.Audit.ListEvents(h.ctx, otherTenant, store.AuditFilter{})
		if err != nil || len(evs) != 0 {
			t.Fatalf("other tenant reads %d audit events (%v)", len(evs), err)
		}
		evs, err = h.app.Audit.ListEvents(h.ctx, clientA, store.AuditFilter{})
		if err != nil || len(evs) == 0 {
			t.Fatalf("own tenant reads %d audit events (%v)", len(evs), err)
		}
		for _, e := range evs {
			if e.Tenant != "acme" {
				t.Fatalf("event of tenant %q listed for acme", e.Tenant)
			}
		}
		// Staff (and the operator) see every tenant.
		staff := domain.Actor{Type: domain.ActorUser, ID: "usr_1", Role: app.RoleAnalyst}
		if _, err := h.app.Cases.Get(h.ctx, staff, cs.ID); err != nil {
			t.Fatalf("staff: %v", err)
		}
	})
}

// Screening against no loaded list is no screening: the customer goes to a
// person, never to automatic approval.
func TestNoListLoadedIsNeverAutoApproved(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		c := h.create(clientA, person())
		got := h.submitAndRun(clientA, c.ID)
		if got.Status != domain.StatusInReview {
			t.Fatalf("status %s with no list loaded", got.Status)
		}
		checks, _ := h.app.Customers.ListChecks(h.ctx, clientA, c.ID)
		for _, ck := range checks {
			if ck.Type == domain.CheckScreening && (ck.Status != domain.CheckNeedsReview || !strings.Contains(ck.Summary, "No sanctions list is loaded")) {
				t.Fatalf("screening check %s: %s", ck.Status, ck.Summary)
			}
		}
		if cs := h.openCase(c.ID); cs.Kind != domain.CaseOnboarding {
			t.Fatalf("case kind %s", cs.Kind)
		}
	})
}

func TestScreeningEvidenceIsKept(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		h.importOFAC()
		res, err := h.app.Screening.Screen(h.ctx, clientA, screening.Query{Name: "Kim Jong Un", BirthDate: "1984-01-08"})
		if err != nil || res.ID == "" || len(res.Matches) == 0 || len(res.Snapshots) != 1 {
			t.Fatalf("screen: %+v %v", res, err)
		}
		sameTenant := domain.Actor{Type: domain.ActorClient, ID: "kyc_ci_s", Tenant: "acme", Scopes: []string{"screening:read"}}
		got, err := h.app.Screening.GetScreening(h.ctx, sameTenant, res.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Query.Name != "Kim Jong Un" || got.Query.BirthDate != "1984-01-08" || got.Threshold != res.Threshold ||
			got.AlgorithmVersion != res.AlgorithmVersion || len(got.Matches) != len(res.Matches) ||
			got.Matches[0].EntityID != res.Matches[0].EntityID || got.Snapshots[0] != res.Snapshots[0] {
			t.Fatalf("evidence %+v, want %+v", got, res)
		}
		_, err = h.app.Screening.GetScreening(h.ctx, otherTenant, res.ID)
		wantCode(t, err, domain.ECodeNotFound)
		_, err = h.app.Screening.GetScreening(h.ctx, clientA, "scr_unknown")
		wantCode(t, err, domain.ECodeNotFound)
		// The query is personal data: stored encrypted.
		rec, err := h.store.Screenings().Get(h.ctx, res.ID)
		if err != nil || bytes.Contains(rec.Query, []byte("Kim Jong Un")) {
			t.Fatalf("query stored in clear (%v)", err)
		}
	})
}
