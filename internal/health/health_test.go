package health_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/health"
)

// db is a Database whose answers the test sets.
type db struct {
	pingErr, statusErr error
	current, latest    int64
}

func (d db) Ping(context.Context) error { return d.pingErr }

func (d db) MigrationStatus(context.Context) (int64, int64, error) {
	return d.current, d.latest, d.statusErr
}

type body struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}

func get(t *testing.T, d health.Database, log *slog.Logger, path string) (*httptest.ResponseRecorder, body) {
	t.Helper()
	mux := http.NewServeMux()
	health.Register(mux, d, log)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if ct, cc := rec.Header().Get("Content-Type"), rec.Header().Get("Cache-Control"); ct != "application/json" || cc != "no-store" {
		t.Fatalf("%s: Content-Type %q, Cache-Control %q", path, ct, cc)
	}
	var b body
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
		t.Fatalf("%s: decode %q: %v", path, rec.Body, err)
	}
	return rec, b
}

func TestLiveness(t *testing.T) {
	// Liveness does not depend on the database: a process whose database
	// is down is alive (restarting it would not help).
	rec, b := get(t, db{pingErr: errors.New("down")}, nil, health.LivePath)
	if rec.Code != http.StatusOK || b.Status != "ok" {
		t.Fatalf("healthz %d %+v", rec.Code, b)
	}
}

func TestReadiness(t *testing.T) {
	for _, tc := range []struct {
		name       string
		db         db
		code       int
		status     string
		database   string
		migrations string
		logged     string
	}{
		{"ready", db{current: 7, latest: 7}, http.StatusOK, "ready", "ok", "ok", ""},
		{"database unreachable", db{pingErr: errors.New("dial tcp 10.0.0.5:5432: connection refused"), current: 7, latest: 7},
			http.StatusServiceUnavailable, "not ready", "unreachable", "ok", "connection refused"},
		{"schema behind", db{current: 6, latest: 7}, http.StatusServiceUnavailable, "not ready", "ok", "not current (6 of 7)", ""},
		{"migration status fails", db{statusErr: errors.New("no such table: goose_db_version")},
			http.StatusServiceUnavailable, "not ready", "ok", "not current (0 of 0)", "goose_db_version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			rec, b := get(t, tc.db, slog.New(slog.NewTextHandler(&logs, nil)), health.ReadyPath)
			if rec.Code != tc.code || b.Status != tc.status || b.Checks["database"] != tc.database || b.Checks["migrations"] != tc.migrations {
				t.Fatalf("readyz %d %+v", rec.Code, b)
			}
			if tc.logged != "" && !strings.Contains(logs.String(), tc.logged) {
				t.Fatalf("the cause is not logged: %q", logs.String())
			}
			// The cause goes to the log, never to the (unauthenticated) caller.
			for _, secret := range []string{"10.0.0.5", "goose_db_version"} {
				if strings.Contains(rec.Body.String(), secret) {
					t.Fatalf("readyz body leaks %q: %s", secret, rec.Body)
				}
			}
		})
	}
}

// A readiness probe without a logger still answers.
func TestReadinessWithoutLogger(t *testing.T) {
	rec, b := get(t, db{pingErr: errors.New("down")}, nil, health.ReadyPath)
	if rec.Code != http.StatusServiceUnavailable || b.Checks["database"] != "unreachable" {
		t.Fatalf("readyz %d %+v", rec.Code, b)
	}
}

// TestDrainFailsReadinessOnly: once a stopping process starts draining,
// /readyz answers 503 "draining" (the load balancer takes it out of
// rotation) while /healthz stays 200 (it must not be killed as dead).
func TestDrainFailsReadinessOnly(t *testing.T) {
	var d health.Drain
	mux := http.NewServeMux()
	health.RegisterDraining(mux, db{current: 3, latest: 3}, nil, &d)
	probe := func(path string) (int, string) {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		var b body
		_ = json.Unmarshal(rec.Body.Bytes(), &b)
		return rec.Code, b.Status
	}
	if code, st := probe(health.ReadyPath); code != http.StatusOK || st != "ready" {
		t.Fatalf("before drain: readyz %d %q", code, st)
	}
	d.Start()
	if code, st := probe(health.ReadyPath); code != http.StatusServiceUnavailable || st != "draining" {
		t.Fatalf("draining: readyz %d %q, want 503 draining", code, st)
	}
	if code, st := probe(health.LivePath); code != http.StatusOK || st != "ok" {
		t.Fatalf("draining: healthz %d %q, want 200 ok", code, st)
	}
	var none *health.Drain
	if none.Draining() {
		t.Fatal("a nil Drain drains")
	}
}
