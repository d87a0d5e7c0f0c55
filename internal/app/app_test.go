package app_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/screening"
)

func TestCreateReadListAndTenancy(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		c := kyctest.Customer(t, h, nil)
		if c.Status != domain.StatusDraft || c.ID == "" {
			t.Fatalf("created %+v", c)
		}
		got, err := h.App.Customers.Get(h.Ctx, kyctest.Client, c.ID)
		if err != nil || got.Data.Individual.FamilyName != "Eriksson" {
			t.Fatalf("get: %v %+v", err, got)
		}
		// Another client of the same tenant sees it.
		if _, err := h.App.Customers.Get(h.Ctx, kyctest.SecondClient, c.ID); err != nil {
			t.Fatalf("same tenant: %v", err)
		}
		// A client of another tenant never sees it, and cannot tell it exists.
		_, err = h.App.Customers.Get(h.Ctx, kyctest.Outsider, c.ID)
		kyctest.WantCode(t, err, domain.ECodeNotFound)
		_, err = h.App.Customers.Get(h.Ctx, kyctest.Outsider, "cus_unknown")
		kyctest.WantCode(t, err, domain.ECodeNotFound)
		list, _, err := h.App.Customers.List(h.Ctx, kyctest.Outsider, app.ListCustomersInput{})
		if err != nil || len(list) != 0 {
			t.Fatalf("other tenant lists %d customers (%v)", len(list), err)
		}
		_, err = h.App.Customers.Update(h.Ctx, kyctest.Outsider, c.ID, func(d domain.CustomerData) (domain.CustomerData, error) { return d, nil })
		kyctest.WantCode(t, err, domain.ECodeNotFound)
		_, err = h.App.Customers.Submit(h.Ctx, kyctest.Outsider, c.ID)
		kyctest.WantCode(t, err, domain.ECodeNotFound)
		// Email lookup through the blind index.
		list, _, err = h.App.Customers.List(h.Ctx, kyctest.Client, app.ListCustomersInput{Email: "ANNA.eriksson@example.com"})
		if err != nil || len(list) != 1 {
			t.Fatalf("email lookup found %d (%v)", len(list), err)
		}
		// Scope checks.
		_, err = h.App.Customers.Create(h.Ctx, kyctest.ReadOnly, app.CreateCustomerInput{Type: domain.CustomerIndividual, Data: kyctest.Individual()})
		kyctest.WantCode(t, err, domain.ECodeForbidden)
	})
}

func TestPagination(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		for range 5 {
			kyctest.Customer(t, h, nil)
		}
		var seen []string
		cursor := ""
		for {
			page, next, err := h.App.Customers.List(h.Ctx, kyctest.Client, app.ListCustomersInput{Limit: 2, Cursor: cursor})
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
		_, _, err := h.App.Customers.List(h.Ctx, kyctest.Client, app.ListCustomersInput{Status: "bogus"})
		kyctest.WantCode(t, err, domain.ECodeInvalid)
	})
}

func TestSubmitValidatesEverythingAndWritesNothingOnError(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		d := kyctest.Individual()
		d.Individual.BirthDate = ""
		d.Individual.Document = nil
		c := kyctest.Customer(t, h, &kyctest.CustomerOpts{Data: &d})
		_, err := h.App.Customers.Submit(h.Ctx, kyctest.Client, c.ID)
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != domain.ECodeInvalid || len(de.Fields) < 2 {
			t.Fatalf("want a validation error naming each field, got %v", err)
		}
		got, _ := h.App.Customers.Get(h.Ctx, kyctest.Client, c.ID)
		if got.Status != domain.StatusDraft {
			t.Fatalf("status %s after failed submit", got.Status)
		}
		if len(h.Queue.Take()) != 0 {
			t.Fatal("checks enqueued despite the validation error")
		}
		checks, _ := h.App.Customers.ListChecks(h.Ctx, kyctest.Client, c.ID)
		if len(checks) != 0 {
			t.Fatalf("%d checks written despite the validation error", len(checks))
		}
	})
}

func TestEnqueueFailureRollsBackSubmit(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		c := kyctest.Customer(t, h, nil)
		h.Queue.Fail(errors.New("queue down"))
		if _, err := h.App.Customers.Submit(h.Ctx, kyctest.Client, c.ID); err == nil {
			t.Fatal("submit succeeded although enqueueing failed")
		}
		got, _ := h.App.Customers.Get(h.Ctx, kyctest.Client, c.ID)
		checks, _ := h.App.Customers.ListChecks(h.Ctx, kyctest.Client, c.ID)
		if got.Status != domain.StatusDraft || len(checks) != 0 {
			t.Fatalf("half-written submit: status %s, %d checks", got.Status, len(checks))
		}
	})
}

func TestCleanLowRiskIsApprovedAutomatically(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		h.ImportOFAC()
		c := kyctest.Customer(t, h, nil)
		got := kyctest.SubmitAndRun(t, h, kyctest.Client, c.ID)
		if got.Status != domain.StatusApproved || got.RiskRating != domain.RiskLow || got.NextReviewAt == nil {
			t.Fatalf("want approved low with a review date, got %s %s", got.Status, got.RiskRating)
		}
		if want := got.DecidedAt.AddDate(3, 0, 0); !got.NextReviewAt.Equal(want) {
			t.Fatalf("next review %v, want %v", got.NextReviewAt, want)
		}
		checks, _ := h.App.Customers.ListChecks(h.Ctx, kyctest.Client, c.ID)
		for _, ck := range checks {
			if ck.Status != domain.CheckPassed {
				t.Fatalf("check %s is %s: %s", ck.Type, ck.Status, ck.Summary)
			}
		}
		a, err := h.App.Customers.LatestRisk(h.Ctx, kyctest.Client, c.ID)
		if err != nil || a.ModelVersion == "" || a.Rating != domain.RiskLow {
			t.Fatalf("risk %+v %v", a, err)
		}
		// An approved customer's edit is a change of circumstances
		// (reviews_test.go); one that changes nothing does nothing.
		same, err := h.App.Customers.Update(h.Ctx, kyctest.Client, c.ID, func(d domain.CustomerData) (domain.CustomerData, error) { return d, nil })
		if err != nil || same.Status != domain.StatusApproved || same.Version != got.Version || h.RunChecks() != 0 {
			t.Fatalf("an empty change of an approved customer: %v, version %d (was %d)", err, same.Version, got.Version)
		}
		// Submitting again is illegal.
		_, err = h.App.Customers.Submit(h.Ctx, kyctest.Client, c.ID)
		kyctest.WantCode(t, err, domain.ECodeConflict)
		if res := h.VerifyAudit(); !res.OK || res.Events < 5 {
			t.Fatalf("audit chain %+v", res)
		}
	})
}

func TestScreeningHitFourEyesRejection(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		h.ImportOFAC()
		d := kyctest.Individual()
		d.Individual.GivenNames, d.Individual.FamilyName, d.Individual.BirthDate, d.Individual.Nationality = "Andrey Georgiyevich", "Zakharov", "1969-01-08", "RU"
		d.Individual.Address.Country = "RU"
		d.Individual.Phone = "+74951234567"
		c := kyctest.Customer(t, h, &kyctest.CustomerOpts{Data: &d})
		got := kyctest.SubmitAndRun(t, h, kyctest.Client, c.ID)
		if got.Status != domain.StatusInReview {
			t.Fatalf("status %s, want in_review", got.Status)
		}
		cs := kyctest.OpenCase(t, h, c.ID)
		if cs.Kind != domain.CaseScreeningHit || cs.Status != domain.CaseOpen {
			t.Fatalf("case %+v", cs)
		}
		hits, err := h.App.Cases.Hits(h.Ctx, kyctest.Client, cs.ID)
		if err != nil || len(hits) == 0 || hits[0].SourceID != "35025" || hits[0].List != "ofac_sdn" {
			t.Fatalf("hits %+v %v", hits, err)
		}
		// Approving with an open hit is refused.
		_, err = h.App.Cases.Decide(h.Ctx, kyctest.Client, cs.ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "looks fine"})
		kyctest.WantCode(t, err, domain.ECodeConflict)
		// A reason is required.
		_, err = h.App.Cases.Decide(h.Ctx, kyctest.Client, cs.ID, app.DecideInput{Decision: domain.DecisionReject})
		kyctest.WantCode(t, err, domain.ECodeInvalid)
		// Confirm the match: risk becomes prohibited.
		if _, err := h.App.Cases.DispositionHit(h.Ctx, kyctest.Client, hits[0].ID, app.DispositionInput{Disposition: domain.DispositionTrueMatch, Reason: "DOB and nationality match"}); err != nil {
			t.Fatal(err)
		}
		got, _ = h.App.Customers.Get(h.Ctx, kyctest.Client, c.ID)
		if got.RiskRating != domain.RiskProhibited {
			t.Fatalf("rating after confirmed sanctions match: %s", got.RiskRating)
		}
		// Reject needs two different people.
		res, err := h.App.Cases.Decide(h.Ctx, kyctest.Client, cs.ID, app.DecideInput{Decision: domain.DecisionReject, Reason: "sanctioned"})
		if err != nil || !res.AwaitingSecondApproval || res.Case.Status != domain.CasePendingSecondApproval {
			t.Fatalf("first rejection: %+v %v", res, err)
		}
		got, _ = h.App.Customers.Get(h.Ctx, kyctest.Client, c.ID)
		if got.Status != domain.StatusInReview {
			t.Fatalf("first of two approvals changed the customer to %s", got.Status)
		}
		_, err = h.App.Cases.Decide(h.Ctx, kyctest.Client, cs.ID, app.DecideInput{Decision: domain.DecisionReject, Reason: "again"})
		kyctest.WantCode(t, err, domain.ECodeForbidden)
		res, err = h.App.Cases.Decide(h.Ctx, kyctest.SecondClient, cs.ID, app.DecideInput{Decision: domain.DecisionReject, Reason: "confirmed"})
		if err != nil || res.Case.Status != domain.CaseClosed || res.Customer.Status != domain.StatusRejected {
			t.Fatalf("second rejection: %+v %v", res, err)
		}
		_, err = h.App.Cases.Decide(h.Ctx, kyctest.SecondClient, cs.ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "x"})
		kyctest.WantCode(t, err, domain.ECodeConflict)
		decs, _ := h.App.Cases.Decisions(h.Ctx, kyctest.Client, cs.ID)
		if len(decs) != 2 || decs[0].Stage != "first" || decs[1].Stage != "second" || decs[0].Reason != "sanctioned" {
			t.Fatalf("decisions %+v", decs)
		}
		if res := h.VerifyAudit(); !res.OK {
			t.Fatalf("audit chain %+v", res)
		}
	})
}

func TestFalsePositiveIsRememberedAndApproved(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		h.ImportOFAC()
		d := kyctest.Individual()
		d.Individual.GivenNames, d.Individual.FamilyName, d.Individual.BirthDate = "Andrey Georgiyevich", "Zakharov", "1969-01-08"
		c := kyctest.Customer(t, h, &kyctest.CustomerOpts{Data: &d})
		kyctest.SubmitAndRun(t, h, kyctest.Client, c.ID)
		cs := kyctest.OpenCase(t, h, c.ID)
		hits, _ := h.App.Cases.Hits(h.Ctx, kyctest.Client, cs.ID)
		if len(hits) == 0 {
			t.Fatal("no hit")
		}
		for _, hit := range hits {
			if _, err := h.App.Cases.DispositionHit(h.Ctx, kyctest.Client, hit.ID, app.DispositionInput{Disposition: domain.DispositionFalsePositive, Reason: "Swedish citizen since birth, different tax id"}); err != nil {
				t.Fatal(err)
			}
		}
		// Ask for more information, then the customer resubmits: the hit is
		// not raised again since the list entity did not change.
		if _, err := h.App.Cases.Decide(h.Ctx, kyctest.Client, cs.ID, app.DecideInput{Decision: domain.DecisionRequestInfo, Reason: "proof of address", MessageToApplicant: "Please send a proof of address."}); err != nil {
			t.Fatal(err)
		}
		got, _ := h.App.Customers.Get(h.Ctx, kyctest.Client, c.ID)
		if got.Status != domain.StatusInfoRequested {
			t.Fatalf("status %s", got.Status)
		}
		if _, err := h.App.Customers.Update(h.Ctx, kyctest.Client, c.ID, func(d domain.CustomerData) (domain.CustomerData, error) {
			d.Individual.Address.Line2 = "Flat 2"
			return d, nil
		}); err != nil {
			t.Fatal(err)
		}
		got = kyctest.SubmitAndRun(t, h, kyctest.Client, c.ID)
		if got.Status != domain.StatusInReview {
			t.Fatalf("status after resubmit %s", got.Status)
		}
		checks, _ := h.App.Customers.ListChecks(h.Ctx, kyctest.Client, c.ID)
		for _, ck := range checks {
			if ck.Type == domain.CheckScreening && (ck.Status != domain.CheckPassed || ck.Round != 2) {
				t.Fatalf("screening after false positive: %s round %d (%s)", ck.Status, ck.Round, ck.Summary)
			}
		}
		cs2 := kyctest.OpenCase(t, h, c.ID)
		if cs2.ID != cs.ID {
			t.Fatal("resubmission opened a second case")
		}
		res, err := h.App.Cases.Decide(h.Ctx, kyctest.Client, cs.ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "verified"})
		if err != nil || res.Customer.Status != domain.StatusApproved {
			t.Fatalf("approve: %+v %v", res, err)
		}
	})
}

func TestHighRiskApprovalNeedsSecondApprover(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		d := kyctest.Individual()
		d.Individual.PEPDeclared = true
		c := kyctest.Customer(t, h, &kyctest.CustomerOpts{Data: &d, Evidence: true})
		got := kyctest.SubmitAndRun(t, h, kyctest.Client, c.ID)
		if got.RiskRating != domain.RiskHigh || got.DueDiligence != domain.DDEnhanced || got.Status != domain.StatusInReview {
			t.Fatalf("PEP: %s %s %s", got.RiskRating, got.DueDiligence, got.Status)
		}
		cs := kyctest.OpenCase(t, h, c.ID)
		res, err := h.App.Cases.Decide(h.Ctx, kyctest.Client, cs.ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "EDD complete"})
		if err != nil || !res.AwaitingSecondApproval {
			t.Fatalf("first approval %+v %v", res, err)
		}
		// The second approver (an MLRO, for enhanced due diligence) may
		// disagree: the case goes back to open.
		mlro := kyctest.StaffActor("usr_mlro", app.RoleMLRO)
		res, err = h.App.Cases.Decide(h.Ctx, mlro, cs.ID, app.DecideInput{Decision: domain.DecisionReject, Reason: "source of wealth unclear"})
		if err != nil || res.Case.Status != domain.CaseOpen {
			t.Fatalf("disagreement %+v %v", res, err)
		}
		if _, err := h.App.Cases.Decide(h.Ctx, kyctest.Client, cs.ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "SoW evidence added"}); err != nil {
			t.Fatal(err)
		}
		// Two API clients cannot approve a PEP between them: the approval
		// that completes four-eyes on enhanced due diligence is a staff
		// MLRO's (FATF R.12; issue #10's finding).
		_, err = h.App.Cases.Decide(h.Ctx, kyctest.SecondClient, cs.ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "agreed"})
		kyctest.WantCode(t, err, domain.ECodeForbidden)
		res, err = h.App.Cases.Decide(h.Ctx, mlro, cs.ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "agreed"})
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
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		c := kyctest.Customer(t, h, nil)
		if _, err := h.App.Customers.Submit(h.Ctx, kyctest.Client, c.ID); err != nil {
			t.Fatal(err)
		}
		ids := h.Queue.Take()
		if err := h.App.Checks.Fail(h.Ctx, ids[0], 5, "provider unavailable"); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids[1:] {
			if err := h.App.Checks.Run(h.Ctx, id, 1); err != nil {
				t.Fatal(err)
			}
		}
		// Running a finished check again is a no-op (retried job).
		if err := h.App.Checks.Run(h.Ctx, ids[1], 2); err != nil {
			t.Fatal(err)
		}
		checks, _ := h.App.Customers.ListChecks(h.Ctx, kyctest.Client, c.ID)
		var errored *domain.Check
		for i := range checks {
			if checks[i].Status == domain.CheckError {
				errored = &checks[i]
			}
		}
		if errored == nil || errored.Error != "provider unavailable" || errored.Attempts != 5 {
			t.Fatalf("no visible error check: %+v", checks)
		}
		cs := kyctest.OpenCase(t, h, c.ID)
		if cs.Kind != domain.CaseOnboarding {
			t.Fatalf("case kind %s", cs.Kind)
		}
	})
}

func TestAuditChainDetectsTampering(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		kyctest.Customer(t, h, nil)
		kyctest.Customer(t, h, nil)
		kyctest.Customer(t, h, nil)
		if res := h.VerifyAudit(); !res.OK || res.Events != 3 {
			t.Fatalf("chain before tampering %+v", res)
		}
		h.TamperAudit(`UPDATE audit_events SET action = 'customer.deleted' WHERE seq = 2`)
		res := h.VerifyAudit()
		if res.OK || res.BrokenAt != 2 {
			t.Fatalf("tampering not detected at 2: %+v", res)
		}
	})
}

func TestIdempotency(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		hash := app.RequestHash("POST", "/api/v1/customers", []byte(`{"a":1}`))
		if r, err := h.App.Idem.Begin(h.Ctx, "client:a", "k1", hash); r != nil || err != nil {
			t.Fatalf("fresh key: %v %v", r, err)
		}
		// A repeat while the first request is in flight (on any replica) is refused.
		_, err := h.App.Idem.Begin(h.Ctx, "client:a", "k1", hash)
		kyctest.WantCode(t, err, domain.ECodeConflict)
		if err := h.App.Idem.Finish(h.Ctx, "client:a", "k1", app.Response{Status: 201, Body: []byte(`{"id":"x"}`)}); err != nil {
			t.Fatal(err)
		}
		r, err := h.App.Idem.Begin(h.Ctx, "client:a", "k1", hash)
		if err != nil || r == nil || r.Status != 201 || string(r.Body) != `{"id":"x"}` {
			t.Fatalf("replay %v %v", r, err)
		}
		_, err = h.App.Idem.Begin(h.Ctx, "client:a", "k1", app.RequestHash("POST", "/api/v1/customers", []byte(`{"a":2}`)))
		kyctest.WantCode(t, err, domain.ECodeInvalid)
		if r, err := h.App.Idem.Begin(h.Ctx, "client:b", "k1", hash); r != nil || err != nil {
			t.Fatalf("another client's key: %v %v", r, err)
		}
		// A failed request releases its key; a retry holds it again.
		if err := h.App.Idem.Abandon(h.Ctx, "client:b", "k1"); err != nil {
			t.Fatal(err)
		}
		if r, err := h.App.Idem.Begin(h.Ctx, "client:b", "k1", hash); r != nil || err != nil {
			t.Fatalf("retry after abandon: %v %v", r, err)
		}
		// A reservation whose process died is taken over after a while.
		h.Advance(3 * time.Minute)
		if r, err := h.App.Idem.Begin(h.Ctx, "client:b", "k1", hash); r != nil || err != nil {
			t.Fatalf("stale reservation: %v %v", r, err)
		}
		// Keys expire after a day.
		h.Advance(25 * time.Hour)
		if r, err := h.App.Idem.Begin(h.Ctx, "client:a", "k1", app.RequestHash("POST", "/x", nil)); r != nil || err != nil {
			t.Fatalf("expired key: %v %v", r, err)
		}
	})
}

func screeningQuery(name string) screening.Query { return screening.Query{Name: name} }

func TestCasesAreTenantScoped(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		h.ImportOFAC()
		d := kyctest.Individual()
		d.Individual.GivenNames, d.Individual.FamilyName, d.Individual.BirthDate = "Andrey Georgiyevich", "Zakharov", "1969-01-08"
		c := kyctest.Customer(t, h, &kyctest.CustomerOpts{Data: &d})
		kyctest.SubmitAndRun(t, h, kyctest.Client, c.ID)
		cs := kyctest.OpenCase(t, h, c.ID)
		hits, _ := h.App.Cases.Hits(h.Ctx, kyctest.Client, cs.ID)
		if len(hits) == 0 {
			t.Fatal("no hit")
		}
		list, _, err := h.App.Cases.List(h.Ctx, kyctest.Outsider, app.ListCasesInput{})
		if err != nil || len(list) != 0 {
			t.Fatalf("other tenant lists %d cases (%v)", len(list), err)
		}
		_, err = h.App.Cases.Get(h.Ctx, kyctest.Outsider, cs.ID)
		kyctest.WantCode(t, err, domain.ECodeNotFound)
		_, err = h.App.Cases.Hits(h.Ctx, kyctest.Outsider, cs.ID)
		kyctest.WantCode(t, err, domain.ECodeNotFound)
		_, err = h.App.Cases.Hit(h.Ctx, kyctest.Outsider, hits[0].ID)
		kyctest.WantCode(t, err, domain.ECodeNotFound)
		_, err = h.App.Cases.Decide(h.Ctx, kyctest.Outsider, cs.ID, app.DecideInput{Decision: domain.DecisionReject, Reason: "x"})
		kyctest.WantCode(t, err, domain.ECodeNotFound)
		_, err = h.App.Cases.DispositionHit(h.Ctx, kyctest.Outsider, hits[0].ID, app.DispositionInput{Disposition: domain.DispositionFalsePositive, Reason: "x"})
		kyctest.WantCode(t, err, domain.ECodeNotFound)
		h.SealAudit()
		evs, err := h.App.Audit.ListEvents(h.Ctx, kyctest.Outsider, app.AuditQuery{})
		if err != nil || len(evs) != 0 {
			t.Fatalf("other tenant reads %d audit events (%v)", len(evs), err)
		}
		evs, err = h.App.Audit.ListEvents(h.Ctx, kyctest.Client, app.AuditQuery{})
		if err != nil || len(evs) == 0 {
			t.Fatalf("own tenant reads %d audit events (%v)", len(evs), err)
		}
		for _, e := range evs {
			if e.Tenant != "acme" {
				t.Fatalf("event of tenant %q listed for acme", e.Tenant)
			}
		}
		// Staff (and the operator) see every tenant.
		staff := kyctest.StaffActor("usr_1", app.RoleAnalyst)
		if _, err := h.App.Cases.Get(h.Ctx, staff, cs.ID); err != nil {
			t.Fatalf("staff: %v", err)
		}
	})
}

// Screening against no loaded list is no screening: the customer goes to a
// person, never to automatic approval.
func TestNoListLoadedIsNeverAutoApproved(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		c := kyctest.Customer(t, h, nil)
		got := kyctest.SubmitAndRun(t, h, kyctest.Client, c.ID)
		if got.Status != domain.StatusInReview {
			t.Fatalf("status %s with no list loaded", got.Status)
		}
		checks, _ := h.App.Customers.ListChecks(h.Ctx, kyctest.Client, c.ID)
		for _, ck := range checks {
			if ck.Type == domain.CheckScreening && (ck.Status != domain.CheckNeedsReview || !strings.Contains(ck.Summary, "No sanctions list is loaded")) {
				t.Fatalf("screening check %s: %s", ck.Status, ck.Summary)
			}
		}
		if cs := kyctest.OpenCase(t, h, c.ID); cs.Kind != domain.CaseOnboarding {
			t.Fatalf("case kind %s", cs.Kind)
		}
	})
}

func TestScreeningEvidenceIsKept(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		h.ImportOFAC()
		res, err := h.App.Screening.Screen(h.Ctx, kyctest.Client, screening.Query{Name: "Kim Jong Un", BirthDate: "1984-01-08"})
		if err != nil || res.ID == "" || len(res.Matches) == 0 || len(res.Snapshots) != 1 {
			t.Fatalf("screen: %+v %v", res, err)
		}
		sameTenant := domain.Actor{Type: domain.ActorClient, ID: "kyc_ci_s", Tenant: "acme", Scopes: []string{"screening:read"}}
		got, err := h.App.Screening.GetScreening(h.Ctx, sameTenant, res.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Query.Name != "Kim Jong Un" || got.Query.BirthDate != "1984-01-08" || got.Threshold != res.Threshold ||
			got.AlgorithmVersion != res.AlgorithmVersion || len(got.Matches) != len(res.Matches) ||
			got.Matches[0].EntityID != res.Matches[0].EntityID || got.Snapshots[0] != res.Snapshots[0] {
			t.Fatalf("evidence %+v, want %+v", got, res)
		}
		_, err = h.App.Screening.GetScreening(h.Ctx, kyctest.Outsider, res.ID)
		kyctest.WantCode(t, err, domain.ECodeNotFound)
		_, err = h.App.Screening.GetScreening(h.Ctx, kyctest.Client, "scr_unknown")
		kyctest.WantCode(t, err, domain.ECodeNotFound)
		// The query is personal data: stored encrypted.
		rec, err := h.Store.Screenings().Get(h.Ctx, res.ID)
		if err != nil || bytes.Contains(rec.Query, []byte("Kim Jong Un")) {
			t.Fatalf("query stored in clear (%v)", err)
		}
	})
}
