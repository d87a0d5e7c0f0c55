package auth

import (
	"context"
	"log/slog"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
)

// Invalidate drops what the verifier knows of a client: its next request
// reads the client again. The application calls it after it changes a
// client in this process (app.Clients.OnChange); a ClientWatcher reports
// the changes of every process.
func (v *Verifier) Invalidate(clientID string) {
	v.mu.Lock()
	v.epoch.Add(1)
	delete(v.cache, clientID)
	v.mu.Unlock()
}

// setWatched starts or stops trusting the cache on the watcher's word;
// either way what was cached before is dropped.
func (v *Verifier) setWatched(on bool) {
	v.mu.Lock()
	v.epoch.Add(1)
	clear(v.cache)
	v.watched.Store(on)
	v.mu.Unlock()
}

// Watch caches client lookups for as long as w reports every change to
// the clients, and drops a client's entry when w reports a change to it,
// so that a client disabled, deleted or given a new secret in any process
// is refused from the next request after the report (PostgreSQL delivers
// it when the change commits). While w is not listening (not yet, or its
// connection was lost) nothing is cached: every request reads the client,
// as without Watch. It returns when ctx ends.
func (v *Verifier) Watch(ctx context.Context, w store.ClientWatcher, log *slog.Logger) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		started := time.Now()
		err := w.WatchClients(ctx, func() { v.setWatched(true) }, v.Invalidate)
		v.setWatched(false)
		if ctx.Err() != nil {
			return
		}
		if log != nil {
			log.Warn("not listening for API client changes: reading the client on every request until listening again", "err", err)
		}
		if time.Since(started) > time.Minute {
			backoff = 100 * time.Millisecond
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}
