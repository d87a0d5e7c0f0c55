package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// ListSyncArgs syncs the configured sanctions lists.
type ListSyncArgs struct{}

// Kind implements river.JobArgs.
func (ListSyncArgs) Kind() string { return "list_sync" }

// listSyncWorker fetches the configured official lists (Options.ListSync).
type listSyncWorker struct {
	river.WorkerDefaults[ListSyncArgs]
	b    *bundle
	sync func(ctx context.Context) error
}

// Work runs one sync; on failure the lists in use stay loaded and River
// retries.
func (w *listSyncWorker) Work(ctx context.Context, job *river.Job[ListSyncArgs]) error {
	if w.sync == nil {
		return nil
	}
	start := time.Now()
	err := w.sync(ctx)
	outcome := "ok"
	if err != nil {
		outcome = "retry"
		w.b.log.Warn("list sync failed; the lists in use are kept", "attempt", job.Attempt, "err", err)
	}
	if w.b.metrics != nil {
		w.b.metrics.Job(job.Kind, outcome, time.Since(start))
	}
	return err
}
