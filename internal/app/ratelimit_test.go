package app_test

import (
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/kyctest"
)

// A token bucket of burst tokens refilled one per interval (GCRA, ITU-T
// I.371; issue 12, item 3): the burst is admitted at once, the next request
// is refused with the wait for one token, each interval brings one token
// back, an idle bucket fills up to the burst and no further, and buckets
// are independent.
func TestRateLimitsBucket(t *testing.T) {
	kyctest.OnEachEngine(t, func(t *testing.T, b *kyctest.Bundle) {
		// The test clock moves on a little at every reading (kyctest.Step):
		// durations are compared to within a second.
		const interval, burst = time.Minute, 5
		near := func(got, want time.Duration) bool { return got <= want && got > want-time.Second }
		take := func(bucket string) (bool, int, time.Duration, time.Duration) {
			t.Helper()
			r, err := b.App.RateLimits.Take(b.Ctx, bucket, interval, burst)
			if err != nil {
				t.Fatal(err)
			}
			return r.Allowed, r.Remaining, r.RetryAfter, r.Reset
		}
		b.Advance(time.Hour) // a clock well past any bucket of another test
		for i := range burst {
			ok, rem, _, reset := take("client:a/customers")
			if !ok || rem != burst-1-i || !near(reset, time.Duration(i+1)*interval) {
				t.Fatalf("request %d of the burst: admitted %v, remaining %d, reset %v", i+1, ok, rem, reset)
			}
		}
		ok, rem, wait, _ := take("client:a/customers")
		if ok || rem != 0 || !near(wait, interval) {
			t.Fatalf("over the burst: admitted %v, remaining %d, retry after %v; want refused, 0, %v", ok, rem, wait, interval)
		}
		// Other buckets are untouched.
		if ok, rem, _, _ := take("client:b/customers"); !ok || rem != burst-1 {
			t.Fatalf("another client: admitted %v, remaining %d", ok, rem)
		}
		if ok, rem, _, _ := take("client:a/screening"); !ok || rem != burst-1 {
			t.Fatalf("another family: admitted %v, remaining %d", ok, rem)
		}
		// Half an interval later still nothing; a whole one brings one token.
		b.Advance(interval / 2)
		if ok, _, wait, _ := take("client:a/customers"); ok || !near(wait, interval/2) {
			t.Fatalf("half an interval later: admitted %v, retry after %v", ok, wait)
		}
		b.Advance(interval / 2)
		if ok, rem, _, _ := take("client:a/customers"); !ok || rem != 0 {
			t.Fatalf("an interval later: admitted %v, remaining %d; want one token", ok, rem)
		}
		if ok, _, _, _ := take("client:a/customers"); ok {
			t.Fatal("a second request within the interval was admitted")
		}
		// Idle for ten bursts' worth: full again, never more than the burst.
		b.Advance(10 * burst * interval)
		for i := range burst {
			if ok, rem, _, _ := take("client:a/customers"); !ok || rem != burst-1-i {
				t.Fatalf("after idling, request %d: admitted %v, remaining %d", i+1, ok, rem)
			}
		}
		if ok, _, _, _ := take("client:a/customers"); ok {
			t.Fatal("an idle bucket grew past its burst")
		}
		// Purging forgets the full buckets only: b's is full again, a's not.
		b.Advance(burst*interval - interval/2)
		if n, err := b.App.RateLimits.Purge(b.Ctx); err != nil || n != 2 {
			t.Fatalf("purge: %d, %v; want the two full buckets", n, err)
		}
		if ok, rem, _, _ := take("client:a/customers"); !ok || rem != burst-2 {
			t.Fatalf("after the purge: admitted %v, remaining %d; want %d (half a token was still missing)", ok, rem, burst-2)
		}
	})
}
