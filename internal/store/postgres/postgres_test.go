package postgres_test

import (
	"context"
	"testing"

	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/store/postgres"
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

func TestOpenAndMigrate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := postgres.Open(ctx, testdb.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if db.Pool() == nil {
		t.Fatal("Pool() = nil")
	}
	cur, latest, err := db.MigrationStatus(ctx)
	if err != nil || cur != 0 || latest < 1 {
		t.Fatalf("before Migrate: MigrationStatus = %d, %d, %v; want 0, >= 1, nil", cur, latest, err)
	}
	for range 2 { // idempotent
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
	}
	cur2, latest2, err := db.MigrationStatus(ctx)
	if err != nil || cur2 != latest || latest2 != latest {
		t.Fatalf("after Migrate: MigrationStatus = %d, %d, %v; want %d, %d, nil", cur2, latest2, err, latest, latest)
	}
	// Everything lives in the test's own schema (search_path), not public.
	var n int
	if err := db.DB().QueryRowContext(ctx,
		"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('customers', 'river_job', 'goose_db_version')").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Fatalf("found %d of customers, river_job, goose_db_version in the current schema, want 3", n)
	}
}
