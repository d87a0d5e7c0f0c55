package jobs

import (
	"context"

	"github.com/riverqueue/river"
)

// RetentionArgs purges the personal data of customers whose retention
// period ended (README, "Off-boarding and records").
type RetentionArgs struct{}

// Kind implements river.JobArgs.
func (RetentionArgs) Kind() string { return "retention_purge" }

// retentionWorker runs app.Records.PurgeDue every KYC_RETENTION_SCAN_INTERVAL.
type retentionWorker struct {
	river.WorkerDefaults[RetentionArgs]
	b *bundle
}

// Work purges what is due; each customer is purged in its own transaction
// that first checks, under the row lock, that it is still due, so two
// replicas never purge one twice and an interrupted run resumes where it
// stopped.
func (w *retentionWorker) Work(ctx context.Context, job *river.Job[RetentionArgs]) error {
	n, err := w.b.app.Records.PurgeDue(ctx, 0)
	if n > 0 {
		w.b.log.Info("purged customers whose retention ended", "count", n)
	}
	return err
}
