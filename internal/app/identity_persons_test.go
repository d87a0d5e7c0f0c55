package app_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// twoControlPersons is a business with a 60% owner who is also a director,
// and a second director holding nothing; doc is the director's document.
func twoControlPersons(doc *domain.IdentityDocument) domain.CustomerData {
	d := kyctest.BusinessData()
	maja := d.Business.RelatedPersons[0]
	maja.GivenNames, maja.FamilyName, maja.BirthDate = "Maja", "Holm", "1981-06-07"
	maja.Roles, maja.OwnershipPercent = []domain.RelatedRole{domain.RoleDirector}, 0
	maja.Document = doc
	d.Business.RelatedPersons = append(d.Business.RelatedPersons, maja)
	return d
}

// TestBusinessIdentityOneResultPerPerson: every beneficial owner and control
// person of a business is identity-checked, one result per person
// (PRODUCT.md section 5; 31 CFR 1010.230(b) and EU AMLR 2024/1624 art. 22:
// the beneficial owners' identity is verified, not only the company's), and
// the company's identity check does not pass while one person's result is
// not passed: a second director whose passport has no machine-readable zone
// needs review, so the company's check needs review and the customer goes
// to a person instead of being approved.
func TestBusinessIdentityOneResultPerPerson(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		h.ImportOFAC()
		ok := twoControlPersons(&domain.IdentityDocument{Type: domain.DocIDCard, Number: "CD7654329", IssuingCountry: "SE", ExpiryDate: "2031-01-01"})
		good := kyctest.Business(t, h, &kyctest.CustomerOpts{Data: &ok})
		kyctest.SubmitAndRun(t, h, kyctest.Client, good.ID)
		chk := identityCheck(t, h, good.ID)
		if chk.Status != domain.CheckPassed {
			t.Fatalf("identity %s %q, want passed", chk.Status, chk.Summary)
		}
		rows := app.PersonIdentities(customer(t, h, good.ID), []domain.Check{chk})
		if len(rows) != 2 {
			t.Fatalf("rows %+v, want one per ubo and control person", rows)
		}
		for _, r := range rows {
			if r.Status != domain.CheckPassed || r.Source != app.PersonFromProvider || r.Provider != "document" || r.CheckedAt == nil || len(r.Raw) == 0 {
				t.Fatalf("row %+v", r)
			}
		}
		if rows[0].Name != "Lars Nilsson" || rows[0].Ownership != 60 || rows[0].Role != "Beneficial owner" || rows[1].Role != "Director" || rows[1].Ownership != 0 {
			t.Fatalf("rows %+v", rows)
		}

		bad := twoControlPersons(&domain.IdentityDocument{Type: domain.DocPassport, Number: "AA1234567", IssuingCountry: "SE", ExpiryDate: "2031-01-01"})
		c := kyctest.Business(t, h, &kyctest.CustomerOpts{Data: &bad})
		got := kyctest.SubmitAndRun(t, h, kyctest.Client, c.ID)
		if got.Status == domain.StatusApproved {
			t.Fatal("approved with a director's identity in doubt")
		}
		chk = identityCheck(t, h, c.ID)
		maja := got.Data.Business.RelatedPersons[1].ID
		if chk.Status != domain.CheckNeedsReview || !strings.Contains(chk.Summary, "Director "+maja+": needs review") || strings.Contains(chk.Summary, "Holm") {
			t.Fatalf("identity %s %q", chk.Status, chk.Summary)
		}
		var det struct {
			Persons []app.PersonResult `json:"person_results"`
		}
		if err := json.Unmarshal(chk.Details, &det); err != nil || len(det.Persons) != 2 {
			t.Fatalf("stored results %s (%v)", chk.Details, err)
		}
		if det.Persons[0].Status != domain.CheckPassed || det.Persons[1].PartyID != maja || det.Persons[1].Status != domain.CheckNeedsReview ||
			!strings.Contains(det.Persons[1].Summary, "No MRZ") {
			t.Fatalf("stored results %+v", det.Persons)
		}
		// Doubt about a person's identity rules out simplified due diligence.
		if got.DueDiligence == domain.DDSimplified {
			t.Fatalf("due diligence %s with a person not verified", got.DueDiligence)
		}
	})
}

// TestBusinessAsyncIdentityPerPerson: an asynchronous provider's result
// for a business counts person by person: a per-person result of
// needs_review, failed or pending, or a required person missing from the
// provider's list, keeps the company's check from passing though the
// provider's overall answer is passed; a provider that reports no
// per-person results gives every person its overall result.
func TestBusinessAsyncIdentityPerPerson(t *testing.T) {
	t.Parallel()
	asyncEngines(t, func(t *testing.T, h *kyctest.Bundle, p *asyncProvider) {
		data := twoControlPersons(&domain.IdentityDocument{Type: domain.DocIDCard, Number: "CD7654329", IssuingCountry: "SE", ExpiryDate: "2031-01-01"})
		tests := []struct {
			name    string
			persons func(lars, maja string) []map[string]string
			want    domain.CheckStatus
			sources [2]string
		}{
			{"every person passed", func(l, m string) []map[string]string {
				return []map[string]string{{"id": l, "status": "passed", "summary": "ok"}, {"id": m, "status": "passed", "summary": "ok"}}
			}, domain.CheckPassed, [2]string{"provider", "provider"}},
			{"one person failed", func(l, m string) []map[string]string {
				return []map[string]string{{"id": l, "status": "passed", "summary": "ok"}, {"id": m, "status": "failed", "summary": "forged"}}
			}, domain.CheckFailed, [2]string{"provider", "provider"}},
			{"one person still pending", func(l, m string) []map[string]string {
				return []map[string]string{{"id": l, "status": "passed", "summary": "ok"}, {"id": m, "status": "pending", "summary": "waiting"}}
			}, domain.CheckNeedsReview, [2]string{"provider", "provider"}},
			{"one person missing", func(l, m string) []map[string]string {
				return []map[string]string{{"id": l, "status": "passed", "summary": "ok"}}
			}, domain.CheckNeedsReview, [2]string{"provider", "missing"}},
			{"no per-person results", nil, domain.CheckPassed, [2]string{"overall", "overall"}},
		}
		for _, tc := range tests {
			c := kyctest.Business(t, h, &kyctest.CustomerOpts{Data: &data})
			kyctest.SubmitAndRun(t, h, kyctest.Client, c.ID)
			chk := identityCheck(t, h, c.ID)
			if chk.Status != domain.CheckPending {
				t.Fatalf("%s: %s before the callback", tc.name, chk.Status)
			}
			rows := app.PersonIdentities(customer(t, h, c.ID), []domain.Check{chk})
			if len(rows) != 2 || rows[0].Status != domain.CheckPending || rows[1].Status != domain.CheckPending || rows[0].Provider != "fake-async" {
				t.Fatalf("%s: rows while pending %+v", tc.name, rows)
			}
			rps := customer(t, h, c.ID).Data.Business.RelatedPersons
			details := map[string]any{"session": "s-1"}
			if tc.persons != nil {
				details["persons"] = tc.persons(rps[0].ID, rps[1].ID)
			}
			if _, err := h.App.Checks.Complete(h.Ctx, callback, app.CompleteInput{CheckID: chk.ID, Provider: "fake-async", Status: domain.CheckPassed, Summary: "Verified.", Details: details}); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			chk = identityCheck(t, h, c.ID)
			if chk.Status != tc.want {
				t.Fatalf("%s: company's identity %s %q, want %s", tc.name, chk.Status, chk.Summary, tc.want)
			}
			rows = app.PersonIdentities(customer(t, h, c.ID), []domain.Check{chk})
			for i, r := range rows {
				if r.Source != tc.sources[i] || r.CheckedAt == nil {
					t.Fatalf("%s: row %d %+v, want source %s", tc.name, i, r, tc.sources[i])
				}
			}
			if got := customer(t, h, c.ID); tc.want != domain.CheckPassed && got.Status == domain.StatusApproved {
				t.Fatalf("%s: approved", tc.name)
			}
		}
	})
}
