package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/kyc-platform/kyc/internal/app"
)

// CheckArgs runs the checks of one submission round: CheckIDs, all of one
// customer, in one job (app.Checks.RunRound). CheckID is the single check
// of a job enqueued by an earlier version, which ran one job per check.
type CheckArgs struct {
	CheckIDs []string `json:"check_ids,omitempty"`
	CheckID  string   `json:"check_id,omitempty"`
	// CustomerID is the customer whose checks they are (absent in jobs
	// enqueued before it was carried: the worker then reads a check).
	CustomerID string `json:"customer_id,omitempty"`
}

// ids returns the checks the job runs.
func (a CheckArgs) ids() []string {
	if a.CheckID != "" {
		return append([]string{a.CheckID}, a.CheckIDs...)
	}
	return a.CheckIDs
}

// Kind implements river.JobArgs.
func (CheckArgs) Kind() string { return "check" }

// checkWorker runs the checks of a submission through the app layer.
type checkWorker struct {
	river.WorkerDefaults[CheckArgs]
	b *bundle
}

// Work runs the checks; a retry runs only those not done yet. After the
// last attempt it records the error on each check that could not be run
// instead of dropping it.
func (w *checkWorker) Work(ctx context.Context, job *river.Job[CheckArgs]) error {
	start := time.Now()
	ids := job.Args.ids()
	err := w.b.app.Checks.RunRoundOf(ctx, job.Args.CustomerID, ids, job.Attempt)
	outcome := "ok"
	if err != nil {
		outcome = "retry"
		w.b.log.Warn("check job failed", "check_ids", ids, "attempt", job.Attempt, "max_attempts", job.MaxAttempts, "err", err)
		if job.Attempt >= job.MaxAttempts {
			// Last attempt: record the error on the checks so that it is
			// visible in the API and a person looks at it; never lost.
			outcome = "failed"
			failed := map[string]error{}
			var re *app.CheckRoundError
			if errors.As(err, &re) {
				failed = re.Errs
			} else {
				for _, id := range ids {
					failed[id] = err // Fail leaves a check already done alone
				}
			}
			for _, id := range ids {
				ferr, ok := failed[id]
				if !ok {
					continue
				}
				reason := fmt.Sprintf("Failed after %d attempts: %s", job.Attempt, safeReason(ferr))
				if ferr := w.b.app.Checks.Fail(context.WithoutCancel(ctx), id, job.Attempt, reason); ferr != nil {
					w.b.log.Error("recording check error failed", "check_id", id, "err", ferr)
					return errors.Join(err, ferr)
				}
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
