package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/kyc-platform/kyc/internal/app"
)

// QueueWebhooks is the River queue of webhook deliveries: its own workers,
// so that receivers that are slow or down never hold up checks, and one
// job per attempt, so that one receiver never holds up another's
// deliveries beyond the worker it occupies (bounded by the sender's
// timeout).
const QueueWebhooks = "webhooks"

// DefaultWebhookWorkers is the number of concurrent deliveries per process.
const DefaultWebhookWorkers = 16

// WebhookArgs is one attempt of one webhook delivery.
type WebhookArgs struct {
	DeliveryID string `json:"delivery_id"`
	Attempt    int    `json:"attempt"`
	Manual     bool   `json:"manual,omitempty"`
}

// Kind implements river.JobArgs.
func (WebhookArgs) Kind() string { return "webhook_delivery" }

// webhookWorker makes one delivery attempt through the app layer, which
// records it and schedules the next one on the retry schedule. River's own
// retries only cover a failure to record the outcome.
type webhookWorker struct {
	river.WorkerDefaults[WebhookArgs]
	b *bundle
}

func (w *webhookWorker) Work(ctx context.Context, job *river.Job[WebhookArgs]) error {
	start := time.Now()
	err := w.b.app.Webhooks.Deliver(ctx, app.WebhookJob{DeliveryID: job.Args.DeliveryID, Attempt: job.Args.Attempt, Manual: job.Args.Manual})
	outcome := "ok"
	if err != nil {
		outcome = "retry"
		w.b.log.Warn("webhook delivery job failed", "delivery_id", job.Args.DeliveryID, "attempt", job.Args.Attempt, "err", err)
	}
	if w.b.metrics != nil {
		w.b.metrics.Job(job.Kind, outcome, time.Since(start))
	}
	return err
}

// EnqueueWebhooks implements app.WebhookEnqueuer: one job per attempt, in
// the caller's transaction, scheduled at the attempt's time.
func (r *Runner) EnqueueWebhooks(ctx context.Context, tx app.EnqueueTx, jobs []app.WebhookJob) error {
	params := make([]river.InsertManyParams, len(jobs))
	for i, j := range jobs {
		params[i] = river.InsertManyParams{
			Args:       WebhookArgs{DeliveryID: j.DeliveryID, Attempt: j.Attempt, Manual: j.Manual},
			InsertOpts: &river.InsertOpts{Queue: QueueWebhooks, ScheduledAt: j.At, MaxAttempts: 10},
		}
	}
	// Without RETURNING, as EnqueueRound: no unique options to report on.
	_, err := r.client.InsertManyFastTx(ctx, tx.SQLTx(), params)
	return err
}
