package sqlite

import (
	"context"
	"sync"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
)

// rateLimits implements store.RateLimits in memory: a SQLite database is
// served by one process, so the buckets need not outlive it nor be shared,
// and keeping them out of the database spares its single writer one write
// per API request.
type rateLimits struct {
	mu  sync.Mutex
	tat map[string]time.Time
}

func newRateLimits() *rateLimits { return &rateLimits{tat: map[string]time.Time{}} }

func (r *rateLimits) Take(_ context.Context, bucket string, now time.Time, interval, limit time.Duration) (time.Time, bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	tat, ok := store.GCRA(r.tat[bucket], now, interval, limit)
	if ok {
		r.tat[bucket] = tat
	}
	return tat, ok, nil
}

func (r *rateLimits) Purge(_ context.Context, t time.Time) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var n int64
	for k, tat := range r.tat {
		if tat.Before(t) {
			delete(r.tat, k)
			n++
		}
	}
	return n, nil
}

// RateLimits returns the in-memory rate-limit buckets of this process.
func (d *DB) RateLimits() store.RateLimits { return d.rates }
