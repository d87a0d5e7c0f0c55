package app_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// BenchmarkRawTransactionInsert is the ceiling to set beside
// BenchmarkIngestBatch: batches of 10,000 transaction rows of 100
// customers written straight through the store in one database
// transaction each (no validation, encryption, rules or audit), on each
// engine; it reports rows per second.
func BenchmarkRawTransactionInsert(b *testing.B) {
	for _, engine := range []string{testdb.SQLite, testdb.Postgres} {
		b.Run(engine, func(b *testing.B) {
			h := kyctest.New(b, kyctest.WithEngine(engine))
			var ids []string
			for range 100 {
				ids = append(ids, kyctest.SubmittedCustomer(b, h, nil).ID)
			}
			at := h.Clock.Now()
			sealed := make([]byte, 60) // the size of an encrypted counterparty
			n := 0
			b.ResetTimer()
			began, cpu0 := time.Now(), cpuTime()
			for range b.N {
				err := h.Store.InTx(h.Ctx, func(tx store.Tx) error {
					for range 10_000 {
						n++
						id := fmt.Sprintf("txn_raw_%09d", n)
						if _, err := tx.Transactions().Insert(h.Ctx, store.TransactionRecord{
							ID: id, Tenant: kyctest.Tenant, CustomerID: ids[n%len(ids)], ExternalID: id, Amount: int64(1000 + n%900_000),
							Currency: "EUR", ReportingAmount: int64(1000 + n%900_000), ReportingCurrency: "EUR",
							Direction: []string{"in", "out"}[n%2], Channel: string(domain.TxChannels[n%len(domain.TxChannels)]),
							Counterparty: sealed, CounterpartyCountry: "DE", OccurredAt: at.Add(time.Duration(n) * time.Second), CreatedAt: at, ContentHash: id,
						}); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*10_000)/time.Since(began).Seconds(), "rows/s")
			b.ReportMetric(float64(b.N*10_000)/(cpuTime()-cpu0).Seconds(), "rows/cpu-s")
		})
	}
}
