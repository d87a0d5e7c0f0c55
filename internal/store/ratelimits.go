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

// RateLeaser is implemented by RateLimits that several processes share
// (PostgreSQL), where a statement per request is worth saving: a process
// leases a few tokens of a bucket at once and spends them itself
// (app.RateLimits). Never looser than the bucket: the leased tokens may
// only be spent by requests arriving before now+hold, and the bucket's TAT
// moves as if all of them arrived at now+hold — no earlier than they
// really do, so the shared TAT is never behind the TAT an exact bucket
// fed every request of every process would have. A lease is granted only
// as far as that TAT stays within limit of now (the earliest a leased
// token can be spent), so every request admitted by a lease would have
// been admitted by that exact bucket. Tokens not spent by now+hold are
// lost: stricter, never looser.
type RateLeaser interface {
	// Lease takes up to want tokens (at least least, at least one, or
	// none) of bucket for requests arriving in [now, now+hold). It returns
	// the bucket's TAT after the lease (as it stands when nothing was
	// granted) and how many tokens were granted.
	Lease(ctx context.Context, bucket string, now time.Time, interval, limit, hold time.Duration, least, want int) (tat time.Time, granted int, err error)
}

// GCRALease is the rule of RateLeaser for implementations that keep the
// state themselves: given the bucket's TAT (zero when new) it returns the
// TAT after the lease and the tokens granted (0: the TAT unchanged).
func GCRALease(tat, now time.Time, interval, limit, hold time.Duration, least, want int) (time.Time, int) {
	base := now.Add(hold)
	if tat.After(base) {
		base = tat
	}
	n := min(want, int((limit-base.Sub(now))/interval))
	if n < max(least, 1) || base.Sub(now) > limit {
		return tat, 0
	}
	return base.Add(time.Duration(n) * interval), n
}
