package auth

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
)

// countingClients counts the client reads, and can run a function in the
// middle of one (to change the client while it is being read).
type countingClients struct {
	*fakeClients
	gets   atomic.Int64
	during func()
}

func (c *countingClients) Get(ctx context.Context, id string) (store.ClientRecord, error) {
	c.gets.Add(1)
	rec, err := c.fakeClients.Get(ctx, id)
	if f := c.during; f != nil {
		c.during = nil
		f()
	}
	return rec, err
}

// fakeWatcher is a ClientWatcher driven by the test: it is ready at once,
// reports what is sent on changes and stops when stop is closed.
type fakeWatcher struct {
	changes chan string
	acked   chan struct{}
	stop    chan struct{}
	ready   chan struct{}
	once    sync.Once
}

func (w *fakeWatcher) WatchClients(ctx context.Context, ready func(), changed func(string)) error {
	select {
	case <-w.stop:
		return context.Canceled
	default:
	}
	ready()
	w.once.Do(func() { close(w.ready) })
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-w.stop:
			return context.Canceled
		case id := <-w.changes:
			changed(id)
			w.acked <- struct{}{}
		}
	}
}

// While a watcher reports the client changes (PostgreSQL, issue 13), the
// verifier reads a client once and not on every request; a reported
// change (or a local Invalidate) makes the next request read it again and
// refuse a disabled client; a change reported while a read is in flight
// keeps that read out of the cache; and without a listening watcher every
// request reads the client, as the default promises.
func TestVerifierWatchedClientCache(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	cc := &countingClients{fakeClients: b.clients}
	v := NewVerifier(b.km, cc, testIssuer, testAudience)
	tok := b.issue(t)
	verify := func() error { _, err := v.Verify(ctx, tok.Token); return err }

	// Not watched: one read per request.
	for range 3 {
		if err := verify(); err != nil {
			t.Fatal(err)
		}
	}
	if n := cc.gets.Load(); n != 3 {
		t.Fatalf("unwatched: %d reads for 3 requests, want 3", n)
	}

	w := &fakeWatcher{changes: make(chan string), acked: make(chan struct{}), stop: make(chan struct{}), ready: make(chan struct{})}
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); v.Watch(wctx, w, nil) }()
	t.Cleanup(func() { cancel(); <-done })
	<-w.ready

	cc.gets.Store(0)
	for range 5 {
		if err := verify(); err != nil {
			t.Fatal(err)
		}
	}
	if n := cc.gets.Load(); n != 1 {
		t.Fatalf("watched: %d reads for 5 requests, want 1", n)
	}

	// Another process disables the client; the watcher reports it.
	b.clients.update(b.clientID, func(c *store.ClientRecord) { c.Disabled = true })
	if err := verify(); err != nil {
		t.Fatal("the cache is expected to serve until the change is reported; the test is wrong")
	}
	w.changes <- b.clientID
	<-w.acked
	wantUnauthorized(t, verify())

	// Enabled again, by this process: Invalidate, as app.Clients.OnChange does.
	b.clients.update(b.clientID, func(c *store.ClientRecord) { c.Disabled = false })
	v.Invalidate(b.clientID)
	if err := verify(); err != nil {
		t.Fatalf("enabled again: %v", err)
	}

	// A change reported while a read is in flight: the read's (old)
	// answer must not be cached.
	v.Invalidate(b.clientID)
	cc.during = func() {
		b.clients.update(b.clientID, func(c *store.ClientRecord) { c.Disabled = true })
		v.Invalidate(b.clientID)
	}
	if err := verify(); err != nil {
		t.Fatal(err) // the read saw the client before the change
	}
	wantUnauthorized(t, verify())
	b.clients.update(b.clientID, func(c *store.ClientRecord) { c.Disabled = false })
	v.Invalidate(b.clientID)

	// The watcher stops (a lost connection): back to a read per request.
	if err := verify(); err != nil {
		t.Fatal(err)
	}
	close(w.stop)
	for deadline := time.Now().Add(5 * time.Second); v.watched.Load(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the verifier still trusts a watcher that stopped")
		}
	}
	cc.gets.Store(0)
	for range 3 {
		if err := verify(); err != nil {
			t.Fatal(err)
		}
	}
	if n := cc.gets.Load(); n != 3 {
		t.Fatalf("after the watcher stopped: %d reads for 3 requests, want 3", n)
	}
}
