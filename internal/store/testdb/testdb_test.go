package testdb_test

import (
	"context"
	"testing"

	"github.com/kyc-platform/kyc/internal/store/testdb"
)

func TestOpen(t *testing.T) {
	t.Parallel()
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			s := testdb.Open(t, engine)
			if s.Dialect() != engine {
				t.Fatalf("Dialect() = %q, want %q", s.Dialect(), engine)
			}
			ctx := context.Background()
			cur, latest, err := s.MigrationStatus(ctx)
			if err != nil || cur != latest || latest == 0 {
				t.Fatalf("MigrationStatus = %d, %d, %v; want current == latest > 0", cur, latest, err)
			}
			var n int
			if err := s.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM river_job").Scan(&n); err != nil {
				t.Fatalf("river_job missing: %v", err)
			}
			if (testdb.PGPool(s) != nil) != (engine == testdb.Postgres) {
				t.Fatalf("PGPool: unexpected result for %s", engine)
			}
		})
	}
}
