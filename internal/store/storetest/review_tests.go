package storetest

import (
	"context"
	"testing"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

var reviewTests = map[string]func(*testing.T, store.Store){
	// DueForReview lists approved customers whose review date has come and
	// who have no open periodic_review case, the longest overdue first;
	// not approved, not yet due, restricted, purged and already-reviewing
	// customers are left out, and a closed review case does not count.
	"DueForReview": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		approved := func(due int) func(*store.CustomerRecord) {
			return func(c *store.CustomerRecord) { c.Status, c.NextReviewAt = "approved", ptr(at(due)) }
		}
		late := addCustomer(t, s, approved(5))
		early := addCustomer(t, s, approved(1))
		addCustomer(t, s, approved(30)) // not due yet
		addCustomer(t, s, func(c *store.CustomerRecord) { c.Status, c.NextReviewAt = "closed", ptr(at(1)) })
		addCustomer(t, s, approved(1), func(c *store.CustomerRecord) { c.RestrictedAt = ptr(at(2)) })
		addCustomer(t, s, approved(1), func(c *store.CustomerRecord) { c.PurgedAt = ptr(at(2)) })
		reviewing := addCustomer(t, s, approved(2))
		k := kase(reviewing.ID)
		k.Kind = domain.CasePeriodicReview
		must(t, s.Cases().Create(ctx, k))
		reviewed := addCustomer(t, s, approved(3))
		done := kase(reviewed.ID)
		done.Kind, done.Status, done.ClosedAt = domain.CasePeriodicReview, domain.CaseClosed, ptr(at(2))
		must(t, s.Cases().Create(ctx, done))
		other := kase(late.ID) // a case of another kind does not hold the review back
		must(t, s.Cases().Create(ctx, other))

		ids, err := s.Reviews().DueForReview(ctx, at(20), 10)
		must(t, err)
		equal(t, ids, []string{early.ID, reviewed.ID, late.ID})
		ids, err = s.Reviews().DueForReview(ctx, at(20), 1)
		must(t, err)
		equal(t, ids, []string{early.ID})
	},
	// CountReviewsBetween counts approved customers whose review falls in
	// (after, until].
	"CountReviewsBetween": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		for _, due := range []int{1, 5, 10, 11} {
			addCustomer(t, s, func(c *store.CustomerRecord) { c.Status, c.NextReviewAt = "approved", ptr(at(due)) })
		}
		addCustomer(t, s, func(c *store.CustomerRecord) { c.Status, c.NextReviewAt = "closed", ptr(at(5)) })
		n, err := s.Reviews().CountReviewsBetween(ctx, at(1), at(10))
		must(t, err)
		equal(t, n, int64(2))
	},
	// A customer has at most one open case of each ongoing kind
	// (periodic_review, change_review, document_expiry): a second one is a
	// conflict, so two replicas scanning at once never open two. Once
	// closed, another may open; other kinds are not limited.
	"OneOpenOngoingCase": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		for _, kind := range []domain.CaseKind{domain.CasePeriodicReview, domain.CaseChangeReview, domain.CaseDocumentExpiry} {
			first := kase(c.ID)
			first.Kind = kind
			must(t, s.Cases().Create(ctx, first))
			second := kase(c.ID)
			second.Kind = kind
			wantErr(t, s.Cases().Create(ctx, second), store.ErrConflict)
			first.Status, first.ClosedAt, first.Version = domain.CaseClosed, ptr(at(9)), first.Version+1
			must(t, s.Cases().Update(ctx, first))
			must(t, s.Cases().Create(ctx, second))
		}
		for range 2 {
			must(t, s.Cases().Create(ctx, kase(c.ID))) // onboarding: not limited here
		}
	},
	// A change of circumstances is kept with its previous values, in
	// order; its outcome is recorded once the checks concluded; the
	// history is deleted with the record's personal data.
	"Changes": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c, other := addCustomer(t, s), addCustomer(t, s)
		first := store.ChangeRecord{ID: id("chg"), CustomerID: c.ID, Actor: "client:kyc_ci_a", Fields: "address,occupation",
			Previous: []byte{1, 2, 0xff}, PreviousRating: "low", Round: 2, CreatedAt: at(1)}
		second := store.ChangeRecord{ID: id("chg"), CustomerID: c.ID, Actor: "client:kyc_ci_a", Fields: "document",
			Previous: []byte{3}, PreviousRating: "medium", Round: 3, CreatedAt: at(2)}
		for _, ch := range []store.ChangeRecord{second, first, {ID: id("chg"), CustomerID: other.ID, Actor: "x", Fields: "phone", Previous: []byte{4}, Round: 2, CreatedAt: at(1)}} {
			must(t, s.Reviews().AddChange(ctx, ch))
		}
		got, err := s.Reviews().Changes(ctx, c.ID)
		must(t, err)
		equal(t, got, []store.ChangeRecord{first, second})
		first.Outcome, first.CaseID, first.DecidedAt = "case", "case_9", ptr(at(3))
		must(t, s.Reviews().UpdateChange(ctx, first))
		got, err = s.Reviews().Changes(ctx, c.ID)
		must(t, err)
		equal(t, got[0], first)
		wantErr(t, s.Reviews().UpdateChange(ctx, store.ChangeRecord{ID: "chg_none", Outcome: "kept"}), store.ErrNotFound)
		n, err := s.Reviews().DeleteChanges(ctx, c.ID)
		must(t, err)
		equal(t, n, int64(2))
		if got, err := s.Reviews().Changes(ctx, c.ID); err != nil || len(got) != 0 {
			t.Fatalf("after delete: %v %v", got, err)
		}
		if got, _ := s.Reviews().Changes(ctx, other.ID); len(got) != 1 {
			t.Fatalf("another customer's history was touched: %v", got)
		}
	},
	// Document expiries are kept per customer and party; the scan lists
	// those of approved customers due by a date with no case yet, the
	// soonest first; a case is recorded once.
	"DocumentExpiries": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s, func(c *store.CustomerRecord) { c.Status = "approved" })
		closed := addCustomer(t, s, func(c *store.CustomerRecord) { c.Status = "closed" })
		own := store.DocumentExpiry{CustomerID: c.ID, Party: "", ExpiresOn: "2027-03-01"}
		ubo := store.DocumentExpiry{CustomerID: c.ID, Party: "rp_1", ExpiresOn: "2027-01-15"}
		later := store.DocumentExpiry{CustomerID: c.ID, Party: "rp_2", ExpiresOn: "2030-01-01"}
		for _, e := range []store.DocumentExpiry{own, ubo, later, own, {CustomerID: closed.ID, ExpiresOn: "2027-01-01"}} {
			must(t, s.Reviews().AddDocumentExpiry(ctx, e))
		}
		got, err := s.Reviews().DocumentExpiries(ctx, c.ID)
		must(t, err)
		equal(t, got, []store.DocumentExpiry{own, ubo, later})
		due, err := s.Reviews().ExpiringDocuments(ctx, "2027-03-01", 10)
		must(t, err)
		equal(t, due, []store.DocumentExpiry{ubo, own})
		ok, err := s.Reviews().SetDocumentExpiryCase(ctx, ubo, "case_1")
		must(t, err)
		if !ok {
			t.Fatal("case not recorded")
		}
		if ok, _ := s.Reviews().SetDocumentExpiryCase(ctx, ubo, "case_2"); ok {
			t.Fatal("a second case recorded for the same expiry")
		}
		due, err = s.Reviews().ExpiringDocuments(ctx, "2027-03-01", 10)
		must(t, err)
		equal(t, due, []store.DocumentExpiry{own})
		must(t, s.Reviews().DeleteDocumentExpiry(ctx, own))
		got, err = s.Reviews().DocumentExpiries(ctx, c.ID)
		must(t, err)
		ubo.CaseID = "case_1"
		equal(t, got, []store.DocumentExpiry{ubo, later})
	},
}
