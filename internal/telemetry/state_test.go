package telemetry

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

// TestStateReadOnScrapeAtMostEvery: the database state is read when
// scraped, but no more than once per interval however often Prometheus
// scrapes (issue 14, item 2: do not hammer the database); a failed read is
// counted and the last good state still reported.
func TestStateReadOnScrapeAtMostEvery(t *testing.T) {
	t.Parallel()
	m := NewMetrics()
	reads := 0
	var fail bool
	m.WatchState(func(context.Context) (State, error) {
		reads++
		if fail {
			return State{}, errors.New("database down")
		}
		return State{ListAges: map[string]float64{"un": 90}, CasesPastSLA: map[string]int64{"onboarding": 2},
			Queue:            []QueueDepth{{Kind: "check", State: "available", Count: 3, OldestSeconds: 12.5}},
			RescreenScreened: 40, RescreenTotal: 100, RescreenPending: 1}, nil
	}, time.Hour)
	body := scrape(t, m)
	for _, want := range []string{`kyc_list_snapshot_age_seconds{source="un"} 90`, `kyc_lists_active 1`, `kyc_cases_past_sla{kind="onboarding"} 2`,
		`kyc_job_queue_depth{kind="check",state="available"} 3`, `kyc_job_queue_oldest_seconds{kind="check",state="available"} 12.5`,
		`kyc_rescreen_customers_screened 40`, `kyc_rescreen_customers_total 100`, `kyc_rescreen_runs_pending 1`,
		`kyc_webhook_deliveries_total{outcome="retry"} 0`, `kyc_build_info{go_version="go`} {
		if !strings.Contains(body, want) {
			t.Errorf("scrape lacks %s", want)
		}
	}
	for range 5 {
		scrape(t, m)
	}
	if reads != 1 {
		t.Fatalf("%d reads for 6 scrapes within the interval", reads)
	}

	// A failing read past the interval: counted, the last state kept.
	m2 := NewMetrics()
	c := &stateCollector{read: func(context.Context) (State, error) {
		reads++
		if fail {
			return State{}, errors.New("database down")
		}
		return State{ListAges: map[string]float64{"un": 90}}, nil
	}, every: time.Minute, errors: m2.stateErrors}
	now := time.Unix(1_800_000_000, 0)
	c.now = func() time.Time { return now }
	m2.Registry.MustRegister(c)
	reads = 0
	scrape(t, m2)
	fail = true
	now = now.Add(2 * time.Minute)
	body = scrape(t, m2)
	if reads != 2 || !strings.Contains(body, `kyc_state_read_errors_total 1`) || !strings.Contains(body, `kyc_list_snapshot_age_seconds{source="un"} 90`) ||
		!strings.Contains(body, `kyc_state_read_age_seconds 120`) {
		t.Fatalf("after a failed read (%d reads): %s", reads, body)
	}
}

// TestWebhookDeliveryCounter counts attempts by outcome.
func TestWebhookDeliveryCounter(t *testing.T) {
	t.Parallel()
	m := NewMetrics()
	m.WebhookDelivery(WebhookFailed)
	m.WebhookDelivery(WebhookSucceeded)
	m.WebhookDelivery(WebhookSucceeded)
	body := scrape(t, m)
	for _, want := range []string{`kyc_webhook_deliveries_total{outcome="failed"} 1`, `kyc_webhook_deliveries_total{outcome="succeeded"} 2`, `kyc_webhook_deliveries_total{outcome="retry"} 0`} {
		if !strings.Contains(body, want) {
			t.Errorf("scrape lacks %s", want)
		}
	}
}
