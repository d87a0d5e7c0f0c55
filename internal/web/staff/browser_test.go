package staff_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/web/webtest"
)

func css(s string) chromedp.CSS { return chromedp.CSS(s) }

// TestBrowserBackOffice drives the back office in Chromium: an analyst signs
// in with TOTP, finds the case in the queue, dispositions the hit and
// approves; a high-risk approval waits for an MLRO and the same person
// cannot give both; an auditor verifies the chain. It saves a screenshot of
// each main page (light, dark, phone) under testout/screenshots.
func TestBrowserBackOffice(t *testing.T) {
	b := webtest.Browser(t)
	e := setup(t, "sqlite")
	base := e.Srv.URL
	b.Desktop(t)
	b.Dark(t, false)
	shot := func(name string) { b.Screenshot(t, "staff-"+name) }
	signIn := func(role string) {
		c := e.Users[role]
		b.Do(t, chromedp.Navigate(base+"/staff/signin"), chromedp.WaitVisible(css("#email")),
			chromedp.SendKeys(css("#email"), c.Email), chromedp.SendKeys(css("#password"), c.Password),
			chromedp.Click(css("button[type=submit]")))
		if c.Secret != "" {
			b.Do(t, chromedp.WaitVisible(css("#code")))
			b.Do(t, chromedp.SendKeys(css("#code"), e.NextTOTP(c.Secret)), chromedp.Click(css("main button[type=submit].btn-primary")))
		}
		b.WaitText(t, "[data-testid=role]", "", 30*time.Second)
	}
	signOut := func() {
		b.Do(t, chromedp.Click(css(`header form[action="/staff/signout"] button`)), chromedp.WaitVisible(css("#email")))
	}

	// Sign-in page, then an analyst with a second factor.
	b.Do(t, chromedp.Navigate(base+"/staff/signin"), chromedp.WaitVisible(css("#email")))
	shot("signin")
	c := e.Users["analyst"]
	b.Do(t, chromedp.SendKeys(css("#email"), c.Email), chromedp.SendKeys(css("#password"), c.Password), chromedp.Click(css("button[type=submit]")),
		chromedp.WaitVisible(css("#code")))
	shot("signin-code")
	b.Do(t, chromedp.SendKeys(css("#code"), e.NextTOTP(c.Secret)), chromedp.Click(css("main button[type=submit].btn-primary")), chromedp.WaitVisible(css("canvas[data-kyc-chart]")))
	if got := b.Text(t, "[data-testid=role]"); got != "Analyst" {
		t.Fatalf("role badge %q", got)
	}
	b.WaitEval(t, `!!window.Chart && document.querySelectorAll("canvas[data-kyc-chart]").length === 4 && !!Chart.getChart(document.querySelector("canvas[data-kyc-chart]"))`, 10*time.Second)
	shot("dashboard")
	b.Dark(t, true)
	b.Do(t, chromedp.Navigate(base+"/staff/"), chromedp.WaitVisible(css("canvas[data-kyc-chart]")))
	b.Dark(t, true)
	time.Sleep(300 * time.Millisecond)
	shot("dashboard-dark")
	b.Dark(t, false)

	// The queue: find the case, open it.
	b.Do(t, chromedp.Navigate(base+"/staff/cases"), chromedp.WaitVisible(css("[data-kyc-queue]")))
	shot("queue")
	b.Do(t, chromedp.SetValue(css("#f-risk"), "high"))
	b.Do(t, chromedp.Evaluate[chromedp.Void](`document.querySelector("#f-risk").dispatchEvent(new Event("change", {bubbles: true}))`))
	b.WaitEval(t, `location.search.includes("risk=high") && !document.querySelector("#queue-results").textContent.includes("Andrei Zakharov")`, 10*time.Second)
	b.WaitText(t, "#queue-results", "Maria Schmidt", 10*time.Second)
	if got := b.Text(t, "#queue-results"); !strings.Contains(got, "Maria Schmidt") || strings.Contains(got, "Andrei Zakharov") {
		t.Fatalf("filtered queue: %q", got)
	}
	b.Do(t, chromedp.Navigate(base+"/staff/cases"), chromedp.WaitVisible(css("[data-kyc-queue]")))
	b.Do(t, chromedp.SendKeys(css("#q-name"), "Andrei Zakharov"))
	b.Do(t, chromedp.Click(css("form[role=search] button")))
	// The unfiltered queue lists the name too: wait for the search page
	// itself before reading or clicking anything on it.
	b.WaitEval(t, `location.pathname === "/staff/cases/search" && document.readyState === "complete"`, 10*time.Second)
	b.WaitText(t, "#queue-results", "Andrei Zakharov", 10*time.Second)
	if strings.Contains(b.Location(t), "Zakharov") {
		t.Fatal("the searched name is in the URL")
	}
	b.Do(t, chromedp.Click(css(`a[href="/staff/cases/`+e.HitCase.ID+`"]`)), chromedp.WaitVisible(css("[data-testid=case-customer]")))
	shot("case")

	// Reveal a masked section.
	b.Do(t, chromedp.Click(css(`#sec-contact button`)))
	b.WaitText(t, "#sec-contact", "andrei@example.com", 10*time.Second)

	// Disposition every hit as a false positive (htmx), then approve.
	hits, err := e.App.Cases.Hits(context.Background(), kyctest.Operator, e.HitCase.ID)
	if err != nil || len(hits) == 0 {
		t.Fatalf("hits %v %v", hits, err)
	}
	for _, h := range hits {
		b.Do(t, chromedp.Click(css("#fp-"+h.ID)), chromedp.SendKeys(css("#reason-"+h.ID), "Different birth date and nationality"),
			chromedp.Click(css("#hit-"+h.ID+" button[type=submit]")))
		b.WaitText(t, "#hit-"+h.ID+" [data-testid=disposition]", "False positive", 10*time.Second)
	}
	shot("case-dispositioned")
	b.Do(t, chromedp.Click(css("#d-approve")), chromedp.SendKeys(css("#reason"), "False positive; identity verified."),
		chromedp.Click(css("[data-testid=decide]")))
	b.WaitText(t, "#decision", "This case is closed", 10*time.Second)

	// High risk: the analyst's approval waits for an MLRO.
	b.Do(t, chromedp.Navigate(base+"/staff/cases/"+e.PEPCase.ID), chromedp.WaitVisible(css("#foureyes-note")))
	b.Do(t, chromedp.Click(css("#d-approve")), chromedp.SendKeys(css("#reason"), "Source of wealth documented."), chromedp.Click(css("[data-testid=decide]")))
	b.WaitText(t, "[data-testid=pending]", "waits for a second approval by a different person", 10*time.Second)
	if got := b.Text(t, "#decision"); !strings.Contains(got, "You gave the first approval") {
		t.Fatalf("the same person is offered the second approval: %q", got)
	}
	shot("case-pending")
	signOut()
	signIn("mlro")
	b.Do(t, chromedp.Navigate(base+"/staff/cases/"+e.PEPCase.ID), chromedp.WaitVisible(css("[data-testid=pending]")))
	if got := b.Text(t, "[data-testid=pending]"); !strings.Contains(got, "analyst@bank.example") {
		t.Fatalf("the page does not say who approved first: %q", got)
	}
	b.Do(t, chromedp.Click(css("#d-approve")), chromedp.SendKeys(css("#reason"), "EDD complete; approved."), chromedp.Click(css("[data-testid=decide]")))
	b.WaitText(t, "#decision", "This case is closed", 10*time.Second)
	b.Do(t, chromedp.Navigate(base+"/staff/customers"), chromedp.WaitVisible(css("[data-kyc-queue]")))
	shot("customers")
	b.Do(t, chromedp.Navigate(base+"/staff/customers/"+e.HitCustomer.ID), chromedp.WaitVisible(css("#sec-identity")))
	shot("customer")
	b.Do(t, chromedp.Navigate(base+"/staff/lists"), chromedp.WaitVisible(css("main table")))
	shot("lists")
	signOut()

	// The auditor verifies the chain (sealed as a running server's sealer
	// would).
	e.SealAudit()
	signIn("auditor")
	b.Do(t, chromedp.Navigate(base+"/staff/audit"), chromedp.WaitVisible(css("[data-testid=verify]")), chromedp.Click(css("[data-testid=verify]")))
	b.WaitText(t, "#verify-result", "The chain is intact.", 10*time.Second)
	shot("audit")
	signOut()

	// Admin pages, and the queue on a phone in dark mode.
	signIn("admin")
	b.Do(t, chromedp.Navigate(base+"/staff/admin/users"), chromedp.WaitVisible(css("#u-email")))
	shot("admin-users")
	b.Do(t, chromedp.Navigate(base+"/staff/admin/clients"), chromedp.WaitVisible(css("#c-name")))
	shot("admin-clients")
	signOut()
	signIn("analyst2")
	b.Phone(t)
	b.Do(t, chromedp.Navigate(base+"/staff/cases?status=all"), chromedp.WaitVisible(css("[data-kyc-queue]")))
	shot("queue-phone")
	b.Dark(t, true)
	b.Do(t, chromedp.Navigate(base+"/staff/cases/"+e.PEPCase.ID), chromedp.WaitVisible(css("[data-testid=case-customer]")))
	b.Dark(t, true)
	shot("case-phone-dark")
}
