package app_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// BenchmarkIngestBatch measures batches of 10,000 transactions of 100
// customers through app.Transactions.Ingest with every default rule
// evaluated (the counterparty screening rule sees no list: none is
// loaded), on each engine; it reports transactions per second.
func BenchmarkIngestBatch(b *testing.B) {
	for _, engine := range []string{testdb.SQLite, testdb.Postgres} {
		b.Run(engine, func(b *testing.B) {
			h := kyctest.New(b, kyctest.WithEngine(engine))
			var ids []string
			for range 100 {
				ids = append(ids, kyctest.SubmittedCustomer(b, h, nil).ID)
			}
			h.Advance(30 * 24 * time.Hour)
			start := h.Clock.Now().Add(-29 * 24 * time.Hour)
			n := 0
			b.ResetTimer()
			began, cpu0 := time.Now(), cpuTime()
			for range b.N {
				batch := make([]app.TransactionInput, 10_000)
				for i := range batch {
					n++
					batch[i] = app.TransactionInput{
						ExternalID: fmt.Sprintf("bench-%d", n), CustomerID: ids[i%len(ids)], Amount: int64(1000 + n%900_000),
						Currency: "EUR", Direction: []domain.TxDirection{domain.TxIn, domain.TxOut}[n%2],
						Channel:      domain.TxChannels[n%len(domain.TxChannels)],
						Counterparty: domain.Counterparty{Name: fmt.Sprintf("Counterparty %d", n%5000), Country: "DE"},
						OccurredAt:   start.Add(time.Duration(n%(28*24*60)) * time.Minute),
					}
				}
				res, err := h.App.Transactions.Ingest(h.Ctx, kyctest.Client, batch)
				if err != nil {
					b.Fatal(err)
				}
				for _, r := range res {
					if r.Status != app.ItemCreated {
						b.Fatalf("item %d: %s %v", r.Index, r.Status, r.Err)
					}
				}
			}
			b.ReportMetric(float64(b.N*10_000)/time.Since(began).Seconds(), "tx/s")
			// What one core of this process achieves (PostgreSQL's own work
			// not counted): on a shared machine, wall time mostly measures
			// waiting for a core.
			b.ReportMetric(float64(b.N*10_000)/(cpuTime()-cpu0).Seconds(), "tx/cpu-s")
		})
	}
}
