package jobs

import (
	"context"

	"github.com/riverqueue/river"
)

// DocumentExpiryBackfillArgs gives the customers approved before document
// expiry dates were kept (migration 00117) their dates (issue 8, gap b).
type DocumentExpiryBackfillArgs struct{}

// Kind implements river.JobArgs.
func (DocumentExpiryBackfillArgs) Kind() string { return "document_expiry_backfill" }

// documentExpiryBackfillWorker runs app.Reviews.BackfillDocumentExpiries
// once at start (and then daily, a no-op once it is done): batches of
// customers, each in one transaction that records how far it got, so a
// run interrupted by a restart resumes there and two replicas running it
// at once write each date once.
type documentExpiryBackfillWorker struct {
	river.WorkerDefaults[DocumentExpiryBackfillArgs]
	b *bundle
}

// Work runs the backfill to its end.
func (w *documentExpiryBackfillWorker) Work(ctx context.Context, job *river.Job[DocumentExpiryBackfillArgs]) error {
	res, err := w.b.app.Reviews.BackfillDocumentExpiries(ctx, 0)
	if res.Customers > 0 || res.Unreadable > 0 {
		w.b.log.Info("document-expiry backfill", "customers", res.Customers, "tracked", res.Tracked, "dates", res.Dates, "unreadable", res.Unreadable, "done", res.Done)
	}
	return err
}
