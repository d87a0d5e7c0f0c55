// Package testdb opens migrated, isolated databases for other packages'
// tests, on every storage engine:
//
//	for _, engine := range testdb.Engines() {
//		t.Run(engine, func(t *testing.T) {
//			s := testdb.Open(t, engine) // skipped on postgres without KYC_TEST_POSTGRES_URL
//			...
//		})
//	}
//
// SQLite databases live in t.TempDir(); each PostgreSQL database is a fresh
// schema (selected through search_path in the connection URL) dropped at
// cleanup. Both are migrated, River's tables included, so River clients can
// be built on them: riversqlite.New(s.DB()) or
// riverdatabasesql.NewWithPgxListener(s.DB(), testdb.PGPool(s)).
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/store/postgres"
	"github.com/kyc-platform/kyc/internal/store/sqlite"
)

// Engine names, as returned by store.Store.Dialect.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// EnvPostgresURL names the variable holding the PostgreSQL server used by
// tests, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const EnvPostgresURL = "KYC_TEST_POSTGRES_URL"

// Engines returns the engine names to run tests against: "sqlite" and
// "postgres".
func Engines() []string { return []string{SQLite, Postgres} }

// Open returns a migrated store of the given engine, isolated from every
// other test and closed (and, on PostgreSQL, dropped) at cleanup. It skips
// the test on "postgres" when KYC_TEST_POSTGRES_URL is unset.
func Open(t testing.TB, engine string) store.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	switch engine {
	case SQLite:
		db, err := sqlite.Open(ctx, sqlite.Options{Path: filepath.Join(t.TempDir(), "kyc.db")})
		if err != nil {
			t.Fatalf("testdb: %v", err)
		}
		t.Cleanup(func() { _ = db.Close() })
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("testdb: %v", err)
		}
		return db
	case Postgres:
		db, err := postgres.Open(ctx, PostgresURL(t))
		if err != nil {
			t.Fatalf("testdb: %v", err)
		}
		t.Cleanup(func() { _ = db.Close() })
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("testdb: %v", err)
		}
		return db
	default:
		t.Fatalf("testdb: unknown engine %q", engine)
		return nil
	}
}

// PostgresURL creates an empty schema on the KYC_TEST_POSTGRES_URL server
// and returns a URL whose search_path selects it (for tests that run the
// binary, or that open the database themselves). The schema is dropped at
// cleanup. It skips the test when KYC_TEST_POSTGRES_URL is unset.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgresURL)
	if base == "" {
		t.Skipf("testdb: %s is not set; skipping PostgreSQL test", EnvPostgresURL)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("testdb: parse %s: %v", EnvPostgresURL, err)
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	schema := "test_" + hex.EncodeToString(b[:])

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("testdb: connect to %s: %v", EnvPostgresURL, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("testdb: create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("testdb: drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("testdb: drop schema %s: %v", schema, err)
		}
	})

	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// PGPool returns the pgx pool of a PostgreSQL store (for
// riverdatabasesql.NewWithPgxListener), or nil for any other store.
func PGPool(s store.Store) *pgxpool.Pool {
	if p, ok := s.(interface{ Pool() *pgxpool.Pool }); ok {
		return p.Pool()
	}
	return nil
}
