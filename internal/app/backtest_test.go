package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/monitoring"
	"github.com/kyc-platform/kyc/internal/store"
)

func backtestRule(res app.BacktestResult, name string) app.BacktestRule {
	for _, r := range res.Rules {
		if r.Rule == name {
			return r
		}
	}
	return app.BacktestRule{Rule: "missing " + name}
}

// TestBacktestCountsWithoutWriting: back-testing (issue 9 item 6) counts
// what each rule would have raised in the period, for which customers,
// with the aggregates seeing the history before the period (structuring,
// 31 CFR 1010.314: the two earlier deposits lie before From), and writes
// nothing: no alert, case or audit event.
func TestBacktestCountsWithoutWriting(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, b *kyctest.Bundle) {
		c := monitored(t, b)
		quiet := monitored(t, b) // transactions that raise nothing
		now := b.Clock.Now()
		day := 24 * time.Hour
		var ins []app.TransactionInput
		for i, amount := range []int64{900_000, 950_000, 980_000} { // structuring on the third
			in := txIn(b, c.ID, "bt-s"+string(rune('1'+i)))
			in.Channel, in.Amount, in.OccurredAt = domain.TxCash, amount, now.Add(time.Duration(i-5)*day)
			ins = append(ins, in)
		}
		big := txIn(b, c.ID, "bt-big") // large_cash
		big.Channel, big.Amount, big.OccurredAt = domain.TxCash, 1_200_000, now.Add(-day)
		small := txIn(b, quiet.ID, "bt-q")
		small.Amount, small.OccurredAt = 5000, now.Add(-day)
		ins = append(ins, big, small)
		if _, err := b.App.Transactions.Ingest(b.Ctx, kyctest.Client, ins); err != nil {
			t.Fatal(err)
		}
		alertsBefore, _, _ := b.App.Alerts.List(b.Ctx, kyctest.Client, app.ListAlertsInput{})
		seqBefore := auditCount(t, b)

		from, to := now.Add(-3*day-12*time.Hour), now
		rules, err := monitoring.Default(app.MonitoringOptions(b.Risk, "EUR"))
		if err != nil {
			t.Fatal(err)
		}
		res, err := b.App.Transactions.Backtest(b.Ctx, kyctest.Client, app.BacktestInput{Rules: rules, From: from, To: to})
		if err != nil {
			t.Fatal(err)
		}
		if res.Customers != 2 || res.Transactions != 3 || len(res.Rules) != 7 {
			t.Fatalf("backtest: %d customers, %d transactions, %d rules", res.Customers, res.Transactions, len(res.Rules))
		}
		if s := backtestRule(res, "structuring"); s.Alerts != 1 || len(s.Customers) != 1 || s.Customers[0].CustomerID != c.ID {
			t.Errorf("structuring: %+v", s)
		}
		if l := backtestRule(res, "large_cash"); l.Alerts != 1 {
			t.Errorf("large_cash: %+v", l)
		}
		// Velocity was crossed before the period: not raised again in it.
		if v := backtestRule(res, "velocity"); v.Alerts != 0 || v.Customers == nil {
			t.Errorf("velocity: %+v", v)
		}
		// A tuned rule set: the cash threshold raised to 15,000 EUR.
		tuned, err := monitoring.Load(strings.NewReader(strings.Replace(string(monitoring.DefaultYAML()),
			"value: \"10000\"\n        description: Cash amount", "value: \"15000\"\n        description: Cash amount", 1)),
			app.MonitoringOptions(b.Risk, "EUR"))
		if err != nil {
			t.Fatal(err)
		}
		res, err = b.App.Transactions.Backtest(b.Ctx, kyctest.Client, app.BacktestInput{Rules: tuned, From: from, To: to})
		if err != nil {
			t.Fatal(err)
		}
		if l := backtestRule(res, "large_cash"); l.Alerts != 0 {
			t.Errorf("large_cash at 15,000: %+v", l)
		}
		// Nothing was written.
		alertsAfter, _, _ := b.App.Alerts.List(b.Ctx, kyctest.Client, app.ListAlertsInput{})
		if len(alertsAfter) != len(alertsBefore) || auditCount(t, b) != seqBefore {
			t.Errorf("backtest wrote: alerts %d → %d, audit events %d → %d", len(alertsBefore), len(alertsAfter), seqBefore, auditCount(t, b))
		}
		// Another tenant's client sees none of these customers.
		other, err := b.App.Transactions.Backtest(b.Ctx, kyctest.Outsider, app.BacktestInput{Rules: tuned, From: from, To: to})
		if err != nil || other.Customers != 0 || other.Transactions != 0 {
			t.Errorf("outsider: %+v, %v", other, err)
		}
		// A period that ends before it starts is refused naming to.
		_, err = b.App.Transactions.Backtest(b.Ctx, kyctest.Client, app.BacktestInput{Rules: tuned, From: to, To: from})
		kyctest.WantCode(t, err, domain.ECodeInvalid)
		if f := fieldsOf(err); len(f) != 1 || f[0] != "to" {
			t.Errorf("fields %v", f)
		}
	})
}

func auditCount(t *testing.T, b *kyctest.Bundle) int {
	t.Helper()
	evs, err := b.Store.Audit().List(b.Ctx, store.AuditFilter{Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	pending, err := b.Store.Audit().Pending(b.Ctx, 100000)
	if err != nil {
		t.Fatal(err)
	}
	return len(evs) + len(pending)
}

// TestBacktestScreensCounterparties: back-testing reads the encrypted
// counterparty names of the stored transactions and screens them against
// the loaded lists, so counterparty_screening_hit (FATF Recommendation 6)
// is counted like at ingestion.
func TestBacktestScreensCounterparties(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, b *kyctest.Bundle) {
		c := monitored(t, b)
		in := txIn(b, c.ID, "bt-cp")
		in.Counterparty = domain.Counterparty{Name: "Andrey Georgiyevich Zakharov", Country: "RU", Type: domain.CounterpartyPerson}
		clean := txIn(b, c.ID, "bt-clean")
		// Ingested before any list is loaded: no alert then.
		res, err := b.App.Transactions.Ingest(b.Ctx, kyctest.Client, []app.TransactionInput{in, clean})
		if err != nil || len(byRule(res[0].Alerts, "counterparty_screening_hit")) != 0 {
			t.Fatalf("ingest: %+v, %v", res, err)
		}
		b.ImportOFAC()
		rules, err := monitoring.Default(app.MonitoringOptions(b.Risk, "EUR"))
		if err != nil {
			t.Fatal(err)
		}
		now := b.Clock.Now()
		bt, err := b.App.Transactions.Backtest(b.Ctx, kyctest.Client, app.BacktestInput{Rules: rules, From: now.Add(-72 * time.Hour), To: now})
		if err != nil {
			t.Fatal(err)
		}
		if hit := backtestRule(bt, "counterparty_screening_hit"); !bt.Screened || hit.Alerts != 1 || len(hit.Customers) != 1 {
			t.Errorf("screened %v: %+v", bt.Screened, hit)
		}
	})
}

// TestBacktestCountsRuleErrors: a rule that fails at run time on one
// stored transaction is counted as an error for that transaction; the
// other transactions and rules go on (issue 9, "Bad input").
func TestBacktestCountsRuleErrors(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, b *kyctest.Bundle) {
		c := monitored(t, b)
		ins := []app.TransactionInput{txIn(b, c.ID, "e-1"), txIn(b, c.ID, "e-2"), txIn(b, c.ID, "e-3")}
		ins[0].Amount, ins[1].Amount, ins[2].Amount = 505, 500, 501
		if _, err := b.App.Transactions.Ingest(b.Ctx, kyctest.Client, ins); err != nil {
			t.Fatal(err)
		}
		rules, err := monitoring.Load(strings.NewReader(`version: "t1"
rules:
  - name: ratio
    description: fails when the amount is 500
    severity: low
    expression: 1000 / (tx.amount - 500) > 100
    explanation: ratio {{.tx.external_id}}
  - name: big
    description: any amount from 100
    severity: low
    expression: tx.amount >= 100
    explanation: big {{.tx.external_id}}
`), monitoring.Options{})
		if err != nil {
			t.Fatal(err)
		}
		now := b.Clock.Now()
		res, err := b.App.Transactions.Backtest(b.Ctx, kyctest.Client, app.BacktestInput{Rules: rules, From: now.Add(-72 * time.Hour), To: now})
		if err != nil {
			t.Fatal(err)
		}
		// ratio: 1000/5 = 200 > 100 fires on 505, fails on 500, 1000/1 fires on 501.
		if r := backtestRule(res, "ratio"); r.Alerts != 3 || r.Errors != 1 {
			t.Errorf("ratio: %+v", r)
		}
		if r := backtestRule(res, "big"); r.Alerts != 3 || r.Errors != 0 {
			t.Errorf("big: %+v", r)
		}
	})
}
