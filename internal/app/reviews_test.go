package app_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// reviewCases lists a customer's periodic_review cases.
func reviewCases(t *testing.T, h *kyctest.Bundle, customerID string) []domain.Case {
	t.Helper()
	cs, _, err := h.App.Cases.List(h.Ctx, kyctest.Operator, app.ListCasesInput{CustomerID: customerID, Kind: string(domain.CasePeriodicReview)})
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// TestPeriodicReview: an approved customer is reviewed at the interval of
// its risk rating (FATF R.10(d) and INR.10 para. 23: ongoing due diligence,
// keeping CDD data up to date through reviews, more often for higher risk;
// EU AMLR 2024/1624 art. 26(2)). When the date comes, the scan opens one
// periodic_review case with a fresh round of checks, the customer stays
// approved meanwhile, and approving the review sets the next date from the
// model's review_intervals (RISK_MODEL.md).
func TestPeriodicReview(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		c := approved(t, h)
		if want := h.Risk.NextReview(c.RiskRating, *c.DecidedAt); c.NextReviewAt == nil || !c.NextReviewAt.Equal(want) {
			t.Fatalf("next review %v, want %s (the model's interval for %s)", c.NextReviewAt, want, c.RiskRating)
		}
		// Not due yet: nothing opens.
		if n, err := h.App.Reviews.OpenDue(h.Ctx, 0); err != nil || n != 0 {
			t.Fatalf("before the date: opened %d, %v", n, err)
		}
		h.Clock.Set(c.NextReviewAt.Add(time.Minute))
		n, err := h.App.Reviews.OpenDue(h.Ctx, 0)
		if err != nil || n != 1 {
			t.Fatalf("on the date: opened %d, %v", n, err)
		}
		// Never two: a second scan opens nothing.
		if n, err := h.App.Reviews.OpenDue(h.Ctx, 0); err != nil || n != 0 {
			t.Fatalf("second scan: opened %d, %v", n, err)
		}
		cs := reviewCases(t, h, c.ID)
		if len(cs) != 1 || cs[0].Status != domain.CaseOpen || !strings.Contains(cs[0].Reason, "periodic review due") {
			t.Fatalf("review cases: %+v", cs)
		}
		// Fresh checks: a new round of the three checks runs; the customer
		// stays approved throughout.
		if n := h.RunChecks(); n != 3 {
			t.Fatalf("fresh checks: %d ran, want 3", n)
		}
		checks, err := h.App.Customers.ListChecks(h.Ctx, kyctest.Client, c.ID)
		if err != nil || len(checks) != 3 || checks[0].Round != 2 {
			t.Fatalf("latest checks: %+v %v", checks, err)
		}
		got, err := h.App.Customers.Get(h.Ctx, kyctest.Client, c.ID)
		if err != nil || got.Status != domain.StatusApproved {
			t.Fatalf("during the review: %v %v", got.Status, err)
		}
		ev := lastEventOf(t, h, c.ID, domain.EventReviewDue)
		if !strings.Contains(ev.Meta, cs[0].ID) {
			t.Fatalf("review.due meta %s lacks the case", ev.Meta)
		}

		analyst := kyctest.StaffUser(t, h, &kyctest.StaffUserOpts{Role: app.RoleAnalyst}).Actor()
		res, err := h.App.Cases.Decide(h.Ctx, analyst, cs[0].ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "Reviewed: data current, no new risk"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Case.Status != domain.CaseClosed || res.Customer.Status != domain.StatusApproved {
			t.Fatalf("after approving the review: case %s, customer %s", res.Case.Status, res.Customer.Status)
		}
		decided := h.Clock.Peek()
		want := h.Risk.NextReview(res.Customer.RiskRating, decided)
		if res.Customer.NextReviewAt == nil || res.Customer.NextReviewAt.Before(want.Add(-time.Second)) || res.Customer.NextReviewAt.After(want) {
			t.Fatalf("next review %v, want about %s", res.Customer.NextReviewAt, want)
		}
		if ev := lastEventOf(t, h, c.ID, domain.EventReviewScheduled); !strings.Contains(ev.Meta, cs[0].ID) {
			t.Fatalf("review.scheduled meta %s", ev.Meta)
		}
		// The next scan, before the new date, opens nothing.
		if n, err := h.App.Reviews.OpenDue(h.Ctx, 0); err != nil || n != 0 {
			t.Fatalf("after the review: opened %d, %v", n, err)
		}
	})
}

// TestPeriodicReviewScanRace: replicas scanning at the same time open one
// review per customer, never two (issue 8, "two replicas never open two
// cases").
func TestPeriodicReviewScanRace(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		var ids []string
		for range 3 {
			ids = append(ids, approved(t, h).ID)
		}
		h.Clock.Set(kyctest.Start.AddDate(4, 0, 0))
		other := app.New(h.Deps())
		var wg sync.WaitGroup
		var mu sync.Mutex
		total := 0
		for _, a := range []*app.App{h.App, other, h.App, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := a.Reviews.OpenDue(h.Ctx, 1)
				if err != nil && domain.ErrCode(err) != domain.ECodeConflict {
					t.Error(err)
				}
				mu.Lock()
				total += n
				mu.Unlock()
			}()
		}
		wg.Wait()
		// A scan that lost a race on its last customer stops there; the
		// next period's scan finds nothing left.
		n, err := h.App.Reviews.OpenDue(h.Ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if total+n != 3 {
			t.Fatalf("opened %d (+%d later), want 3", total, n)
		}
		for _, id := range ids {
			if cs := reviewCases(t, h, id); len(cs) != 1 {
				t.Fatalf("customer %s has %d review cases", id, len(cs))
			}
		}
	})
}

// TestReviewRequestsInformation: a review may ask the customer for
// information through the hosted pages (PRODUCT.md section 7): the customer
// moves to info_requested, answers and resubmits into the same case, and
// approving it approves the customer again with a new review date.
func TestReviewRequestsInformation(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		c := approved(t, h)
		h.Clock.Set(c.NextReviewAt.Add(time.Hour))
		if _, err := h.App.Reviews.OpenDue(h.Ctx, 0); err != nil {
			t.Fatal(err)
		}
		h.RunChecks()
		cs := reviewCases(t, h, c.ID)[0]
		analyst := kyctest.StaffUser(t, h, &kyctest.StaffUserOpts{Role: app.RoleAnalyst}).Actor()
		res, err := h.App.Cases.Decide(h.Ctx, analyst, cs.ID, app.DecideInput{Decision: domain.DecisionRequestInfo,
			Reason: "Proof of address is older than three years", MessageToApplicant: "Please upload a recent proof of address."})
		if err != nil {
			t.Fatal(err)
		}
		if res.Customer.Status != domain.StatusInfoRequested || res.Case.Status != domain.CaseOpen {
			t.Fatalf("after request_info: customer %s, case %s", res.Customer.Status, res.Case.Status)
		}
		// The applicant answers (an edit through the hosted pages is a
		// customer update) and resubmits into the same case.
		if _, err := h.App.Customers.Update(h.Ctx, kyctest.Client, c.ID, func(d domain.CustomerData) (domain.CustomerData, error) {
			d.Individual.Occupation = "Teacher"
			return d, nil
		}); err != nil {
			t.Fatal(err)
		}
		back := kyctest.SubmitAndRun(t, h, kyctest.Client, c.ID)
		if back.Status != domain.StatusInReview {
			t.Fatalf("after resubmission: %s, want in_review", back.Status)
		}
		if again := reviewCases(t, h, c.ID); len(again) != 1 || again[0].ID != cs.ID || again[0].Status != domain.CaseOpen {
			t.Fatalf("the review case after resubmission: %+v", again)
		}
		res, err = h.App.Cases.Decide(h.Ctx, analyst, cs.ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "Recent proof of address received"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Customer.Status != domain.StatusApproved || res.Customer.NextReviewAt == nil || !res.Customer.NextReviewAt.After(h.Clock.Peek().AddDate(0, 11, 0)) {
			t.Fatalf("after approval: %s, next review %v", res.Customer.Status, res.Customer.NextReviewAt)
		}
	})
}

// lastEventOf returns the newest sealed audit event of that action about a
// customer.
func lastEventOf(t *testing.T, h *kyctest.Bundle, customerID string, action domain.EventType) domain.AuditEvent {
	t.Helper()
	h.SealAudit()
	evs, err := h.App.Audit.ListEvents(h.Ctx, kyctest.Operator, app.AuditQuery{EntityType: domain.EntityCustomer, EntityID: customerID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].Action == string(action) {
			return evs[i]
		}
	}
	t.Fatalf("no %s event about %s", action, customerID)
	return domain.AuditEvent{}
}

// TestDashboardShowsReviews: the back office shows periodic reviews coming
// (next 30 days), due (open) and overdue (open past the case's due date),
// so that a compliance team sees the review backlog (FATF R.10(d)).
func TestDashboardShowsReviews(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		c := approved(t, h)
		analyst := kyctest.StaffUser(t, h, &kyctest.StaffUserOpts{Role: app.RoleAnalyst}).Actor()
		figures := func() app.ReviewFigures {
			t.Helper()
			d, err := h.App.Backoffice.Dashboard(h.Ctx, analyst, 4)
			if err != nil {
				t.Fatal(err)
			}
			return d.Reviews
		}
		if f := figures(); f != (app.ReviewFigures{}) {
			t.Fatalf("right after approval: %+v", f)
		}
		h.Clock.Set(c.NextReviewAt.AddDate(0, 0, -10))
		if f := figures(); f != (app.ReviewFigures{Next30Days: 1}) {
			t.Fatalf("ten days before: %+v", f)
		}
		h.Clock.Set(c.NextReviewAt.Add(time.Minute))
		if _, err := h.App.Reviews.OpenDue(h.Ctx, 0); err != nil {
			t.Fatal(err)
		}
		if f := figures(); f != (app.ReviewFigures{Open: 1}) {
			t.Fatalf("due: %+v", f)
		}
		h.Advance(h.Deps().Policy.CaseSLA + time.Hour)
		if f := figures(); f != (app.ReviewFigures{Open: 1, Overdue: 1}) {
			t.Fatalf("past the case's due date: %+v", f)
		}
	})
}
