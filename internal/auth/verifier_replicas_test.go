package auth_test

import (
	"bytes"
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/store/postgres"
	"github.com/kyc-platform/kyc/internal/store/testdb"
	"github.com/kyc-platform/kyc/internal/vault"
)

// Two replicas on one PostgreSQL, each verifier caching client rows while
// it watches for changes (issue 13): a client disabled, given a new
// secret or deleted through one replica's store is refused by the other
// replica's verifier, which had it cached, as soon as the notification
// arrives — the test allows it two seconds and reports how long it took —
// and a change of the last-use time alone (every token issued) does not
// empty the caches. The cache must also actually serve: the second
// replica reads the client once for many requests.
func TestVerifierReplicasSeeClientChanges(t *testing.T) {
	url := testdb.PostgresURL(t)
	ctx := context.Background()
	open := func() *postgres.DB {
		db, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		return db
	}
	a, b := open(), open()
	if err := a.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	vlt, err := vault.New(bytes.Repeat([]byte{7}, vault.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	const iss, aud = "https://kyc.example", "kyc-api"
	kmA := auth.NewKeyManager(a.Keys(), vlt)
	if err := kmA.EnsureKey(ctx); err != nil {
		t.Fatal(err)
	}
	issuer := auth.NewIssuer(kmA, iss, aud)
	counted := &countingClients{Clients: b.Clients()}
	vB := auth.NewVerifier(auth.NewKeyManager(b.Keys(), vlt), counted, iss, aud)
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); vB.Watch(wctx, b, nil) }()
	t.Cleanup(func() { cancel(); <-done })

	newClient := func() (string, string) {
		id, secret := auth.NewClientSecret()
		if err := a.Clients().Create(ctx, store.ClientRecord{ID: id, Name: "acme", SecretHash: auth.HashSecret(secret),
			Scopes: auth.FormatScopes(auth.AllScopes()), CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		tok, err := issuer.Issue(ctx, id, auth.AllScopes())
		if err != nil {
			t.Fatal(err)
		}
		return id, tok.Token
	}
	// waitWatching: until the verifier serves from its cache (the watch is
	// listening), checked by counting reads.
	waitCached := func(tok string) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			if _, err := vB.Verify(ctx, tok); err != nil {
				t.Fatal(err)
			}
			before := counted.gets.Load()
			for range 20 {
				if _, err := vB.Verify(ctx, tok); err != nil {
					t.Fatal(err)
				}
			}
			if counted.gets.Load() == before {
				return
			}
			if time.Now().After(deadline) {
				t.Fatal("replica B reads the client on every request: its cache is not in use")
			}
		}
	}
	refusedSoon := func(what, tok string) {
		t.Helper()
		start := time.Now()
		for {
			_, err := vB.Verify(ctx, tok)
			if domain.ErrCode(err) == domain.ECodeUnauthorized {
				t.Logf("%s: refused by replica B %v after the commit", what, time.Since(start).Round(time.Microsecond))
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if time.Since(start) > 2*time.Second {
				t.Fatalf("%s through replica A: replica B still accepts the client's token after 2 s", what)
			}
			time.Sleep(100 * time.Microsecond)
		}
	}

	id1, tok1 := newClient()
	waitCached(tok1)
	// The last-use time changes at every token; the cache keeps serving.
	if err := a.Clients().Touch(ctx, id1, time.Now()); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	before := counted.gets.Load()
	if _, err := vB.Verify(ctx, tok1); err != nil || counted.gets.Load() != before {
		t.Fatalf("after a last-use update: %v, %d reads; want the cached client", err, counted.gets.Load()-before)
	}
	if err := a.Clients().SetDisabled(ctx, id1, true); err != nil {
		t.Fatal(err)
	}
	refusedSoon("disabled", tok1)

	id2, tok2 := newClient()
	waitCached(tok2)
	if err := a.Clients().RotateSecret(ctx, id2, auth.HashSecret("new"), time.Now()); err != nil {
		t.Fatal(err)
	}
	refusedSoon("secret rotated", tok2)

	id3, tok3 := newClient()
	waitCached(tok3)
	if err := a.Clients().Delete(ctx, id3, time.Now()); err != nil {
		t.Fatal(err)
	}
	refusedSoon("deleted", tok3)
}

type countingClients struct {
	store.Clients
	gets atomic.Int64
}

func (c *countingClients) Get(ctx context.Context, id string) (store.ClientRecord, error) {
	c.gets.Add(1)
	return c.Clients.Get(ctx, id)
}
