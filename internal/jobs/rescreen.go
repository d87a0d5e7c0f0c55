package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/kyc-platform/kyc/internal/app"
)

// RescreenArgs re-screens the customer book after a list snapshot became
// active (app.Rescreening; ARCHITECTURE.md, "Re-screening on list
// change"). It is inserted in the transaction that activates the snapshot,
// unique by run: however often it is enqueued, one job works a run.
type RescreenArgs struct {
	RunID string `json:"run_id"`
}

// Kind implements river.JobArgs.
func (RescreenArgs) Kind() string { return "rescreen" }

// InsertOpts implements river.JobArgsWithInsertOpts: one job per run
// while it is not finished.
func (RescreenArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 25, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// RescreenSlice is how long one job works on a run before it hands the
// worker back (snoozing to continue at once), so that a large book never
// runs into the job timeout and other jobs get their turn; every batch it
// finished is committed with the run's cursor.
const RescreenSlice = 30 * time.Second

// rescreenWorker works a run a slice at a time.
type rescreenWorker struct {
	river.WorkerDefaults[RescreenArgs]
	b *bundle
}

// Timeout gives a slice room beyond RescreenSlice for its last batch.
func (w *rescreenWorker) Timeout(*river.Job[RescreenArgs]) time.Duration {
	return RescreenSlice + 2*time.Minute
}

// Work runs batches for a slice; an unfinished run is snoozed to go on at
// once (a snooze does not use an attempt). A worker stopped mid-batch
// (shutdown) loses only that uncommitted batch and snoozes too, so the
// next process resumes after the last committed customer.
func (w *rescreenWorker) Work(ctx context.Context, job *river.Job[RescreenArgs]) error {
	start := time.Now()
	done, err := w.b.app.Rescreening.Process(ctx, job.Args.RunID, RescreenSlice)
	outcome := "ok"
	switch {
	case err != nil && ctx.Err() != nil:
		outcome, err = "interrupted", river.JobSnooze(0)
	case err != nil:
		outcome = "retry"
		w.b.log.Warn("re-screening job failed", "run_id", job.Args.RunID, "attempt", job.Attempt, "err", safeReason(err))
	case !done:
		outcome, err = "continued", river.JobSnooze(0)
	}
	if w.b.metrics != nil {
		w.b.metrics.Job(job.Kind, outcome, time.Since(start))
	}
	return err
}

// EnqueueRescreen implements app.RescreenEnqueuer: the run's job, in the
// caller's transaction.
func (r *Runner) EnqueueRescreen(ctx context.Context, tx app.EnqueueTx, runID string) error {
	_, err := r.client.InsertTx(ctx, tx.SQLTx(), RescreenArgs{RunID: runID}, nil)
	return err
}

var _ app.RescreenEnqueuer = (*Runner)(nil)
