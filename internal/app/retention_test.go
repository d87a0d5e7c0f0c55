package app_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

var pngFile = kyctest.PNG()

// approvedWithDocument onboards an approved individual who uploaded a
// document while a draft.
func approvedWithDocument(t *testing.T, h *kyctest.Bundle) *domain.Customer {
	t.Helper()
	h.ImportOFAC()
	c := kyctest.Customer(t, h, nil)
	if _, err := h.App.Documents.Upload(h.Ctx, kyctest.Client, c.ID, "identity_document", pngFile); err != nil {
		t.Fatal(err)
	}
	c = kyctest.SubmitAndRun(t, h, kyctest.Client, c.ID)
	if c.Status != domain.StatusApproved {
		t.Fatalf("customer is %s", c.Status)
	}
	return c
}

// wantPurged checks that no personal data of the customer is left: the
// record is an empty shell without lookup indexes, its documents are gone,
// its checks and hits hold no details, and the audit chain still verifies.
func wantPurged(t *testing.T, h *kyctest.Bundle, id string) {
	t.Helper()
	rec, err := h.Store.Customers().Get(h.Ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if rec.PurgedAt == nil || rec.EmailIndex != "" || rec.NameIndex != "" || rec.DocumentIndex != "" || len(rec.CloseReason) != 0 {
		t.Fatalf("purged record: purged %v, indexes %q %q %q, reason %d bytes", rec.PurgedAt, rec.EmailIndex, rec.NameIndex, rec.DocumentIndex, len(rec.CloseReason))
	}
	c, err := h.App.Customers.Get(h.Ctx, kyctest.StaffActor("usr_aud", app.RoleAuditor), id)
	if err != nil {
		t.Fatal(err)
	}
	if c.DisplayName() != "" || (c.Data.Individual != nil && (c.Data.Individual.Email != "" || c.Data.Individual.Document != nil)) {
		t.Fatalf("purged customer still holds %+v", c.Data.Individual)
	}
	if docs, _ := h.Store.Documents().ListByCustomer(h.Ctx, id); len(docs) != 0 {
		t.Fatalf("%d documents left", len(docs))
	}
	checks, _ := h.Store.Checks().ListByCustomer(h.Ctx, id)
	for _, ch := range checks {
		if len(ch.Details) != 0 {
			t.Fatalf("check %s keeps its details", ch.ID)
		}
	}
	hits, _ := h.Store.Hits().ListByCustomer(h.Ctx, id)
	for _, hit := range hits {
		if len(hit.Subject) != 0 || len(hit.Explanation) != 0 || len(hit.DispositionReason) != 0 {
			t.Fatalf("hit %s keeps personal data", hit.ID)
		}
	}
	if found, _, _ := h.App.Customers.List(h.Ctx, kyctest.Operator, app.ListCustomersInput{Email: kyctest.Individual().Individual.Email}); len(found) != 0 {
		for _, f := range found {
			if f.ID == id {
				t.Fatal("the purged customer is still found by its email")
			}
		}
	}
	if v := h.VerifyAudit(); !v.OK {
		t.Fatalf("audit chain after the purge: %+v", v)
	}
}

// TestPurgeWhenRetentionEnds: once the retention period after closure has
// passed (EU AMLD 2015/849 art. 40(1): records are deleted at the end of
// the retention period; GDPR art. 5(1)(e), storage limitation), the purge
// removes the personal data and the documents, once, and the audit trail
// still verifies (its events hold no personal data).
func TestPurgeWhenRetentionEnds(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		c := approvedWithDocument(t, h)
		keep := approvedWithDocument(t, h) // an active customer is never purged
		if _, err := h.App.Customers.Close(h.Ctx, kyctest.Client, c.ID, app.CloseInput{Reason: "customer left"}); err != nil {
			t.Fatal(err)
		}
		if n, err := h.App.Records.PurgeDue(h.Ctx, 0); err != nil || n != 0 {
			t.Fatalf("purge inside retention: %d %v", n, err)
		}
		h.Advance(48 * time.Hour)
		if n, err := h.App.Records.PurgeDue(h.Ctx, 1); err != nil || n != 1 {
			t.Fatalf("purge after retention: %d %v", n, err)
		}
		wantPurged(t, h, c.ID)
		ev := lastEvent(t, h, c.ID)
		if ev.Action != string(domain.EventCustomerPurged) || !strings.Contains(ev.Meta, `"documents":"1"`) || !strings.Contains(ev.Meta, "retention_ended") {
			t.Fatalf("purge event %s %s", ev.Action, ev.Meta)
		}
		if n, err := h.App.Records.PurgeDue(h.Ctx, 0); err != nil || n != 0 {
			t.Fatalf("second purge: %d %v", n, err)
		}
		if got, err := h.App.Customers.Get(h.Ctx, kyctest.Client, keep.ID); err != nil || got.PurgedAt != nil || got.DisplayName() == "" {
			t.Fatalf("active customer: %+v %v", got, err)
		}
	}, kyctest.WithPolicy(func(p *app.Policy) { p.Retention = domain.Period{Days: 1} }))
}

// TestErasureOfNeverSubmittedDraft: a draft never submitted is erased at
// once (GDPR art. 17(1)(a): no longer necessary; no AML record is due for
// an application never made).
func TestErasureOfNeverSubmittedDraft(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		c := kyctest.Customer(t, h, nil)
		if _, err := h.App.Documents.Upload(h.Ctx, kyctest.Client, c.ID, "identity_document", pngFile); err != nil {
			t.Fatal(err)
		}
		_, err := h.App.Records.RequestErasure(h.Ctx, kyctest.ClientActor("kyc_ci_w", kyctest.Tenant, "customers:read", "customers:write"), c.ID)
		kyctest.WantCode(t, err, domain.ECodeForbidden)
		_, err = h.App.Records.RequestErasure(h.Ctx, kyctest.Outsider, c.ID)
		kyctest.WantCode(t, err, domain.ECodeNotFound)
		r, err := h.App.Records.RequestErasure(h.Ctx, kyctest.Client, c.ID)
		if err != nil || r.Status != app.ErasureErased || r.RetentionEndsAt != nil {
			t.Fatalf("erasure of a draft: %+v %v", r, err)
		}
		wantPurged(t, h, c.ID)
		// Asking again answers the same.
		if r, err := h.App.Records.RequestErasure(h.Ctx, kyctest.Client, c.ID); err != nil || r.Status != app.ErasureErased {
			t.Fatalf("second request: %+v %v", r, err)
		}
	})
}

// TestErasureInsideRetention: records inside the AML retention period are
// kept (GDPR art. 17(3)(b), a legal obligation; EU AMLD 2015/849 art. 40):
// the record is restricted (GDPR art. 18) — hidden from everyone but
// auditors — and purged when retention ends. A running relationship is
// refused (409): its retention has not started.
func TestErasureInsideRetention(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		c := approvedWithDocument(t, h)
		_, err := h.App.Records.RequestErasure(h.Ctx, kyctest.Client, c.ID)
		kyctest.WantCode(t, err, domain.ECodeConflict)

		closed, err := h.App.Customers.Close(h.Ctx, kyctest.Client, c.ID, app.CloseInput{Reason: "customer left"})
		if err != nil {
			t.Fatal(err)
		}
		r, err := h.App.Records.RequestErasure(h.Ctx, kyctest.Client, c.ID)
		if err != nil || r.Status != app.ErasureRestricted || r.RetentionEndsAt == nil || !r.RetentionEndsAt.Equal(*closed.RetentionEndsAt) {
			t.Fatalf("erasure inside retention: %+v %v", r, err)
		}
		auditor := kyctest.StaffActor("usr_aud", app.RoleAuditor)
		for _, a := range []domain.Actor{kyctest.Client, kyctest.StaffActor("usr_an", app.RoleAnalyst), kyctest.StaffActor("usr_ml", app.RoleMLRO)} {
			_, err := h.App.Customers.Get(h.Ctx, a, c.ID)
			kyctest.WantCode(t, err, domain.ECodeNotFound)
			list, _, err := h.App.Customers.List(h.Ctx, a, app.ListCustomersInput{})
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range list {
				if x.ID == c.ID {
					t.Fatalf("%s lists the restricted customer", a)
				}
			}
			_, err = h.App.Records.Export(h.Ctx, a, c.ID)
			if domain.ErrCode(err) != domain.ECodeNotFound && domain.ErrCode(err) != domain.ECodeForbidden {
				t.Fatalf("%s exports a restricted customer: %v", a, err)
			}
		}
		got, err := h.App.Customers.Get(h.Ctx, auditor, c.ID)
		if err != nil || got.RestrictedAt == nil || got.DisplayName() == "" {
			t.Fatalf("auditor: %+v %v", got, err)
		}
		list, _, err := h.App.Customers.List(h.Ctx, auditor, app.ListCustomersInput{Status: "closed"})
		if err != nil || len(list) != 1 || list[0].ID != c.ID {
			t.Fatalf("auditor list: %d %v", len(list), err)
		}
		if n, _ := h.App.Records.PurgeDue(h.Ctx, 0); n != 0 {
			t.Fatal("purged inside retention")
		}
		h.Advance(48 * time.Hour)
		if n, err := h.App.Records.PurgeDue(h.Ctx, 0); err != nil || n != 1 {
			t.Fatalf("purge at the end of retention: %d %v", n, err)
		}
		wantPurged(t, h, c.ID)
	}, kyctest.WithPolicy(func(p *app.Policy) { p.Retention = domain.Period{Days: 1} }))
}

// TestExport: the data-subject export (GDPR art. 15) holds the customer's
// data decrypted, its documents with their content, check details and the
// names matched, withholds the staff's internal assessments (EU AMLD
// 2015/849 art. 39, no tipping-off) and is audited.
func TestExport(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		c := approvedWithDocument(t, h)
		_, err := h.App.Records.Export(h.Ctx, kyctest.ReadOnly, c.ID)
		kyctest.WantCode(t, err, domain.ECodeForbidden)
		_, err = h.App.Records.Export(h.Ctx, kyctest.Outsider, c.ID)
		kyctest.WantCode(t, err, domain.ECodeNotFound)
		x, err := h.App.Records.Export(h.Ctx, kyctest.Client, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		p := x.Data.Individual
		if p == nil || p.FamilyName != kyctest.Individual().Individual.FamilyName || p.Document == nil || p.Email == "" {
			t.Fatalf("exported data: %+v", p)
		}
		if len(x.Documents) != 1 || !bytes.Equal(x.Documents[0].Content, pngFile) {
			t.Fatalf("exported documents: %+v", x.Documents)
		}
		if len(x.Checks) != 3 || len(x.Withheld) == 0 {
			t.Fatalf("exported checks %d, withheld %v", len(x.Checks), x.Withheld)
		}
		ev := lastEvent(t, h, c.ID)
		if ev.Action != string(domain.EventCustomerExported) || strings.Contains(ev.Meta, p.FamilyName) {
			t.Fatalf("export event %s %s", ev.Action, ev.Meta)
		}
	})
}
