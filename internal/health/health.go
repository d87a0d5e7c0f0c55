// Package health answers the probes of a kyc process: liveness on
// GET /healthz (the process serves HTTP) and readiness on GET /readyz (the
// database answers and its schema is at the version this binary needs),
// each as a small JSON body that is never cached.
//
// kyc serve mounts both with Register, in API and in workers-only
// processes alike; tests mount the same handlers, so that what they check
// is the production code.
package health

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"
)

// The probe paths.
const (
	LivePath  = "/healthz"
	ReadyPath = "/readyz"
)

// Timeout bounds the database round trips of one readiness probe.
const Timeout = 2 * time.Second

// Database is what readiness asks of the storage: store.Store implements it.
type Database interface {
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// MigrationStatus reports the applied and latest known schema versions.
	MigrationStatus(ctx context.Context) (current, latest int64, err error)
}

// Register mounts GET /healthz and GET /readyz on mux.
func Register(mux *http.ServeMux, db Database, log *slog.Logger) {
	RegisterDraining(mux, db, log, nil)
}

// RegisterDraining is Register with a Drain: once it is started, /readyz
// answers 503 "draining" while /healthz still answers 200.
func RegisterDraining(mux *http.ServeMux, db Database, log *slog.Logger, d *Drain) {
	mux.Handle("GET "+LivePath, Live())
	mux.Handle("GET "+ReadyPath, d.guard(Ready(db, log)))
}

// Drain marks a process as shutting down. From Start on, readiness fails
// with {"status":"draining"} so that load balancers take the process out
// of rotation while it still serves what they already sent; the zero value
// is not draining and a nil *Drain never drains.
type Drain struct{ on atomic.Bool }

// Start begins draining; it cannot be undone.
func (d *Drain) Start() { d.on.Store(true) }

// Draining reports whether Start was called.
func (d *Drain) Draining() bool { return d != nil && d.on.Load() }

func (d *Drain) guard(h http.Handler) http.Handler {
	if d == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d.Draining() {
			writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "draining"})
			return
		}
		h.ServeHTTP(w, r)
	})
}

// Live answers 200 {"status":"ok"} for as long as the process serves HTTP.
func Live() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
}

// Ready answers 200 {"status":"ready","checks":{...}} when the database
// answers and its schema is current, else 503 "not ready" with the failing
// check named: "database": "unreachable" or "migrations": "not current (N
// of M)". The cause of an unreachable database is logged, never sent.
func Ready(db Database, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), Timeout)
		defer cancel()
		checks := map[string]string{"database": "ok", "migrations": "ok"}
		status := http.StatusOK
		if err := db.Ping(ctx); err != nil {
			checks["database"], status = "unreachable", http.StatusServiceUnavailable
			log.Warn("readiness: database unreachable", "err", err)
		} else if cur, latest, err := db.MigrationStatus(ctx); err != nil || cur != latest {
			checks["migrations"], status = fmt.Sprintf("not current (%d of %d)", cur, latest), http.StatusServiceUnavailable
			if err != nil {
				log.Warn("readiness: migration status", "err", err)
			}
		}
		st := "ready"
		if status != http.StatusOK {
			st = "not ready"
		}
		writeJSON(w, status, map[string]any{"status": st, "checks": checks})
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
