package postgres_test

import (
	"testing"

	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/store/storetest"
	"github.com/kyc-platform/kyc/internal/store/testdb"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) store.Store { return testdb.Open(t, testdb.Postgres) })
}

func BenchmarkRawInsert(b *testing.B) {
	storetest.BenchmarkRawInsert(b, func(b *testing.B) store.Store { return testdb.Open(b, testdb.Postgres) })
}
