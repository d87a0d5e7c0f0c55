package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

func expiryCases(t *testing.T, h *kyctest.Bundle, customerID string) []domain.Case {
	t.Helper()
	cs, _, err := h.App.Cases.List(h.Ctx, kyctest.Operator, app.ListCasesInput{CustomerID: customerID, Kind: string(domain.CaseDocumentExpiry)})
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// TestDocumentExpiry: an approved customer's identity document that is
// about to expire opens a document_expiry case KYC_DOCUMENT_EXPIRY_NOTICE
// ahead (30 days by default), once (CDD information kept up to date, FATF
// R.10(d); identity verified on a valid document, EU AMLR 2024/1624 art.
// 22(6)). The customer stays approved; a new document given as a change of
// circumstances is tracked in its place, and approving the case keeps the
// customer approved.
func TestDocumentExpiry(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		c := approved(t, h) // document expires 2030-01-01
		expiry := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
		h.Clock.Set(expiry.AddDate(0, 0, -31))
		if n, err := h.App.Reviews.OpenExpiringDocuments(h.Ctx, 0); err != nil || n != 0 {
			t.Fatalf("31 days ahead: opened %d, %v", n, err)
		}
		h.Clock.Set(expiry.AddDate(0, 0, -29))
		if n, err := h.App.Reviews.OpenExpiringDocuments(h.Ctx, 0); err != nil || n != 1 {
			t.Fatalf("29 days ahead: opened %d, %v", n, err)
		}
		if n, err := h.App.Reviews.OpenExpiringDocuments(h.Ctx, 0); err != nil || n != 0 {
			t.Fatalf("second scan: opened %d, %v", n, err)
		}
		cs := expiryCases(t, h, c.ID)
		if len(cs) != 1 || cs[0].Status != domain.CaseOpen || !strings.Contains(cs[0].Reason, "identity document expires 2030-01-01") {
			t.Fatalf("expiry cases: %+v", cs)
		}
		if got, _ := h.App.Customers.Get(h.Ctx, kyctest.Client, c.ID); got.Status != domain.StatusApproved {
			t.Fatalf("customer %s during the case", got.Status)
		}
		// The customer sends a new document (a change of circumstances).
		if _, err := h.App.Customers.Update(h.Ctx, kyctest.Client, c.ID, func(d domain.CustomerData) (domain.CustomerData, error) {
			d.Individual.Document = &domain.IdentityDocument{Type: domain.DocPassport, Number: "XY7654321", IssuingCountry: "SE", ExpiryDate: "2039-12-31"}
			return d, nil
		}); err != nil {
			t.Fatal(err)
		}
		h.RunChecks()
		exp, err := h.Store.Reviews().DocumentExpiries(h.Ctx, c.ID)
		if err != nil || len(exp) != 1 || exp[0].ExpiresOn != "2039-12-31" {
			t.Fatalf("tracked expiries: %+v %v", exp, err)
		}
		analyst := kyctest.StaffUser(t, h, &kyctest.StaffUserOpts{Role: app.RoleAnalyst}).Actor()
		res, err := h.App.Cases.Decide(h.Ctx, analyst, cs[0].ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "New passport on file"})
		if err != nil || res.Customer.Status != domain.StatusApproved || res.Case.Status != domain.CaseClosed {
			t.Fatalf("approve: %+v %v", res, err)
		}
		// The new document is far from expiry: nothing opens.
		h.Advance(24 * time.Hour)
		if n, err := h.App.Reviews.OpenExpiringDocuments(h.Ctx, 0); err != nil || n != 0 {
			t.Fatalf("after the new document: opened %d, %v", n, err)
		}
	})
}

// TestDocumentExpiryNotice: KYC_DOCUMENT_EXPIRY_NOTICE sets how far ahead
// the case opens.
func TestDocumentExpiryNotice(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		c := approved(t, h)
		h.Clock.Set(time.Date(2029, 11, 10, 0, 0, 0, 0, time.UTC)) // 52 days before 2030-01-01
		if n, err := h.App.Reviews.OpenExpiringDocuments(h.Ctx, 0); err != nil || n != 1 {
			t.Fatalf("60-day notice: opened %d, %v", n, err)
		}
		if cs := expiryCases(t, h, c.ID); len(cs) != 1 {
			t.Fatalf("expiry cases: %d", len(cs))
		}
	}, kyctest.WithPolicy(func(p *app.Policy) { p.DocumentExpiryNotice = domain.Period{Days: 60} }))
}
