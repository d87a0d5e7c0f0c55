package jobs

import (
	"context"
	"errors"
	"fmt"

	"github.com/riverqueue/river"
)

// PurgeArgs deletes expired idempotency keys and sessions.
type PurgeArgs struct{}

// Kind implements river.JobArgs.
func (PurgeArgs) Kind() string { return "purge_idempotency_keys" }

// purgeWorker is the hourly clean-up of expired records.
type purgeWorker struct {
	river.WorkerDefaults[PurgeArgs]
	b *bundle
}

// Work deletes what has expired: idempotency keys, staff sessions and
// applicant sessions.
func (w *purgeWorker) Work(ctx context.Context, job *river.Job[PurgeArgs]) error {
	a := w.b.app
	var errs []error
	for _, p := range []struct {
		what string
		fn   func(context.Context) (int64, error)
	}{
		{"idempotency keys", a.Idem.Purge},
		{"rate-limit buckets", a.RateLimits.Purge},
		{"staff sessions", a.Users.PurgeSessions},
		{"applicant sessions", a.AccessLinks.PurgeSessions},
	} {
		n, err := p.fn(ctx)
		if err != nil {
			errs = append(errs, fmt.Errorf("purge %s: %w", p.what, err))
			continue
		}
		if n > 0 {
			w.b.log.Info("purged expired records", "what", p.what, "count", n)
		}
	}
	return errors.Join(errs...)
}
