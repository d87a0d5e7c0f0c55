package app_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// fieldMessage returns the message of a validation error at loc.
func fieldMessage(t *testing.T, err error, loc string) string {
	t.Helper()
	var e *domain.Error
	if !errors.As(err, &e) || e.Code != domain.ECodeInvalid {
		t.Fatalf("want a validation error at %s, got %v", loc, err)
	}
	for _, f := range e.Fields {
		if f.Location == loc {
			return f.Message
		}
	}
	t.Fatalf("no error at %s: %v", loc, err)
	return ""
}

// TestFindingOwnerWithoutControlPersonRefused reproduces a finding of
// issue #10: a company with a 100% owner and no director or signatory was
// accepted. The control prong applies whatever the ownership (31 CFR
// 1010.230(d)(2); EU AMLR 2024/1624 art. 53): submission is refused naming
// the related persons, and nothing is written.
func TestFindingOwnerWithoutControlPersonRefused(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		d := kyctest.BusinessData()
		rp := &d.Business.RelatedPersons[0]
		rp.OwnershipPercent = 100
		rp.Roles = []domain.RelatedRole{domain.RoleUBO}
		c := kyctest.Business(t, h, &kyctest.CustomerOpts{Data: &d})
		_, err := h.App.Customers.Submit(h.Ctx, kyctest.Client, c.ID)
		if msg := fieldMessage(t, err, "related_persons"); !strings.Contains(msg, "control person") {
			t.Fatalf("message %q does not name the control prong", msg)
		}
		if got := customer(t, h, c.ID); got.Status != domain.StatusDraft {
			t.Fatalf("status %s after a refused submission, want draft", got.Status)
		}
		if h.RunChecks() != 0 {
			t.Fatal("checks enqueued for a refused submission")
		}
	})
}

// TestFindingCorporateOwnerIndirectOwnership reproduces a finding of issue
// #10: corporate owners could not be entered, so indirect ownership was
// never assessed. A person with 50% of a holding that owns 60% of the
// customer holds 30% effective (EU AMLR 2024/1624 art. 52: multiply along
// each chain) and must be recorded as a beneficial owner; the parties get
// ids that stay the same across edits.
func TestFindingCorporateOwnerIndirectOwnership(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		d := kyctest.BusinessData()
		lars := d.Business.RelatedPersons[0]
		lars.OwnershipPercent, lars.Roles = 0, []domain.RelatedRole{domain.RoleDirector}
		ali := lars
		ali.GivenNames, ali.FamilyName, ali.OwnershipPercent, ali.OwnedVia = "Ali", "Rezai", 50, "holding"
		ali.Roles = []domain.RelatedRole{domain.RoleShareholder}
		ali.Document = &domain.IdentityDocument{Type: domain.DocIDCard, Number: "CD7654329", IssuingCountry: "SE", ExpiryDate: "2031-01-01"}
		holding := domain.RelatedPerson{ID: "holding", Kind: domain.PartyCompany, LegalName: "Nordic Holding AB",
			RegistrationNumber: "556000-1111", IncorporationCountry: "SE", OwnershipPercent: 60}
		d.Business.RelatedPersons = []domain.RelatedPerson{holding, ali, lars}
		c := kyctest.Business(t, h, &kyctest.CustomerOpts{Data: &d})
		rps := c.Data.Business.RelatedPersons
		if rps[0].ID != "holding" || rps[1].ID == "" || rps[2].ID == "" || rps[1].ID == rps[2].ID {
			t.Fatalf("ids %q %q %q", rps[0].ID, rps[1].ID, rps[2].ID)
		}
		_, err := h.App.Customers.Submit(h.Ctx, kyctest.Client, c.ID)
		if msg := fieldMessage(t, err, "related_persons[1].roles"); !strings.Contains(msg, "30% effective") {
			t.Fatalf("message %q does not give the effective share", msg)
		}
		ids := []string{rps[1].ID, rps[2].ID}
		c, err = h.App.Customers.Update(h.Ctx, kyctest.Client, c.ID, func(cur domain.CustomerData) (domain.CustomerData, error) {
			// The caller sends the parties again without their ids.
			for i := range cur.Business.RelatedPersons {
				cur.Business.RelatedPersons[i].ID = ""
			}
			cur.Business.RelatedPersons[0].ID = "holding"
			cur.Business.RelatedPersons[1].Roles = []domain.RelatedRole{domain.RoleUBO}
			return cur, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Data.Business.RelatedPersons; got[1].ID != ids[0] || got[2].ID != ids[1] {
			t.Fatalf("ids changed across the edit: %q %q, were %q", got[1].ID, got[2].ID, ids)
		}
		if got := kyctest.SubmitAndRun(t, h, kyctest.Client, c.ID); got.Status == domain.StatusDraft {
			t.Fatalf("not submitted: %s", got.Status)
		}
	})
}
