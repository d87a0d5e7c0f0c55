package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
)

// CheckArgs runs one check of a submission.
type CheckArgs struct {
	CheckID string `json:"check_id"`
}

// Kind implements river.JobArgs.
func (CheckArgs) Kind() string { return "check" }

// checkWorker runs one check through the app layer.
type checkWorker struct {
	river.WorkerDefaults[CheckArgs]
	b *bundle
}

// Work runs the check; after the last attempt it records the error on the
// check instead of dropping it.
func (w *checkWorker) Work(ctx context.Context, job *river.Job[CheckArgs]) error {
	start := time.Now()
	err := w.b.app.Checks.Run(ctx, job.Args.CheckID, job.Attempt)
	outcome := "ok"
	if err != nil {
		outcome = "retry"
		w.b.log.Warn("check job failed", "check_id", job.Args.CheckID, "attempt", job.Attempt, "max_attempts", job.MaxAttempts, "err", err)
		if job.Attempt >= job.MaxAttempts {
			// Last attempt: record the error on the check so that it is
			// visible in the API and a person looks at it; never lost.
			outcome = "failed"
			reason := fmt.Sprintf("Failed after %d attempts: %s", job.Attempt, safeReason(err))
			if ferr := w.b.app.Checks.Fail(context.WithoutCancel(ctx), job.Args.CheckID, job.Attempt, reason); ferr != nil {
				w.b.log.Error("recording check error failed", "check_id", job.Args.CheckID, "err", ferr)
				return errors.Join(err, ferr)
			}
		}
	}
	if w.b.metrics != nil {
		w.b.metrics.Job(job.Kind, outcome, time.Since(start))
	}
	return err
}

// safeReason keeps error reasons short; app errors carry no personal data.
func safeReason(err error) string {
	s := err.Error()
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
