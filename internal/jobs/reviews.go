package jobs

import (
	"context"

	"github.com/riverqueue/river"
)

// ReviewScanArgs opens the periodic reviews that fell due (README,
// "Ongoing due diligence").
type ReviewScanArgs struct{}

// Kind implements river.JobArgs.
func (ReviewScanArgs) Kind() string { return "periodic_review_scan" }

// reviewScanWorker runs app.Reviews.OpenDue every KYC_REVIEW_SCAN_INTERVAL.
type reviewScanWorker struct {
	river.WorkerDefaults[ReviewScanArgs]
	b *bundle
}

// Work opens what is due. Each customer's case opens in its own
// transaction that checks again, under the customer's row lock, that it is
// due and has no open review, and the database allows one open review per
// customer: replicas running the scan at once never open two, and a scan
// interrupted by a restart resumes with the customers still due.
func (w *reviewScanWorker) Work(ctx context.Context, job *river.Job[ReviewScanArgs]) error {
	n, err := w.b.app.Reviews.OpenDue(ctx, 0)
	if n > 0 {
		w.b.log.Info("opened periodic reviews", "count", n)
	}
	return err
}

// DocumentExpiryScanArgs opens document_expiry cases ahead of identity
// documents' expiry (KYC_DOCUMENT_EXPIRY_NOTICE).
type DocumentExpiryScanArgs struct{}

// Kind implements river.JobArgs.
func (DocumentExpiryScanArgs) Kind() string { return "document_expiry_scan" }

// documentExpiryWorker runs app.Reviews.OpenExpiringDocuments every
// KYC_DOCUMENT_EXPIRY_SCAN_INTERVAL; each expiry's case is recorded once,
// whichever replica runs it.
type documentExpiryWorker struct {
	river.WorkerDefaults[DocumentExpiryScanArgs]
	b *bundle
}

// Work opens what is due.
func (w *documentExpiryWorker) Work(ctx context.Context, job *river.Job[DocumentExpiryScanArgs]) error {
	n, err := w.b.app.Reviews.OpenExpiringDocuments(ctx, 0)
	if n > 0 {
		w.b.log.Info("opened document expiry cases", "count", n)
	}
	return err
}
