package domain

import (
	"slices"
	"strings"
	"time"
)

// CustomerType distinguishes natural persons from legal entities.
type CustomerType string

// Customer types.
const (
	CustomerIndividual CustomerType = "individual"
	CustomerBusiness   CustomerType = "business"
)

// Address is a postal address. Country is ISO 3166-1 alpha-2.
type Address struct {
	Line1      string `json:"line1"`
	Line2      string `json:"line2,omitempty"`
	City       string `json:"city"`
	PostalCode string `json:"postal_code,omitempty"`
	Region     string `json:"region,omitempty"`
	Country    string `json:"country"`
}

// Money is an amount in minor units of an ISO 4217 currency.
type Money struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// DocumentType is the kind of identity document.
type DocumentType string

// Identity document types.
const (
	DocPassport        DocumentType = "passport"
	DocIDCard          DocumentType = "id_card"
	DocDrivingLicence  DocumentType = "driving_licence"
	DocResidencePermit DocumentType = "residence_permit"
)

// IdentityDocument is the identity document an individual presents.
type IdentityDocument struct {
	Type           DocumentType `json:"type"`
	Number         string       `json:"number"`
	IssuingCountry string       `json:"issuing_country"`
	ExpiryDate     string       `json:"expiry_date"` // YYYY-MM-DD
	MRZ            string       `json:"mrz,omitempty"`
}

// PlaceOfBirth is where a person was born: a city (or town) and an ISO
// 3166-1 alpha-2 country (EU AMLR 2024/1624 art. 22(1)(a)).
type PlaceOfBirth struct {
	City    string `json:"city"`
	Country string `json:"country"`
}

// Person holds the fields of a natural person, used both for an individual
// customer and for a related person of a business. Dates are YYYY-MM-DD.
type Person struct {
	GivenNames   string        `json:"given_names"`
	FamilyName   string        `json:"family_name"`
	BirthDate    string        `json:"birth_date"`
	PlaceOfBirth *PlaceOfBirth `json:"place_of_birth,omitempty"`
	// Nationality is the primary nationality; OtherNationalities the
	// others the person holds (EU AMLR art. 22(1)(a): all nationalities).
	Nationality           string   `json:"nationality"`
	OtherNationalities    []string `json:"other_nationalities,omitempty"`
	Email                 string   `json:"email,omitempty"`
	Phone                 string   `json:"phone,omitempty"`
	Address               *Address `json:"address,omitempty"`
	Occupation            string   `json:"occupation,omitempty"`
	TaxID                 string   `json:"tax_id,omitempty"`
	PEPDeclared           bool     `json:"pep_declared"`
	ExpectedMonthlyVolume *Money   `json:"expected_monthly_volume,omitempty"`
	SourceOfFunds         string   `json:"source_of_funds,omitempty"`
	// SourceOfWealth says how the person came by their wealth (enhanced
	// due diligence asks for it and for evidence of it).
	SourceOfWealth string            `json:"source_of_wealth,omitempty"`
	Document       *IdentityDocument `json:"document,omitempty"`
}

// Nationalities returns every nationality the person holds, the primary
// one first, each once.
func (p Person) Nationalities() []string {
	var out []string
	for _, c := range append([]string{p.Nationality}, p.OtherNationalities...) {
		if c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// USPerson reports whether the person is a US person for the customer
// identification programme: a US national (any of their nationalities) or
// resident at a US address (31 CFR 1020.220(a)(2)(i)(A)(4), 26 U.S.C.
// 7701(a)(30) and (b)).
func (p Person) USPerson() bool {
	return slices.Contains(p.Nationalities(), "US") || (p.Address != nil && p.Address.Country == "US")
}

// FullName returns given names and family name joined by a space.
func (p Person) FullName() string {
	switch {
	case p.GivenNames == "":
		return p.FamilyName
	case p.FamilyName == "":
		return p.GivenNames
	}
	return p.GivenNames + " " + p.FamilyName
}

// RelatedRole is the role a related person holds in a business.
type RelatedRole string

// Related person roles.
const (
	RoleUBO         RelatedRole = "ubo"
	RoleDirector    RelatedRole = "director"
	RoleSignatory   RelatedRole = "signatory"
	RoleShareholder RelatedRole = "shareholder"
	// RoleSeniorManagingOfficial is the natural person who manages the
	// company day to day (EU AMLR 2024/1624 art. 51–53, REFERENCE.md: recorded as the
	// beneficial owner when no one owns 25% or more; one of the control
	// persons of 31 CFR 1010.230).
	RoleSeniorManagingOfficial RelatedRole = "senior_managing_official"
)

// RelatedRoles lists every related-party role, in the order forms show them.
func RelatedRoles() []RelatedRole {
	return []RelatedRole{RoleUBO, RoleDirector, RoleSignatory, RoleSeniorManagingOfficial, RoleShareholder}
}

// Control reports whether the role gives control of the company: director,
// signatory or senior managing official (31 CFR 1010.230(d)(2), the control
// prong; EU AMLR art. 53).
func (r RelatedRole) Control() bool {
	return r == RoleDirector || r == RoleSignatory || r == RoleSeniorManagingOfficial
}

// PartyKind says whether a related party of a business is a natural person
// or a company.
type PartyKind string

// Related party kinds; "" means PartyPerson.
const (
	PartyPerson  PartyKind = "person"
	PartyCompany PartyKind = "company"
)

// RelatedPerson is a related party of a business customer (README,
// "Businesses and their owners"): a natural person (beneficial owner, director, signatory,
// senior managing official, shareholder) or a company holding shares, directly
// or through another related company (OwnedVia). A person has the Person
// fields; a company has LegalName, RegistrationNumber and
// IncorporationCountry.
type RelatedPerson struct {
	// ID names the party within the customer (chosen by the caller or
	// assigned, see AssignPartyIDs) so that OwnedVia can refer to it.
	ID string `json:"id,omitempty"`
	// Kind is person ("" too) or company.
	Kind PartyKind `json:"kind,omitempty"`
	Person
	// LegalName, RegistrationNumber and IncorporationCountry describe a
	// related company.
	LegalName            string        `json:"legal_name,omitempty"`
	RegistrationNumber   string        `json:"registration_number,omitempty"`
	IncorporationCountry string        `json:"incorporation_country,omitempty"`
	Roles                []RelatedRole `json:"roles"`
	// OwnershipPercent is the share held in the customer, or in the
	// related company named by OwnedVia.
	OwnershipPercent float64 `json:"ownership_percent"`
	// OwnedVia is the ID of the related company through which the party
	// holds its share; "" means held directly.
	OwnedVia string `json:"owned_via,omitempty"`
}

// IsCompany reports whether the party is a related company.
func (rp RelatedPerson) IsCompany() bool { return rp.Kind == PartyCompany }

// HasRole reports whether the party holds role r.
func (rp RelatedPerson) HasRole(r RelatedRole) bool {
	for _, x := range rp.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// IsControlPerson reports whether the party is a natural person with a
// control role (director, signatory or senior managing official).
func (rp RelatedPerson) IsControlPerson() bool {
	if rp.IsCompany() {
		return false
	}
	for _, r := range rp.Roles {
		if r.Control() {
			return true
		}
	}
	return false
}

// Name is the full name of a person or the legal name of a company.
func (rp RelatedPerson) Name() string {
	if rp.IsCompany() {
		return rp.LegalName
	}
	return rp.FullName()
}

// ShortName names the party with as little personal data as serves: a
// company by its legal name, a person by the first given name and the
// initial of the family name ("Ali R."), for explanations and summaries.
func (rp RelatedPerson) ShortName() string {
	if rp.IsCompany() {
		return rp.LegalName
	}
	given, _, _ := strings.Cut(strings.TrimSpace(rp.GivenNames), " ")
	family := []rune(strings.TrimSpace(rp.FamilyName))
	switch {
	case given == "" && len(family) == 0:
		return ""
	case len(family) == 0:
		return given
	case given == "":
		return string(family[0]) + "."
	}
	return given + " " + string(family[0]) + "."
}

// RoleLabel names the party's most significant role in words, for
// explanations: "Beneficial owner", "Director", "Signatory", "Senior managing
// official", "Shareholder", or "Related company".
func (rp RelatedPerson) RoleLabel() string {
	if rp.IsCompany() {
		return "Related company"
	}
	for _, r := range []RelatedRole{RoleUBO, RoleDirector, RoleSeniorManagingOfficial, RoleSignatory, RoleShareholder} {
		if rp.HasRole(r) {
			return r.Label()
		}
	}
	return "Related person"
}

// Label is the role in words, capitalised ("Senior managing official").
func (r RelatedRole) Label() string {
	switch r {
	case RoleUBO:
		return "Beneficial owner"
	case RoleDirector:
		return "Director"
	case RoleSignatory:
		return "Signatory"
	case RoleSeniorManagingOfficial:
		return "Senior managing official"
	case RoleShareholder:
		return "Shareholder"
	}
	return string(r)
}

// Business holds the fields of a legal-entity customer.
type Business struct {
	LegalName             string          `json:"legal_name"`
	RegistrationNumber    string          `json:"registration_number"`
	IncorporationCountry  string          `json:"incorporation_country"`
	IncorporationDate     string          `json:"incorporation_date"`
	LegalForm             string          `json:"legal_form"`
	Industry              string          `json:"industry"`
	Address               *Address        `json:"address,omitempty"`
	Website               string          `json:"website,omitempty"`
	Email                 string          `json:"email,omitempty"`
	Phone                 string          `json:"phone,omitempty"`
	ExpectedMonthlyVolume *Money          `json:"expected_monthly_volume,omitempty"`
	SourceOfFunds         string          `json:"source_of_funds,omitempty"`
	OwnershipLayers       int             `json:"ownership_layers,omitempty"`
	NomineeOrBearerShares bool            `json:"nominee_or_bearer_shares,omitempty"`
	RelatedPersons        []RelatedPerson `json:"related_persons"`
}

// CustomerData is the personal data of a customer, stored encrypted at rest.
// Exactly one of Individual and Business is set, matching the customer type.
type CustomerData struct {
	Individual *Person   `json:"individual,omitempty"`
	Business   *Business `json:"business,omitempty"`
	// FaceToFace records that the customer was identified face to face or by
	// certified electronic identification (risk model channel factor).
	FaceToFace bool `json:"face_to_face,omitempty"`
}

// Customer is the aggregate root of onboarding.
type Customer struct {
	ID           string
	Tenant       string // the tenant the customer belongs to
	Type         CustomerType
	Status       CustomerStatus
	RiskRating   RiskRating   // "" until assessed
	DueDiligence DueDiligence // "" until assessed
	ExternalRef  string       // client's own reference (not personal data)
	ClientID     string       // API client that created it ("" for applicant/staff)
	Data         CustomerData
	Version      int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
	SubmittedAt  *time.Time
	DecidedAt    *time.Time
	NextReviewAt *time.Time
	// ClosedAt is when the relationship was closed (off-boarding);
	// RetentionEndsAt is when the retention period of the records ends
	// (from closure or rejection) and the personal data may be purged.
	ClosedAt        *time.Time
	RetentionEndsAt *time.Time
	// CloseReason is the internal reason for closing (encrypted at rest,
	// never shown to the applicant).
	CloseReason string
	// RestrictedAt is set by an erasure request inside retention: the
	// record is hidden from everyone but auditors until it is purged.
	RestrictedAt *time.Time
	// PurgedAt is set once the personal data has been removed.
	PurgedAt *time.Time
	// ComputedRiskRating and ComputedDueDiligence are what the risk model
	// computed (the latest assessment); RiskRating and DueDiligence are
	// those in force: the computed ones, or an approved risk override's.
	// RiskOverrides are the open overrides (approved in force, pending),
	// newest first. The three are set when a customer is read by id
	// (OverridesRead).
	ComputedRiskRating   RiskRating
	ComputedDueDiligence DueDiligence
	RiskOverrides        []RiskOverride
	OverridesRead        bool
	// Unreadable marks a listed customer whose personal data could not be
	// decrypted or decoded: the list shows its id and statuses instead of
	// failing as a whole (Data is empty).
	Unreadable bool
}

// DisplayName returns the customer's name (person or legal name).
func (c *Customer) DisplayName() string {
	switch {
	case c.Data.Individual != nil:
		return c.Data.Individual.FullName()
	case c.Data.Business != nil:
		return c.Data.Business.LegalName
	}
	return ""
}
