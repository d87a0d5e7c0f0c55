package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

func user() store.UserRecord {
	return store.UserRecord{
		ID: id("usr"), EmailIndex: id("eidx"), Email: []byte("enc-email"), Role: "analyst",
		PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", MustChangePassword: true,
		CreatedAt: at(0), UpdatedAt: at(0),
	}
}

var staffTests = map[string]func(*testing.T, store.Store){
	"Users": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		a, b := user(), user()
		b.Role, b.CreatedAt, b.UpdatedAt = "mlro", at(1), at(1)
		must(t, s.Users().Create(ctx, b))
		must(t, s.Users().Create(ctx, a))
		got, err := s.Users().Get(ctx, a.ID)
		must(t, err)
		equal(t, got, a)
		got, err = s.Users().GetByEmailIndex(ctx, b.EmailIndex)
		must(t, err)
		equal(t, got, b)
		list, err := s.Users().List(ctx)
		must(t, err)
		equal(t, list, []store.UserRecord{a, b})
		dup := user()
		dup.EmailIndex = a.EmailIndex
		wantErr(t, s.Users().Create(ctx, dup), store.ErrConflict)
		_, err = s.Users().GetByEmailIndex(ctx, "nope")
		wantErr(t, err, store.ErrNotFound)

		a.MustChangePassword, a.TOTPSecret, a.TOTPEnrolled, a.Disabled = false, []byte("enc-totp"), true, true
		a.LockedUntil, a.LastSignInAt, a.UpdatedAt, a.PasswordHash = ptr(at(30)), ptr(at(2)), at(2), "new"
		must(t, s.Users().Update(ctx, a))
		got, _ = s.Users().Get(ctx, a.ID)
		equal(t, got, a)
		missing := user()
		wantErr(t, s.Users().Update(ctx, missing), store.ErrNotFound)

		n, err := s.Users().AddFailure(ctx, b.ID, at(3))
		must(t, err)
		if n != 1 {
			t.Fatalf("failures %d", n)
		}
		n, _ = s.Users().AddFailure(ctx, b.ID, at(3))
		if n != 2 {
			t.Fatalf("failures %d", n)
		}
		must(t, s.Users().Lock(ctx, b.ID, at(20), at(4)))
		got, _ = s.Users().Get(ctx, b.ID)
		if got.FailedAttempts != 0 || got.LockedUntil == nil || !got.LockedUntil.Equal(stored(at(20))) {
			t.Fatalf("after lock: %+v", got)
		}
		ok, err := s.Users().ClaimTOTPStep(ctx, b.ID, 100)
		must(t, err)
		again, _ := s.Users().ClaimTOTPStep(ctx, b.ID, 100)
		older, _ := s.Users().ClaimTOTPStep(ctx, b.ID, 99)
		newer, _ := s.Users().ClaimTOTPStep(ctx, b.ID, 101)
		if !ok || again || older || !newer {
			t.Fatalf("claim: %v %v %v %v", ok, again, older, newer)
		}
	},
	"Sessions": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		u, v := user(), user()
		must(t, s.Users().Create(ctx, u))
		must(t, s.Users().Create(ctx, v))
		s1 := store.SessionRecord{IDHash: id("h"), UserID: u.ID, Stage: "totp", Method: "oidc", CreatedAt: at(0), LastSeenAt: at(0), ExpiresAt: at(720)}
		s2 := store.SessionRecord{IDHash: id("h"), UserID: u.ID, Stage: "full", Method: "oidc+totp", CreatedAt: at(0), LastSeenAt: at(0), ExpiresAt: at(720)}
		s3 := store.SessionRecord{IDHash: id("h"), UserID: v.ID, Stage: "full", CreatedAt: at(0), LastSeenAt: at(0), ExpiresAt: at(10)}
		for _, x := range []store.SessionRecord{s1, s2, s3} {
			must(t, s.Sessions().Create(ctx, x))
		}
		got, err := s.Sessions().Get(ctx, s1.IDHash)
		must(t, err)
		equal(t, got, s1)
		must(t, s.Sessions().Touch(ctx, s1.IDHash, at(5)))
		got, _ = s.Sessions().Get(ctx, s1.IDHash)
		s1.LastSeenAt = at(5)
		equal(t, got, s1)
		wantErr(t, s.Sessions().Touch(ctx, "missing", at(5)), store.ErrNotFound)
		// s3 is past its absolute end at 11; s2 idle since 0 is older than 3.
		n, err := s.Sessions().DeleteExpired(ctx, at(11), at(3))
		must(t, err)
		if n != 2 {
			t.Fatalf("expired deleted %d", n)
		}
		_, err = s.Sessions().Get(ctx, s2.IDHash)
		wantErr(t, err, store.ErrNotFound)
		must(t, s.Sessions().Create(ctx, s2))
		n, err = s.Sessions().DeleteForUser(ctx, u.ID)
		must(t, err)
		if n != 2 {
			t.Fatalf("deleted for user %d", n)
		}
		must(t, s.Sessions().Create(ctx, s3))
		must(t, s.Sessions().Delete(ctx, s3.IDHash))
		_, err = s.Sessions().Get(ctx, s3.IDHash)
		wantErr(t, err, store.ErrNotFound)
	},
	"Views": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		hi := addCustomer(t, s, func(c *store.CustomerRecord) { c.RiskRating, c.NameIndex = "high", "name-hi" })
		lo := addCustomer(t, s, func(c *store.CustomerRecord) {
			c.RiskRating, c.NameIndex, c.Status, c.DecidedAt = "low", "name-lo", "approved", ptr(at(50))
		})
		mk := func(cust string, mod func(*domain.Case)) domain.Case {
			c := kase(cust)
			mod(&c)
			must(t, s.Cases().Create(ctx, c))
			return c
		}
		c1 := mk(hi.ID, func(c *domain.Case) { c.Assignee, c.DueAt = "", at(300) })
		c2 := mk(hi.ID, func(c *domain.Case) { c.Kind, c.DueAt = domain.CaseScreeningHit, at(100) })
		c3 := mk(lo.ID, func(c *domain.Case) { c.Status, c.DueAt = domain.CaseClosed, at(200) })
		ids := func(cs []domain.Case) []string {
			out := []string{}
			for _, c := range cs {
				out = append(out, c.ID)
			}
			return out
		}
		q := func(f store.QueueFilter) []string {
			t.Helper()
			cs, err := s.Views().Queue(ctx, f)
			must(t, err)
			n, err := s.Views().CountQueue(ctx, store.QueueFilter{Kind: f.Kind, Status: f.Status, Assignee: f.Assignee, RiskRating: f.RiskRating, NameIndex: f.NameIndex, CustomerID: f.CustomerID})
			must(t, err)
			if f.Limit == 0 && f.Offset == 0 && int(n) != len(cs) {
				t.Fatalf("count %d, listed %d", n, len(cs))
			}
			return ids(cs)
		}
		equal(t, q(store.QueueFilter{}), []string{c3.ID, c2.ID, c1.ID})
		equal(t, q(store.QueueFilter{Sort: "oldest"}), []string{c1.ID, c2.ID, c3.ID})
		equal(t, q(store.QueueFilter{Sort: "due"}), []string{c2.ID, c3.ID, c1.ID})
		equal(t, q(store.QueueFilter{Status: "active"}), []string{c2.ID, c1.ID})
		equal(t, q(store.QueueFilter{Status: "closed"}), []string{c3.ID})
		equal(t, q(store.QueueFilter{Assignee: "-"}), []string{c1.ID})
		equal(t, q(store.QueueFilter{Assignee: "usr_1"}), []string{c3.ID, c2.ID})
		equal(t, q(store.QueueFilter{RiskRating: "high"}), []string{c2.ID, c1.ID})
		equal(t, q(store.QueueFilter{NameIndex: "name-lo"}), []string{c3.ID})
		equal(t, q(store.QueueFilter{Kind: "screening_hit"}), []string{c2.ID})
		equal(t, q(store.QueueFilter{CustomerID: lo.ID}), []string{c3.ID})
		equal(t, q(store.QueueFilter{Limit: 1, Offset: 1}), []string{c2.ID})

		open, err := s.Views().UnclosedCases(ctx)
		must(t, err)
		equal(t, ids(open), []string{c1.ID, c2.ID})
		byRisk, err := s.Views().CustomersByRisk(ctx)
		must(t, err)
		if byRisk["high"] != 1 || byRisk["low"] != 1 {
			t.Fatalf("by risk %v", byRisk)
		}
		h := hit(hi.ID)
		h.CreatedAt = at(100)
		must(t, s.Hits().Create(ctx, h))
		if n, err := s.Views().HitsSince(ctx, at(99)); err != nil || n != 1 {
			t.Fatalf("hits since: %d %v", n, err)
		}
		if n, _ := s.Views().HitsSince(ctx, at(101)); n != 0 {
			t.Fatalf("hits since later: %d", n)
		}
		dec, err := s.Views().DecidedSince(ctx, at(10))
		must(t, err)
		if len(dec) != 1 || dec[0].Status != "approved" || !dec[0].DecidedAt.Equal(stored(at(50))) {
			t.Fatalf("decided %+v", dec)
		}
		dec, _ = s.Views().DecidedSince(ctx, at(51).Add(time.Second))
		if len(dec) != 0 {
			t.Fatalf("decided later %+v", dec)
		}
	},
}
