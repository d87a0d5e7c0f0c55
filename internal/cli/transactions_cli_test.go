package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/config"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/monitoring"
	"github.com/kyc-platform/kyc/internal/store/testdb"
	"github.com/kyc-platform/kyc/internal/vault"
)

// cliDB is a database for in-process command runs: a data directory and,
// on PostgreSQL, a fresh schema.
type cliDB struct {
	engine string
	env    map[string]string
}

// onEachCLIEngine runs fn against SQLite and PostgreSQL (skipped without
// KYC_TEST_POSTGRES_URL), each with a migrated, empty database.
func onEachCLIEngine(t *testing.T, fn func(t *testing.T, db cliDB)) {
	t.Helper()
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			db := cliDB{engine: engine, env: map[string]string{"KYC_DATA_DIR": t.TempDir(), "KYC_MASTER_KEY": vault.GenerateKey()}}
			if engine == testdb.Postgres {
				db.env["KYC_DATABASE_URL"] = testdb.PostgresURL(t)
			}
			if _, errs, code := db.run(t, "migrate"); code != 0 {
				t.Fatalf("migrate: %d %s", code, errs)
			}
			fn(t, db)
		})
	}
}

func (db cliDB) run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), &Env{
		Args: append([]string{"kyc"}, args...), Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return db.env[k] },
	})
	return out.String(), errb.String(), code
}

// system wires the application over the database, for setting up data.
func (db cliDB) system(t *testing.T) *system {
	t.Helper()
	cfg, err := config.FromEnv(func(k string) string { return db.env[k] })
	if err != nil {
		t.Fatal(err)
	}
	cfg.LogLevel = "error"
	sys, err := buildSystem(context.Background(), cfg, &bytes.Buffer{}, false, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sys.Close)
	return sys
}

// submittedCustomers creates n submitted individuals (monitored: their
// transactions are taken) and returns their ids.
func submittedCustomers(t *testing.T, sys *system, n int) []string {
	t.Helper()
	ctx := context.Background()
	var ids []string
	for range n {
		c, err := sys.app.Customers.Create(ctx, operator(), app.CreateCustomerInput{Type: domain.CustomerIndividual, Data: kyctest.Individual()})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sys.app.Customers.Submit(ctx, operator(), c.ID); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	return ids
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

type importJSON struct {
	Format        string `json:"format"`
	ResumedAtLine int    `json:"resumed_at_line"`
	Lines         int    `json:"lines"`
	Created       int    `json:"created"`
	Duplicates    int    `json:"duplicates"`
	Errors        int    `json:"errors"`
	Alerts        int    `json:"alerts"`
	LineErrors    []struct {
		Line       int    `json:"line"`
		ExternalID string `json:"external_id"`
		Message    string `json:"message"`
		Fields     []struct {
			Field string `json:"field"`
		} `json:"fields"`
	} `json:"line_errors"`
}

func (r importJSON) fieldsAt(line int) []string {
	for _, le := range r.LineErrors {
		if le.Line == line {
			var out []string
			for _, f := range le.Fields {
				out = append(out, f.Field)
			}
			if len(out) == 0 {
				out = []string{le.Message}
			}
			return out
		}
	}
	return nil
}

func decodeImport(t *testing.T, out string) importJSON {
	t.Helper()
	var r importJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("import --json: %v\n%s", err, out)
	}
	return r
}

// TestTransactionsImportCSV: a CSV file with the API's fields is imported
// in batches; each bad line is reported with its line number and field
// (PRODUCT.md section 3 validation, section 9 exit status) and never stops
// the others; a second run imports nothing twice.
func TestTransactionsImportCSV(t *testing.T) {
	t.Parallel()
	onEachCLIEngine(t, func(t *testing.T, db cliDB) {
		sys := db.system(t)
		ids := submittedCustomers(t, sys, 2)
		sys.Close()
		at := time.Now().UTC().Add(20 * time.Second).Format(time.RFC3339)
		future := time.Now().UTC().Add(2 * time.Hour).Format(time.RFC3339)
		csv := "external_id,customer_id,amount,currency,direction,channel,counterparty_name,counterparty_country,occurred_at\n" +
			fmt.Sprintf("imp-1,%s,12000,EUR,in,wire,Erika Mustermann,DE,%s\n", ids[0], at) + // line 2
			fmt.Sprintf("imp-2,%s,1500000,EUR,in,cash,\"Bank, Cash Desk\",SE,%s\n", ids[1], at) + // 3: large_cash and velocity alerts
			fmt.Sprintf("imp-3,%s,-5,EUR,in,wire,X,DE,%s\n", ids[0], at) + // 4: negative amount
			fmt.Sprintf("imp-4,%s,100,XYZ,in,wire,X,DE,%s\n", ids[0], at) + // 5: unknown currency
			fmt.Sprintf("imp-5,cus_nobody,100,EUR,in,wire,X,DE,%s\n", at) + // 6: unknown customer
			fmt.Sprintf("imp-6,%s,100,EUR,in,wire,X,DE,%s\n", ids[0], future) + // 7: in the future
			fmt.Sprintf("imp-7,%s,12.50,EUR,in,wire,X,DE,%s\n", ids[0], at) + // 8: not minor units
			fmt.Sprintf("imp-8,%s,100,EUR,in,wire,X,DE,yesterday\n", ids[0]) + // 9: not a time
			"imp-9,only,three\n" + // 10: wrong field count
			fmt.Sprintf("imp-10,%s,700,EUR,out,card,Shop,DE,%s\n", ids[1], at) // 11
		path := writeFile(t, "tx.csv", csv)
		out, errs, code := db.run(t, "transactions", "import", path, "--batch", "3", "--json")
		if code != 1 {
			t.Fatalf("exit %d (want 1: lines were refused): %s %s", code, out, errs)
		}
		r := decodeImport(t, out)
		if r.Format != "csv" || r.Lines != 10 || r.Created != 3 || r.Errors != 7 || r.Alerts != 2 { // large_cash and velocity (15,000 > 3 × 3,000)
			t.Fatalf("summary %+v", r)
		}
		want := map[int]string{4: "amount", 5: "currency", 6: "customer_id", 7: "occurred_at", 8: "amount", 9: "occurred_at"}
		for line, field := range want {
			if got := r.fieldsAt(line); len(got) != 1 || got[0] != field {
				t.Errorf("line %d: fields %v, want %s", line, got, field)
			}
		}
		if got := r.fieldsAt(10); len(got) != 1 || !strings.Contains(got[0], "fields") {
			t.Errorf("line 10: %v", got)
		}
		if strings.Contains(out, "Mustermann") || strings.Contains(errs, "Mustermann") {
			t.Error("the output quotes a counterparty's name")
		}
		// The text output names each refused line.
		out, _, code = db.run(t, "transactions", "import", path)
		if code != 1 || !strings.Contains(out, "line 4 (external_id imp-3) amount:") || !strings.Contains(out, "3 already imported") {
			t.Fatalf("rerun: exit %d\n%s", code, out)
		}
		// A file with a bad header is refused before anything is read.
		bad := writeFile(t, "bad.csv", "external_id,customer,amount\n1,2,3\n")
		_, errs, code = db.run(t, "transactions", "import", bad)
		if code != 1 || !strings.Contains(errs, `unknown column(s) "customer"`) || !strings.Contains(errs, "missing column(s)") {
			t.Fatalf("bad header: exit %d %s", code, errs)
		}
	})
}

// TestTransactionsImportNDJSONResumes: NDJSON lines are the body of POST
// /api/v1/transactions; an import interrupted after a committed batch
// resumes after it, and --restart reads from the start (duplicates are
// recognised by external_id).
func TestTransactionsImportNDJSONResumes(t *testing.T) {
	t.Parallel()
	onEachCLIEngine(t, func(t *testing.T, db cliDB) {
		sys := db.system(t)
		ids := submittedCustomers(t, sys, 1)
		sys.Close()
		at := time.Now().UTC().Add(20 * time.Second).Format(time.RFC3339)
		var b strings.Builder
		for i := range 6 {
			fmt.Fprintf(&b, `{"external_id":"nd-%d","customer_id":%q,"amount":%d,"currency":"EUR","direction":"in","channel":"wire","counterparty":{"name":"Erika Mustermann","country":"DE"},"occurred_at":%q}`+"\n", i, ids[0], 1000+i, at)
			if i == 2 {
				b.WriteString("\n")                                           // a blank line is skipped (line 4)
				b.WriteString(`{"external_id":"nd-x","amount":"ten"}` + "\n") // line 5: malformed
			}
		}
		b.WriteString(`{"external_id":"nd-y","nickname":"z"}` + "\n") // line 9: unknown field
		path := writeFile(t, "tx.data", b.String())                   // no extension: sniffed
		// An earlier run committed the first two lines, then stopped.
		stateFile := filepath.Join(filepath.Dir(path), ".tx.data.kyc-import")
		first := strings.Index(b.String(), "\n") + 1
		second := first + strings.Index(b.String()[first:], "\n") + 1
		st, _ := os.Stat(path)
		head, err := headHashOf(path)
		if err != nil {
			t.Fatal(err)
		}
		state, _ := json.Marshal(importState{Size: st.Size(), ModTime: st.ModTime().UTC(), HeadHash: head, Format: formatNDJSON, Offset: int64(second), Line: 2})
		if err := os.WriteFile(stateFile, state, 0o600); err != nil {
			t.Fatal(err)
		}
		out, errs, code := db.run(t, "transactions", "import", path, "--batch", "2", "--json")
		r := decodeImport(t, out)
		if code != 1 || r.Format != "ndjson" || r.ResumedAtLine != 3 || r.Created != 4 || r.Errors != 2 {
			t.Fatalf("resumed import: exit %d %+v %s", code, r, errs)
		}
		if got := r.fieldsAt(5); len(got) != 1 || !strings.Contains(got[0], "amount") {
			t.Errorf("line 5: %v", got)
		}
		if got := r.fieldsAt(9); len(got) != 1 || !strings.Contains(got[0], `unknown field "nickname"`) {
			t.Errorf("line 9: %v", got)
		}
		if _, err := os.Stat(stateFile); !os.IsNotExist(err) {
			t.Errorf("the checkpoint is left behind after a finished import: %v", err)
		}
		out, _, _ = db.run(t, "transactions", "import", path, "--restart", "--json")
		r = decodeImport(t, out)
		if r.ResumedAtLine != 0 || r.Created != 2 || r.Duplicates != 4 {
			t.Fatalf("restart: %+v", r)
		}
	})
}

func headHashOf(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return headHash(f)
}

// TestRulesValidate: the shipped rule set is valid; a rule with a CEL
// syntax or type error is refused naming the rule, its line and the
// position in the expression (issue 9, "Bad input").
func TestRulesValidate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{"KYC_DATA_DIR": dir}
	run := func(args ...string) (string, string, int) {
		var out, errb bytes.Buffer
		code := Run(context.Background(), &Env{Args: append([]string{"kyc"}, args...), Stdout: &out, Stderr: &errb,
			Getenv: func(k string) string { return env[k] }})
		return out.String(), errb.String(), code
	}
	good := filepath.Join(dir, "rules.yaml")
	if err := os.WriteFile(good, monitoring.DefaultYAML(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errs, code := run("rules", "validate", good)
	if code != 0 || !strings.Contains(out, "is valid: 7 enabled rule(s)") || !strings.Contains(out, "structuring") {
		t.Fatalf("default rules: exit %d %s %s", code, out, errs)
	}
	syntax := strings.Replace(string(monitoring.DefaultYAML()), `expression: tx.channel == "cash" && tx.reporting_amount >= params.threshold`,
		`expression: tx.channel == "cash" && tx.reporting_amount >=`, 1)
	typ := strings.Replace(string(monitoring.DefaultYAML()), `expression: tx.counterparty_country in params.countries`,
		`expression: tx.counterparty_country + 1 > 2`, 1)
	for name, tc := range map[string]struct{ text, rule string }{
		"syntax": {syntax, `rule 1 "large_cash" (line`},
		"type":   {typ, `rule 4 "high_risk_country" (line`},
	} {
		p := filepath.Join(dir, name+".yaml")
		os.WriteFile(p, []byte(tc.text), 0o600)
		_, errs, code := run("rules", "validate", p)
		if code != 1 || !strings.Contains(errs, tc.rule) || !strings.Contains(errs, "expression (line 1, column") {
			t.Errorf("%s error: exit %d %s", name, code, errs)
		}
		out, _, code := run("rules", "validate", p, "--json")
		var v struct {
			Valid bool   `json:"valid"`
			Error string `json:"error"`
		}
		if code != 1 || json.Unmarshal([]byte(out), &v) != nil || v.Valid || !strings.Contains(v.Error, tc.rule) {
			t.Errorf("%s --json: exit %d %s", name, code, out)
		}
	}
	if _, _, code := run("rules", "validate"); code != 2 {
		t.Errorf("no file: exit %d", code)
	}
}

// TestRulesBacktest: kyc rules backtest prints per rule how many alerts it
// would have raised and for which customers, and writes nothing.
func TestRulesBacktest(t *testing.T) {
	t.Parallel()
	onEachCLIEngine(t, func(t *testing.T, db cliDB) {
		sys := db.system(t)
		ids := submittedCustomers(t, sys, 2)
		at := time.Now().UTC().Add(20 * time.Second)
		var ins []app.TransactionInput
		for i, amount := range []int64{1_200_000, 1_600_000, 1_100_000} {
			ins = append(ins, app.TransactionInput{ExternalID: fmt.Sprintf("bt-%d", i), CustomerID: ids[i%2], Amount: amount, Currency: "EUR",
				Direction: domain.TxIn, Channel: domain.TxCash, Counterparty: domain.Counterparty{Name: "Cash desk"}, OccurredAt: at})
		}
		if _, err := sys.app.Transactions.Ingest(context.Background(), operator(), ins); err != nil {
			t.Fatal(err)
		}
		stored, _, err := sys.app.Alerts.List(context.Background(), operator(), app.ListAlertsInput{})
		if err != nil {
			t.Fatal(err)
		}
		sys.Close()
		dir := t.TempDir()
		rules := filepath.Join(dir, "rules.yaml")
		// Tuned: large cash from 15,000 EUR.
		os.WriteFile(rules, []byte(strings.Replace(string(monitoring.DefaultYAML()),
			"value: \"10000\"\n        description: Cash amount", "value: \"15000\"\n        description: Cash amount", 1)), 0o600)
		from := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
		out, errs, code := db.run(t, "rules", "backtest", rules, "--from", from, "--to", time.Now().UTC().Format(time.DateOnly), "--json")
		if code != 0 {
			t.Fatalf("backtest: exit %d %s %s", code, out, errs)
		}
		var res struct {
			Customers    int `json:"customers"`
			Transactions int `json:"transactions"`
			Rules        []struct {
				Rule      string `json:"rule"`
				Alerts    int    `json:"alerts"`
				Customers []struct {
					CustomerID string `json:"customer_id"`
				} `json:"customers"`
			} `json:"rules"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		if res.Customers != 2 || res.Transactions != 3 || len(res.Rules) != 7 {
			t.Fatalf("backtest %+v", res)
		}
		for _, r := range res.Rules {
			if r.Rule == "large_cash" && (r.Alerts != 1 || len(r.Customers) != 1 || r.Customers[0].CustomerID != ids[1]) {
				t.Errorf("large_cash at 15,000: %+v", r)
			}
		}
		out, errs, code = db.run(t, "rules", "backtest", rules, "--from", from, "--to", time.Now().UTC().Add(time.Minute).Format(time.RFC3339))
		if code != 0 || !strings.Contains(out, "3 transactions of 2 customers") || !strings.Contains(out, "large_cash") || !strings.Contains(out, ids[1]+" (1)") {
			t.Errorf("text output: exit %d\n%s\n%s", code, out, errs)
		}
		// Nothing written.
		sys = db.system(t)
		after, _, _ := sys.app.Alerts.List(context.Background(), operator(), app.ListAlertsInput{})
		if len(after) != len(stored) {
			t.Errorf("alerts %d → %d", len(stored), len(after))
		}
		sys.Close()
		// Bad input.
		if _, errs, code := db.run(t, "rules", "backtest", rules, "--from", "last week"); code != 2 || !strings.Contains(errs, "--from") {
			t.Errorf("bad --from: exit %d %s", code, errs)
		}
		broken := filepath.Join(dir, "broken.yaml")
		os.WriteFile(broken, []byte(strings.Replace(string(monitoring.DefaultYAML()), "expression: screening.hit", "expression: screening.hit &&", 1)), 0o600)
		if _, errs, code := db.run(t, "rules", "backtest", broken, "--from", from); code != 1 || !strings.Contains(errs, `"counterparty_screening_hit"`) {
			t.Errorf("broken rules: exit %d %s", code, errs)
		}
	})
}

// TestDemoMonitoring: kyc demo gives customers transaction histories that
// raise every default rule (issue 9 item 7), one case closed as suspicious
// with four eyes and one as not suspicious.
func TestDemoMonitoring(t *testing.T) {
	t.Parallel()
	db := cliDB{env: map[string]string{"KYC_DATA_DIR": t.TempDir(), "KYC_MASTER_KEY": vault.GenerateKey(), "KYC_GOAML_RENTITY_ID": "4711"}}
	out, errs, code := db.run(t, "demo", "--days", "10")
	if code != 0 || !strings.Contains(out, "Transaction monitoring: 7 customers") {
		t.Fatalf("demo: %d %s %s", code, out, errs)
	}
	sys := db.system(t)
	ctx := context.Background()
	rules, err := monitoring.Default(app.MonitoringOptions(nil, "EUR"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules.Rules() {
		as, _, err := sys.app.Alerts.List(ctx, operator(), app.ListAlertsInput{Rule: r.Name})
		if err != nil || len(as) == 0 {
			t.Errorf("rule %s: %d alerts, %v", r.Name, len(as), err)
			continue
		}
		for _, a := range as {
			if a.Error != "" {
				t.Errorf("rule %s failed: %s", r.Name, a.Error)
			}
		}
	}
	cases, _, err := sys.app.Cases.List(ctx, operator(), app.ListCasesInput{Kind: string(domain.CaseTransactionAlert), Status: string(domain.CaseClosed)})
	if err != nil {
		t.Fatal(err)
	}
	outcomes := map[domain.DecisionKind]int{}
	for _, c := range cases {
		outcomes[c.Outcome]++
	}
	if outcomes[app.OutcomeSuspicious] != 1 || outcomes[app.OutcomeNotSuspicious] != 1 {
		t.Errorf("closed alert cases: %v", outcomes)
	}
	for _, c := range cases {
		if c.Outcome == app.OutcomeSuspicious {
			if reps, err := sys.app.Reports.ForCase(ctx, operator(), c.ID); err != nil || len(reps) != 1 {
				t.Errorf("STR of the suspicious case: %v %v", reps, err)
			}
		}
	}
}

// TestBadRuleFileStopsTheStart: a KYC_MONITORING_RULES file with a CEL
// error stops every command that wires the application (kyc serve
// included), naming the setting, the rule and the position (issue 9,
// "Bad input").
func TestBadRuleFileStopsTheStart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "rules.yaml")
	os.WriteFile(bad, []byte(strings.Replace(string(monitoring.DefaultYAML()), "expression: screening.hit", "expression: screening.hit ||", 1)), 0o600)
	db := cliDB{env: map[string]string{"KYC_DATA_DIR": dir, "KYC_MONITORING_RULES": bad}}
	_, errs, code := db.run(t, "screen", "Anna Eriksson")
	if code != 1 || !strings.Contains(errs, "KYC_MONITORING_RULES") || !strings.Contains(errs, `"counterparty_screening_hit"`) || !strings.Contains(errs, "(line 1, column") {
		t.Fatalf("exit %d: %s", code, errs)
	}
}
