package app

import (
	"context"
	"sync"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
)

// RateLimits meters API requests per client and scope family in token
// buckets (README, "Rate limits"): the API asks before it handles a
// request. The buckets are the store's (shared by every replica on
// PostgreSQL), the time the app's clock.
type RateLimits struct {
	d *Deps

	mu     sync.Mutex
	leases map[string]*rateLease // ratelimit_lease.go
}

// RateResult is where a bucket stands after a request.
type RateResult struct {
	// Allowed is false when the request is refused.
	Allowed bool
	// Remaining is how many more requests the bucket admits now.
	Remaining int
	// Reset is how long the bucket takes to be full again.
	Reset time.Duration
	// RetryAfter is how long a refused request must wait for a token.
	RetryAfter time.Duration
}

// Take spends one token of bucket, a bucket of burst tokens of which one
// comes back every interval. The bucket is named by the caller: the API
// uses the client and the scope family. A store shared by several
// processes leases tokens for fast limits (ratelimit_lease.go).
func (s *RateLimits) Take(ctx context.Context, bucket string, interval time.Duration, burst int) (RateResult, error) {
	if leaser, ok := s.d.Store.RateLimits().(store.RateLeaser); ok {
		if want, hold := leasePlan(interval, burst); want > 1 {
			return s.takeLeased(ctx, leaser, bucket, interval, burst, want, hold)
		}
	}
	now := s.d.now()
	limit := interval * time.Duration(burst)
	tat, ok, err := s.d.Store.RateLimits().Take(ctx, bucket, now, interval, limit)
	if err != nil {
		return RateResult{}, err
	}
	ahead := max(tat.Sub(now), 0)
	r := RateResult{Allowed: ok, Reset: ahead}
	if ok {
		// The tokens left: what still fits between the TAT and the limit.
		r.Remaining = int((limit - ahead) / interval)
	} else {
		r.RetryAfter = ahead + interval - limit
	}
	return r, nil
}

// Purge forgets the buckets that are full again (run by a periodic job).
func (s *RateLimits) Purge(ctx context.Context) (int64, error) {
	return s.d.Store.RateLimits().Purge(ctx, s.d.now())
}
