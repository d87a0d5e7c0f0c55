package storetest

import (
	"context"
	"sync"
	"testing"

	"github.com/kyc-platform/kyc/internal/store"
)

var accessLinkTests = map[string]func(*testing.T, store.Store){
	"CreateGetUseOnce": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		l := store.AccessLinkRecord{ID: id("acl"), TokenHash: "h-" + id("t"), CustomerID: c.ID, Tenant: "acme",
			CreatedBy: "client:kyc_ci_a", CreatedAt: at(0), ExpiresAt: at(30)}
		must(t, s.AccessLinks().Create(ctx, l))
		wantErr(t, s.AccessLinks().Create(ctx, l), store.ErrConflict)
		got, err := s.AccessLinks().GetByHash(ctx, l.TokenHash)
		must(t, err)
		equal(t, got, l)
		_, err = s.AccessLinks().GetByHash(ctx, "nope")
		wantErr(t, err, store.ErrNotFound)
		// Expired at the moment of use: refused.
		wantErr(t, s.AccessLinks().Use(ctx, l.TokenHash, at(30)), store.ErrNotFound)
		wantErr(t, s.AccessLinks().Use(ctx, "nope", at(1)), store.ErrNotFound)
		must(t, s.AccessLinks().Use(ctx, l.TokenHash, at(1)))
		wantErr(t, s.AccessLinks().Use(ctx, l.TokenHash, at(2)), store.ErrNotFound)
		got, err = s.AccessLinks().GetByHash(ctx, l.TokenHash)
		must(t, err)
		l.UsedAt = ptr(at(1))
		equal(t, got, l)
	},
	"ConcurrentUseSucceedsOnce": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		l := store.AccessLinkRecord{ID: id("acl"), TokenHash: "h-" + id("t"), CustomerID: c.ID, Tenant: "default",
			CreatedBy: "system:test", CreatedAt: at(0), ExpiresAt: at(30)}
		must(t, s.AccessLinks().Create(ctx, l))
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok := 0
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := s.InTx(ctx, func(tx store.Tx) error { return tx.AccessLinks().Use(ctx, l.TokenHash, at(1)) })
				if err == nil {
					mu.Lock()
					ok++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if ok != 1 {
			t.Fatalf("%d concurrent uses succeeded, want 1", ok)
		}
	},
	"Sessions": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		ss := store.ApplicantSessionRecord{TokenHash: "s-" + id("t"), CustomerID: c.ID, LinkID: "acl_1",
			CreatedAt: at(0), LastSeenAt: at(0), ExpiresAt: at(480)}
		must(t, s.AccessLinks().CreateSession(ctx, ss))
		wantErr(t, s.AccessLinks().CreateSession(ctx, ss), store.ErrConflict)
		got, err := s.AccessLinks().GetSession(ctx, ss.TokenHash)
		must(t, err)
		equal(t, got, ss)
		must(t, s.AccessLinks().TouchSession(ctx, ss.TokenHash, at(5)))
		got, err = s.AccessLinks().GetSession(ctx, ss.TokenHash)
		must(t, err)
		ss.LastSeenAt = at(5)
		equal(t, got, ss)
		wantErr(t, s.AccessLinks().TouchSession(ctx, "nope", at(5)), store.ErrNotFound)
		old := store.ApplicantSessionRecord{TokenHash: "s-" + id("t"), CustomerID: c.ID, CreatedAt: at(0), LastSeenAt: at(0), ExpiresAt: at(10)}
		must(t, s.AccessLinks().CreateSession(ctx, old))
		n, err := s.AccessLinks().DeleteSessionsBefore(ctx, at(100))
		must(t, err)
		if n != 1 {
			t.Fatalf("DeleteSessionsBefore removed %d, want 1", n)
		}
		must(t, s.AccessLinks().DeleteSession(ctx, ss.TokenHash))
		_, err = s.AccessLinks().GetSession(ctx, ss.TokenHash)
		wantErr(t, err, store.ErrNotFound)
	},
}
