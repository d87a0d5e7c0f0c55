package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// metricNames are the kyc_ metric names an expression or exposition uses.
var metricName = regexp.MustCompile(`\bkyc_[a-z0-9_]+\b`)

// exposedNames parses a Prometheus text exposition: the names of its
// samples (histograms give NAME_bucket, NAME_sum, NAME_count).
func exposedNames(body string) map[string]bool {
	out := map[string]bool{}
	for _, line := range strings.Split(body, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name := line
		if i := strings.IndexAny(line, "{ "); i >= 0 {
			name = line[:i]
		}
		out[name] = true
	}
	return out
}

// dashboardExprs returns every PromQL expression of a Grafana dashboard:
// the panels' targets (rows' nested panels too) and the templating queries.
func dashboardExprs(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && (k == "expr" || k == "definition") {
					out = append(out, s)
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	return out
}

// alertExprs returns the expressions of a Prometheus rule file.
func alertExprs(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Groups []struct {
			Name  string `yaml:"name"`
			Rules []struct {
				Alert  string            `yaml:"alert"`
				Expr   string            `yaml:"expr"`
				For    string            `yaml:"for"`
				Labels map[string]string `yaml:"labels"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []string
	for _, g := range doc.Groups {
		for _, r := range g.Rules {
			if r.Alert == "" || strings.TrimSpace(r.Expr) == "" || r.Labels["severity"] == "" {
				t.Errorf("%s: rule %+v lacks a name, an expression or a severity", path, r)
			}
			out = append(out, r.Expr)
		}
	}
	return out
}

// TestDashboardAndAlertsMatchMetrics starts a real kyc serve (a list
// loaded first, so that every gauge has a value) and checks that every
// metric the shipped Grafana dashboard and Prometheus alert rules use is
// exposed on /metrics, and that API requests are counted under their
// route pattern (issue 14, item 2).
func TestDashboardAndAlertsMatchMetrics(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	dash := dashboardExprs(t, filepath.Join(root, "deploy", "grafana", "kyc-dashboard.json"))
	alerts := alertExprs(t, filepath.Join(root, "deploy", "prometheus", "alerts.yaml"))
	for _, want := range []string{"kyc_list_snapshot_age_seconds", "kyc_job_queue_oldest_seconds", "kyc_webhook_deliveries_total", "kyc_cases_past_sla"} {
		if !strings.Contains(strings.Join(alerts, "\n"), want) {
			t.Errorf("no alert on %s", want)
		}
	}
	for _, want := range []string{"kyc_http_requests_total", "kyc_http_request_duration_seconds_bucket", "kyc_job_queue_depth", "kyc_list_snapshot_age_seconds",
		"kyc_webhook_deliveries_total", "kyc_rescreen_customers_screened", "kyc_cases_past_sla"} {
		if !strings.Contains(strings.Join(dash, "\n"), want) {
			t.Errorf("the dashboard shows no %s", want)
		}
	}

	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			data := t.TempDir()
			env := map[string]string{"KYC_DATA_DIR": data}
			if engine == testdb.Postgres {
				env["KYC_DATABASE_URL"] = testdb.PostgresURL(t)
			}
			fixture := filepath.Join("..", "kyctest", "testdata", "ofac")
			var errb strings.Builder
			if code := Run(t.Context(), &Env{Args: []string{"kyc", "lists", "import", "--source", "ofac_sdn",
				filepath.Join(fixture, "sdn.csv"), filepath.Join(fixture, "alt.csv"), filepath.Join(fixture, "add.csv"), filepath.Join(fixture, "sdn_comments.csv")},
				Stdout: io.Discard, Stderr: &errb, Getenv: func(k string) string { return env[k] }}); code != 0 {
				t.Fatalf("lists import: %d %s", code, errb.String())
			}
			s := startServe(t, engine, env)
			if code, _ := s.get(t, "/api/v1/customers/cus_00000000000000000000000001", ""); code != http.StatusUnauthorized {
				t.Fatalf("API answered %d", code)
			}
			code, body := s.get(t, "/metrics", "")
			if code != http.StatusOK {
				t.Fatalf("/metrics %d", code)
			}
			exposed := exposedNames(body)
			var missing []string
			for _, expr := range append(dash, alerts...) {
				for _, name := range metricName.FindAllString(expr, -1) {
					if !exposed[name] {
						missing = append(missing, name)
					}
				}
			}
			if len(missing) > 0 {
				sort.Strings(missing)
				t.Fatalf("used by the dashboard or the alerts but not exposed: %v", missing)
			}
			for _, want := range []string{
				`kyc_http_requests_total{code="401",method="GET",route="/api/v1/customers/{id}"} 1`,
				`kyc_lists_active 1`,
				`kyc_build_info{go_version="go`,
				`kyc_list_snapshot_age_seconds{source="ofac_sdn"}`,
				`kyc_cases_past_sla{kind="onboarding"} 0`,
				`kyc_webhook_deliveries_total{outcome="failed"} 0`,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("/metrics lacks %s", want)
				}
			}
			if strings.Contains(body, `route="/api/v1/"`) || strings.Contains(body, "cus_") {
				t.Error("requests labelled by the mount point or a raw path")
			}
		})
	}
}
