package app_test

import (
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// TestAlertCaseView: the case page's data (issue 9 item 4): the alerts,
// the transactions that triggered them flagged by rule, the customer's
// monthly activity in the reporting currency against the declared
// volume; another tenant does not see the case.
func TestAlertCaseView(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, b *kyctest.Bundle) {
		c := monitored(t, b)
		b.Advance(40 * 24 * time.Hour)
		now := b.Clock.Now()
		wire := txIn(b, c.ID, "v-wire")
		wire.Amount, wire.OccurredAt = 250_000, now.AddDate(0, -1, 0)
		out := txIn(b, c.ID, "v-out")
		out.Direction, out.Amount, out.OccurredAt = domain.TxOut, 40_000, now.AddDate(0, -1, 0)
		cash := txIn(b, c.ID, "v-cash")
		cash.Channel, cash.Amount, cash.OccurredAt = domain.TxCash, 1_500_000, now.Add(-time.Hour)
		res, err := b.App.Transactions.Ingest(b.Ctx, kyctest.Client, []app.TransactionInput{wire, out, cash})
		if err != nil {
			t.Fatal(err)
		}
		large := byRule(res[2].Alerts, "large_cash")
		if len(large) != 1 {
			t.Fatalf("alerts %+v", res[2].Alerts)
		}
		v, err := b.App.Alerts.Case(b.Ctx, kyctest.Client, large[0].CaseID)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Alerts) != 1 || v.Open != 1 || len(v.Transactions) != 1 || v.Transactions[0].ExternalID != "v-cash" ||
			v.Transactions[0].Counterparty.Name != "Erika Mustermann" || len(v.FlaggedBy[v.Transactions[0].ID]) != 1 {
			t.Fatalf("view %+v", v)
		}
		if len(v.Activity) != app.ActivityMonths || !v.HasExpected || v.ExpectedMonthly != 300_000 || v.ReportingCurrency != "EUR" {
			t.Fatalf("activity %+v expected %d %v", v.Activity, v.ExpectedMonthly, v.HasExpected)
		}
		last, prev := v.Activity[len(v.Activity)-1], v.Activity[len(v.Activity)-2]
		if last.In != 1_500_000 || last.Count != 1 || prev.In != 250_000 || prev.Out != 40_000 || prev.Count != 2 {
			t.Errorf("last months %+v %+v", prev, last)
		}
		if _, err := b.App.Alerts.Case(b.Ctx, kyctest.Outsider, large[0].CaseID); domain.ErrCode(err) != domain.ECodeNotFound {
			t.Errorf("another tenant: %v", err)
		}
	})
}

// TestAlertsNeverReachTheApplicant: an applicant (the hosted onboarding
// session of the very customer) reads neither alerts, nor the alert case,
// nor its reports: no tipping-off (EU AMLD 2015/849 art. 39; FATF R.21).
func TestAlertsNeverReachTheApplicant(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, b *kyctest.Bundle) {
		c := monitored(t, b)
		cash := txIn(b, c.ID, "tip-cash")
		cash.Channel, cash.Amount = domain.TxCash, 1_500_000
		res, err := b.App.Transactions.Create(b.Ctx, kyctest.Client, cash)
		if err != nil || len(res.Alerts) == 0 {
			t.Fatalf("ingest: %+v %v", res, err)
		}
		applicant := domain.Actor{Type: domain.ActorApplicant, ID: c.ID}
		if _, _, err := b.App.Alerts.List(b.Ctx, applicant, app.ListAlertsInput{CustomerID: c.ID}); domain.ErrCode(err) != domain.ECodeForbidden {
			t.Errorf("alerts listed to the applicant: %v", err)
		}
		if _, err := b.App.Alerts.Case(b.Ctx, applicant, res.Alerts[0].CaseID); domain.ErrCode(err) != domain.ECodeForbidden {
			t.Errorf("alert case shown to the applicant: %v", err)
		}
		if _, err := b.App.Reports.ForCase(b.Ctx, applicant, res.Alerts[0].CaseID); domain.ErrCode(err) != domain.ECodeForbidden {
			t.Errorf("reports listed to the applicant: %v", err)
		}
		if _, _, err := b.App.Transactions.List(b.Ctx, applicant, app.ListTransactionsInput{CustomerID: c.ID}); domain.ErrCode(err) != domain.ECodeForbidden {
			t.Errorf("transactions listed to the applicant: %v", err)
		}
	})
}
