package app_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// TestOFACFiftyPercentRuleOnScreenedOwners: OFAC, "Revised Guidance on
// Entities Owned by Persons Whose Property and Interests in Property are
// Blocked" (2014): an entity owned 50% or more, directly or indirectly,
// individually or in the aggregate, by blocked persons is itself blocked.
// End to end on both engines: the owners of a business are screened, a
// reviewer confirms their hits as true matches, and the reassessed rating
// is prohibited by the 50% rule (sanctioned_ownership, naming the stakes)
// with 50% directly, 25% + 25% by two different owners, and 100% of a
// holding that owns 50%; with 49% the rule does not apply (the customer is
// still prohibited by sanctions_match, kyc's stricter rule for any
// confirmed match).
func TestOFACFiftyPercentRuleOnScreenedOwners(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		h.ImportOFAC()
		base := kyctest.BusinessData().Business.RelatedPersons[0]
		person := func(given, family, birth, docNo string, pct float64, via string, roles ...domain.RelatedRole) domain.RelatedPerson {
			rp := base
			rp.Person.Address = &domain.Address{Line1: "Drottninggatan 2", City: "Stockholm", PostalCode: "11151", Country: "SE"}
			rp.GivenNames, rp.FamilyName, rp.BirthDate = given, family, birth
			rp.Document = &domain.IdentityDocument{Type: domain.DocIDCard, Number: docNo, IssuingCountry: "SE", ExpiryDate: "2031-01-01"}
			rp.OwnershipPercent, rp.OwnedVia, rp.Roles = pct, via, roles
			return rp
		}
		// Two persons on the OFAC SDN fixture (nationality left Swedish so
		// that no country factor interferes).
		zakharov := func(pct float64, via string) domain.RelatedPerson {
			return person("Andrey Georgiyevich", "Zakharov", "1969-01-08", "CD7654322", pct, via, domain.RoleUBO)
		}
		kim := func(pct float64) domain.RelatedPerson {
			return person("Jong Un", "Kim", "1984-01-08", "CD7654323", pct, "", domain.RoleUBO)
		}
		lars := func(pct float64) domain.RelatedPerson {
			return person("Lars", "Nilsson", "1975-03-04", "CD7654321", pct, "", domain.RoleUBO, domain.RoleDirector)
		}
		holding := domain.RelatedPerson{ID: "holding", Kind: domain.PartyCompany, LegalName: "Volga Holding Ltd",
			RegistrationNumber: "HE 123456", IncorporationCountry: "CY", OwnershipPercent: 50, Roles: []domain.RelatedRole{domain.RoleShareholder}}
		tests := []struct {
			name    string
			parties []domain.RelatedPerson
			matches int    // hits to confirm
			ofac    string // in the sanctioned_ownership explanation; "" when the rule must not apply
		}{
			{"50% directly", []domain.RelatedPerson{zakharov(50, ""), lars(50)}, 1, "50% in all: Beneficial owner Andrey Z. 50%"},
			{"25% + 25% by two owners", []domain.RelatedPerson{zakharov(25, ""), kim(25), lars(50)}, 2, "50% in all"},
			{"49%", []domain.RelatedPerson{zakharov(49, ""), lars(51)}, 1, ""},
			{"100% of a holding that owns 50%", []domain.RelatedPerson{holding, zakharov(100, "holding"), lars(50)}, 1, "Related company Volga Holding Ltd 50% (itself blocked"},
		}
		for _, tc := range tests {
			d := kyctest.BusinessData()
			d.Business.RelatedPersons = tc.parties
			c := kyctest.Business(t, h, &kyctest.CustomerOpts{Data: &d})
			if got := kyctest.SubmitAndRun(t, h, kyctest.Client, c.ID); got.Status != domain.StatusInReview {
				t.Fatalf("%s: status %s, want in_review", tc.name, got.Status)
			}
			cs := kyctest.OpenCase(t, h, c.ID)
			hits, err := h.App.Cases.Hits(h.Ctx, kyctest.Client, cs.ID)
			if err != nil {
				t.Fatal(err)
			}
			confirmed := 0
			for _, hit := range hits {
				if hit.List != "ofac_sdn" || (hit.SourceID != "35025" && hit.SourceID != "20157") {
					continue
				}
				if _, err := h.App.Cases.DispositionHit(h.Ctx, kyctest.Client, hit.ID, app.DispositionInput{Disposition: domain.DispositionTrueMatch, Reason: "name and birth date match"}); err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
				confirmed++
			}
			if confirmed != tc.matches {
				t.Fatalf("%s: confirmed %d hits, want %d (hits %+v)", tc.name, confirmed, tc.matches, hits)
			}
			a, err := h.App.Customers.LatestRisk(h.Ctx, kyctest.Client, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if a.Rating != domain.RiskProhibited {
				t.Fatalf("%s: rating %s, want prohibited", tc.name, a.Rating)
			}
			i := slices.IndexFunc(a.Factors, func(f domain.RiskFactor) bool { return f.Name == "sanctioned_ownership" })
			switch {
			case tc.ofac == "" && i >= 0:
				t.Fatalf("%s: the 50%% rule applied: %+v", tc.name, a.Factors[i])
			case tc.ofac != "" && (i < 0 || !a.Factors[i].KnockOut || !strings.Contains(a.Factors[i].Explanation, tc.ofac)):
				t.Fatalf("%s: want the 50%% rule explaining %q, factors %+v", tc.name, tc.ofac, a.Factors)
			}
			// No full name in the assessment (RISK_MODEL.md, note 1).
			for _, f := range a.Factors {
				if strings.Contains(f.Explanation, "Zakharov") || strings.Contains(f.Explanation, "Georgiyevich") {
					t.Fatalf("%s: a family name in the explanation %q", tc.name, f.Explanation)
				}
			}
		}
	})
}
