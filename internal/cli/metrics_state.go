package cli

import (
	"context"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/jobs"
	"github.com/kyc-platform/kyc/internal/telemetry"
)

// metricsStateEvery is how often at most a process reads the database
// state behind its gauges (lists, job queue, cases, re-screening); scrapes
// in between reuse the last read.
const metricsStateEvery = 15 * time.Second

// watchState makes the process's /metrics report the database state:
// list freshness, cases open and past SLA and re-screening progress from
// app, and River's queue from the runner.
func watchState(sys *system) {
	sys.metrics.SetBuildInfo(Version)
	sys.metrics.JobKinds(jobs.Kinds())
	actor := domain.SystemActor("metrics")
	sys.metrics.WatchState(func(ctx context.Context) (telemetry.State, error) {
		ops, err := sys.app.Backoffice.OpsState(ctx, actor)
		if err != nil {
			return telemetry.State{}, err
		}
		queue, err := sys.runner.QueueStats(ctx)
		if err != nil {
			return telemetry.State{}, err
		}
		st := telemetry.State{ListAges: map[string]float64{}, CasesOpen: map[string]int64{}, CasesPastSLA: map[string]int64{},
			RescreenPending: int64(len(ops.Rescreens))}
		for _, l := range ops.Lists {
			st.ListAges[l.Source] = l.Age.Seconds()
		}
		for k, n := range ops.CasesOpen {
			st.CasesOpen[string(k)] = n
		}
		for k, n := range ops.CasesPastSLA {
			st.CasesPastSLA[string(k)] = n
		}
		if len(ops.Rescreens) > 0 {
			st.RescreenScreened, st.RescreenTotal = ops.Rescreens[0].Screened, ops.Rescreens[0].Total
		}
		for _, q := range queue {
			st.Queue = append(st.Queue, telemetry.QueueDepth{Kind: q.Kind, State: q.State, Count: q.Count, OldestSeconds: q.OldestSeconds})
		}
		return st, nil
	}, metricsStateEvery)
}
