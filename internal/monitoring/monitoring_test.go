package monitoring

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// riskCountries stands in for the default risk model's country factors.
func riskCountries(f string) ([]string, bool) {
	switch f {
	case "fatf_call_for_action_countermeasures":
		return []string{"KP", "IR"}, true
	case "fatf_call_for_action_edd":
		return []string{"MM"}, true
	case "comprehensive_sanctions":
		return []string{"CU"}, true
	}
	return nil, false
}

func defaultSet(t testing.TB) *RuleSet {
	t.Helper()
	rs, err := Default(Options{ReportingCurrency: "EUR", RiskCountries: riskCountries})
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	return rs
}

func customer() Customer {
	return Customer{ID: "cus_1", Type: "individual", RiskRating: "low", CreatedAt: t0.AddDate(-1, 0, 0), ActiveSince: t0.AddDate(-1, 0, 0),
		ExpectedMonthlyVolume: 100000, HasExpectedVolume: true, Countries: []string{"DE"}}
}

var seq atomic.Int64

// tx builds a transaction in EUR; amount in euros.
func tx(at time.Time, euros float64, dir, channel string) Transaction {
	n := seq.Add(1)
	minor := int64(euros*100 + 0.5)
	return Transaction{Item: Item{ID: fmt.Sprintf("txn_%d", n), ExternalID: fmt.Sprintf("ext-%d", n), OccurredAt: at,
		Amount: minor, Currency: "EUR", ReportingAmount: minor, Direction: dir, Channel: channel, CounterpartyCountry: "DE"}}
}

func rulesOf(alerts []Alert) []string {
	var out []string
	for _, a := range alerts {
		out = append(out, a.Rule)
	}
	return out
}

func only(t *testing.T, alerts []Alert, rule string) []Alert {
	t.Helper()
	var out []Alert
	for _, a := range alerts {
		if a.Error != "" {
			t.Fatalf("rule %s failed: %s", a.Rule, a.Error)
		}
		if a.Rule == rule {
			out = append(out, a)
		}
	}
	return out
}

func TestDefaultRuleSet(t *testing.T) {
	t.Parallel()
	rs := defaultSet(t)
	var names []string
	for _, r := range rs.Rules() {
		names = append(names, r.Name)
		if r.Source == "" || r.Description == "" || r.Indicator == "" {
			t.Errorf("rule %s lacks a source, description or indicator", r.Name)
		}
	}
	want := []string{"large_cash", "structuring", "velocity", "high_risk_country", "counterparty_screening_hit", "rapid_movement", "dormant_account"}
	if !slices.Equal(names, want) {
		t.Fatalf("rules %v, want %v", names, want)
	}
	if rs.Version() != "2026.1" || rs.Lookback() != 180*24*time.Hour || !rs.NeedsScreening() || rs.ReportingCurrency() != "EUR" {
		t.Fatalf("version %q lookback %v screening %v", rs.Version(), rs.Lookback(), rs.NeedsScreening())
	}
	hr, _ := rs.Rule("high_risk_country")
	if got := hr.Parameters["countries"].([]string); !slices.Equal(got, []string{"CU", "IR", "KP", "MM"}) {
		t.Fatalf("high-risk countries from the risk model: %v", got)
	}
	// An ordinary transaction raises nothing.
	if a := rs.Evaluate(customer(), nil, []Transaction{tx(t0, 120, "in", "card")}); len(a) != 0 {
		t.Fatalf("ordinary transaction raised %v", rulesOf(a))
	}
}

// Large cash: 31 CFR 1010.311 (CTR for cash over USD 10,000); PRODUCT.md
// section 7 (≥ 10,000 EUR equivalent in one transaction).
func TestRuleLargeCash(t *testing.T) {
	t.Parallel()
	rs := defaultSet(t)
	c := customer()
	at := tx(t0, 10000, "in", "cash")
	below := tx(t0.Add(time.Hour), 9999.99, "in", "cash")
	wire := tx(t0.Add(2*time.Hour), 50000, "in", "wire")
	usd := tx(t0.Add(3*time.Hour), 0, "out", "cash")
	usd.Amount, usd.Currency, usd.ReportingAmount = 1150000, "USD", 1000000 // 11,500 USD = 10,000 EUR
	alerts := only(t, rs.Evaluate(c, nil, []Transaction{at, below, wire, usd}), "large_cash")
	if len(alerts) != 2 || alerts[0].TxIndex != 0 || alerts[1].TxIndex != 3 {
		t.Fatalf("large_cash alerts %+v", alerts)
	}
	if !strings.Contains(alerts[0].Explanation, "Cash deposit of 10,000.00 EUR on 2026-03-02, at or above the 10,000.00 EUR threshold") {
		t.Fatalf("explanation %q", alerts[0].Explanation)
	}
	if !strings.Contains(alerts[1].Explanation, "Cash withdrawal of 11,500.00 USD (10,000.00 EUR)") {
		t.Fatalf("explanation %q", alerts[1].Explanation)
	}
	a := alerts[0]
	if a.RuleVersion != "2026.1" || a.RuleSetVersion != "2026.1" || a.Severity != "medium" || !slices.Equal(a.TransactionIDs, []string{at.ID}) {
		t.Fatalf("alert %+v", a)
	}
	if p := a.Parameters["threshold"].(map[string]any); p["amount"] != int64(1000000) || p["currency"] != "EUR" {
		t.Fatalf("parameters %v", a.Parameters)
	}
}

// Structuring: 31 CFR 1010.314 (structuring to evade reporting); PRODUCT.md
// section 7 (three or more cash transactions each between 80% and 100% of
// the threshold within 7 days).
func TestRuleStructuring(t *testing.T) {
	t.Parallel()
	rs := defaultSet(t)
	c := customer()
	a := tx(t0, 9000, "in", "cash")
	b := tx(t0.Add(48*time.Hour), 9500, "in", "cash")
	cc := tx(t0.Add(6*24*time.Hour), 9900, "in", "cash")
	alerts := only(t, rs.Evaluate(c, nil, []Transaction{a, b, cc}), "structuring")
	if len(alerts) != 1 || alerts[0].TxIndex != 2 {
		t.Fatalf("structuring alerts %+v", alerts)
	}
	if !slices.Equal(alerts[0].TransactionIDs, []string{a.ID, b.ID, cc.ID}) {
		t.Fatalf("triggering transactions %v", alerts[0].TransactionIDs)
	}
	if e := alerts[0].Explanation; !strings.HasPrefix(e, "3 cash transactions of 9,000.00 EUR–9,900.00 EUR within 7 days, each between 80% and 100% of the 10,000.00 EUR threshold: "+a.ExternalID) {
		t.Fatalf("explanation %q", e)
	}
	// The same three spread over more than 7 days raise nothing.
	late := tx(t0.Add(7*24*time.Hour+time.Minute), 9900, "in", "cash")
	if got := only(t, rs.Evaluate(c, nil, []Transaction{a, b, late}), "structuring"); len(got) != 0 {
		t.Fatalf("outside the window: %+v", got)
	}
	// Below the band (79%) and at the threshold (large cash instead) do not count.
	low := tx(t0.Add(time.Hour), 7900, "in", "cash")
	big := tx(t0.Add(2*time.Hour), 10000, "in", "cash")
	if got := only(t, rs.Evaluate(c, nil, []Transaction{a, low, big, b}), "structuring"); len(got) != 0 {
		t.Fatalf("out of band counted: %+v", got)
	}
	// Stored history counts: two stored, one new.
	got := only(t, rs.Evaluate(c, []Item{a.Item, b.Item}, []Transaction{cc}), "structuring")
	if len(got) != 1 || len(got[0].TransactionIDs) != 3 {
		t.Fatalf("with history: %+v", got)
	}
	// Stored transactions after the new one do not count for it.
	got = only(t, rs.Evaluate(c, []Item{b.Item, cc.Item}, []Transaction{a}), "structuring")
	if len(got) != 0 {
		t.Fatalf("later history counted: %+v", got)
	}
}

// Velocity: FATF R.10 ongoing due diligence (activity consistent with the
// profile); PRODUCT.md section 7 (30-day volume above 3 × the declared
// expected monthly volume).
func TestRuleVelocity(t *testing.T) {
	t.Parallel()
	rs := defaultSet(t)
	c := customer() // declared 1,000 EUR a month
	txs := []Transaction{
		tx(t0, 1500, "in", "wire"),
		tx(t0.AddDate(0, 0, 10), 1500, "out", "wire"), // 3,000: not above
		tx(t0.AddDate(0, 0, 20), 1, "in", "card"),     // 3,001: crosses
		tx(t0.AddDate(0, 0, 21), 500, "in", "card"),   // still above: no second alert
	}
	alerts := only(t, rs.Evaluate(c, nil, txs), "velocity")
	if len(alerts) != 1 || alerts[0].TxIndex != 2 {
		t.Fatalf("velocity alerts %+v", alerts)
	}
	if e := alerts[0].Explanation; !strings.Contains(e, "Volume of 3,001.00 EUR in 3 transactions within 30 days") || !strings.Contains(e, "3 × the declared expected monthly volume of 1,000.00 EUR") {
		t.Fatalf("explanation %q", e)
	}
	// After the first transaction leaves the 30-day window the volume is
	// below again, and a new crossing alerts again.
	more := append(txs, tx(t0.AddDate(0, 0, 31), 10, "in", "card"), tx(t0.AddDate(0, 0, 32), 2000, "in", "card"))
	if got := only(t, rs.Evaluate(c, nil, more), "velocity"); len(got) != 2 || got[1].TxIndex != 5 {
		t.Fatalf("second crossing: %+v", got)
	}
	// No declared volume: never.
	c.HasExpectedVolume, c.ExpectedMonthlyVolume = false, 0
	if got := only(t, rs.Evaluate(c, nil, txs), "velocity"); len(got) != 0 {
		t.Fatalf("without a declared volume: %+v", got)
	}
}

// High-risk country: FATF call for action, EU AMLD art. 18a; the risk
// model's call-for-action and sanctioned countries (PRODUCT.md section 7).
func TestRuleHighRiskCountry(t *testing.T) {
	t.Parallel()
	rs := defaultSet(t)
	ir := tx(t0, 50, "out", "wire")
	ir.CounterpartyCountry = "IR"
	de := tx(t0, 50, "out", "wire")
	alerts := only(t, rs.Evaluate(customer(), nil, []Transaction{ir, de}), "high_risk_country")
	if len(alerts) != 1 || alerts[0].TxIndex != 0 {
		t.Fatalf("alerts %+v", alerts)
	}
	if e := alerts[0].Explanation; !strings.Contains(e, "Sent 50.00 EUR by wire to a counterparty in Iran") {
		t.Fatalf("explanation %q", e)
	}
	// The list follows the risk model: a model listing only Myanmar.
	rs2, err := Default(Options{RiskCountries: func(f string) ([]string, bool) {
		if f == "fatf_call_for_action_edd" {
			return []string{"MM"}, true
		}
		return []string{}, true
	}})
	if err != nil {
		t.Fatal(err)
	}
	if got := only(t, rs2.Evaluate(customer(), nil, []Transaction{ir}), "high_risk_country"); len(got) != 0 {
		t.Fatalf("IR with a model not listing it: %+v", got)
	}
	// A model missing a named factor is refused when loading.
	if _, err := Default(Options{RiskCountries: func(string) ([]string, bool) { return nil, false }}); err == nil || !strings.Contains(err.Error(), `no country factor "fatf_call_for_action_countermeasures"`) {
		t.Fatalf("missing factor: %v", err)
	}
	// Without a model the literal list applies.
	rs3, err := Default(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := only(t, rs3.Evaluate(customer(), nil, []Transaction{ir}), "high_risk_country"); len(got) != 1 {
		t.Fatalf("literal list: %+v", got)
	}
}

// Counterparty screening hit: sanctions regimes forbid funds to or from
// designated persons (FATF R.6); PRODUCT.md section 7.
func TestRuleCounterpartyScreeningHit(t *testing.T) {
	t.Parallel()
	rs := defaultSet(t)
	hit := tx(t0, 700, "out", "wire")
	hit.Screening = &ScreeningResult{Hit: true, Score: 0.97, List: "ofac_sdn", MatchedName: "BANK MELLI IRAN", EntityID: "ofac_sdn:1234", Explanation: "all tokens matched"}
	clean := tx(t0, 700, "out", "wire")
	clean.Screening = &ScreeningResult{}
	unscreened := tx(t0, 700, "out", "wire")
	alerts := only(t, rs.Evaluate(customer(), nil, []Transaction{hit, clean, unscreened}), "counterparty_screening_hit")
	if len(alerts) != 1 || alerts[0].TxIndex != 0 {
		t.Fatalf("alerts %+v", alerts)
	}
	if e := alerts[0].Explanation; !strings.Contains(e, "matches BANK MELLI IRAN on ofac_sdn (entry ofac_sdn:1234, score 0.97): all tokens matched") {
		t.Fatalf("explanation %q", e)
	}
}

// Rapid movement: FATF layering typologies (pass-through accounts);
// PRODUCT.md section 7 (≥ 90% of an incoming amount sent out again within
// 48 hours).
func TestRuleRapidMovement(t *testing.T) {
	t.Parallel()
	rs := defaultSet(t)
	c := customer()
	in := tx(t0, 10000, "in", "wire")
	out1 := tx(t0.Add(20*time.Hour), 5000, "out", "wire")
	out2 := tx(t0.Add(40*time.Hour), 4000, "out", "crypto") // 90% reached
	out3 := tx(t0.Add(41*time.Hour), 500, "out", "wire")    // already above: no second alert
	alerts := only(t, rs.Evaluate(c, nil, []Transaction{in, out1, out2, out3}), "rapid_movement")
	if len(alerts) != 1 || alerts[0].TxIndex != 2 {
		t.Fatalf("alerts %+v", alerts)
	}
	if !slices.Equal(alerts[0].TransactionIDs, []string{in.ID, out1.ID, out2.ID}) {
		t.Fatalf("evidence %v", alerts[0].TransactionIDs)
	}
	if e := alerts[0].Explanation; !strings.Contains(e, "9,000.00 EUR sent out (90% of 10,000.00 EUR received) within 48 hours") {
		t.Fatalf("explanation %q", e)
	}
	// 89% is not enough; the same amounts after 48 hours are not rapid.
	short := tx(t0.Add(40*time.Hour), 3900, "out", "wire")
	if got := only(t, rs.Evaluate(c, nil, []Transaction{in, out1, short}), "rapid_movement"); len(got) != 0 {
		t.Fatalf("89%%: %+v", got)
	}
	late := tx(t0.Add(48*time.Hour+time.Minute), 9500, "out", "wire")
	if got := only(t, rs.Evaluate(c, nil, []Transaction{in, late}), "rapid_movement"); len(got) != 0 {
		t.Fatalf("after 48h: %+v", got)
	}
}

// Dormant account: FATF typologies (dormant accounts suddenly used);
// PRODUCT.md section 7 (first transaction after 180 days, above a threshold).
func TestRuleDormantAccount(t *testing.T) {
	t.Parallel()
	rs := defaultSet(t)
	c := customer()
	old := tx(t0.AddDate(0, 0, -200), 100, "in", "card")
	wake := tx(t0, 6000, "out", "wire")
	alerts := only(t, rs.Evaluate(c, []Item{old.Item}, []Transaction{wake}), "dormant_account")
	if len(alerts) != 1 {
		t.Fatalf("alerts %+v", alerts)
	}
	if e := alerts[0].Explanation; !strings.Contains(e, "First transaction in over 180 days: 6,000.00 EUR out by wire on 2026-03-02") {
		t.Fatalf("explanation %q", e)
	}
	recent := tx(t0.AddDate(0, 0, -100), 100, "in", "card")
	if got := only(t, rs.Evaluate(c, []Item{old.Item, recent.Item}, []Transaction{wake}), "dormant_account"); len(got) != 0 {
		t.Fatalf("not dormant: %+v", got)
	}
	small := tx(t0, 4999, "out", "wire")
	if got := only(t, rs.Evaluate(c, []Item{old.Item}, []Transaction{small}), "dormant_account"); len(got) != 0 {
		t.Fatalf("below threshold: %+v", got)
	}
	// A customer approved 30 days ago with no transaction yet is not dormant.
	c.ActiveSince = t0.AddDate(0, 0, -30)
	if got := only(t, rs.Evaluate(c, nil, []Transaction{wake}), "dormant_account"); len(got) != 0 {
		t.Fatalf("new customer: %+v", got)
	}
}

const customRule = `
version: "t1"
rules:
  - name: ratio
    description: test
    severity: low
    parameters:
      - {name: base, type: int, value: 100}
    expression: tx.amount / (tx.amount - params.base) > 0
    explanation: "ratio on {{.tx.external_id}}"
`

func TestRuntimeErrorMarksOnlyThatTransaction(t *testing.T) {
	t.Parallel()
	rs, err := Load(strings.NewReader(customRule), Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := tx(t0, 2, "in", "card"), tx(t0.Add(time.Minute), 1, "in", "card"), tx(t0.Add(2*time.Minute), 3, "in", "card")
	alerts := rs.Evaluate(customer(), nil, []Transaction{a, b, c})
	if len(alerts) != 3 {
		t.Fatalf("alerts %+v", alerts)
	}
	if alerts[0].Error != "" || alerts[2].Error != "" || alerts[0].TxIndex != 0 || alerts[2].TxIndex != 2 {
		t.Fatalf("others: %+v", alerts)
	}
	e := alerts[1]
	if e.TxIndex != 1 || !strings.Contains(e.Error, "division by zero") || !strings.Contains(e.Explanation, "Rule ratio could not be evaluated on transaction "+b.ExternalID) || !slices.Equal(e.TransactionIDs, []string{b.ID}) {
		t.Fatalf("error alert %+v", e)
	}
}

func TestLoadRefusesBadRules(t *testing.T) {
	t.Parallel()
	rule := func(edit string) string {
		return "version: \"x\"\nrules:\n  - name: first\n    description: d\n    severity: low\n    expression: tx.amount > 0\n    explanation: e\n" + edit
	}
	second := func(expr string) string {
		return rule("  - name: second\n    description: d\n    severity: high\n    expression: " + expr + "\n    explanation: e\n")
	}
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"syntax error", second(`"tx.amount >"`), []string{`rule 2 "second" (line 8)`, "Syntax error", "line 1, column 12"}},
		{"type error", second(`"tx.amount > 'a'"`), []string{`rule 2 "second"`, "no matching overload", "line 1, column 11"}},
		{"unknown variable", second(`"tx.amout > 1"`), []string{`rule 2 "second"`, "undeclared reference", "line 1, column 1"}},
		{"not boolean", second(`"tx.amount + 1"`), []string{`rule 2 "second"`, "must be true or false"}},
		{"too costly", second(`"customer.countries.all(a, customer.countries.all(b, customer.countries.all(c, a != b || b != c)))"`), []string{`rule 2 "second"`, "too costly"}},
		{"unknown aggregate", second(`"agg.nope.count > 1"`), []string{`rule 2 "second"`, "undeclared reference"}},
		{"bad severity", rule("  - name: s\n    description: d\n    severity: urgent\n    expression: 'true'\n    explanation: e\n"), []string{"severity must be low, medium or high"}},
		{"duplicate", rule("  - name: first\n    description: d\n    severity: low\n    expression: 'true'\n    explanation: e\n"), []string{"duplicate name"}},
		{"bad template key", rule("  - name: s\n    description: d\n    severity: low\n    expression: 'true'\n    explanation: '{{.tx.amout}}'\n"), []string{`rule 2 "s"`, "explanation", "amout"}},
		{"unknown key", rule("  - name: s\n    description: d\n    severity: low\n    expresion: 'true'\n    explanation: e\n"), []string{"expresion"}},
		{"bad parameter", rule("  - name: s\n    description: d\n    severity: low\n    parameters: [{name: t, type: amount, value: '10.001'}]\n    expression: 'true'\n    explanation: e\n"), []string{`parameter 1 "t"`, "more decimals than EUR"}},
		{"bad window", rule("  - name: s\n    description: d\n    severity: low\n    aggregates: [{name: w, window: 1M}]\n    expression: 'true'\n    explanation: e\n"), []string{`aggregate 1 "w"`, "window"}},
		{"bad channel", rule("  - name: s\n    description: d\n    severity: low\n    aggregates: [{name: w, window: 7d, channel: [cheque]}]\n    expression: 'true'\n    explanation: e\n"), []string{`"cheque" is not a channel`}},
		{"unknown evidence", rule("  - name: s\n    description: d\n    severity: low\n    evidence: [w]\n    expression: 'true'\n    explanation: e\n"), []string{`evidence names "w"`}},
		{"no version", "rules: []\n", []string{"version is missing", "no rules"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Load(strings.NewReader(tc.yaml), Options{})
			if err == nil {
				t.Fatal("loaded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestParseDuration(t *testing.T) {
	t.Parallel()
	good := map[string]time.Duration{"7d": 7 * 24 * time.Hour, "48h": 48 * time.Hour, "P7D": 7 * 24 * time.Hour, "PT48H": 48 * time.Hour,
		"PT5S": 5 * time.Second, "P1W": 7 * 24 * time.Hour, "1d12h": 36 * time.Hour, "P1DT2H": 26 * time.Hour, "90m": 90 * time.Minute}
	for s, want := range good {
		if got, err := ParseDuration(s); err != nil || got != want {
			t.Errorf("%s: %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "P", "PT", "1M", "P1M", "P1Y", "-7d", "0d", "7", "d", "P-1D"} {
		if _, err := ParseDuration(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
	for d, want := range map[time.Duration]string{7 * 24 * time.Hour: "7 days", 48 * time.Hour: "48 hours", time.Hour: "1 hour", 5 * time.Second: "5 seconds", 24 * time.Hour: "1 day"} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func FuzzLoad(f *testing.F) {
	f.Add(string(DefaultYAML()))
	f.Add(customRule)
	f.Fuzz(func(t *testing.T, s string) {
		rs, err := Load(strings.NewReader(s), Options{})
		if err != nil {
			return
		}
		rs.Evaluate(customer(), nil, []Transaction{tx(t0, 1, "in", "cash")})
	})
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"7d", "P7D", "PT5S", "1d12h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := ParseDuration(s); err == nil && d <= 0 {
			t.Fatalf("%q gave %v", s, d)
		}
	})
}
