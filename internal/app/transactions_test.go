package app_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/monitoring"
)

// monitored returns a submitted (non-draft) customer of kyctest.Client and
// moves the clock 10 days on, so that transactions can be dated after the
// customer was created.
func monitored(t *testing.T, b *kyctest.Bundle) *domain.Customer {
	t.Helper()
	c := kyctest.SubmittedCustomer(t, b, nil)
	b.Advance(10 * 24 * time.Hour)
	return c
}

// byRule returns the alerts of one rule.
func byRule(as []domain.Alert, rule string) []domain.Alert {
	var out []domain.Alert
	for _, a := range as {
		if a.Rule == rule {
			out = append(out, a)
		}
	}
	return out
}

// txIn is a valid wire transfer of 100.00 EUR received a day ago.
func txIn(b *kyctest.Bundle, customerID, ext string) app.TransactionInput {
	return app.TransactionInput{
		ExternalID: ext, CustomerID: customerID, Amount: 10000, Currency: "EUR",
		Direction: domain.TxIn, Channel: domain.TxWire,
		Counterparty: domain.Counterparty{Name: "Erika Mustermann", Country: "DE", Account: "DE89370400440532013000"},
		OccurredAt:   b.Clock.Now().Add(-24 * time.Hour),
	}
}

func fieldsOf(err error) []string {
	var out []string
	if de, ok := err.(*domain.Error); ok {
		for _, f := range de.Fields {
			out = append(out, f.Location)
		}
	}
	return out
}

// TestTransactionIdempotentOnExternalID: a repeat of an external_id with
// the same content returns the stored transaction; with different content
// it is a conflict (PRODUCT.md section 3, POST /api/v1/transactions).
func TestTransactionIdempotentOnExternalID(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, b *kyctest.Bundle) {
		c := monitored(t, b)
		in := txIn(b, c.ID, "ext-1")
		first, err := b.App.Transactions.Create(b.Ctx, kyctest.Client, in)
		if err != nil || first.Status != app.ItemCreated {
			t.Fatalf("create: %+v, %v", first, err)
		}
		if first.Transaction.ReportingAmount != 10000 || first.Transaction.ReportingCurrency != "EUR" {
			t.Errorf("reporting amount %d %s", first.Transaction.ReportingAmount, first.Transaction.ReportingCurrency)
		}
		again, err := b.App.Transactions.Create(b.Ctx, kyctest.Client, in)
		if err != nil || again.Status != app.ItemDuplicate || again.Transaction.ID != first.Transaction.ID {
			t.Fatalf("repeat: %+v, %v", again, err)
		}
		if again.Transaction.Counterparty.Name != "Erika Mustermann" || again.Transaction.Counterparty.Account != "DE89370400440532013000" {
			t.Errorf("stored counterparty %+v", again.Transaction.Counterparty)
		}
		changed := in
		changed.Amount = 10001
		_, err = b.App.Transactions.Create(b.Ctx, kyctest.Client, changed)
		kyctest.WantCode(t, err, domain.ECodeConflict)
		if f := fieldsOf(err); !slices.Equal(f, []string{"external_id"}) {
			t.Errorf("conflict fields %v", f)
		}
		// Another tenant may use the same external_id for its own customer;
		// it cannot report for ours.
		_, err = b.App.Transactions.Create(b.Ctx, kyctest.Outsider, in)
		kyctest.WantCode(t, err, domain.ECodeInvalid)
		if f := fieldsOf(err); !slices.Equal(f, []string{"customer_id"}) {
			t.Errorf("outsider fields %v", f)
		}
		// Nothing of the counterparty is stored in clear.
		rec, err := b.Store.Transactions().Get(b.Ctx, first.Transaction.ID)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(rec.Counterparty), "Mustermann") || strings.Contains(string(rec.Counterparty), "DE8937") {
			t.Error("the counterparty is stored in clear")
		}
		page, _, err := b.App.Transactions.List(b.Ctx, kyctest.Client, app.ListTransactionsInput{CustomerID: c.ID})
		if err != nil || len(page) != 1 {
			t.Fatalf("list: %d, %v", len(page), err)
		}
		if page, _, _ := b.App.Transactions.List(b.Ctx, kyctest.Outsider, app.ListTransactionsInput{}); len(page) != 0 {
			t.Errorf("another tenant lists %d transactions", len(page))
		}
	})
}

// TestTransactionBadInput: every bad input of the issue is refused naming
// its field, and nothing is stored.
func TestTransactionBadInput(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, b *kyctest.Bundle) {
		draft := kyctest.Customer(t, b, nil)
		c := monitored(t, b)
		now := b.Clock.Now()
		cases := []struct {
			name  string
			edit  func(*app.TransactionInput)
			field string
		}{
			{"unknown customer", func(in *app.TransactionInput) { in.CustomerID = "cus_unknown" }, "customer_id"},
			{"draft customer", func(in *app.TransactionInput) { in.CustomerID = draft.ID }, "customer_id"},
			{"zero amount", func(in *app.TransactionInput) { in.Amount = 0 }, "amount"},
			{"negative amount", func(in *app.TransactionInput) { in.Amount = -5 }, "amount"},
			{"unknown currency", func(in *app.TransactionInput) { in.Currency = "XYZ" }, "currency"},
			{"no rate for currency", func(in *app.TransactionInput) { in.Currency = "XAU" }, "currency"},
			{"future date", func(in *app.TransactionInput) { in.OccurredAt = now.Add(time.Hour) }, "occurred_at"},
			{"before the customer existed", func(in *app.TransactionInput) { in.OccurredAt = c.CreatedAt.Add(-time.Hour) }, "occurred_at"},
			{"bad direction", func(in *app.TransactionInput) { in.Direction = "sideways" }, "direction"},
			{"bad channel", func(in *app.TransactionInput) { in.Channel = "pigeon" }, "channel"},
			{"no counterparty name", func(in *app.TransactionInput) { in.Counterparty.Name = " " }, "counterparty.name"},
			{"bad counterparty country", func(in *app.TransactionInput) { in.Counterparty.Country = "XX" }, "counterparty.country"},
			{"no external id", func(in *app.TransactionInput) { in.ExternalID = "" }, "external_id"},
		}
		for i, tc := range cases {
			in := txIn(b, c.ID, "bad-"+string(rune('a'+i)))
			tc.edit(&in)
			_, err := b.App.Transactions.Create(b.Ctx, kyctest.Client, in)
			kyctest.WantCode(t, err, domain.ECodeInvalid)
			if f := fieldsOf(err); !slices.Equal(f, []string{tc.field}) {
				t.Errorf("%s: fields %v, want [%s]", tc.name, f, tc.field)
			}
		}
		if page, _, _ := b.App.Transactions.List(b.Ctx, kyctest.Client, app.ListTransactionsInput{}); len(page) != 0 {
			t.Errorf("%d transactions stored from bad input", len(page))
		}
		_, err := b.App.Transactions.Create(b.Ctx, kyctest.ReadOnly, txIn(b, c.ID, "scope"))
		kyctest.WantCode(t, err, domain.ECodeForbidden)
	})
}

// TestTransactionBatchPerItem: one bad item never loses the others, and the
// results come in input order (PRODUCT.md section 3, batch).
func TestTransactionBatchPerItem(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, b *kyctest.Bundle) {
		c := monitored(t, b)
		good := txIn(b, c.ID, "b-1")
		bad := txIn(b, c.ID, "b-2")
		bad.Amount = 0
		dup := good
		clash := good
		clash.Amount = 5
		third := txIn(b, c.ID, "b-3")
		res, err := b.App.Transactions.Ingest(b.Ctx, kyctest.Client, []app.TransactionInput{good, bad, dup, clash, third})
		if err != nil {
			t.Fatal(err)
		}
		want := []app.ItemStatus{app.ItemCreated, app.ItemError, app.ItemDuplicate, app.ItemError, app.ItemCreated}
		for i, r := range res {
			if r.Index != i || r.Status != want[i] {
				t.Errorf("item %d: index %d status %s (%v), want %s", i, r.Index, r.Status, r.Err, want[i])
			}
		}
		kyctest.WantCode(t, res[3].Err, domain.ECodeConflict)
		if res[2].Transaction.ID != res[0].Transaction.ID {
			t.Error("the duplicate does not name the stored transaction")
		}
		_, err = b.App.Transactions.Ingest(b.Ctx, kyctest.Client, make([]app.TransactionInput, app.MaxBatch+1))
		kyctest.WantCode(t, err, domain.ECodeInvalid)
	})
}

// TestLargeCashAlertOpensCase: a cash transaction of 10,000 EUR or more
// raises large_cash (31 CFR 1010.311; FATF Recommendation 10; PRODUCT.md
// section 7), with rule version, parameters, the transaction and an
// explanation; alerts open one transaction_alert case per customer and
// rule, and later alerts of the rule join it.
func TestLargeCashAlertOpensCase(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, b *kyctest.Bundle) {
		c := monitored(t, b)
		cash := txIn(b, c.ID, "cash-1")
		cash.Channel, cash.Amount = domain.TxCash, 1_000_000
		res, err := b.App.Transactions.Create(b.Ctx, kyctest.Client, cash)
		if err != nil {
			t.Fatal(err)
		}
		found := byRule(res.Alerts, "large_cash")
		if len(found) != 1 {
			t.Fatalf("alerts %+v", res.Alerts)
		}
		a := found[0]
		if a.RuleVersion == "" || a.Parameters["threshold"] == nil || !slices.Equal(a.TransactionIDs, []string{res.Transaction.ID}) ||
			!strings.Contains(a.Explanation, "10,000.00") || a.CaseID == "" || a.Severity != "medium" {
			t.Errorf("alert %+v", a)
		}
		below := txIn(b, c.ID, "cash-2")
		below.Channel, below.Amount = domain.TxCash, 999_999
		if r, err := b.App.Transactions.Create(b.Ctx, kyctest.Client, below); err != nil || len(byRule(r.Alerts, "large_cash")) != 0 {
			t.Fatalf("below the threshold: %+v, %v", r.Alerts, err)
		}
		again := txIn(b, c.ID, "cash-3")
		again.Channel, again.Amount = domain.TxCash, 2_000_000
		r2, err := b.App.Transactions.Create(b.Ctx, kyctest.Client, again)
		if err != nil || len(byRule(r2.Alerts, "large_cash")) != 1 {
			t.Fatalf("second: %+v, %v", r2, err)
		}
		if got := byRule(r2.Alerts, "large_cash")[0].CaseID; got != a.CaseID {
			t.Errorf("the second alert opened case %s, not joined %s", got, a.CaseID)
		}
		// One case per customer and rule: large_cash's, and velocity's (the
		// first deposit is above 3 × the declared 3,000 EUR a month).
		cs, _, err := b.App.Cases.List(b.Ctx, kyctest.Client, app.ListCasesInput{CustomerID: c.ID, Kind: string(domain.CaseTransactionAlert)})
		if err != nil || len(cs) != 2 || (cs[0].ID != a.CaseID && cs[1].ID != a.CaseID) {
			t.Fatalf("transaction_alert cases %+v, %v", cs, err)
		}
		listed, _, err := b.App.Alerts.List(b.Ctx, kyctest.Client, app.ListAlertsInput{CustomerID: c.ID, Rule: "large_cash"})
		if err != nil || len(listed) != 2 || listed[0].Explanation == "" {
			t.Fatalf("alerts listed %d, %v", len(listed), err)
		}
		if l, _, _ := b.App.Alerts.List(b.Ctx, kyctest.Outsider, app.ListAlertsInput{}); len(l) != 0 {
			t.Errorf("another tenant sees %d alerts", len(l))
		}
	})
}

// TestStructuringOverStoredHistory: three cash deposits between 80% and
// 100% of the threshold within 7 days raise structuring (31 CFR 1010.314;
// FATF typologies, smurfing) — the first two in separate requests, so the
// aggregate must come from the database.
func TestStructuringOverStoredHistory(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, b *kyctest.Bundle) {
		c := monitored(t, b)
		now := b.Clock.Now()
		var last app.IngestResult
		for i, amount := range []int64{900_000, 950_000, 990_000} {
			in := txIn(b, c.ID, "s-"+string(rune('1'+i)))
			in.Channel, in.Amount = domain.TxCash, amount
			in.OccurredAt = now.Add(time.Duration(i-3) * 48 * time.Hour)
			r, err := b.App.Transactions.Create(b.Ctx, kyctest.Client, in)
			if err != nil {
				t.Fatal(err)
			}
			if i < 2 && len(byRule(r.Alerts, "structuring")) != 0 {
				t.Fatalf("deposit %d raised %+v", i, r.Alerts)
			}
			last = r
		}
		found := byRule(last.Alerts, "structuring")
		if len(found) != 1 || len(found[0].TransactionIDs) != 3 || found[0].Severity != "high" {
			t.Fatalf("third deposit: %+v", last.Alerts)
		}
		if !strings.Contains(found[0].Explanation, "3 cash transactions") {
			t.Errorf("explanation %q", found[0].Explanation)
		}
	})
}

// TestRuleRuntimeErrorMarksOnlyThatTransaction: a rule that fails at run
// time on one transaction yields an alert saying so for that transaction;
// the other transactions and rules go on.
func TestRuleRuntimeErrorMarksOnlyThatTransaction(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, b *kyctest.Bundle) {
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
		deps := b.Deps()
		deps.Rules = rules
		a := app.New(deps)
		c := monitored(t, b)
		ins := []app.TransactionInput{txIn(b, c.ID, "r-1"), txIn(b, c.ID, "r-2"), txIn(b, c.ID, "r-3")}
		ins[0].Amount, ins[1].Amount, ins[2].Amount = 505, 500, 501
		res, err := a.Transactions.Ingest(b.Ctx, kyctest.Client, ins)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			if r.Status != app.ItemCreated {
				t.Fatalf("item %d: %s %v", i, r.Status, r.Err)
			}
			var rules []string
			for _, al := range r.Alerts {
				rules = append(rules, al.Rule)
				if al.Rule == "ratio" && (al.Error != "") != (i == 1) {
					t.Errorf("item %d: ratio error %q", i, al.Error)
				}
			}
			want := map[int][]string{0: {"ratio", "big"}, 1: {"ratio", "big"}, 2: {"ratio", "big"}}[i]
			if !slices.Equal(rules, want) {
				t.Errorf("item %d: rules %v, want %v", i, rules, want)
			}
		}
	})
}
