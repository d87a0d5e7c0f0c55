package auth

import (
	"context"
	"testing"

	"github.com/kyc-platform/kyc/internal/store"
)

// The verified-token cache must never outlive the token, nor hide a
// disabled client or a narrowed scope.
func TestVerifiedTokenCache(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	tok := b.issue(t)
	for i := range 2 { // the second verification is served from the cache
		a, err := b.verifier.Verify(ctx, tok.Token)
		if err != nil || a.ID != b.clientID || len(a.Scopes) != len(AllScopes()) {
			t.Fatalf("verification %d: %+v %v", i, a, err)
		}
	}
	if len(b.verifier.verified) != 1 {
		t.Fatalf("%d cached tokens, want 1", len(b.verifier.verified))
	}
	// A tampered copy is not a cache hit.
	wantUnauthorized(t, func() error { _, err := b.verifier.Verify(ctx, tok.Token[:len(tok.Token)-2]+"AA"); return err }())
	// Scopes narrowed on the client apply to a cached token.
	b.clients.update(b.clientID, func(c *store.ClientRecord) { c.Scopes = ScopeCustomersRead })
	a, err := b.verifier.Verify(ctx, tok.Token)
	if err != nil || len(a.Scopes) != 1 || a.Scopes[0] != ScopeCustomersRead {
		t.Fatalf("narrowed scopes: %+v %v", a, err)
	}
	// A disabled client's cached token stops working.
	b.clients.update(b.clientID, func(c *store.ClientRecord) { c.Disabled = true })
	_, err = b.verifier.Verify(ctx, tok.Token)
	wantUnauthorized(t, err)
	// An expired token is refused even though it was cached.
	b.clients.update(b.clientID, func(c *store.ClientRecord) { c.Disabled = false })
	b.clock.Advance(DefaultTokenTTL + DefaultLeeway)
	_, err = b.verifier.Verify(ctx, tok.Token)
	wantUnauthorized(t, err)
}
