package app

import (
	"context"
	"sync"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
)

// Rate-limit leases (issue 13). On PostgreSQL a bucket is a row shared by
// every replica, and asking it on every API request cost one statement per
// request. A replica instead leases a few tokens at once
// (store.RateLeaser) and spends them on the requests that arrive within
// the lease's hold; the lease is accounted in the shared bucket as if
// every leased request arrived at the end of the hold, so that the
// replicas together never admit more than the one shared bucket would
// (the argument is at store.RateLeaser). Leasing is stricter in two ways,
// both bounded by the lease size: tokens a replica leased and did not
// spend within the hold are lost, and a lease taken when the bucket is
// full counts the hold as spent. So it is used only for limits fast
// enough to be worth it — a lease is at most a quarter of the burst and
// covers at most maxLeaseHold of the rate — and a slow limit (a burst of
// 5 a minute) is metered request by request, exactly as before.
const (
	// maxLeaseHold is the longest a leased token may wait to be spent.
	maxLeaseHold = 200 * time.Millisecond
	// maxLease is the most tokens one lease takes.
	maxLease = 64
	// maxLeases bounds the buckets a process keeps leases for.
	maxLeases = 10000
)

// leasePlan returns how many tokens to lease at once for a limit of burst
// tokens, one back every interval, and for how long they may be spent;
// want 1 means no leasing: one statement per request, as exact as the
// bucket. hold + want × interval stays within half the limit, so a lease
// always fits an idle bucket.
func leasePlan(interval time.Duration, burst int) (want int, hold time.Duration) {
	if interval <= 0 || burst <= 0 {
		return 1, 0
	}
	limit := interval * time.Duration(burst)
	hold = min(maxLeaseHold, limit/4)
	want = min(int(hold/interval), burst/4, maxLease)
	if want < 2 {
		return 1, 0
	}
	return want, hold
}

// rateLease is what a process holds of one bucket.
type rateLease struct {
	mu       sync.Mutex
	tokens   int       // left to spend
	deadline time.Time // the tokens are spendable before it
	tat      time.Time // the shared bucket's TAT after the lease
	// granted is the size of the current lease, want the size of the
	// next: twice the last when it was spent, what it served (plus one)
	// when its hold ran out first, so that a replica leases about what it
	// spends in a hold and wastes little of the bucket.
	granted, want int
	// refusedUntil: the last lease was refused; requests before this time
	// are refused here without asking.
	refusedUntil time.Time
}

// leaseFor returns the process's lease of bucket, creating it.
func (s *RateLimits) leaseFor(bucket string, now time.Time) *rateLease {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.leases == nil {
		s.leases = map[string]*rateLease{}
	}
	l, ok := s.leases[bucket]
	if ok {
		return l
	}
	if len(s.leases) >= maxLeases {
		for k, old := range s.leases {
			if old.mu.TryLock() {
				spent := !now.Before(old.deadline)
				old.mu.Unlock()
				if spent {
					delete(s.leases, k)
				}
			}
		}
	}
	l = &rateLease{}
	s.leases[bucket] = l
	return l
}

// takeLeased admits a request out of the process's lease of bucket,
// leasing again from the shared bucket when the lease is spent or past
// its hold. Requests of one bucket wait for one another here, so that one
// statement serves them all.
func (s *RateLimits) takeLeased(ctx context.Context, leaser store.RateLeaser, bucket string, interval time.Duration, burst, want int, hold time.Duration) (RateResult, error) {
	limit := interval * time.Duration(burst)
	l := s.leaseFor(bucket, s.d.now())
	l.mu.Lock()
	defer l.mu.Unlock()
	now := s.d.now()
	if l.tokens == 0 || !now.Before(l.deadline) {
		if now.Before(l.refusedUntil) {
			return RateResult{Reset: max(l.tat.Sub(now), 0), RetryAfter: l.refusedUntil.Sub(now)}, nil
		}
		switch {
		case l.granted > 0 && l.tokens == 0:
			l.want = 2 * l.granted
		case l.granted > 0:
			l.want = l.granted - l.tokens + 1
		case l.want == 0:
			l.want = 2 // the first lease; after a refusal, the same again
		}
		l.want = min(l.want, want)
		l.tokens, l.granted = 0, 0
		// At least half of it: at the limit, tokens are leased a few at
		// a time rather than one by one as they come back.
		least := max(l.want/2, 1)
		tat, n, err := leaser.Lease(ctx, bucket, now, interval, limit, hold, least, l.want)
		if err != nil {
			return RateResult{}, err
		}
		l.tat = tat
		ahead := max(tat.Sub(now), 0)
		if n == 0 {
			// Refused until such a lease fits again: requests at the
			// limit are refused here meanwhile, and the tokens that come
			// back in the meantime are leased together (saturation costs
			// a statement per lease, not per request). Stricter by at
			// most half a lease's tokens, and only for a client at its
			// limit.
			retry := max(ahead+time.Duration(least)*interval-limit, time.Microsecond)
			l.refusedUntil = now.Add(retry)
			return RateResult{Reset: ahead, RetryAfter: retry}, nil
		}
		l.tokens, l.granted, l.deadline = n, n, now.Add(hold)
	}
	l.tokens--
	ahead := max(l.tat.Sub(now), 0)
	return RateResult{Allowed: true, Remaining: l.tokens + max(int((limit-ahead)/interval), 0), Reset: ahead}, nil
}
