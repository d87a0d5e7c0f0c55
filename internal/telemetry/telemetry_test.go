package telemetry

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestMetricsExposition(t *testing.T) {
	t.Parallel()
	m := NewMetrics()
	m.HTTPRequest("GET /api/v1/customers/{id}", "GET", 200, 3*time.Millisecond)
	m.HTTPRequest("unmatched", "GET", 1, time.Millisecond) // a code outside 100-999
	m.Job("check", "ok", 10*time.Millisecond)
	m.CheckFinished("screening", "needs_review")
	m.Decision("approve")
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`kyc_http_requests_total{code="200",method="GET",route="GET /api/v1/customers/{id}"} 1`,
		`kyc_http_requests_total{code="other",method="GET",route="unmatched"} 1`,
		`kyc_jobs_total{kind="check",outcome="ok"} 1`,
		`kyc_checks_total{status="needs_review",type="screening"} 1`,
		`kyc_decisions_total{decision="approve"} 1`,
		`kyc_http_request_duration_seconds_bucket`,
		`go_goroutines`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	// Two processes' registries are independent (no global state).
	if NewMetrics().Registry == m.Registry {
		t.Fatal("shared registry")
	}
}

func TestLogger(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	NewLogger(&buf, "json", "warn").Info("hidden")
	NewLogger(&buf, "json", "warn").Warn("shown", "k", "v")
	if s := buf.String(); strings.Contains(s, "hidden") || !strings.Contains(s, `"msg":"shown"`) {
		t.Fatalf("json logger at warn: %s", s)
	}
	buf.Reset()
	NewLogger(&buf, "text", "debug").Debug("dbg")
	if !strings.Contains(buf.String(), "msg=dbg") {
		t.Fatalf("text logger at debug: %s", buf.String())
	}
}

// TestLoggerDurationsInMilliseconds: a duration logged anywhere comes out
// in milliseconds with the unit in its key (issue 14, item 4), never in
// slog's default nanoseconds, also inside groups.
func TestLoggerDurationsInMilliseconds(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	NewLogger(&buf, "json", "info").Info("done", "build", 1500*time.Millisecond, "wait_ms", 2*time.Microsecond,
		slog.Group("job", "run", 250*time.Microsecond), "count", 3)
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("%v: %s", err, buf.String())
	}
	job, _ := line["job"].(map[string]any)
	if line["build_ms"] != 1500.0 || line["wait_ms"] != 0.002 || job["run_ms"] != 0.25 || line["count"] != 3.0 {
		t.Fatalf("durations not in ms: %s", buf.String())
	}
	if _, ok := line["build"]; ok {
		t.Fatalf("the nanosecond key is still there: %s", buf.String())
	}
}
