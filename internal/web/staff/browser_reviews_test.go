package staff_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/web/webtest"
)

// TestBrowserPeriodicReview drives the periodic review in Chromium (issue
// 8, item 2): an approved customer's review date comes and the scan opens
// its review; the dashboard shows the review due, its card leads to the
// queue of reviews, the analyst opens the case and approves it, and the
// case page shows the customer still approved with the next review date
// set from the model's interval (FATF R.10(d); EU AMLR art. 26).
func TestBrowserPeriodicReview(t *testing.T) {
	b := webtest.Browser(t)
	e := setup(t, "sqlite")
	data := person("Lena", "Vogel", "DE", false)
	c := kyctest.SubmittedCustomer(t, e.Bundle, &kyctest.CustomerOpts{Actor: kyctest.Operator, Data: &data})
	onboarding := kyctest.OpenCase(t, e.Bundle, c.ID)
	res, err := e.App.Cases.Decide(e.Ctx, e.Users["analyst"].Actor(), onboarding.ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "Identity verified"})
	if err != nil || res.Customer.Status != domain.StatusApproved || res.Customer.NextReviewAt == nil {
		t.Fatalf("onboarding approval: %+v %v", res.Customer, err)
	}
	e.Clock.Set(res.Customer.NextReviewAt.Add(time.Hour))
	if n, err := e.App.Reviews.OpenDue(e.Ctx, 0); err != nil || n != 1 {
		t.Fatalf("scan: %d %v", n, err)
	}
	e.RunChecks()
	reviews, _, err := e.App.Cases.List(e.Ctx, kyctest.Operator, app.ListCasesInput{CustomerID: c.ID, Kind: string(domain.CasePeriodicReview)})
	if err != nil || len(reviews) != 1 {
		t.Fatalf("periodic reviews: %d %v", len(reviews), err)
	}
	review := reviews[0]

	base := e.Srv.URL
	b.Desktop(t)
	u := e.Users["analyst2"]
	b.Do(t, chromedp.Navigate(base+"/staff/signin"), chromedp.WaitVisible(css("#email")),
		chromedp.SendKeys(css("#email"), u.Email), chromedp.SendKeys(css("#password"), u.Password), chromedp.Click(css("button[type=submit]")))
	b.WaitText(t, "[data-testid=reviews-open]", "1", 10*time.Second)
	b.Screenshot(t, "staff-dashboard-reviews")

	// The card leads to the queue of periodic reviews.
	b.Do(t, chromedp.Click(css(`a[href="/staff/cases?kind=periodic_review&sort=due"]`)))
	b.WaitEval(t, `location.search.includes("kind=periodic_review")`, 10*time.Second)
	b.WaitText(t, "#queue-results", "Lena Vogel", 10*time.Second)
	// The queue links the review; open it (by its address: the queue's
	// scripts may still be loading on a busy machine).
	link := `#queue-results a[href="/staff/cases/` + review.ID + `"]`
	b.Do(t, chromedp.WaitVisible(css(link)))
	b.Do(t, chromedp.Navigate(base+"/staff/cases/"+review.ID), chromedp.WaitVisible(css("[data-testid=case-customer]")))
	if got := b.Text(t, "main"); !strings.Contains(got, "Periodic review") {
		t.Fatalf("case page does not say what it is: %q", got)
	}
	b.Screenshot(t, "staff-case-review")

	// Approve: the customer stays approved, the next review is set.
	b.Do(t, chromedp.Click(css("#d-approve")), chromedp.SendKeys(css("#reason"), "Reviewed: data current, screening clear."),
		chromedp.Click(css("[data-testid=decide]")))
	b.WaitText(t, "#decision", "This case is closed", 10*time.Second)
	got, err := e.App.Customers.Get(e.Ctx, kyctest.Operator, c.ID)
	if err != nil || got.Status != domain.StatusApproved || got.NextReviewAt == nil {
		t.Fatalf("after the review: %v %v", got, err)
	}
	want := e.Risk.NextReview(got.RiskRating, e.Clock.Peek()).Format("2006-01-02")
	if got.NextReviewAt.Format("2006-01-02") != want {
		t.Fatalf("next review %s, want %s", got.NextReviewAt.Format("2006-01-02"), want)
	}
	b.Do(t, chromedp.Navigate(base+"/staff/cases/"+review.ID), chromedp.WaitVisible(css("[data-testid=next-review]")))
	if s := b.Text(t, "[data-testid=next-review]"); !strings.Contains(s, want) {
		t.Fatalf("case page: %q, want the next review %s", s, want)
	}
	if s := b.Text(t, "main"); !strings.Contains(s, "Customer: approved") {
		t.Fatalf("case page does not show the customer approved: %q", s)
	}
	b.Do(t, chromedp.Navigate(base+"/staff/"), chromedp.WaitVisible(css("[data-testid=reviews-open]")))
	if s := b.Text(t, "[data-testid=reviews-open]"); s != "0" {
		t.Fatalf("reviews due after the decision: %q", s)
	}
}
