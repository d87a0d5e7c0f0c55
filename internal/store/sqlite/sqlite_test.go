package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/store/sqlite"
	"github.com/kyc-platform/kyc/internal/store/storetest"
	"github.com/kyc-platform/kyc/internal/store/testdb"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) store.Store { return testdb.Open(t, testdb.SQLite) })
}

func BenchmarkRawInsert(b *testing.B) {
	storetest.BenchmarkRawInsert(b, func(b *testing.B) store.Store { return testdb.Open(b, testdb.SQLite) })
}

func TestOpenPragmasAndMigrate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, sqlite.Options{Path: filepath.Join(t.TempDir(), "sub", "kyc.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })

	for pragma, want := range map[string]string{"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "5000", "synchronous": "1"} {
		var got string
		if err := db.DB().QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %q, want %q", pragma, got, want)
		}
	}
	if n := db.DB().Stats().MaxOpenConnections; n != 1 {
		t.Errorf("MaxOpenConnections = %d, want 1", n)
	}

	durable, err := sqlite.Open(ctx, sqlite.Options{Path: filepath.Join(t.TempDir(), "durable.db"), Durable: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = durable.Close() })
	var sync string
	if err := durable.DB().QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil || sync != "2" {
		t.Errorf("Durable: PRAGMA synchronous = %q, %v; want 2 (FULL)", sync, err)
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
}

func TestImmediateTransactions(t *testing.T) {
	t.Parallel()
	// A second process (here: a second handle) cannot start a write
	// transaction while the first holds one: BEGIN IMMEDIATE takes the
	// write lock at once instead of failing later on upgrade.
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kyc.db")
	a, err := sqlite.Open(ctx, sqlite.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	if err := a.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	b, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	err = a.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.Customers().CountByStatus(ctx); err != nil { // a read only
			return err
		}
		btx, err := b.BeginTx(ctx, nil)
		if err == nil {
			_ = btx.Rollback()
			return errors.New("second writer began while the first transaction was open")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDataFilesOwnerOnly: the database and its WAL and shared-memory files
// hold personal data, so they are readable by their owner only (0600), in a
// directory only the owner may enter (0700), whatever the umask; an
// existing world-readable file is tightened when opened (security audit,
// hardening issue item 20).
func TestDataFilesOwnerOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "kyc.db")
	db, err := sqlite.Open(ctx, sqlite.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	check := func(p string, want os.FileMode) {
		t.Helper()
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: mode %v, want %v", filepath.Base(p), got, want)
		}
	}
	check(dir, 0o700)
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		check(p, 0o600)
	}
	_ = db.Close()

	// A database left world-readable (an older version, a copy) is
	// tightened on open, WAL included.
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o644); err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
	}
	db2, err := sqlite.Open(ctx, sqlite.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	check(path, 0o600)
	for _, p := range []string{path + "-wal", path + "-shm"} {
		if _, err := os.Stat(p); err == nil {
			check(p, 0o600)
		}
	}
}
