package telemetry

import (
	"context"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// State is what the metrics report of the database rather than of the
// process: read by the composition root at scrape time (WatchState), it
// holds counts and ages only.
type State struct {
	// ListAges is the age in seconds of each source's active snapshot
	// (since it was fetched).
	ListAges map[string]float64
	// Queue is River's queue per job kind and state.
	Queue []QueueDepth
	// CasesOpen and CasesPastSLA count unclosed cases by kind, and those
	// of them past their due date.
	CasesOpen, CasesPastSLA map[string]int64
	// RescreenScreened and RescreenTotal are the progress of the running
	// re-screening run (the oldest not done; both zero when none), and
	// RescreenPending the number of runs not done.
	RescreenScreened, RescreenTotal, RescreenPending int64
}

// QueueDepth is the depth of one kind of job in one state, and how long
// its oldest job has waited in that state.
type QueueDepth struct {
	Kind, State   string
	Count         int64
	OldestSeconds float64
}

// StateReader reads the State (from the database).
type StateReader func(ctx context.Context) (State, error)

// StateTimeout bounds one read of the State.
const StateTimeout = 5 * time.Second

var (
	descListAge = prometheus.NewDesc("kyc_list_snapshot_age_seconds",
		"Age of each list source's active snapshot: seconds since it was fetched.", []string{"source"}, nil)
	descListsActive = prometheus.NewDesc("kyc_lists_active",
		"Number of list sources with an active snapshot (0: screening finds nothing).", nil, nil)
	descQueueDepth = prometheus.NewDesc("kyc_job_queue_depth",
		"Background jobs not finalized, by kind and River state (available, pending, retryable, running, scheduled).", []string{"kind", "state"}, nil)
	descQueueOldest = prometheus.NewDesc("kyc_job_queue_oldest_seconds",
		"Age of the oldest job of a kind in a state: available since it fell due, running since it started, others since inserted.", []string{"kind", "state"}, nil)
	descCasesOpen = prometheus.NewDesc("kyc_cases_open",
		"Unclosed cases by kind.", []string{"kind"}, nil)
	descCasesPastSLA = prometheus.NewDesc("kyc_cases_past_sla",
		"Unclosed cases past their due date (KYC_CASE_SLA, KYC_HIT_SLA), by kind.", []string{"kind"}, nil)
	descRescreenScreened = prometheus.NewDesc("kyc_rescreen_customers_screened",
		"Customers screened so far by the running re-screening run (0 when none runs).", nil, nil)
	descRescreenTotal = prometheus.NewDesc("kyc_rescreen_customers_total",
		"Customers the running re-screening run screens in all (0 when none runs).", nil, nil)
	descRescreenPending = prometheus.NewDesc("kyc_rescreen_runs_pending",
		"Re-screening runs not done yet.", nil, nil)
	descStateAge = prometheus.NewDesc("kyc_state_read_age_seconds",
		"Seconds since the database state above was last read successfully (it is read on scrape, at most every few seconds).", nil, nil)
)

// stateCollector reports the State read on scrape, at most once every
// `every` (other scrapes reuse the last read), so that frequent scrapes by
// several Prometheus servers do not load the database. A failed read is
// counted and the previous State is reported, marked by its age.
type stateCollector struct {
	read   StateReader
	every  time.Duration
	errors prometheus.Counter

	mu     sync.Mutex
	last   State
	readAt time.Time
	ok     bool
	now    func() time.Time
}

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descListAge, descListsActive, descQueueDepth, descQueueOldest, descCasesOpen,
		descCasesPastSLA, descRescreenScreened, descRescreenTotal, descRescreenPending, descStateAge} {
		ch <- d
	}
	c.errors.Describe(ch)
}

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	now := c.now()
	if !c.ok || now.Sub(c.readAt) >= c.every {
		ctx, cancel := context.WithTimeout(context.Background(), StateTimeout)
		st, err := c.read(ctx)
		cancel()
		if err != nil {
			c.errors.Inc()
		} else {
			c.last, c.readAt, c.ok = st, now, true
		}
	}
	st, readAt, ok := c.last, c.readAt, c.ok
	c.mu.Unlock()
	// The error counter is collected here, after the read it may count:
	// registered on its own, the registry could collect it concurrently,
	// before this scrape's failure was counted.
	c.errors.Collect(ch)
	if !ok {
		return
	}
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	for src, age := range st.ListAges {
		gauge(descListAge, age, src)
	}
	gauge(descListsActive, float64(len(st.ListAges)))
	for _, q := range st.Queue {
		gauge(descQueueDepth, float64(q.Count), q.Kind, q.State)
		gauge(descQueueOldest, q.OldestSeconds, q.Kind, q.State)
	}
	for kind, n := range st.CasesOpen {
		gauge(descCasesOpen, float64(n), kind)
	}
	for kind, n := range st.CasesPastSLA {
		gauge(descCasesPastSLA, float64(n), kind)
	}
	gauge(descRescreenScreened, float64(st.RescreenScreened))
	gauge(descRescreenTotal, float64(st.RescreenTotal))
	gauge(descRescreenPending, float64(st.RescreenPending))
	gauge(descStateAge, now.Sub(readAt).Seconds())
}

// WatchState makes /metrics report the State that read returns, read on
// scrape at most once every `every` (zero: 15 seconds).
func (m *Metrics) WatchState(read StateReader, every time.Duration) {
	if every <= 0 {
		every = 15 * time.Second
	}
	m.Registry.MustRegister(&stateCollector{read: read, every: every, errors: m.stateErrors, now: time.Now})
}

// SetBuildInfo sets kyc_build_info{version, go_version, revision} to 1:
// revision is the VCS commit the binary was built from ("unknown" when
// the build did not record it).
func (m *Metrics) SetBuildInfo(version string) {
	revision := "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && s.Value != "" {
				revision = s.Value
			}
		}
	}
	m.buildInfo.Reset()
	m.buildInfo.WithLabelValues(version, runtime.Version(), revision).Set(1)
}

// Webhook delivery outcomes (kyc_webhook_deliveries_total{outcome}).
const (
	WebhookSucceeded = "succeeded" // the endpoint answered 2xx
	WebhookRetry     = "retry"     // the attempt failed, another is scheduled
	WebhookFailed    = "failed"    // the delivery gave up (attempts exhausted, endpoint removed, manual retry failed)
)

// WebhookDelivery counts one recorded webhook delivery attempt by outcome.
func (m *Metrics) WebhookDelivery(outcome string) { m.webhooks.WithLabelValues(outcome).Inc() }
