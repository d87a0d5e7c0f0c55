// Package telemetry holds the Prometheus metrics and the structured logger
// of one kyc process. Its registry is per process (no global state): the
// composition root creates one and hands it to HTTP, jobs and use cases.
package telemetry

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the process's Prometheus collectors.
type Metrics struct {
	Registry     *prometheus.Registry
	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec
	jobs         *prometheus.CounterVec
	jobDuration  *prometheus.HistogramVec
	checks       *prometheus.CounterVec
	decisions    *prometheus.CounterVec
	unreadable   *prometheus.CounterVec
	buildInfo    *prometheus.GaugeVec
	webhooks     *prometheus.CounterVec
	stateErrors  prometheus.Counter
}

// NewMetrics registers every collector on a fresh registry.
func NewMetrics() *Metrics {
	r := prometheus.NewRegistry()
	m := &Metrics{
		Registry: r,
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kyc_http_requests_total", Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "kyc_http_request_duration_seconds", Help: "HTTP request latency by route pattern and method.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "method"}),
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kyc_jobs_total", Help: "Background jobs worked, by kind and outcome (ok, retry, failed).",
		}, []string{"kind", "outcome"}),
		jobDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "kyc_job_duration_seconds", Help: "Background job run time by kind.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 9),
		}, []string{"kind"}),
		checks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kyc_checks_total", Help: "Checks finished, by type and status.",
		}, []string{"type", "status"}),
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kyc_decisions_total", Help: "Decisions recorded, by decision (auto_approve for the policy).",
		}, []string{"decision"}),
		unreadable: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kyc_unreadable_records_total", Help: "Records that could not be decrypted or decoded when listed (a wrong or missing master key, or damage), by kind; each is shown marked and logged with its id.",
		}, []string{"kind"}),
		buildInfo: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "kyc_build_info", Help: "1, labelled with the version, the Go version and the VCS revision of the running binary.",
		}, []string{"version", "go_version", "revision"}),
		webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kyc_webhook_deliveries_total", Help: "Webhook delivery attempts recorded, by outcome: succeeded (2xx), retry (failed, another attempt scheduled), failed (the delivery gave up).",
		}, []string{"outcome"}),
		// stateErrors is collected by the state collector (WatchState), after
		// the read it counts, not registered on its own.
		stateErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "kyc_state_read_errors_total", Help: "Failed reads of the database state behind the list, queue, case and re-screening gauges.",
		}),
	}
	for _, o := range []string{WebhookSucceeded, WebhookRetry, WebhookFailed} {
		m.webhooks.WithLabelValues(o) // every outcome from 0, so that rates and alerts see the first one
	}
	m.SetBuildInfo("dev")
	r.MustRegister(m.httpRequests, m.httpDuration, m.jobs, m.jobDuration, m.checks, m.decisions, m.unreadable, m.buildInfo, m.webhooks,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves /metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// HTTPRequest records one request; route is the mux pattern, never the raw
// path (which could hold identifiers).
func (m *Metrics) HTTPRequest(route, method string, code int, d time.Duration) {
	m.httpRequests.WithLabelValues(route, method, itoa(code)).Inc()
	m.httpDuration.WithLabelValues(route, method).Observe(d.Seconds())
}

// Job records one job run.
func (m *Metrics) Job(kind, outcome string, d time.Duration) {
	m.jobs.WithLabelValues(kind, outcome).Inc()
	m.jobDuration.WithLabelValues(kind).Observe(d.Seconds())
}

// JobKinds starts the job series of each kind at zero (outcomes ok, retry,
// failed), so that they exist before the first job runs.
func (m *Metrics) JobKinds(kinds []string) {
	for _, k := range kinds {
		for _, o := range []string{"ok", "retry", "failed"} {
			m.jobs.WithLabelValues(k, o)
		}
		m.jobDuration.WithLabelValues(k)
	}
}

// CheckFinished counts a finished check.
func (m *Metrics) CheckFinished(checkType, status string) {
	m.checks.WithLabelValues(checkType, status).Inc()
}

// UnreadableRecord counts a record a list could not decrypt or decode.
func (m *Metrics) UnreadableRecord(kind string) { m.unreadable.WithLabelValues(kind).Inc() }

// Decision counts a decision.
func (m *Metrics) Decision(decision string) { m.decisions.WithLabelValues(decision).Inc() }

func itoa(n int) string {
	const digits = "0123456789"
	if n >= 100 && n < 1000 {
		return string([]byte{digits[n/100], digits[n/10%10], digits[n%10]})
	}
	return "other"
}

// millis writes every time.Duration attribute in milliseconds with the unit
// in its key ("build" 1.5s becomes "build_ms": 1500), so that no log line
// carries slog's default nanoseconds and every duration reads the same.
func millis(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() != slog.KindDuration {
		return a
	}
	key := a.Key
	if !strings.HasSuffix(key, "_ms") {
		key += "_ms"
	}
	return slog.Float64(key, float64(a.Value.Duration().Microseconds())/1000)
}

// NewLogger builds the process logger: text or JSON on w at the level.
// Durations are logged in milliseconds, keys ending in _ms.
func NewLogger(w io.Writer, format, level string) *slog.Logger {
	var lv slog.Level
	switch strings.ToLower(level) {
	case "debug":
		lv = slog.LevelDebug
	case "warn":
		lv = slog.LevelWarn
	case "error":
		lv = slog.LevelError
	default:
		lv = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: lv, ReplaceAttr: millis}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
