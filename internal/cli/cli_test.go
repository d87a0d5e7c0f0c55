package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/risk"
)

// runCLI runs the command line in-process against a data directory.
func runCLI(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	env := map[string]string{"KYC_DATA_DIR": dir}
	code := Run(context.Background(), &Env{
		Args: append([]string{"kyc"}, args...), Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] },
	})
	return out.String(), errb.String(), code
}

func TestUsageAndExitCodes(t *testing.T) {
	t.Parallel()
	fixture := kyctest.OFACDir(t)
	dir := t.TempDir()
	tests := []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "Usage"},
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"client"}, 2, "rotate-secret"},
		{[]string{"client", "create", "--name", "x", "--scopes", "root"}, 1, "unknown"},
		{[]string{"client", "create", "--name", "", "--scopes", "all"}, 1, "--name"},
		{[]string{"lists", "import", "--source", "ofac_sdn"}, 2, "usage"},
		{[]string{"lists", "import", "--source", "nope", filepath.Join(fixture, "sdn.csv")}, 1, "Unknown list source"},
		{[]string{"screen"}, 2, "usage"},
		{[]string{"audit"}, 2, "checkpoint"},
		{[]string{"serve", "--no-workers", "--workers-only"}, 2, "exclude"},
		{[]string{"version"}, 0, ""},
	}
	for _, tt := range tests {
		out, errs, code := runCLI(t, dir, tt.args...)
		if code != tt.code || !strings.Contains(out+errs, tt.want) {
			t.Errorf("kyc %v: exit %d (want %d), output %q does not contain %q", tt.args, code, tt.code, out+errs, tt.want)
		}
	}
}

func TestBadConfigurationExits2(t *testing.T) {
	t.Parallel()
	var errb bytes.Buffer
	code := Run(context.Background(), &Env{Args: []string{"kyc", "migrate"}, Stdout: &bytes.Buffer{}, Stderr: &errb,
		Getenv: func(k string) string {
			return map[string]string{"KYC_DATA_DIR": t.TempDir(), "KYC_LOG_FORMAT": "xml", "KYC_TOKEN_TTL": "forever"}[k]
		}})
	if code != 2 || !strings.Contains(errb.String(), "KYC_LOG_FORMAT") || !strings.Contains(errb.String(), "KYC_TOKEN_TTL") {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
}

func TestOperatorCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out, _, code := runCLI(t, dir, "migrate")
	if code != 0 || !strings.Contains(out, "migrated") {
		t.Fatalf("migrate: %d %s", code, out)
	}
	out, _, code = runCLI(t, dir, "client", "create", "--name", "backend", "--scopes", "customers:read,cases:write", "--json")
	var cl struct {
		ClientID     string   `json:"client_id"`
		ClientSecret string   `json:"client_secret"`
		Scopes       []string `json:"scopes"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &cl) != nil || cl.ClientSecret == "" || len(cl.Scopes) != 2 {
		t.Fatalf("client create: %d %s", code, out)
	}
	fixture := kyctest.OFACDir(t)
	args := []string{"lists", "import", "--source", "ofac_sdn", "--json", filepath.Join(fixture, "sdn.csv"), filepath.Join(fixture, "alt.csv"), filepath.Join(fixture, "add.csv"), filepath.Join(fixture, "sdn_comments.csv")}
	out, _, code = runCLI(t, dir, args...)
	if code != 0 || !strings.Contains(out, `"entity_count": 3`) {
		t.Fatalf("import: %d %s", code, out)
	}
	out, _, code = runCLI(t, dir, args...)
	if code != 0 || !strings.Contains(out, `"unchanged": true`) {
		t.Fatalf("identical import is not a no-op: %d %s", code, out)
	}
	// A damaged file fails the import and names the problem.
	bad := filepath.Join(t.TempDir(), "sdn.csv")
	os.WriteFile(bad, []byte("36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\"\n37,\"BROKEN"), 0o600)
	_, errs, code := runCLI(t, dir, "lists", "import", "--source", "ofac_sdn", bad, filepath.Join(fixture, "alt.csv"), filepath.Join(fixture, "add.csv"), filepath.Join(fixture, "sdn_comments.csv"))
	if code == 0 || !strings.Contains(errs, "sdn.csv: line 1") {
		t.Fatalf("damaged import: exit %d %s", code, errs)
	}
	// A well-formed edition of one entry would remove the other two: a sharp
	// drop, refused unless --force (issue 12 item 1).
	one := t.TempDir()
	for _, n := range kyctest.OFACFileNames {
		b, _ := kyctest.OFACFile(n)
		if n != "sdn_comments.csv" {
			b = append(b[:bytes.IndexByte(b, '\n')+1], 0x1a) // entry 36 comes first in each file
		}
		os.WriteFile(filepath.Join(one, n), b, 0o600)
	}
	oneArgs := []string{"lists", "import", "--source", "ofac_sdn", filepath.Join(one, "sdn.csv"), filepath.Join(one, "alt.csv"), filepath.Join(one, "add.csv"), filepath.Join(one, "sdn_comments.csv")}
	_, errs, code = runCLI(t, dir, oneArgs...)
	if code != 1 || !strings.Contains(errs, "dropped sharply") || !strings.Contains(errs, "--force") {
		t.Fatalf("one-entry import: exit %d %s", code, errs)
	}
	out, _, code = runCLI(t, dir, append(oneArgs[:4:4], append([]string{"--force"}, oneArgs[4:]...)...)...)
	if code != 0 || !strings.Contains(out, "1 entities") {
		t.Fatalf("forced one-entry import: exit %d %s", code, out)
	}
	if out, _, code = runCLI(t, dir, args...); code != 0 || !strings.Contains(out, `"entity_count": 3`) {
		t.Fatalf("re-import: %d %s", code, out)
	}
	out, _, code = runCLI(t, dir, "screen", "Kim", "Jong", "Un", "--json")
	var sr struct {
		Matches []struct {
			SourceID string  `json:"source_id"`
			Score    float64 `json:"score"`
		} `json:"matches"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &sr) != nil || len(sr.Matches) == 0 || sr.Matches[0].SourceID != "20157" {
		t.Fatalf("screen: %d %s", code, out)
	}
	names := filepath.Join(t.TempDir(), "names.csv")
	os.WriteFile(names, []byte("name,country\nKim Jong Un,KP\nAnna Eriksson,SE\n"), 0o600)
	out, _, code = runCLI(t, dir, "screen", "--file", names)
	if code != 0 || !strings.Contains(out, "1,Kim Jong Un,1.000,ofac_sdn,20157") || !strings.Contains(out, "2,Anna Eriksson,,") {
		t.Fatalf("screen --file: %d %s", code, out)
	}
	out, _, code = runCLI(t, dir, "keys", "rotate", "--json")
	if code != 0 || !strings.Contains(out, `"kid"`) {
		t.Fatalf("keys rotate: %d %s", code, out)
	}
	out, _, code = runCLI(t, dir, "audit", "verify")
	if code != 0 || !strings.Contains(out, "audit chain OK") {
		t.Fatalf("audit verify: %d %s", code, out)
	}
}

func TestListsSync(t *testing.T) {
	t.Parallel()
	fixture := kyctest.OFACDir(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(fixture)))
	defer srv.Close()
	dir := t.TempDir()
	srcs := filepath.Join(dir, "sources.json")
	os.WriteFile(srcs, []byte(fmt.Sprintf(`[{"name":"ofac_sdn","files":[{"name":"sdn.csv","url":"%[1]s/sdn.csv"},{"name":"alt.csv","url":"%[1]s/alt.csv"},{"name":"add.csv","url":"%[1]s/add.csv"},{"name":"sdn_comments.csv","url":"%[1]s/sdn_comments.csv"}]}]`, srv.URL)), 0o600)
	out, _, code := runCLI(t, dir, "lists", "sync", "--sources", srcs)
	if code != 0 || !strings.Contains(out, "ofac_sdn: snapshot") || !strings.Contains(out, "3 entities") {
		t.Fatalf("sync: %d %s", code, out)
	}
	out, _, code = runCLI(t, dir, "lists", "sync", "--sources", srcs, "--json")
	if code != 0 || !(strings.Contains(out, `"unchanged": true`) || strings.Contains(out, `"not_modified": true`)) {
		t.Fatalf("second sync: %d %s", code, out)
	}
	os.WriteFile(srcs, []byte(`[{"name":"ofac_sdn","files":[{"name":"sdn.csv","url":"`+srv.URL+`/missing.csv"}]}]`), 0o600)
	out, _, code = runCLI(t, dir, "lists", "sync", "--sources", srcs)
	if code != 1 || !strings.Contains(out, "FAILED, list in use kept") {
		t.Fatalf("failed sync: %d %s", code, out)
	}
}

func TestUserCreateAndDemo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out, _, code := runCLI(t, dir, "user", "create", "--email", "Ana@Bank.example", "--role", "analyst", "--json")
	var u struct {
		OneTimePassword string `json:"one_time_password"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &u) != nil || len(u.OneTimePassword) < 12 {
		t.Fatalf("user create: %d %s", code, out)
	}
	_, errs, code := runCLI(t, dir, "user", "create", "--email", "ana@bank.example", "--role", "analyst")
	if code == 0 || !strings.Contains(errs, "exists") {
		t.Fatalf("duplicate user: %d %s", code, errs)
	}
	_, errs, code = runCLI(t, dir, "user", "create", "--email", "x@bank.example", "--role", "boss")
	if code == 0 || !strings.Contains(errs, "role") {
		t.Fatalf("bad role: %d %s", code, errs)
	}
	out, errs, code = runCLI(t, dir, "demo", "--days", "20")
	if code != 0 || !strings.Contains(out, "Demo data created") || !strings.Contains(out, "mlro") {
		t.Fatalf("demo: %d %s %s", code, out, errs)
	}
	// The demo's list update opened a list_update case for the approved
	// customer it designates.
	if m := regexp.MustCompile(`List update: 2 new designation\(s\) re-screened against (\d+) active customers: (\d+) hit\(s\), 1 list_update case\(s\)`).FindStringSubmatch(out); m == nil || m[1] == "0" || m[2] == "0" {
		t.Fatalf("demo list update: %s", out)
	}
	// The demo's webhook receiver got signed deliveries, some of them retried.
	if m := regexp.MustCompile(`Webhooks: (\d+) signed deliveries to the demo receiver \((\d+) retried after a 500, 0 with a bad signature\)`).FindStringSubmatch(out); m == nil || m[1] == "0" || m[2] == "0" {
		t.Fatalf("demo webhooks: %s", out)
	}
	// Long-standing customers' periodic reviews fell due: one decided,
	// one overdue, one due (issue 8, item 6).
	if !strings.Contains(out, "Periodic reviews: 2 due (1 overdue)") {
		t.Fatalf("demo reviews: %s", out)
	}
	_, errs, code = runCLI(t, dir, "demo")
	if code == 0 || !strings.Contains(errs, "fresh database") {
		t.Fatalf("second demo: %d %s", code, errs)
	}
	out, _, code = runCLI(t, dir, "audit", "verify")
	if code != 0 || !strings.Contains(out, "audit chain OK") {
		t.Fatalf("audit after demo: %d %s", code, out)
	}
}

// TestRiskValidateAndBacktest: kyc risk validate loads a model as kyc
// serve would (KYC_RISK_MODEL) and names the factor at fault, exit 1; kyc
// risk backtest runs against the database and writes nothing.
func TestRiskValidateAndBacktest(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "model.yaml")
	if err := os.WriteFile(good, risk.DefaultYAML(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errs, code := runCLI(t, dir, "risk", "validate", good)
	if code != 0 || !strings.Contains(out, "risk model 2026.1 is valid") {
		t.Fatalf("default model: exit %d %s %s", code, out, errs)
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte(strings.Replace(string(risk.DefaultYAML()), "countries: [MM]", "countries: [XX]", 1)), 0o600)
	if _, errs, code := runCLI(t, dir, "risk", "validate", bad); code != 1 || !strings.Contains(errs, `"fatf_call_for_action_edd"`) || !strings.Contains(errs, `"XX"`) {
		t.Fatalf("bad model: exit %d %s", code, errs)
	}
	if out, _, code := runCLI(t, dir, "risk", "validate", bad, "--json"); code != 1 || !strings.Contains(out, `"valid": false`) {
		t.Fatalf("bad model --json: exit %d %s", code, out)
	}
	out, errs, code = runCLI(t, dir, "risk", "backtest", good)
	if code != 0 || !strings.Contains(out, "over 0 assessed customers: 0 ratings and 0 due-diligence levels would change") {
		t.Fatalf("backtest: exit %d %s %s", code, out, errs)
	}
	if _, _, code := runCLI(t, dir, "risk"); code != 2 {
		t.Fatalf("no subcommand: exit %d", code)
	}
}
