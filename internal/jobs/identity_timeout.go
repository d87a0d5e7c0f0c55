package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// IdentityTimeoutArgs hands to a person the identity checks that waited
// for an asynchronous provider longer than KYC_IDENTITY_TIMEOUT.
type IdentityTimeoutArgs struct{}

// Kind implements river.JobArgs.
func (IdentityTimeoutArgs) Kind() string { return "identity_timeout" }

// identityTimeoutInterval is how often the periodic job looks.
const identityTimeoutInterval = time.Minute

// identityTimeoutWorker runs app.Checks.ExpirePending: each expired check
// becomes needs_review in its own transaction, which then runs the
// decision policy (a case opens).
type identityTimeoutWorker struct {
	river.WorkerDefaults[IdentityTimeoutArgs]
	b       *bundle
	timeout time.Duration
}

// Work expires what waited too long.
func (w *identityTimeoutWorker) Work(ctx context.Context, job *river.Job[IdentityTimeoutArgs]) error {
	n, err := w.b.app.Checks.ExpirePending(ctx, w.timeout)
	if n > 0 {
		w.b.log.Info("identity checks without a provider result handed to review", "count", n, "timeout", w.timeout.String())
	}
	return err
}
