package domain

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// person and company build related parties for the ownership tests.
func party(id, given, family string, pct float64, via string, roles ...RelatedRole) RelatedPerson {
	return RelatedPerson{ID: id, Person: Person{GivenNames: given, FamilyName: family, BirthDate: "1970-01-01"}, Roles: roles, OwnershipPercent: pct, OwnedVia: via}
}

func company(id, name string, pct float64, via string) RelatedPerson {
	return RelatedPerson{ID: id, Kind: PartyCompany, LegalName: name, RegistrationNumber: "HRB 1", IncorporationCountry: "DE", Roles: []RelatedRole{RoleShareholder}, OwnershipPercent: pct, OwnedVia: via}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// TestEffectiveOwnershipMultipliesAlongChains: indirect ownership is the
// product of the shares along each chain, and a person's chains add up
// (EU AMLR 2024/1624 art. 52; 31 CFR 1010.230(d)(1) counts direct and
// indirect ownership). The case: a person with 50% of a holding that
// owns 60% of the customer holds 30% effective.
func TestEffectiveOwnershipMultipliesAlongChains(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		parties []RelatedPerson
		// effective share of each party, in order
		effective []float64
		// layers of each party, in order
		layers []int
		// total of the first owner (the largest), and the deepest chain
		top, depth float64
	}{
		{
			name: "a person with 50% of a holding that owns 60% of the customer: 30% effective",
			parties: []RelatedPerson{
				company("h", "Holding GmbH", 60, ""),
				party("ali", "Ali", "Rezai", 50, "h", RoleShareholder),
			},
			effective: []float64{60, 30}, layers: []int{1, 2}, top: 30, depth: 2,
		},
		{
			name: "direct and indirect chains of one person add up: 10% + 50% of 60% = 40%",
			parties: []RelatedPerson{
				company("h", "Holding GmbH", 60, ""),
				party("ali-1", "Ali", "Rezai", 50, "h", RoleUBO),
				party("ali-2", "Ali", "Rezai", 10, "", RoleUBO),
			},
			effective: []float64{60, 30, 10}, layers: []int{1, 2, 1}, top: 40, depth: 2,
		},
		{
			name: "three layers: 80% of 50% of 50% = 20%",
			parties: []RelatedPerson{
				company("a", "Alpha AG", 50, ""),
				company("b", "Beta BV", 50, "a"),
				party("p", "Petra", "Jansen", 80, "b", RoleShareholder),
			},
			effective: []float64{50, 25, 20}, layers: []int{1, 2, 3}, top: 20, depth: 3,
		},
		{
			name: "two holdings of one person in parallel: 50% of 40% + 100% of 20% = 40%",
			parties: []RelatedPerson{
				company("a", "Alpha AG", 40, ""),
				company("b", "Beta BV", 20, ""),
				party("p1", "Petra", "Jansen", 50, "a", RoleUBO),
				party("p2", "Petra", "Jansen", 100, "b", RoleUBO),
			},
			effective: []float64{40, 20, 20, 20}, layers: []int{1, 1, 2, 2}, top: 40, depth: 2,
		},
		{
			name: "a chain through an unknown company counts for nothing",
			parties: []RelatedPerson{
				party("p", "Petra", "Jansen", 80, "nowhere", RoleShareholder),
			},
			effective: []float64{0}, layers: []int{0}, top: 0, depth: 0,
		},
		{
			name: "a loop counts for nothing",
			parties: []RelatedPerson{
				company("a", "Alpha AG", 50, "b"),
				company("b", "Beta BV", 50, "a"),
				party("p", "Petra", "Jansen", 80, "a", RoleShareholder),
			},
			effective: []float64{0, 0, 0}, layers: []int{0, 0, 0}, top: 0, depth: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := ComputeOwnership(tt.parties)
			for i, want := range tt.effective {
				if got := o.Parties[i].Effective; !near(got, want) {
					t.Errorf("party %d effective %v, want %v", i, got, want)
				}
				if got := o.Parties[i].Layers; got != tt.layers[i] {
					t.Errorf("party %d layers %d, want %d", i, got, tt.layers[i])
				}
			}
			top := 0.0
			if len(o.Owners) > 0 {
				top = o.Owners[0].Effective
			}
			if !near(top, tt.top) {
				t.Errorf("largest owner %v, want %v (%+v)", top, tt.top, o.Owners)
			}
			if float64(o.Layers) != tt.depth {
				t.Errorf("depth %d, want %v", o.Layers, tt.depth)
			}
		})
	}
}

// TestOwnershipCycleMarksTheLoop: a loop in owned_via is found, and only
// the parties on the loop are marked (the validation names them).
func TestOwnershipCycleMarksTheLoop(t *testing.T) {
	t.Parallel()
	o := ComputeOwnership([]RelatedPerson{
		company("a", "Alpha AG", 50, "b"),
		company("b", "Beta BV", 50, "a"),
		party("p", "Petra", "Jansen", 80, "a", RoleShareholder),
		company("self", "Self Ltd", 10, "self"),
	})
	var in []int
	for i, po := range o.Parties {
		if po.InCycle {
			in = append(in, i)
		}
		if !po.Broken {
			t.Errorf("party %d not broken", i)
		}
	}
	if !slices.Equal(in, []int{0, 1, 3}) {
		t.Fatalf("in cycle: %v, want [0 1 3]", in)
	}
}

// ownedBusiness is a valid business owned through a holding: Ali R. holds
// 50% of Holding GmbH, which holds 60% of the customer (30% effective), and
// Bert is its director.
func ownedBusiness() *Business {
	b := validBusiness()
	ali := party("ali", "Ali", "Rezai", 50, "holding", RoleUBO)
	ali.Person = *validPerson()
	ali.GivenNames, ali.FamilyName = "Ali", "Rezai"
	ali.Document.MRZ = ""
	dir := b.RelatedPersons[0]
	dir.ID, dir.Roles, dir.OwnershipPercent = "dir", []RelatedRole{RoleDirector}, 0
	b.RelatedPersons = []RelatedPerson{company("holding", "Holding GmbH", 60, ""), ali, dir}
	return b
}

func validateBusiness(t *testing.T, b *Business) map[string]string {
	t.Helper()
	return fieldsOf(t, ValidateCustomer(CustomerBusiness, CustomerData{Business: b}, testNow, ValidationOptions{}))
}

// TestCorporateOwnerAccepted: a related company (kind company, legal name,
// registration number, incorporation country) can own the customer, and a
// person can hold through it (README, "Businesses and their owners"; EU AMLR art. 52).
func TestCorporateOwnerAccepted(t *testing.T) {
	t.Parallel()
	if got := validateBusiness(t, ownedBusiness()); got != nil {
		t.Fatalf("valid corporate ownership refused: %v", got)
	}
}

// TestIndirectOwnerMustBeUBO: every natural person at 25% or more
// effective, counted through chains of companies, is a beneficial owner
// (31 CFR 1010.230(d)(1): "directly or indirectly"; EU AMLR art. 52) — 422
// naming the person otherwise.
func TestIndirectOwnerMustBeUBO(t *testing.T) {
	t.Parallel()
	b := ownedBusiness()
	b.RelatedPersons[1].Roles = []RelatedRole{RoleShareholder}
	got := validateBusiness(t, b)
	msg, ok := got["related_persons[1].roles"]
	if !ok || !strings.Contains(msg, `"ali": 30% effective`) {
		t.Fatalf("want related_persons[1].roles naming \"ali\" at 30%%, got %v", got)
	}
	// Below the threshold through the chain (40% of 60% = 24%) no ubo role
	// is needed: the senior managing official is then recorded instead.
	b.RelatedPersons[1].OwnershipPercent = 40
	b.RelatedPersons[2].Roles = []RelatedRole{RoleDirector, RoleSeniorManagingOfficial}
	if got := validateBusiness(t, b); got != nil {
		t.Fatalf("24%% effective: %v", got)
	}
}

// TestControlProngAlwaysApplies: at least one control person (director,
// signatory or senior managing official) is required whatever the
// ownership, even with a 100% owner (31 CFR 1010.230(d)(2), the control
// prong; EU AMLR art. 53: control is assessed in parallel with ownership).
func TestControlProngAlwaysApplies(t *testing.T) {
	t.Parallel()
	b := validBusiness()
	b.RelatedPersons = b.RelatedPersons[:1]
	b.RelatedPersons[0].OwnershipPercent = 100
	b.RelatedPersons[0].Roles = []RelatedRole{RoleUBO}
	got := validateBusiness(t, b)
	if msg := got["related_persons"]; !strings.Contains(msg, "control person") {
		t.Fatalf("a 100%% owner without a control person: want related_persons naming the control prong, got %v", got)
	}
	b.RelatedPersons[0].Roles = []RelatedRole{RoleUBO, RoleSignatory}
	if got := validateBusiness(t, b); got != nil {
		t.Fatalf("owner who is also signatory: %v", got)
	}
}

// TestSeniorManagingOfficialWhenNoOwner: with no natural person at 25% or
// more, the senior managing official is required and recorded as the
// beneficial owner (EU AMLR 2024/1624 art. 51–53 and REFERENCE.md: with no
// owner found, record the senior managing officials; 31 CFR 1010.230
// records a control person).
func TestSeniorManagingOfficialWhenNoOwner(t *testing.T) {
	t.Parallel()
	b := validBusiness()
	b.RelatedPersons[0].OwnershipPercent = 20
	b.RelatedPersons[0].Roles = []RelatedRole{RoleDirector}
	if msg := validateBusiness(t, b)["related_persons"]; !strings.Contains(msg, "senior_managing_official") {
		t.Fatalf("no owner and no senior managing official: got %q", msg)
	}
	b.RelatedPersons[0].Roles = []RelatedRole{RoleDirector, RoleSeniorManagingOfficial}
	if got := validateBusiness(t, b); got != nil {
		t.Fatalf("with a senior managing official: %v", got)
	}
	if got := b.BeneficialOwners(); !slices.Equal(got, []int{0}) {
		t.Fatalf("beneficial owners %v, want the senior managing official [0]", got)
	}
	// A real owner is the beneficial owner; the official is not.
	b.RelatedPersons[1].OwnershipPercent = 30
	b.RelatedPersons[1].Roles = []RelatedRole{RoleUBO}
	if got := b.BeneficialOwners(); !slices.Equal(got, []int{1}) {
		t.Fatalf("beneficial owners %v, want the owner [1]", got)
	}
	if got := b.ToVerify(); !slices.Equal(got, []int{0, 1}) {
		t.Fatalf("to verify %v, want [0 1] (control person and owner)", got)
	}
}

// TestOwnershipStructureRules: ids unique and well formed, owned_via names
// a related company, no loops (422 naming the party), and the shares held
// directly and in each related company add up to at most 100%.
func TestOwnershipStructureRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		edit   func(b *Business)
		fields map[string]string // location → a fragment of the message
	}{
		{"ok", func(*Business) {}, nil},
		{"duplicate id", func(b *Business) { b.RelatedPersons[2].ID = "ali" }, map[string]string{"related_persons[2].id": `("ali", also related_persons[1])`}},
		{"bad id", func(b *Business) { b.RelatedPersons[2].ID = "a b" }, map[string]string{"related_persons[2].id": "letters, digits"}},
		{"unknown owned_via", func(b *Business) { b.RelatedPersons[1].OwnedVia = "nope" }, map[string]string{"related_persons[1].owned_via": `"nope"`}},
		{"owned_via a person", func(b *Business) {
			b.RelatedPersons[1].OwnedVia = "dir"
		}, map[string]string{"related_persons[1].owned_via": `not a person ("dir")`}},
		{"owned_via itself", func(b *Business) { b.RelatedPersons[0].OwnedVia = "holding" }, map[string]string{"related_persons[0].owned_via": "through itself", "related_persons": `("holding": 110%)`}},
		{"loop", func(b *Business) {
			b.RelatedPersons = append(b.RelatedPersons, company("sub", "Sub Ltd", 50, "holding"))
			b.RelatedPersons[0].OwnedVia = "sub"
		}, map[string]string{"related_persons[0].owned_via": `loops back to it; each chain must lead to the customer ("holding")`, "related_persons[3].owned_via": `("sub")`}},
		{"direct shares over 100", func(b *Business) {
			b.RelatedPersons[2].OwnershipPercent = 50
		}, map[string]string{"related_persons": "held directly in the customer add up to more than 100% (110%)", "related_persons[2].roles": "Add the role ubo"}},
		{"shares in a company over 100", func(b *Business) {
			x := party("x", "Xavier", "Young", 60, "holding", RoleShareholder)
			x.Nationality, x.Address = "DE", b.RelatedPersons[2].Address
			b.RelatedPersons = append(b.RelatedPersons, x)
		}, map[string]string{"related_persons": `held in a related company add up to more than 100% ("holding": 110%)`, "related_persons[3].roles": "Add the role ubo"}},
		{"company with person fields", func(b *Business) {
			b.RelatedPersons[0].GivenNames = "Hans"
			b.RelatedPersons[0].Document = &IdentityDocument{}
		}, map[string]string{"related_persons[0].given_names": "related company", "related_persons[0].document": "related company"}},
		{"company fields required", func(b *Business) {
			b.RelatedPersons[0].LegalName, b.RelatedPersons[0].RegistrationNumber, b.RelatedPersons[0].IncorporationCountry = "", "", ""
		}, map[string]string{"related_persons[0].legal_name": "legal name", "related_persons[0].registration_number": "registration number", "related_persons[0].incorporation_country": "country"}},
		{"company as director", func(b *Business) {
			b.RelatedPersons[0].Roles = []RelatedRole{RoleDirector}
		}, map[string]string{"related_persons[0].roles[0]": "natural persons"}},
		{"person with company fields", func(b *Business) { b.RelatedPersons[2].LegalName = "Dir Ltd" }, map[string]string{"related_persons[2].legal_name": "kind to company"}},
		{"unknown kind", func(b *Business) { b.RelatedPersons[0].Kind = "trust" }, map[string]string{"related_persons[0].kind": "person or company"}},
		{"control person without document", func(b *Business) { b.RelatedPersons[2].Document = nil }, map[string]string{"related_persons[2].document": "identity document"}},
		{"minor senior managing official", func(b *Business) {
			b.RelatedPersons[2].Roles = []RelatedRole{RoleSeniorManagingOfficial}
			b.RelatedPersons[2].BirthDate = "2015-01-01"
		}, map[string]string{"related_persons[2].birth_date": "at least 18"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := ownedBusiness()
			tt.edit(b)
			got := validateBusiness(t, b)
			if len(got) != len(tt.fields) {
				t.Errorf("fields %v, want %v", got, tt.fields)
			}
			for loc, frag := range tt.fields {
				if msg, ok := got[loc]; !ok || !strings.Contains(msg, frag) {
					t.Errorf("%s: %q, want it to contain %q (all: %v)", loc, msg, frag, got)
				}
			}
		})
	}
}

// TestAssignPartyIDs: parties without an id get one, the same one across
// edits for the same party, never one in use.
func TestAssignPartyIDs(t *testing.T) {
	t.Parallel()
	first := []RelatedPerson{party("", "Ali", "Rezai", 50, ""), company("", "Holding GmbH", 60, ""), party("rp1", "Bert", "Brown", 0, "")}
	AssignPartyIDs(nil, first)
	var ids []string
	for _, rp := range first {
		ids = append(ids, rp.ID)
	}
	if !slices.Equal(ids, []string{"rp2", "rp3", "rp1"}) {
		t.Fatalf("ids %v", ids)
	}
	// An edit that sends the parties again without ids (reordered, one
	// new) keeps the ids of the known ones.
	next := []RelatedPerson{company("", "Holding GmbH", 60, ""), party("", "Cleo", "Clark", 10, ""), party("", "Ali", "Rezai", 40, "")}
	AssignPartyIDs(first, next)
	ids = ids[:0]
	for _, rp := range next {
		ids = append(ids, rp.ID)
	}
	if !slices.Equal(ids, []string{"rp3", "rp1", "rp2"}) {
		t.Fatalf("ids after edit %v, want the holding and Ali to keep rp3 and rp2", ids)
	}
}

// TestShortName: explanations name people by first given name and family
// initial ("Director Ali R."), companies by legal name.
func TestShortName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		rp   RelatedPerson
		want string
	}{
		{party("", "Ali Reza", "Rezai", 0, ""), "Ali R."},
		{party("", "Ömer", "Şahin", 0, ""), "Ömer Ş."},
		{company("", "Holding GmbH", 0, ""), "Holding GmbH"},
		{party("", "", "Rezai", 0, ""), "R."},
	} {
		if got := tc.rp.ShortName(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.rp.Person, got, tc.want)
		}
	}
}

// TestChainText: the text alternative of the ownership diagram.
func TestChainText(t *testing.T) {
	t.Parallel()
	b := ownedBusiness()
	o := ComputeOwnership(b.RelatedPersons)
	if got, want := o.ChainText(b.RelatedPersons, 1, "Acme GmbH"), "Ali R. → 50% of Holding GmbH → 60% of Acme GmbH: 30% effective"; got != want {
		t.Fatalf("%q, want %q", got, want)
	}
}
