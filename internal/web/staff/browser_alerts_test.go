package staff_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/web/webtest"
)

// alertCaseFixture ingests three months of a customer's transactions,
// among them two cash deposits from 10,000 EUR, and returns the server of
// an application with a goAML reporting entity configured, the
// large_cash case and its alerts.
func alertCaseFixture(t *testing.T, e *env) (*httptest.Server, domain.Case, []domain.Alert) {
	t.Helper()
	deps := e.Deps()
	deps.GoAML = app.ReportingEntity{RentityID: "4711", CurrencyLocal: "EUR", ReportingPerson: "Maria Officer", ReportingEmail: "mlro@bank.example"}
	a := app.New(deps)
	data := person("Jonas", "Becker", "DE", false)
	c := kyctest.SubmittedCustomer(t, e.Bundle, &kyctest.CustomerOpts{Actor: kyctest.Operator, Data: &data})
	e.Advance(100 * 24 * time.Hour)
	now := e.Clock.Now()
	var ins []app.TransactionInput
	for i := range 12 { // salary-like wires over three months
		ins = append(ins, app.TransactionInput{ExternalID: fmt.Sprintf("w-%02d", i), CustomerID: c.ID, Amount: 180_000, Currency: "EUR",
			Direction: []domain.TxDirection{domain.TxIn, domain.TxOut}[i%2], Channel: domain.TxWire,
			Counterparty: domain.Counterparty{Name: "Stadtwerke Berlin GmbH", Country: "DE"}, OccurredAt: now.Add(-time.Duration(90-7*i) * 24 * time.Hour)})
	}
	for i, amount := range []int64{1_250_000, 1_100_000} {
		ins = append(ins, app.TransactionInput{ExternalID: fmt.Sprintf("cash-%d", i+1), CustomerID: c.ID, Amount: amount, Currency: "EUR",
			Direction: domain.TxIn, Channel: domain.TxCash, Counterparty: domain.Counterparty{Name: "Branch Alexanderplatz", Country: "DE"},
			OccurredAt: now.Add(-time.Duration(3-i) * 24 * time.Hour)})
	}
	res, err := a.Transactions.Ingest(e.Ctx, kyctest.Operator, ins)
	if err != nil {
		t.Fatal(err)
	}
	var alerts []domain.Alert
	for _, r := range res {
		if r.Status != app.ItemCreated {
			t.Fatalf("item %d: %s %v", r.Index, r.Status, r.Err)
		}
		for _, al := range r.Alerts {
			if al.Rule == "large_cash" {
				alerts = append(alerts, al)
			}
		}
	}
	if len(alerts) != 2 || alerts[0].CaseID != alerts[1].CaseID {
		t.Fatalf("large_cash alerts %+v", alerts)
	}
	cs, err := a.Cases.Get(e.Ctx, kyctest.Operator, alerts[0].CaseID)
	if err != nil {
		t.Fatal(err)
	}
	h, err := staffHandler(a, e.Clock)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, cs, alerts
}

// TestBrowserAlertCase drives the transaction_alert case page in Chromium
// (issue 9 items 4 and 5): the alerts with rule, version and explanation,
// the transactions in a table, the Chart.js chart of the activity against
// the declared volume; closing before every alert has a verdict is refused
// inline; per-alert verdicts (htmx); closing as suspicious needs a second
// approval by an MLRO (EU AMLR 2024/1624 art. 11; FATF R.18); the STR is
// built from the page and only the MLRO files it, with the FIU reference
// required (FATF R.20).
func TestBrowserAlertCase(t *testing.T) {
	b := webtest.Browser(t)
	e := setup(t, "sqlite")
	srv, cs, alerts := alertCaseFixture(t, e)
	base := srv.URL
	b.Desktop(t)
	b.Dark(t, false)
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
	casePage := base + "/staff/cases/" + cs.ID

	signIn("analyst")
	b.Do(t, chromedp.Navigate(casePage), chromedp.WaitVisible(css("#alerts")))
	for _, al := range alerts {
		got := b.Text(t, "#alert-"+al.ID)
		if !strings.Contains(got, "large_cash") || !strings.Contains(got, "rule version 2026.1") || !strings.Contains(got, "10,000.00 EUR threshold") {
			t.Errorf("alert card %s: %q", al.ID, got)
		}
	}
	table := b.Text(t, "[data-testid=tx-table]")
	if !strings.Contains(table, "cash-1") || !strings.Contains(table, "12,500.00 EUR") || !strings.Contains(table, "Branch Alexanderplatz") {
		t.Errorf("transactions table: %q", table)
	}
	// The chart: money in and out per month and the declared 3,000 EUR a
	// month as a line; the same numbers in a table.
	b.WaitEval(t, `(() => { const c = Chart.getChart(document.querySelector("[data-testid=activity-chart]")); return !!c && c.data.datasets.length === 3 && c.data.datasets[2].type === "line" && c.data.datasets[2].data[0] === 3000 && c.data.labels.length === 12 })()`, 10*time.Second)
	if got := b.Text(t, "#activity"); !strings.Contains(got, "Declared expected monthly volume: 3,000.00 EUR") {
		t.Errorf("activity section: %q", got)
	}
	b.Screenshot(t, "staff-case-alerts")

	// Closing while alerts have no verdict is refused, inline.
	b.Do(t, webtest.Press("#o-close_not_suspicious"), chromedp.SendKeys(css("#close-reason"), "Nothing unusual."), webtest.Press("[data-testid=close-case]"))
	b.WaitText(t, "#close-error", "Disposition every alert", 10*time.Second)

	// A verdict without a reason is refused on the card; then one false
	// positive and one suspicious.
	first, second := alerts[0], alerts[1]
	b.Do(t, webtest.Press("#afp-"+first.ID), webtest.Press("#alert-"+first.ID+" button[type=submit]"))
	b.WaitText(t, "#areason-"+first.ID+"-error", "reason", 10*time.Second)
	time.Sleep(300 * time.Millisecond) // let htmx settle the swapped card
	b.Do(t, chromedp.SendKeys(css("#areason-"+first.ID), "Proceeds of a documented car sale."), webtest.Press("#alert-"+first.ID+" button[type=submit]"))
	b.WaitText(t, "#alert-"+first.ID+" [data-testid=alert-status]", "False positive", 10*time.Second)
	b.Do(t, webtest.Press("#asus-"+second.ID), chromedp.SendKeys(css("#areason-"+second.ID), "Second cash deposit within days, no source of funds."),
		webtest.Press("#alert-"+second.ID+" button[type=submit]"))
	b.WaitText(t, "#alert-"+second.ID+" [data-testid=alert-status]", "Suspicious", 10*time.Second)

	// First approval of closing as suspicious.
	b.Do(t, chromedp.Navigate(casePage), chromedp.WaitVisible(css("#close")))
	b.Do(t, webtest.Press("#o-close_suspicious"), chromedp.SendKeys(css("#close-reason"), "Unexplained cash."), webtest.Press("[data-testid=close-case]"))
	b.WaitText(t, "[data-testid=close-pending]", "waits for a second approval", 10*time.Second)
	if got := b.Text(t, "#close"); !strings.Contains(got, "You gave the first approval") {
		t.Errorf("the analyst is offered the second approval: %q", got)
	}
	// Build the STR; the analyst cannot file it.
	b.Do(t, webtest.Press("[data-testid=build-report]"))
	b.WaitText(t, "#reports [data-testid=report-status]", "Draft", 10*time.Second)
	if got := b.Text(t, "#reports"); !strings.Contains(got, "Only an MLRO files") || strings.Contains(got, "Record as filed") {
		t.Errorf("reports for an analyst: %q", got)
	}
	b.Do(t, webtest.Press(`header form[action="/staff/signout"] button`), chromedp.WaitVisible(css("#email")))

	// The MLRO gives the second approval and files the report.
	signIn("mlro")
	b.Do(t, chromedp.Navigate(casePage), chromedp.WaitVisible(css("[data-testid=close-pending]")))
	b.Do(t, chromedp.SendKeys(css("#close-reason"), "Agreed: report to the FIU."), webtest.Press("[data-testid=close-case]"))
	b.WaitText(t, "[data-testid=close-outcome]", "Close as suspicious", 10*time.Second)
	b.Do(t, webtest.Press("[data-testid=file-report]"))
	b.WaitEval(t, `!!document.querySelector("#reports [aria-invalid=true]")`, 10*time.Second)
	reps, err := e.App.Reports.ForCase(e.Ctx, kyctest.Operator, cs.ID)
	if err != nil || len(reps) != 1 {
		t.Fatalf("reports %v %v", reps, err)
	}
	b.Do(t, chromedp.SendKeys(css("#fiu-"+reps[0].ID), "FIU-2026-000123"), webtest.Press("[data-testid=file-report]"))
	b.WaitText(t, "[data-testid=fiu-reference]", "FIU-2026-000123", 10*time.Second)
	b.Screenshot(t, "staff-case-alerts-filed")
}
