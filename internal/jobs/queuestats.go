package jobs

import (
	"context"
	"fmt"
)

// QueueStat is the depth of River's queue for one kind of job in one
// state, and how long the oldest of them has been waiting in that state.
type QueueStat struct {
	Kind, State string
	Count       int64
	// OldestSeconds is, for the oldest job: how long it has been due
	// (available: since scheduled_at, so a queue nobody works grows it),
	// how long it has been running (running: since attempted_at, so a
	// stuck worker grows it), or how long since it was inserted
	// (scheduled, retryable, pending).
	OldestSeconds float64
}

// queueStatesSQL lists the states of jobs not finalized: completed,
// cancelled and discarded jobs are history, not queue.
const queueStatesSQL = `('available', 'pending', 'retryable', 'running', 'scheduled')`

// queueStatsSQL is one grouped read of river_job per engine, served by
// River's (state, queue, priority, scheduled_at, id) index.
var queueStatsSQL = map[string]string{
	"postgres": `SELECT kind, state::text, count(*),
  COALESCE(EXTRACT(EPOCH FROM (now() - min(CASE state WHEN 'available' THEN scheduled_at WHEN 'running' THEN COALESCE(attempted_at, created_at) ELSE created_at END)))::float8, 0)
FROM river_job WHERE state IN ` + queueStatesSQL + ` GROUP BY kind, state ORDER BY kind, state`,
	"sqlite": `SELECT kind, state, count(*),
  COALESCE((julianday('now') - min(julianday(CASE state WHEN 'available' THEN scheduled_at WHEN 'running' THEN COALESCE(attempted_at, created_at) ELSE created_at END))) * 86400.0, 0)
FROM river_job WHERE state IN ` + queueStatesSQL + ` GROUP BY kind, state ORDER BY kind, state`,
}

// QueueStats reads the depth and the oldest job's age of River's queue
// per kind and state (the metrics kyc_job_queue_depth and
// kyc_job_queue_oldest_seconds): one grouped query, for a scrape.
func (r *Runner) QueueStats(ctx context.Context) ([]QueueStat, error) {
	q, ok := queueStatsSQL[r.db.Dialect()]
	if !ok {
		return nil, fmt.Errorf("jobs: no queue statistics for %s", r.db.Dialect())
	}
	rows, err := r.db.DB().QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("jobs: queue statistics: %w", err)
	}
	defer rows.Close()
	var out []QueueStat
	seen := map[[2]string]bool{}
	for rows.Next() {
		var s QueueStat
		if err := rows.Scan(&s.Kind, &s.State, &s.Count, &s.OldestSeconds); err != nil {
			return nil, fmt.Errorf("jobs: queue statistics: %w", err)
		}
		s.OldestSeconds = max(s.OldestSeconds, 0)
		seen[[2]string{s.Kind, s.State}] = true
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Every kind in the states the alerts watch, at zero when empty: a
	// series that exists from the start, rather than one that appears with
	// the first job, is what rate() and absence checks need.
	for _, k := range Kinds() {
		for _, st := range []string{"available", "retryable", "running"} {
			if !seen[[2]string{k, st}] {
				out = append(out, QueueStat{Kind: k, State: st})
			}
		}
	}
	return out, nil
}

// Kinds lists the kinds of job kyc runs.
func Kinds() []string {
	return []string{CheckArgs{}.Kind(), IdentityTimeoutArgs{}.Kind(), ListSyncArgs{}.Kind(), PurgeArgs{}.Kind(), RescreenArgs{}.Kind(),
		RetentionArgs{}.Kind(), ReviewScanArgs{}.Kind(), DocumentExpiryScanArgs{}.Kind(), WebhookArgs{}.Kind()}
}
