package app_test

import (
	"slices"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// TestDocumentExpiryBackfill: customers approved before identity-document
// expiry dates were kept (migration 00117: rows in customers only, none in
// document_expiries) get their dates from the one-off backfill, so that
// their expiring documents open document_expiry cases like everyone
// else's (FATF R.10(d) ongoing due diligence: CDD data kept up to date;
// EU AMLR 2024/1624 art. 26). The backfill goes on from where a stopped run
// got to, and once done does nothing.
func TestDocumentExpiryBackfill(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		h.ImportOFAC()
		var ids []string
		for _, name := range []string{"Eriksson", "Lindqvist", "Berg", "Holm"} {
			d := kyctest.Individual()
			d.Individual.FamilyName, d.Individual.Email = name, name+"@example.com"
			c := kyctest.SubmittedCustomer(t, h, &kyctest.CustomerOpts{Data: &d})
			if c.Status != domain.StatusApproved {
				t.Fatalf("%s: %s", name, c.Status)
			}
			ids = append(ids, c.ID)
		}
		slices.Sort(ids)
		// Approved the old way: the first three have no expiry kept; the
		// last was approved since and keeps its own.
		for _, id := range ids[:3] {
			if _, err := h.Store.DB().ExecContext(h.Ctx, "DELETE FROM document_expiries WHERE customer_id = '"+id+"'"); err != nil {
				t.Fatal(err)
			}
		}
		kept := func(id string) int {
			t.Helper()
			exp, err := h.Store.Reviews().DocumentExpiries(h.Ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return len(exp)
		}
		// A run stopped after the first customer: it resumes after it.
		if err := h.Store.Backfills().SaveProgress(h.Ctx, app.DocumentExpiryBackfill, ids[0], nil); err != nil {
			t.Fatal(err)
		}
		res, err := h.App.Reviews.BackfillDocumentExpiries(h.Ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Done || res.Customers != 2 || res.Tracked != 2 || res.Dates != 2 {
			t.Fatalf("backfill: %+v, want the two customers after the cursor", res)
		}
		if kept(ids[0]) != 0 || kept(ids[1]) != 1 || kept(ids[2]) != 1 || kept(ids[3]) != 1 {
			t.Fatalf("kept: %d %d %d %d", kept(ids[0]), kept(ids[1]), kept(ids[2]), kept(ids[3]))
		}
		// Done: a second run (the next start) writes nothing.
		res, err = h.App.Reviews.BackfillDocumentExpiries(h.Ctx, 0)
		if err != nil || !res.AlreadyDone || res.Customers != 0 {
			t.Fatalf("second run: %+v %v", res, err)
		}
		// From the beginning again (a fresh backfill): the first customer
		// gets its date; the others are left as they are.
		if _, err := h.Store.DB().ExecContext(h.Ctx, "DELETE FROM backfills"); err != nil {
			t.Fatal(err)
		}
		res, err = h.App.Reviews.BackfillDocumentExpiries(h.Ctx, 0)
		if err != nil || res.Customers != 1 || res.Dates != 1 || kept(ids[0]) != 1 {
			t.Fatalf("fresh run: %+v %v, kept %d", res, err, kept(ids[0]))
		}
		// The backfilled documents now open their cases (2030-01-01).
		h.Clock.Set(time.Date(2029, 12, 10, 12, 0, 0, 0, time.UTC))
		n, err := h.App.Reviews.OpenExpiringDocuments(h.Ctx, 0)
		if err != nil || n != 4 {
			t.Fatalf("expiry scan: opened %d, %v; want one case per customer", n, err)
		}
	})
}
