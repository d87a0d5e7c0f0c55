// Package inline runs the application without its background machinery,
// in the caller's goroutine: a Clock the caller moves, and a Queue that
// collects the checks a submission enqueues so that the caller runs them
// (RunAll) right after the submission commits.
//
// kyc demo writes months of backdated history with them, and the test
// harness (internal/kyctest) builds every test's application on them.
// Production processes use time.Now and the River queue of package jobs.
package inline

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
)

// Clock is a settable clock, safe for concurrent use. Every reading moves
// it on by its step first, so that events written one after the other get
// distinct, ordered times even when the caller never moves it.
type Clock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

// NewClock returns a clock at start that moves on by step at every reading.
func NewClock(start time.Time, step time.Duration) *Clock {
	return &Clock{t: start, step: step}
}

// Now moves the clock on by its step and returns the new time; pass it as
// app.Deps.Now.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(c.step)
	return c.t
}

// Peek returns the current time without moving the clock.
func (c *Clock) Peek() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Set moves the clock on to t; a t before the current time leaves it
// where it is, so that time never runs backwards.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.t) {
		c.t = t
	}
}

// Queue implements app.Enqueuer by collecting the enqueued check ids;
// the caller takes them (Take) or runs them (RunAll) once the submission
// has committed. It is safe for concurrent use.
type Queue struct {
	mu  sync.Mutex
	ids []string
	// rounds holds the ids of each EnqueueChecks call (one submission
	// round), as a job worker gets them.
	rounds [][]string
	err    error
}

var _ app.Enqueuer = (*Queue)(nil)

// EnqueueChecks records the ids, or returns the error set by Fail (so
// that the caller's transaction rolls back).
func (q *Queue) EnqueueChecks(_ context.Context, _ app.EnqueueTx, ids []string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.err != nil {
		return q.err
	}
	q.ids = append(q.ids, ids...)
	q.rounds = append(q.rounds, slices.Clone(ids))
	return nil
}

// Take returns the ids enqueued since the last Take and forgets them.
func (q *Queue) Take() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	ids := q.ids
	q.ids, q.rounds = nil, nil
	return ids
}

// Fail makes every later EnqueueChecks return err (nil: succeed again).
func (q *Queue) Fail(err error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.err = err
}

// RunAll takes the enqueued checks and runs each submission's round once
// (app.Checks.RunRound), as its first attempt, the way the job worker
// does; it returns how many checks it ran and stops at the first error.
func (q *Queue) RunAll(ctx context.Context, checks *app.Checks) (int, error) {
	q.mu.Lock()
	rounds := q.rounds
	q.ids, q.rounds = nil, nil
	q.mu.Unlock()
	n := 0
	for _, ids := range rounds {
		if err := checks.RunRound(ctx, ids, 1); err != nil {
			return n, fmt.Errorf("run checks %v: %w", ids, err)
		}
		n += len(ids)
	}
	return n, nil
}

// Webhooks implements app.WebhookEnqueuer by collecting the delivery
// attempts the application schedules; the caller runs the due ones
// (RunDue). It is safe for concurrent use.
type Webhooks struct {
	mu   sync.Mutex
	jobs []app.WebhookJob
}

var _ app.WebhookEnqueuer = (*Webhooks)(nil)

// EnqueueWebhooks records the jobs.
func (q *Webhooks) EnqueueWebhooks(_ context.Context, _ app.EnqueueTx, jobs []app.WebhookJob) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.jobs = append(q.jobs, jobs...)
	return nil
}

// Pending returns the jobs not run yet, in the order they were scheduled.
func (q *Webhooks) Pending() []app.WebhookJob {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([]app.WebhookJob(nil), q.jobs...)
}

// RunDue takes the jobs due at now (At not after it) and runs each through
// w.Deliver, the way a job worker would; it returns how many ran and
// stops at the first error. Jobs scheduled by the runs wait for a later
// call.
func (q *Webhooks) RunDue(ctx context.Context, w *app.Webhooks, now time.Time) (int, error) {
	q.mu.Lock()
	var due, later []app.WebhookJob
	for _, j := range q.jobs {
		if j.At.After(now) {
			later = append(later, j)
		} else {
			due = append(due, j)
		}
	}
	q.jobs = later
	q.mu.Unlock()
	for i, j := range due {
		if err := w.Deliver(ctx, j); err != nil {
			return i, fmt.Errorf("deliver %s: %w", j.DeliveryID, err)
		}
	}
	return len(due), nil
}
