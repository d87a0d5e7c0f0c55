package monitoring

import (
	"fmt"
	"testing"
	"time"
)

func BenchmarkLoadDefault(b *testing.B) {
	for b.Loop() {
		if _, err := Default(Options{RiskCountries: riskCountries}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluate measures all default rules on a batch of 10,000
// transactions of 100 customers with 30 days of stored history each.
func BenchmarkEvaluate(b *testing.B) {
	rs := defaultSet(b)
	const customers, perCustomer = 100, 100
	hist := make([][]Item, customers)
	batch := make([][]Transaction, customers)
	for c := range customers {
		for i := range 30 {
			hist[c] = append(hist[c], Item{ID: fmt.Sprintf("h%d_%d", c, i), ExternalID: "h", OccurredAt: t0.Add(-time.Duration(30-i) * 24 * time.Hour),
				Amount: 50000, Currency: "EUR", ReportingAmount: 50000, Direction: "in", Channel: "wire", CounterpartyCountry: "DE"})
		}
		for i := range perCustomer {
			ch, dir := "card", "out"
			if i%7 == 0 {
				ch, dir = "cash", "in"
			}
			batch[c] = append(batch[c], Transaction{Item: Item{ID: fmt.Sprintf("t%d_%d", c, i), ExternalID: "e", OccurredAt: t0.Add(time.Duration(i) * time.Hour),
				Amount: int64(1000 + i*9700), Currency: "EUR", ReportingAmount: int64(1000 + i*9700), Direction: dir, Channel: ch, CounterpartyCountry: "DE"},
				Screening: &ScreeningResult{}})
		}
	}
	cu := customer()
	b.ResetTimer()
	for b.Loop() {
		for c := range customers {
			rs.Evaluate(cu, hist[c], batch[c])
		}
	}
	b.ReportMetric(float64(customers*perCustomer)*float64(b.N)/b.Elapsed().Seconds(), "tx/s")
}
