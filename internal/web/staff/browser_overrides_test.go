package staff_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/web/webtest"
)

// TestBrowserRiskOverride drives a risk override in Chromium (RISK_MODEL.md:
// "only with a reason and an mlro's second approval; stored beside the
// computed rating"): the analyst's form without a reason is refused inline,
// then sent with one; the analyst sees it waiting; the mlro approves it on
// the customer's page, which then shows the rating in force beside the
// computed one.
func TestBrowserRiskOverride(t *testing.T) {
	b := webtest.Browser(t)
	e := setup(t, "sqlite")
	data := person("Jonas", "Weber", "DE", false)
	c := kyctest.SubmittedCustomer(t, e.Bundle, &kyctest.CustomerOpts{Actor: kyctest.Operator, Data: &data})
	if c.RiskRating != domain.RiskLow {
		t.Fatalf("customer rated %s", c.RiskRating)
	}
	base := e.Srv.URL
	b.Desktop(t)
	signIn := func(role string) {
		u := e.Users[role]
		b.Do(t, chromedp.Navigate(base+"/staff/signin"), chromedp.WaitVisible(css("#email")),
			chromedp.SendKeys(css("#email"), u.Email), chromedp.SendKeys(css("#password"), u.Password), chromedp.Click(css("button[type=submit]")))
		if u.Secret != "" {
			b.Do(t, chromedp.WaitVisible(css("#code")))
			b.Do(t, chromedp.SendKeys(css("#code"), e.NextTOTP(u.Secret)), chromedp.Click(css("main button[type=submit].btn-primary")))
		}
		b.WaitText(t, "[data-testid=role]", "", 10*time.Second)
	}
	page := base + "/staff/customers/" + c.ID

	signIn("analyst2")
	b.Do(t, chromedp.Navigate(page), chromedp.WaitVisible(css("[data-testid=override-request]")))
	b.Do(t, chromedp.SetValue(css("#override-rating"), "high"), chromedp.Click(css("[data-testid=override-request]")))
	b.WaitText(t, "#override-reason-error", "reason", 10*time.Second)
	b.Do(t, chromedp.SendKeys(css("#override-reason"), "Adverse media about the employer."), chromedp.Click(css("[data-testid=override-request]")))
	b.WaitText(t, "[data-testid=override-pending]", "awaiting an mlro", 10*time.Second)
	if s := b.Text(t, "[data-testid=override-pending]"); !strings.Contains(s, "another mlro must approve") {
		t.Fatalf("the analyst sees: %q", s)
	}
	b.Screenshot(t, "staff-override-requested")
	b.Do(t, chromedp.Click(css(`header form[action="/staff/signout"] button`)), chromedp.WaitVisible(css("#email")))

	signIn("mlro")
	b.Do(t, chromedp.Navigate(page), chromedp.WaitVisible(css("[data-testid=override-approve]")))
	b.Do(t, chromedp.Click(css("[data-testid=override-approve]")))
	b.WaitText(t, "[data-testid=override-approved]", "in force", 10*time.Second)
	b.WaitText(t, "[data-testid=computed-rating]", "computed: low", 10*time.Second)
	b.Screenshot(t, "staff-override-approved")
	got, err := e.App.Customers.Get(e.Ctx, kyctest.Operator, c.ID)
	if err != nil || got.RiskRating != domain.RiskHigh || got.ComputedRiskRating != domain.RiskLow {
		t.Fatalf("after the approval: %v %v", got, err)
	}
}
