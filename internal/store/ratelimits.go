package store

import (
	"context"
	"time"
)

// RateLimits keeps the API's rate-limit buckets as GCRA state (the generic
// cell rate algorithm, ITU-T I.371): one theoretical arrival time (TAT) per
// bucket, the time at which the bucket would be full again. A request at
// now is admitted when max(TAT, now) + interval lies no further than limit
// (burst × interval) ahead of now, and then moves the TAT there.
//
// On PostgreSQL the buckets are rows updated in one statement per request,
// so every replica shares them; SQLite serves one process, which keeps them
// in memory.
type RateLimits interface {
	// Take admits one request to bucket at now, or refuses it. It returns
	// the bucket's TAT after the request (as it stands when refused).
	Take(ctx context.Context, bucket string, now time.Time, interval, limit time.Duration) (tat time.Time, admitted bool, err error)
	// Purge forgets the buckets that are full again at t (TAT before t):
	// forgetting them changes nothing.
	Purge(ctx context.Context, t time.Time) (int64, error)
}

// GCRA is the admission rule of RateLimits for implementations that keep
// the state themselves: given the bucket's TAT (zero when new) it returns
// the TAT after the request and whether the request is admitted.
func GCRA(tat, now time.Time, interval, limit time.Duration) (time.Time, bool) {
	next := tat
	if next.Before(now) {
		next = now
	}
	next = next.Add(interval)
	if next.Sub(now) > limit {
		return tat, false
	}
	return next, true
}
