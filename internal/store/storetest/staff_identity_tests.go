package storetest

import (
	"context"
	"testing"

	"github.com/kyc-platform/kyc/internal/store"
)

var staffIdentityTests = map[string]func(*testing.T, store.Store){
	"UserIdentities": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		u, other := user(), user()
		must(t, s.Users().Create(ctx, u))
		must(t, s.Users().Create(ctx, other))
		link := store.UserIdentityRecord{SubjectIndex: id("sub"), Issuer: "https://idp.example", UserID: u.ID, CreatedAt: at(1), LastSignInAt: at(1)}
		must(t, s.UserIdentities().Create(ctx, link))
		got, err := s.UserIdentities().GetBySubject(ctx, link.SubjectIndex)
		must(t, err)
		equal(t, got, link)
		// One provider account links to one user only.
		dup := link
		dup.UserID = other.ID
		wantErr(t, s.UserIdentities().Create(ctx, dup), store.ErrConflict)
		_, err = s.UserIdentities().GetBySubject(ctx, "nope")
		wantErr(t, err, store.ErrNotFound)
		must(t, s.UserIdentities().Touch(ctx, link.SubjectIndex, at(5)))
		got, _ = s.UserIdentities().GetBySubject(ctx, link.SubjectIndex)
		link.LastSignInAt = at(5)
		equal(t, got, link)
		wantErr(t, s.UserIdentities().Touch(ctx, "nope", at(5)), store.ErrNotFound)
		n, err := s.UserIdentities().CountForUser(ctx, u.ID)
		must(t, err)
		if n != 1 {
			t.Fatalf("links of the user: %d", n)
		}
		if n, _ := s.UserIdentities().CountForUser(ctx, other.ID); n != 0 {
			t.Fatalf("links of the other user: %d", n)
		}
		// A second account of the same user: the user is listed once.
		second := link
		second.SubjectIndex = id("sub")
		must(t, s.UserIdentities().Create(ctx, second))
		linked, err := s.UserIdentities().LinkedUsers(ctx)
		must(t, err)
		equal(t, linked, map[string]bool{u.ID: true})
	},
	"UpdateEmail": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		a, b := user(), user()
		must(t, s.Users().Create(ctx, a))
		must(t, s.Users().Create(ctx, b))
		must(t, s.Users().UpdateEmail(ctx, a.ID, "new-index", []byte("new-enc"), at(3)))
		got, err := s.Users().GetByEmailIndex(ctx, "new-index")
		must(t, err)
		a.EmailIndex, a.Email, a.UpdatedAt = "new-index", []byte("new-enc"), at(3)
		equal(t, got, a)
		wantErr(t, s.Users().UpdateEmail(ctx, b.ID, "new-index", []byte("x"), at(4)), store.ErrConflict)
		wantErr(t, s.Users().UpdateEmail(ctx, "usr_missing", "other", []byte("x"), at(4)), store.ErrNotFound)
	},
}
