package domain

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The rules of a business's related parties (README, "Businesses
// and their owners"): ids and owned_via references, the kinds and their fields,
// shares that add up, effective ownership over chains, beneficial owners,
// the control prong and the senior managing official.

// MaxRelatedParties is the most related parties a business may list.
const MaxRelatedParties = 100

// MaxPartyIDLen is the longest related-party id.
const MaxPartyIDLen = 64

// ValidPartyID reports whether s can be a related party's id: 1 to 64
// letters, digits, periods, hyphens and underscores, starting with a letter
// or a digit.
func ValidPartyID(s string) bool {
	if s == "" || len(s) > MaxPartyIDLen {
		return false
	}
	for i, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case i > 0 && (c == '.' || c == '-' || c == '_'):
		default:
			return false
		}
	}
	return true
}

// validRegistrationNumber reports whether s has the syntax of a company
// registration number: at most 50 letters, digits, spaces, hyphens,
// periods and slashes.
func validRegistrationNumber(s string) bool {
	if utf8.RuneCountInString(s) > 50 {
		return false
	}
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(" -./", r)) {
			return false
		}
	}
	return true
}

// partyRef names a related party in a message by its id, never by its
// personal data: `"rp2"`, or its position when it has no id.
func partyRef(rps []RelatedPerson, i int) string {
	if rps[i].ID != "" {
		return fmt.Sprintf("%q", rps[i].ID)
	}
	return fmt.Sprintf("related_persons[%d]", i)
}

func (v *validator) relatedPersons(rps []RelatedPerson) {
	if len(rps) == 0 {
		if v.full {
			v.add("related_persons", "Add the beneficial owners (25% or more, directly or through companies) and at least one control person: a director, signatory or senior managing official")
		}
		return
	}
	if len(rps) > MaxRelatedParties {
		v.add("related_persons", fmt.Sprintf("Enter at most %d related parties", MaxRelatedParties))
		return
	}
	ids := map[string]int{}
	// structureOK stays true while the ownership can be computed: valid
	// percentages and kinds, and chains that lead to the customer. The
	// rules that read effective ownership wait until it is.
	percentsOK, structureOK := true, true
	for i, rp := range rps {
		prefix := fmt.Sprintf("related_persons[%d]", i)
		if rp.ID != "" {
			if !ValidPartyID(rp.ID) {
				v.add(prefix+".id", fmt.Sprintf("Use 1 to %d letters, digits, periods, hyphens and underscores for the id, starting with a letter or digit", MaxPartyIDLen))
			} else if j, dup := ids[rp.ID]; dup {
				v.add(prefix+".id", fmt.Sprintf("This id is already used by another related party; give each party its own id (%q, also related_persons[%d])", rp.ID, j))
			} else {
				ids[rp.ID] = i
			}
		}
		pct := rp.OwnershipPercent
		if math.IsNaN(pct) || pct < 0 || pct > 100 {
			v.add(prefix+".ownership_percent", "Enter the ownership as a percentage between 0 and 100")
			percentsOK = false
		}
		switch rp.Kind {
		case PartyCompany:
			v.relatedCompany(prefix, rp)
		case "", PartyPerson:
			v.relatedPerson(prefix, rp)
		default:
			v.add(prefix+".kind", "Choose the kind of related party: person or company")
			structureOK = false
		}
	}
	for i, rp := range rps {
		if rp.OwnedVia == "" {
			continue
		}
		loc := fmt.Sprintf("related_persons[%d].owned_via", i)
		j, ok := ids[rp.OwnedVia]
		switch {
		case !ok:
			v.add(loc, fmt.Sprintf("No related party has this id; owned_via names the id of the related company through which the share is held (%q)", rp.OwnedVia))
		case j == i:
			v.add(loc, "A party cannot hold its share through itself; leave owned_via empty for a share held directly")
		case rps[j].Kind != PartyCompany && rps[j].Kind != "" && rps[j].Kind != PartyPerson:
			// its kind is reported already
		case !rps[j].IsCompany():
			v.add(loc, fmt.Sprintf("owned_via must name a related company, not a person (%s)", partyRef(rps, j)))
		case v.full && !(rp.OwnershipPercent > 0):
			v.add(fmt.Sprintf("related_persons[%d].ownership_percent", i), fmt.Sprintf("Enter the share held in the related company named by owned_via (%s)", partyRef(rps, j)))
		}
	}
	own := ComputeOwnership(rps)
	for i, po := range own.Parties {
		structureOK = structureOK && !po.Broken
		if po.InCycle && rps[i].OwnedVia != rps[i].ID {
			v.add(fmt.Sprintf("related_persons[%d].owned_via", i), fmt.Sprintf("The ownership chain of this party loops back to it; each chain must lead to the customer (%s)", partyRef(rps, i)))
		}
	}
	if percentsOK {
		v.shareSums(rps)
	}
	if !v.full {
		return
	}
	// Every natural person at 25% or more effective is a beneficial owner
	// (31 CFR 1010.230(d)(1); EU AMLR art. 52, chains multiplied and added).
	for _, ow := range own.Owners {
		if !percentsOK || !structureOK || ow.Effective+ownershipEpsilon < UBOThreshold {
			continue
		}
		for _, i := range ow.Indexes {
			if !rps[i].HasRole(RoleUBO) {
				v.add(fmt.Sprintf("related_persons[%d].roles", i), fmt.Sprintf("Add the role ubo: this person holds 25%% or more of the customer, directly or through companies (%s: %s%% effective)",
					partyRef(rps, i), FormatPercent(ow.Effective)))
			}
		}
	}
	// The control prong applies whatever the ownership (31 CFR
	// 1010.230(d)(2); EU AMLR art. 53).
	control, smo := false, false
	for _, rp := range rps {
		control = control || rp.IsControlPerson()
		smo = smo || (!rp.IsCompany() && rp.HasRole(RoleSeniorManagingOfficial))
	}
	if !control {
		v.add("related_persons", "Add at least one control person: a director, signatory or senior managing official (required whatever the ownership)")
	}
	// With no owner at 25% or more, the senior managing official is
	// recorded as the beneficial owner (EU AMLR 2024/1624 art. 51–53, REFERENCE.md).
	if percentsOK && structureOK && !own.HasBeneficialOwner(UBOThreshold) && !smo {
		v.add("related_persons", "No natural person owns 25% or more, directly or through companies: add the senior managing official (role senior_managing_official), who is recorded as the beneficial owner")
	}
}

// shareSums checks that the direct shares add up to at most 100%, and so do
// the shares held in each related company.
func (v *validator) shareSums(rps []RelatedPerson) {
	direct := 0.0
	in := map[string]float64{}
	var order []string
	for _, rp := range rps {
		if rp.OwnedVia == "" {
			direct += rp.OwnershipPercent
			continue
		}
		if _, ok := in[rp.OwnedVia]; !ok {
			order = append(order, rp.OwnedVia)
		}
		in[rp.OwnedVia] += rp.OwnershipPercent
	}
	if direct > 100+ownershipEpsilon {
		v.add("related_persons", fmt.Sprintf("The shares held directly in the customer add up to more than 100%% (%s%%)", FormatPercent(direct)))
	}
	for _, id := range order {
		if in[id] > 100+ownershipEpsilon {
			v.add("related_persons", fmt.Sprintf("The shares held in a related company add up to more than 100%% (%q: %s%%)", id, FormatPercent(in[id])))
		}
	}
}

// relatedPerson checks a natural person of a business.
func (v *validator) relatedPerson(prefix string, rp RelatedPerson) {
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"legal_name", rp.LegalName != ""}, {"registration_number", rp.RegistrationNumber != ""}, {"incorporation_country", rp.IncorporationCountry != ""},
	} {
		if f.set {
			v.add(prefix+"."+f.name, "This field is for a related company; set kind to company, or remove it")
		}
	}
	roles := v.roles(prefix, rp.Roles, false)
	v.person(prefix, rp.Person, personRelated)
	ubo, control := roles[RoleUBO], false
	for r := range roles {
		control = control || r.Control()
	}
	if !v.full {
		return
	}
	if control && rp.BirthDate != "" {
		if d, err := ParseDate(rp.BirthDate); err == nil && !d.After(today(v.now)) && Age(d, v.now) < v.opts.minAge() {
			v.add(prefix+".birth_date", fmt.Sprintf("A director, signatory or senior managing official must be at least %d years old; check the date of birth", v.opts.minAge()))
		}
	}
	// Beneficial owners and control persons are identified like an
	// individual customer (31 CFR 1010.230(b); EU AMLR art. 22(1)(b)).
	if (ubo || control) && rp.Document == nil {
		v.add(prefix+".document", "Enter the identity document of this beneficial owner or control person: type, number, issuing country and expiry date")
	}
	v.usTaxID(prefix, rp.Person, ubo || control)
}

// relatedCompany checks a company holding shares in the customer or in
// another related company.
func (v *validator) relatedCompany(prefix string, rp RelatedPerson) {
	p := rp.Person
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"given_names", p.GivenNames != ""}, {"family_name", p.FamilyName != ""}, {"birth_date", p.BirthDate != ""},
		{"nationality", p.Nationality != ""}, {"occupation", p.Occupation != ""}, {"tax_id", p.TaxID != ""},
		{"pep_declared", p.PEPDeclared}, {"document", p.Document != nil}, {"email", p.Email != ""}, {"phone", p.Phone != ""},
		{"source_of_funds", p.SourceOfFunds != ""}, {"expected_monthly_volume", p.ExpectedMonthlyVolume != nil},
		{"place_of_birth", p.PlaceOfBirth != nil}, {"other_nationalities", len(p.OtherNationalities) > 0}, {"source_of_wealth", p.SourceOfWealth != ""},
	} {
		if f.set {
			v.add(prefix+"."+f.name, "This field is for a related person; a related company has legal_name, registration_number and incorporation_country")
		}
	}
	v.roles(prefix, rp.Roles, true)
	if v.required(prefix+".legal_name", rp.LegalName, "Enter the legal name of the related company") {
		v.text(prefix+".legal_name", rp.LegalName, 200, "legal name")
	}
	if v.required(prefix+".registration_number", rp.RegistrationNumber, "Enter the registration number of the related company") && !validRegistrationNumber(rp.RegistrationNumber) {
		v.add(prefix+".registration_number", "Enter the registration number with letters, digits, spaces, hyphens, periods and slashes only (at most 50)")
	}
	if v.required(prefix+".incorporation_country", rp.IncorporationCountry, "Choose the country of incorporation of the related company") {
		v.country(prefix+".incorporation_country", rp.IncorporationCountry, "country of incorporation")
	}
	if p.Address != nil {
		v.address(prefix+".address", *p.Address)
	}
}

// roles checks the roles of a party and returns the valid ones. A company
// may only be a shareholder (the roles are optional for it); a person needs
// at least one role.
func (v *validator) roles(prefix string, roles []RelatedRole, company bool) map[RelatedRole]bool {
	seen := map[RelatedRole]bool{}
	if len(roles) == 0 && !company && v.full {
		v.add(prefix+".roles", "Choose at least one role: ubo, director, signatory, senior_managing_official or shareholder")
	}
	for j, r := range roles {
		loc := fmt.Sprintf("%s.roles[%d]", prefix, j)
		switch {
		case company && r != RoleShareholder:
			v.add(loc, "A related company can only be a shareholder: beneficial owners and control persons are natural persons")
			continue
		case !company && !validRole(r):
			v.add(loc, "Choose a role: ubo, director, signatory, senior_managing_official or shareholder")
			continue
		}
		if seen[r] {
			v.add(loc, "Give each role only once")
		}
		seen[r] = true
	}
	return seen
}

func validRole(r RelatedRole) bool {
	for _, x := range RelatedRoles() {
		if r == x {
			return true
		}
	}
	return false
}

// normalizeParty tidies one related party: its id, kind and owned_via, the
// person or company fields, and the roles.
func normalizeParty(rp *RelatedPerson) {
	rp.ID = strings.TrimSpace(rp.ID)
	rp.Kind = PartyKind(strings.ToLower(strings.TrimSpace(string(rp.Kind))))
	rp.OwnedVia = strings.TrimSpace(rp.OwnedVia)
	rp.LegalName = collapse(rp.LegalName)
	rp.RegistrationNumber = strings.TrimSpace(rp.RegistrationNumber)
	rp.IncorporationCountry = upper(rp.IncorporationCountry)
	normalizePerson(&rp.Person)
	for j, r := range rp.Roles {
		rp.Roles[j] = RelatedRole(strings.ToLower(strings.TrimSpace(string(r))))
	}
}
