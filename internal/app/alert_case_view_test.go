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
