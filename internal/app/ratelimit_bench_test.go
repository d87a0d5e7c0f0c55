package app_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// BenchmarkRateLimitTake measures what the rate limiter adds to an API
// request: one bucket update (README, "Rate limits"). On PostgreSQL it is
// one upsert on the UNLOGGED rate_limits table; on SQLite a map in memory.
// "one" is one client hammering its bucket from every goroutine (the row
// lock serialises them); "many" spreads the requests over 1,000 clients.
func BenchmarkRateLimitTake(b *testing.B) {
	for _, engine := range testdb.Engines() {
		b.Run(engine, func(b *testing.B) {
			k := kyctest.New(b, kyctest.WithEngine(engine), kyctest.WithRealTime())
			for _, spread := range []int{1, 1000} {
				name := "one"
				if spread > 1 {
					name = "many"
				}
				b.Run(name, func(b *testing.B) {
					var n atomic.Int64
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							i := n.Add(1)
							if _, err := k.App.RateLimits.Take(k.Ctx, fmt.Sprintf("cli_%d/customers", i%int64(spread)), time.Microsecond, 1_000_000); err != nil {
								b.Fatal(err)
							}
						}
					})
				})
			}
		})
	}
}
