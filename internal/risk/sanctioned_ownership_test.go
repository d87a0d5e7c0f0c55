package risk

import (
	"slices"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/domain"
)

// TestOFACFiftyPercentRuleProhibits: OFAC, "Revised Guidance on Entities
// Owned by Persons Whose Property and Interests in Property are Blocked"
// (2014): an entity owned 50% or more, directly or indirectly, individually
// or in the aggregate, by blocked persons is blocked; the default model's
// knock-out (sanctioned_ownership) makes such a customer prohibited and
// names the stakes. Below 50% the rule does not apply (the customer is
// still prohibited by sanctions_match, kyc's stricter rule for any
// confirmed match; RISK_MODEL.md "sanctions match confirmed as true").
func TestOFACFiftyPercentRuleProhibits(t *testing.T) {
	t.Parallel()
	m := model(t)
	owner := func(id, given string, pct float64, via string, roles ...domain.RelatedRole) domain.RelatedPerson {
		p := person("DE", "DE")
		p.GivenNames, p.FamilyName = given, "Owner"
		return domain.RelatedPerson{ID: id, Person: *p, Roles: roles, OwnershipPercent: pct, OwnedVia: via}
	}
	holding := func(id string, pct float64) domain.RelatedPerson {
		return domain.RelatedPerson{ID: id, Kind: domain.PartyCompany, LegalName: "Holding Ltd", RegistrationNumber: "1", IncorporationCountry: "GB",
			Roles: []domain.RelatedRole{domain.RoleShareholder}, OwnershipPercent: pct}
	}
	tests := []struct {
		name       string
		parties    []domain.RelatedPerson
		sanctioned []string
		ofac       bool   // the 50% rule applies
		explained  string // in its explanation
	}{
		{"50% directly", []domain.RelatedPerson{owner("x", "Xavier", 50, "", domain.RoleUBO), owner("y", "Yara", 50, "", domain.RoleUBO, domain.RoleDirector)},
			[]string{"x"}, true, "50% in all: Beneficial owner Xavier O. 50%"},
		{"25% + 25% by two owners", []domain.RelatedPerson{owner("x", "Xavier", 25, "", domain.RoleUBO), owner("z", "Zora", 25, "", domain.RoleUBO), owner("y", "Yara", 50, "", domain.RoleUBO, domain.RoleDirector)},
			[]string{"x", "z"}, true, "Beneficial owner Zora O. 25%"},
		{"49%", []domain.RelatedPerson{owner("x", "Xavier", 49, "", domain.RoleUBO), owner("y", "Yara", 51, "", domain.RoleUBO, domain.RoleDirector)},
			[]string{"x"}, false, ""},
		{"100% of a holding that owns 50%", []domain.RelatedPerson{holding("h", 50), owner("x", "Xavier", 100, "h", domain.RoleUBO), owner("y", "Yara", 50, "", domain.RoleUBO, domain.RoleDirector)},
			[]string{"x"}, true, "Related company Holding Ltd 50% (itself blocked"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := biz(func(b *domain.Business) { b.RelatedPersons = tc.parties })
			a := m.Assess(Input{Customer: c, ConfirmedSanctionsMatch: true, SanctionedParties: tc.sanctioned, Now: now})
			if a.Rating != domain.RiskProhibited {
				t.Fatalf("rating %s, want prohibited", a.Rating)
			}
			i := slices.IndexFunc(a.Factors, func(f domain.RiskFactor) bool { return f.Name == "sanctioned_ownership" })
			if (i >= 0) != tc.ofac {
				t.Fatalf("sanctioned_ownership applied %v, want %v (factors %+v)", i >= 0, tc.ofac, a.Factors)
			}
			if tc.ofac {
				if f := a.Factors[i]; !f.KnockOut || !strings.Contains(f.Explanation, tc.explained) || !strings.Contains(f.Explanation, "OFAC 50% rule") {
					t.Fatalf("factor %+v, want a knock-out explaining %q", f, tc.explained)
				}
			}
			// Whatever the share, the confirmed match itself is a knock-out.
			if !slices.ContainsFunc(a.Factors, func(f domain.RiskFactor) bool { return f.Name == "sanctions_match" }) {
				t.Fatalf("no sanctions_match factor: %+v", a.Factors)
			}
		})
	}
	// The 50% rule alone, in a model without the stricter factor: 50% is
	// prohibited, 49% is not.
	strict := m.doc
	strict.Factors = slices.DeleteFunc(slices.Clone(strict.Factors), func(f factor) bool { return f.Kind == KindSanctionsMatch })
	only := &Model{doc: strict}
	for _, tc := range tests {
		c := biz(func(b *domain.Business) { b.RelatedPersons = tc.parties })
		a := only.Assess(Input{Customer: c, ConfirmedSanctionsMatch: true, SanctionedParties: tc.sanctioned, Now: now})
		if (a.Rating == domain.RiskProhibited) != tc.ofac {
			t.Errorf("%s, 50%% rule only: rating %s, want prohibited %v", tc.name, a.Rating, tc.ofac)
		}
	}
}
