package app_test

import (
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// TestPeriodicReviewDoesNotReraiseFalsePositive: the fresh screening of a
// periodic review applies the list-update rule — a hit dispositioned as a
// false positive is not raised again unless the entity's record changed
// since (PRODUCT.md section 4: "A false-positive disposition is remembered
// for that customer and list entity, and is re-raised only when the
// entity's record changes"; section 7; FATF R.10(d) ongoing due diligence
// without re-litigating settled matches). A changed record is raised again.
func TestPeriodicReviewDoesNotReraiseFalsePositive(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, b *kyctest.Bundle) {
		importList(t, b, baseList...)
		anna := approvedCustomer(t, b, kyctest.Individual())
		importList(t, b, append(baseList, eriksson)...)
		rescreenAll(t, b)
		hits := customerHits(t, b, anna.ID)
		if len(hits) != 1 {
			t.Fatalf("%d hits after the list update, want 1", len(hits))
		}
		analyst := kyctest.StaffUser(t, b, &kyctest.StaffUserOpts{Role: app.RoleAnalyst}).Actor()
		if _, err := b.App.Cases.DispositionHit(b.Ctx, analyst, hits[0].ID, app.DispositionInput{Disposition: domain.DispositionFalsePositive, Reason: "Different person: other place of birth."}); err != nil {
			t.Fatal(err)
		}
		lu := listUpdateCases(t, b, anna.ID)
		if _, err := b.App.Cases.Decide(b.Ctx, analyst, lu[0].ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "False positive; relationship continues"}); err != nil {
			t.Fatal(err)
		}
		allHits := func() []domain.ScreeningHit {
			t.Helper()
			recs, err := b.Store.Hits().ListByCustomer(b.Ctx, anna.ID)
			if err != nil {
				t.Fatal(err)
			}
			out := make([]domain.ScreeningHit, len(recs))
			for i, r := range recs {
				out[i] = domain.ScreeningHit{ID: r.ID, EntityHash: r.EntityHash, Disposition: domain.Disposition(r.Disposition)}
			}
			return out
		}
		review := func() domain.Check {
			t.Helper()
			got, err := b.App.Customers.Get(b.Ctx, kyctest.Client, anna.ID)
			if err != nil {
				t.Fatal(err)
			}
			b.Clock.Set(got.NextReviewAt.Add(time.Minute))
			if n, err := b.App.Reviews.OpenDue(b.Ctx, 0); err != nil || n != 1 {
				t.Fatalf("review scan: opened %d, %v", n, err)
			}
			if n := b.RunChecks(); n != 3 {
				t.Fatalf("fresh checks: %d, want 3", n)
			}
			checks, err := b.App.Customers.ListChecks(b.Ctx, kyctest.Client, anna.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range checks {
				if c.Type == domain.CheckScreening {
					return c
				}
			}
			t.Fatal("no screening check in the review round")
			return domain.Check{}
		}
		chk := review()
		if chk.Status != domain.CheckPassed {
			t.Fatalf("review screening %s (%s), want passed: the false positive was raised again", chk.Status, chk.Summary)
		}
		if hs := allHits(); len(hs) != 1 {
			t.Fatalf("%d hits after the review, want the one false positive only", len(hs))
		}

		// The entity's record changes: the next review raises it again.
		cs := reviewCases(t, b, anna.ID)
		if _, err := b.App.Cases.Decide(b.Ctx, analyst, cs[0].ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "Reviewed"}); err != nil {
			t.Fatal(err)
		}
		changed := eriksson
		changed.birth = "1990-08"
		importList(t, b, append(baseList, changed)...)
		// The list update's own re-screen would raise it too; the review
		// must not depend on it having run, so the run is left pending.
		chk = review()
		if chk.Status != domain.CheckNeedsReview {
			t.Fatalf("review screening after the entity changed: %s (%s), want needs_review", chk.Status, chk.Summary)
		}
		if hs := allHits(); len(hs) != 2 || hs[0].EntityHash == hs[1].EntityHash {
			t.Fatalf("hits after the entity changed: %+v, want a second one with the new content", hs)
		}
	})
}

// TestPeriodicReviewDoesNotDuplicateOpenHit: a review that falls due while
// a list update's hit is still open does not raise the same match again
// (one hit per customer, entity and content, as the list-update re-screen
// keeps it); once that hit is dispositioned false positive, nothing of it
// is left open to hold the review up (PRODUCT.md section 4 and 7).
func TestPeriodicReviewDoesNotDuplicateOpenHit(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, b *kyctest.Bundle) {
		importList(t, b, baseList...)
		anna := approvedCustomer(t, b, kyctest.Individual())
		importList(t, b, append(baseList, eriksson)...)
		rescreenAll(t, b)
		hits := customerHits(t, b, anna.ID)
		if len(hits) != 1 {
			t.Fatalf("%d hits after the list update, want 1", len(hits))
		}
		b.Clock.Set(anna.NextReviewAt.Add(time.Minute))
		if n, err := b.App.Reviews.OpenDue(b.Ctx, 0); err != nil || n != 1 {
			t.Fatalf("review scan: opened %d, %v", n, err)
		}
		b.RunChecks()
		recs, err := b.Store.Hits().ListByCustomer(b.Ctx, anna.ID)
		if err != nil || len(recs) != 1 {
			t.Fatalf("%d hits after the review's screening (%v), want the one still open", len(recs), err)
		}
		checks, err := b.App.Customers.ListChecks(b.Ctx, kyctest.Client, anna.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range checks {
			if c.Type == domain.CheckScreening && c.Status != domain.CheckNeedsReview {
				t.Fatalf("review screening %s (%s): a match under review must keep it in review", c.Status, c.Summary)
			}
		}
		analyst := kyctest.StaffUser(t, b, &kyctest.StaffUserOpts{Role: app.RoleAnalyst}).Actor()
		if _, err := b.App.Cases.DispositionHit(b.Ctx, analyst, hits[0].ID, app.DispositionInput{Disposition: domain.DispositionFalsePositive, Reason: "Different person: other place of birth."}); err != nil {
			t.Fatal(err)
		}
		cs := reviewCases(t, b, anna.ID)
		if len(cs) != 1 {
			t.Fatalf("%d review cases", len(cs))
		}
		res, err := b.App.Cases.Decide(b.Ctx, analyst, cs[0].ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "Reviewed"})
		if err != nil || res.Customer.Status != domain.StatusApproved {
			t.Fatalf("review approval: %v %v", res.Customer, err)
		}
	})
}
