package domain

import "time"

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

// Person holds the fields of a natural person, used both for an individual
// customer and for a related person of a business. Dates are YYYY-MM-DD.
type Person struct {
	GivenNames            string            `json:"given_names"`
	FamilyName            string            `json:"family_name"`
	BirthDate             string            `json:"birth_date"`
	Nationality           string            `json:"nationality"`
	Email                 string            `json:"email,omitempty"`
	Phone                 string            `json:"phone,omitempty"`
	Address               *Address          `json:"address,omitempty"`
	Occupation            string            `json:"occupation,omitempty"`
	TaxID                 string            `json:"tax_id,omitempty"`
	PEPDeclared           bool              `json:"pep_declared"`
	ExpectedMonthlyVolume *Money            `json:"expected_monthly_volume,omitempty"`
	SourceOfFunds         string            `json:"source_of_funds,omitempty"`
	Document              *IdentityDocument `json:"document,omitempty"`
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
)

// RelatedPerson is a beneficial owner, director, signatory or shareholder of
// a business customer.
type RelatedPerson struct {
	Person
	Roles            []RelatedRole `json:"roles"`
	OwnershipPercent float64       `json:"ownership_percent"`
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
