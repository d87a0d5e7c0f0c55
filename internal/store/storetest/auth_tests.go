package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
)

func client() store.ClientRecord {
	return store.ClientRecord{
		ID: id("cli"), Name: "acme", SecretHash: []byte("argon2id$..."),
		Scopes: "customers:read customers:write", Disabled: false, CreatedAt: at(0),
	}
}

var clientTests = map[string]func(*testing.T, store.Store){
	"CreateGetList": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		a := client()
		b := client()
		b.Name, b.Disabled, b.CreatedAt = "other", true, at(1)
		must(t, s.Clients().Create(ctx, b))
		must(t, s.Clients().Create(ctx, a))
		got, err := s.Clients().Get(ctx, b.ID)
		must(t, err)
		equal(t, got, b)
		list, err := s.Clients().List(ctx)
		must(t, err)
		equal(t, list, []store.ClientRecord{a, b})
		wantErr(t, s.Clients().Create(ctx, a), store.ErrConflict)
		_, err = s.Clients().Get(ctx, "cli_missing")
		wantErr(t, err, store.ErrNotFound)
	},
	"DisableRotateTouchDelete": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		a, b := client(), client()
		must(t, s.Clients().Create(ctx, a))
		must(t, s.Clients().Create(ctx, b))
		must(t, s.Clients().SetDisabled(ctx, a.ID, true))
		got, err := s.Clients().Get(ctx, a.ID)
		must(t, err)
		if !got.Disabled {
			t.Fatal("not disabled")
		}
		must(t, s.Clients().SetDisabled(ctx, a.ID, false))
		must(t, s.Clients().RotateSecret(ctx, a.ID, []byte("new-hash"), at(5)))
		// Touch writes once a minute at most.
		must(t, s.Clients().Touch(ctx, a.ID, at(6)))
		must(t, s.Clients().Touch(ctx, a.ID, at(6).Add(30*time.Second)))
		got, err = s.Clients().Get(ctx, a.ID)
		must(t, err)
		a.SecretHash, a.SecretRotatedAt, a.LastUsedAt = []byte("new-hash"), ptr(at(5)), ptr(at(6))
		equal(t, got, a)
		must(t, s.Clients().Touch(ctx, a.ID, at(8)))
		got, err = s.Clients().Get(ctx, a.ID)
		must(t, err)
		if !got.LastUsedAt.Equal(stored(at(8))) {
			t.Fatalf("last used %v, want %v", got.LastUsedAt, at(8))
		}
		// A deleted client is gone for every method, and its id stays taken.
		must(t, s.Clients().Delete(ctx, a.ID, at(9)))
		_, err = s.Clients().Get(ctx, a.ID)
		wantErr(t, err, store.ErrNotFound)
		wantErr(t, s.Clients().SetDisabled(ctx, a.ID, false), store.ErrNotFound)
		wantErr(t, s.Clients().RotateSecret(ctx, a.ID, []byte("x"), at(10)), store.ErrNotFound)
		wantErr(t, s.Clients().Delete(ctx, a.ID, at(10)), store.ErrNotFound)
		wantErr(t, s.Clients().Create(ctx, a), store.ErrConflict)
		wantErr(t, s.Clients().SetDisabled(ctx, "cli_missing", true), store.ErrNotFound)
		list, err := s.Clients().List(ctx)
		must(t, err)
		equal(t, list, []store.ClientRecord{b})
	},
}

var keyCheckTests = map[string]func(*testing.T, store.Store){
	"FirstWriterWins": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		_, err := s.KeyCheck().Get(ctx)
		wantErr(t, err, store.ErrNotFound)
		has, err := s.KeyCheck().HasData(ctx)
		must(t, err)
		if has {
			t.Fatal("a fresh database has data")
		}
		ok, err := s.KeyCheck().Put(ctx, "kcv1:aa", at(0))
		must(t, err)
		if !ok {
			t.Fatal("first Put did not store")
		}
		ok, err = s.KeyCheck().Put(ctx, "kcv1:bb", at(1))
		must(t, err)
		if ok {
			t.Fatal("second Put replaced the value")
		}
		v, err := s.KeyCheck().Get(ctx)
		must(t, err)
		if v != "kcv1:aa" {
			t.Fatalf("value %q", v)
		}
		must(t, s.Clients().Create(ctx, client()))
		if has, err = s.KeyCheck().HasData(ctx); err != nil || !has {
			t.Fatalf("a database with a client has no data: %v %v", has, err)
		}
	},
}

var keyTests = map[string]func(*testing.T, store.Store){
	"Lifecycle": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		k1 := store.KeyRecord{KID: "k1", Alg: "EdDSA", Private: []byte("enc-priv"), Public: []byte(`{"kty":"OKP"}`), CreatedAt: at(0)}
		k2 := store.KeyRecord{KID: "k2", Alg: "ES256", Private: []byte("enc-priv2"), Public: []byte(`{"kty":"EC"}`), CreatedAt: at(1), RetiredAt: ptr(at(2))}
		must(t, s.Keys().Create(ctx, k2))
		must(t, s.Keys().Create(ctx, k1))
		wantErr(t, s.Keys().Create(ctx, k1), store.ErrConflict)
		list, err := s.Keys().List(ctx)
		must(t, err)
		equal(t, list, []store.KeyRecord{k1, k2})

		must(t, s.Keys().Retire(ctx, "k1", at(3)))
		k1.RetiredAt = ptr(at(3))
		wantErr(t, s.Keys().Retire(ctx, "missing", at(3)), store.ErrNotFound)
		must(t, s.Keys().Delete(ctx, "k2"))
		wantErr(t, s.Keys().Delete(ctx, "k2"), store.ErrNotFound)
		list, err = s.Keys().List(ctx)
		must(t, err)
		equal(t, list, []store.KeyRecord{k1})
	},
}

var idempotencyTests = map[string]func(*testing.T, store.Store){
	"ReserveCompleteRelease": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		res := store.IdempotencyRecord{ClientID: "cli_1", Key: "k-r", RequestHash: "rh", Status: 0, CreatedAt: at(0)}
		must(t, s.Idempotency().Put(ctx, res))
		wantErr(t, s.Idempotency().Put(ctx, res), store.ErrConflict)
		must(t, s.Idempotency().Complete(ctx, "cli_1", "k-r", 201, []byte("body")))
		got, err := s.Idempotency().Get(ctx, "cli_1", "k-r")
		must(t, err)
		if got.Status != 201 || string(got.Body) != "body" {
			t.Fatalf("completed %+v", got)
		}
		// A completed response is neither completed again nor released.
		wantErr(t, s.Idempotency().Complete(ctx, "cli_1", "k-r", 500, nil), store.ErrNotFound)
		must(t, s.Idempotency().Release(ctx, "cli_1", "k-r"))
		if _, err := s.Idempotency().Get(ctx, "cli_1", "k-r"); err != nil {
			t.Fatalf("release removed a completed response: %v", err)
		}
		// A reservation is released.
		res.Key = "k-2"
		must(t, s.Idempotency().Put(ctx, res))
		must(t, s.Idempotency().Release(ctx, "cli_1", "k-2"))
		_, err = s.Idempotency().Get(ctx, "cli_1", "k-2")
		wantErr(t, err, store.ErrNotFound)
		wantErr(t, s.Idempotency().Complete(ctx, "cli_1", "k-2", 201, nil), store.ErrNotFound)
	},
	"PutGetDelete": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		r := store.IdempotencyRecord{ClientID: "cli_1", Key: "k-1", RequestHash: "rh", Status: 201, Body: []byte("enc-body"), CreatedAt: at(0)}
		_, err := s.Idempotency().Get(ctx, r.ClientID, r.Key)
		wantErr(t, err, store.ErrNotFound)
		must(t, s.Idempotency().Put(ctx, r))
		got, err := s.Idempotency().Get(ctx, r.ClientID, r.Key)
		must(t, err)
		equal(t, got, r)
		dup := r
		dup.RequestHash = "other"
		wantErr(t, s.Idempotency().Put(ctx, dup), store.ErrConflict)

		// Same key, other client: independent.
		r2 := r
		r2.ClientID, r2.CreatedAt = "cli_2", at(10)
		must(t, s.Idempotency().Put(ctx, r2))
		n, err := s.Idempotency().DeleteBefore(ctx, at(5))
		must(t, err)
		if n != 1 {
			t.Fatalf("DeleteBefore removed %d, want 1", n)
		}
		_, err = s.Idempotency().Get(ctx, r.ClientID, r.Key)
		wantErr(t, err, store.ErrNotFound)
		_, err = s.Idempotency().Get(ctx, r2.ClientID, r2.Key)
		must(t, err)
	},
}

var documentTests = map[string]func(*testing.T, store.Store){
	"Totals": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c, other := addCustomer(t, s), addCustomer(t, s)
		tot, err := s.Documents().Totals(ctx, c.ID, at(0))
		must(t, err)
		equal(t, tot, store.DocumentTotals{})
		for i, size := range []int64{100, 250, 4000} {
			must(t, s.Documents().Create(ctx, store.DocumentRecord{ID: id("doc"), CustomerID: c.ID, Kind: "other", ContentType: "image/png",
				Size: size, SHA256: "x", Content: []byte{1}, CreatedAt: at(i * 10)}))
		}
		must(t, s.Documents().Create(ctx, store.DocumentRecord{ID: id("doc"), CustomerID: other.ID, Kind: "other", ContentType: "image/png",
			Size: 9, SHA256: "x", Content: []byte{1}, CreatedAt: at(0)}))
		tot, err = s.Documents().Totals(ctx, c.ID, at(10))
		must(t, err)
		equal(t, tot, store.DocumentTotals{Count: 3, Bytes: 4350, Recent: 2})
	},
	"CreateGetList": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		d1 := store.DocumentRecord{ID: id("doc"), CustomerID: c.ID, Kind: "passport", ContentType: "image/jpeg",
			Size: 4, SHA256: "abc", Content: []byte{1, 2, 3, 4}, CreatedAt: at(0)}
		d2 := d1
		d2.ID, d2.Kind, d2.CreatedAt = id("doc"), "proof_of_address", at(1)
		must(t, s.Documents().Create(ctx, d2))
		must(t, s.Documents().Create(ctx, d1))
		wantErr(t, s.Documents().Create(ctx, d1), store.ErrConflict)
		got, err := s.Documents().Get(ctx, d1.ID)
		must(t, err)
		equal(t, got, d1)
		_, err = s.Documents().Get(ctx, "doc_missing")
		wantErr(t, err, store.ErrNotFound)
		list, err := s.Documents().ListByCustomer(ctx, c.ID)
		must(t, err)
		d1.Content, d2.Content = nil, nil
		equal(t, list, []store.DocumentRecord{d1, d2})
		if list[0].Content != nil {
			t.Fatal("ListByCustomer returned content")
		}
	},
	// A document kept in the document store has a content key and no
	// content in its row; one may name a related person.
	"ContentKeyAndRelatedPerson": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		d := store.DocumentRecord{ID: id("doc"), CustomerID: c.ID, RelatedPersonID: "rp_1", ContentKey: "documents/x", Kind: "identity_document",
			ContentType: "application/pdf", Size: 9, SHA256: "def", CreatedAt: at(0)}
		must(t, s.Documents().Create(ctx, d))
		got, err := s.Documents().Get(ctx, d.ID)
		must(t, err)
		if got.RelatedPersonID != "rp_1" || got.ContentKey != "documents/x" || len(got.Content) != 0 {
			t.Fatalf("got %+v", got)
		}
		list, err := s.Documents().ListByCustomer(ctx, c.ID)
		must(t, err)
		if len(list) != 1 || list[0].ContentKey != "documents/x" || list[0].RelatedPersonID != "rp_1" {
			t.Fatalf("list %+v", list)
		}
	},
}
