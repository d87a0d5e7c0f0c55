package storetest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
)

// BenchmarkRawInsert measures the raw customer-row insert rate of a store
// (one autocommit Customers().Create per row, a 1 KiB encrypted-looking
// payload) with 1 and 16 concurrent writers: the ceiling the API's
// create throughput is compared against. It reports rows/s.
func BenchmarkRawInsert(b *testing.B, open func(b *testing.B) store.Store) {
	for _, workers := range []int{1, 16} {
		b.Run(fmt.Sprintf("clients=%d", workers), func(b *testing.B) {
			s := open(b)
			ctx := context.Background()
			payload := make([]byte, 1024)
			for i := range payload {
				payload[i] = byte(i * 7)
			}
			var next atomic.Int64
			var wg sync.WaitGroup
			errs := make(chan error, workers)
			b.ResetTimer()
			start := time.Now()
			for range workers {
				wg.Go(func() {
					for {
						i := next.Add(1)
						if i > int64(b.N) {
							return
						}
						c := customer()
						c.ID = fmt.Sprintf("cus_bench_%012d", i)
						c.Data = payload
						if err := s.Customers().Create(ctx, c); err != nil {
							errs <- err
							return
						}
					}
				})
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			close(errs)
			for err := range errs {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "rows/s")
		})
	}
}
