package httpx

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "modernc.org/sqlite"

	"github.com/kyc-platform/kyc/internal/domain"
)

// Database outages are told apart from faults (issue 12, item 10) with
// the errors the drivers really return.
func TestUnavailable(t *testing.T) {
	ctx := context.Background()
	// Nothing listens on port 1: the connection is refused.
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, refused := pgconn.Connect(cctx, "postgres://kyc@127.0.0.1:1/kyc?connect_timeout=2")
	if refused == nil {
		t.Fatal("connected to port 1")
	}
	busy := sqliteBusy(t)
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"connect refused", fmt.Errorf("app: %w", refused), true},
		{"connection done", fmt.Errorf("store: %w", sql.ErrConnDone), true},
		{"deadline", context.DeadlineExceeded, true},
		{"terminated backend", &pgconn.PgError{Code: "57P01"}, true},
		{"cannot connect now", &pgconn.PgError{Code: "57P03"}, true},
		{"connection exception", &pgconn.PgError{Code: "08006"}, true},
		{"too many connections", &pgconn.PgError{Code: "53300"}, true},
		{"sqlite busy", busy, true},
		{"unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"syntax error", &pgconn.PgError{Code: "42601"}, false},
		{"no rows", sql.ErrNoRows, false},
		{"plain", errors.New("boom"), false},
		{"domain", domain.Errorf(domain.ECodeConflict, "x"), false},
		{"nil", nil, false},
	} {
		if got := Unavailable(tc.err); got != tc.want {
			t.Errorf("%s (%v): %v, want %v", tc.name, tc.err, got, tc.want)
		}
	}
}

// sqliteBusy returns the error of a write to a SQLite database another
// connection holds locked, once the (short) busy timeout has passed.
func sqliteBusy(t *testing.T) error {
	path := filepath.Join(t.TempDir(), "busy.db")
	dsn := "file:" + path + "?_pragma=busy_timeout(50)&_pragma=journal_mode(wal)"
	a, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := a.Exec("CREATE TABLE t (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	tx, err := a.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec("INSERT INTO t VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	_, err = b.Exec("INSERT INTO t VALUES (2)")
	if err == nil {
		t.Fatal("a write to a locked database succeeded")
	}
	return err
}

// An outage is answered 503 problem+json with Retry-After and a detail
// that says nothing of the database; the cause is logged.
func TestWriteProblemUnavailable(t *testing.T) {
	rec := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/api/v1/customers", nil)
	WriteProblem(rec, r, nil, fmt.Errorf("load: %w", sql.ErrConnDone))
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != RetryAfterUnavailable ||
		rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("%d %v", rec.Code, rec.Header())
	}
	rec = httptest.NewRecorder()
	WriteProblem(rec, r, nil, errors.New("boom"))
	if rec.Code != http.StatusInternalServerError || rec.Header().Get("Retry-After") != "" {
		t.Fatalf("a fault: %d %v", rec.Code, rec.Header())
	}
}
