package api

import "github.com/kyc-platform/kyc/internal/domain"

// AddressBody is a postal address.
type AddressBody struct {
	Line1      string `json:"line1,omitempty" maxLength:"200"`
	Line2      string `json:"line2,omitempty" maxLength:"200"`
	City       string `json:"city,omitempty" maxLength:"100"`
	PostalCode string `json:"postal_code,omitempty" maxLength:"20"`
	Region     string `json:"region,omitempty" maxLength:"100"`
	Country    string `json:"country,omitempty" doc:"ISO 3166-1 alpha-2"`
}

// MoneyBody is an amount in minor units.
type MoneyBody struct {
	Amount   int64  `json:"amount,omitempty" minimum:"0" doc:"Minor units (cents)"`
	Currency string `json:"currency,omitempty" doc:"ISO 4217"`
}

// DocumentBody is an identity document.
type DocumentBody struct {
	Type           string `json:"type,omitempty" doc:"passport, id_card, driving_licence or residence_permit"`
	Number         string `json:"number,omitempty" maxLength:"40"`
	IssuingCountry string `json:"issuing_country,omitempty"`
	ExpiryDate     string `json:"expiry_date,omitempty" doc:"YYYY-MM-DD"`
	MRZ            string `json:"mrz,omitempty" maxLength:"100" doc:"Machine-readable zone, lines separated by newlines (ICAO 9303 TD1, TD2 or TD3)"`
}

// PlaceOfBirthBody is where a person was born.
type PlaceOfBirthBody struct {
	City    string `json:"city,omitempty" maxLength:"100"`
	Country string `json:"country,omitempty" doc:"ISO 3166-1 alpha-2, of the country where the place lies today"`
}

// PersonFields are the fields of a natural person.
type PersonFields struct {
	GivenNames            string            `json:"given_names,omitempty" maxLength:"200"`
	FamilyName            string            `json:"family_name,omitempty" maxLength:"200"`
	BirthDate             string            `json:"birth_date,omitempty" doc:"YYYY-MM-DD"`
	PlaceOfBirth          *PlaceOfBirthBody `json:"place_of_birth,omitempty" doc:"Required for an individual customer at submission (EU AMLR art. 22(1)(a))"`
	Nationality           string            `json:"nationality,omitempty" doc:"ISO 3166-1 alpha-2, the primary nationality"`
	OtherNationalities    []string          `json:"other_nationalities,omitempty" maxItems:"10" doc:"Every other nationality held, ISO 3166-1 alpha-2; all count in the risk assessment"`
	Email                 string            `json:"email,omitempty" maxLength:"254"`
	Phone                 string            `json:"phone,omitempty" maxLength:"20" doc:"E.164"`
	Address               *AddressBody      `json:"address,omitempty"`
	Occupation            string            `json:"occupation,omitempty" maxLength:"200"`
	TaxID                 string            `json:"tax_id,omitempty" maxLength:"40" doc:"Required for a US person (US nationality or US address): the US taxpayer identification number (SSN, ITIN or EIN; 31 CFR 1020.220)"`
	PEPDeclared           bool              `json:"pep_declared,omitempty" doc:"The person, or a close family member or associate, holds a prominent public function"`
	ExpectedMonthlyVolume *MoneyBody        `json:"expected_monthly_volume,omitempty"`
	SourceOfFunds         string            `json:"source_of_funds,omitempty" maxLength:"2000"`
	SourceOfWealth        string            `json:"source_of_wealth,omitempty" maxLength:"2000" doc:"How the person came by their wealth; enhanced due diligence also needs a document of kind source_of_wealth"`
	Document              *DocumentBody     `json:"document,omitempty"`
}

// RelatedPersonBody is a related party of a business: a person (beneficial
// owner, director, signatory, senior managing official, shareholder) or a
// company holding shares, directly or through another related company.
type RelatedPersonBody struct {
	ID                   string   `json:"id,omitempty" maxLength:"64" doc:"Chosen by the caller, unique within the customer, so that owned_via can name it in the same request; assigned when absent and kept across edits"`
	Kind                 string   `json:"kind,omitempty" doc:"person (default) or company"`
	Roles                []string `json:"roles,omitempty" maxItems:"5" doc:"ubo, director, signatory, senior_managing_official, shareholder (a company: shareholder only)"`
	OwnershipPercent     float64  `json:"ownership_percent,omitempty" minimum:"0" maximum:"100" doc:"Share of the customer, or of the related company named by owned_via"`
	OwnedVia             string   `json:"owned_via,omitempty" maxLength:"64" doc:"The id of the related company through which this party holds its share; absent: held directly"`
	LegalName            string   `json:"legal_name,omitempty" maxLength:"300" doc:"Company: legal name"`
	RegistrationNumber   string   `json:"registration_number,omitempty" maxLength:"60" doc:"Company: registration number"`
	IncorporationCountry string   `json:"incorporation_country,omitempty" doc:"Company: ISO 3166-1 alpha-2 country of incorporation"`
	PersonFields
}

// CustomerFields are the personal data of a customer: the person fields for
// an individual, the business fields for a business.
type CustomerFields struct {
	PersonFields
	LegalName             string              `json:"legal_name,omitempty" maxLength:"300"`
	RegistrationNumber    string              `json:"registration_number,omitempty" maxLength:"60"`
	IncorporationCountry  string              `json:"incorporation_country,omitempty"`
	IncorporationDate     string              `json:"incorporation_date,omitempty"`
	LegalForm             string              `json:"legal_form,omitempty" maxLength:"100"`
	Industry              string              `json:"industry,omitempty" doc:"NACE (e.g. 64.19) or NAICS code"`
	Website               string              `json:"website,omitempty" maxLength:"300"`
	OwnershipLayers       int                 `json:"ownership_layers,omitempty" minimum:"0" maximum:"20"`
	NomineeOrBearerShares bool                `json:"nominee_or_bearer_shares,omitempty"`
	RelatedPersons        []RelatedPersonBody `json:"related_persons,omitempty" maxItems:"50"`
	FaceToFace            bool                `json:"face_to_face,omitempty" doc:"Identified face to face or by certified electronic identification"`
}

func addrToDomain(a *AddressBody) *domain.Address {
	if a == nil {
		return nil
	}
	d := domain.Address(*a)
	return &d
}

func addrFromDomain(a *domain.Address) *AddressBody {
	if a == nil {
		return nil
	}
	b := AddressBody(*a)
	return &b
}

func personToDomain(p PersonFields) domain.Person {
	out := domain.Person{
		GivenNames: p.GivenNames, FamilyName: p.FamilyName, BirthDate: p.BirthDate, Nationality: p.Nationality,
		Email: p.Email, Phone: p.Phone, Address: addrToDomain(p.Address), Occupation: p.Occupation, TaxID: p.TaxID,
		PEPDeclared: p.PEPDeclared, SourceOfFunds: p.SourceOfFunds, SourceOfWealth: p.SourceOfWealth, OtherNationalities: p.OtherNationalities,
	}
	if pob := p.PlaceOfBirth; pob != nil {
		out.PlaceOfBirth = &domain.PlaceOfBirth{City: pob.City, Country: pob.Country}
	}
	if m := p.ExpectedMonthlyVolume; m != nil {
		out.ExpectedMonthlyVolume = &domain.Money{Amount: m.Amount, Currency: m.Currency}
	}
	if d := p.Document; d != nil {
		out.Document = &domain.IdentityDocument{Type: domain.DocumentType(d.Type), Number: d.Number, IssuingCountry: d.IssuingCountry, ExpiryDate: d.ExpiryDate, MRZ: d.MRZ}
	}
	return out
}

func personFromDomain(p domain.Person) PersonFields {
	out := PersonFields{
		GivenNames: p.GivenNames, FamilyName: p.FamilyName, BirthDate: p.BirthDate, Nationality: p.Nationality,
		Email: p.Email, Phone: p.Phone, Address: addrFromDomain(p.Address), Occupation: p.Occupation, TaxID: p.TaxID,
		PEPDeclared: p.PEPDeclared, SourceOfFunds: p.SourceOfFunds, SourceOfWealth: p.SourceOfWealth, OtherNationalities: p.OtherNationalities,
	}
	if pob := p.PlaceOfBirth; pob != nil {
		out.PlaceOfBirth = &PlaceOfBirthBody{City: pob.City, Country: pob.Country}
	}
	if m := p.ExpectedMonthlyVolume; m != nil {
		out.ExpectedMonthlyVolume = &MoneyBody{Amount: m.Amount, Currency: m.Currency}
	}
	if d := p.Document; d != nil {
		out.Document = &DocumentBody{Type: string(d.Type), Number: d.Number, IssuingCountry: d.IssuingCountry, ExpiryDate: d.ExpiryDate, MRZ: d.MRZ}
	}
	return out
}

// fieldSet says whether a field of the other customer type is set.
type fieldSet struct {
	name string
	set  bool
}

// fieldsToDomain maps the flat API layout to the domain's customer data.
// Fields of the other customer type are reported, not silently dropped, in
// the order listed (an array: this runs on every create and edit, and a map
// literal cost an allocation of its own and reported in random order).
func fieldsToDomain(t domain.CustomerType, f CustomerFields) (domain.CustomerData, error) {
	var v domain.Validation
	d := domain.CustomerData{FaceToFace: f.FaceToFace}
	switch t {
	case domain.CustomerIndividual:
		for _, fs := range [...]fieldSet{
			{"legal_name", f.LegalName != ""}, {"registration_number", f.RegistrationNumber != ""},
			{"incorporation_country", f.IncorporationCountry != ""}, {"incorporation_date", f.IncorporationDate != ""},
			{"legal_form", f.LegalForm != ""}, {"industry", f.Industry != ""}, {"website", f.Website != ""},
			{"related_persons", len(f.RelatedPersons) > 0}, {"ownership_layers", f.OwnershipLayers != 0},
			{"nominee_or_bearer_shares", f.NomineeOrBearerShares},
		} {
			if fs.set {
				v.Add(fs.name, "This field is for businesses; remove it or use type business.")
			}
		}
		p := personToDomain(f.PersonFields)
		d.Individual = &p
	case domain.CustomerBusiness:
		pf := f.PersonFields
		for _, fs := range [...]fieldSet{
			{"given_names", pf.GivenNames != ""}, {"family_name", pf.FamilyName != ""}, {"birth_date", pf.BirthDate != ""},
			{"nationality", pf.Nationality != ""}, {"occupation", pf.Occupation != ""}, {"document", pf.Document != nil},
			{"pep_declared", pf.PEPDeclared}, {"tax_id", pf.TaxID != ""}, {"place_of_birth", pf.PlaceOfBirth != nil},
			{"other_nationalities", len(pf.OtherNationalities) > 0}, {"source_of_wealth", pf.SourceOfWealth != ""},
		} {
			if fs.set {
				v.Add(fs.name, "This field is for individuals; give it for a related person instead.")
			}
		}
		b := &domain.Business{
			LegalName: f.LegalName, RegistrationNumber: f.RegistrationNumber, IncorporationCountry: f.IncorporationCountry,
			IncorporationDate: f.IncorporationDate, LegalForm: f.LegalForm, Industry: f.Industry, Address: addrToDomain(pf.Address),
			Website: f.Website, Email: pf.Email, Phone: pf.Phone, SourceOfFunds: pf.SourceOfFunds,
			OwnershipLayers: f.OwnershipLayers, NomineeOrBearerShares: f.NomineeOrBearerShares,
			RelatedPersons: []domain.RelatedPerson{},
		}
		if m := pf.ExpectedMonthlyVolume; m != nil {
			b.ExpectedMonthlyVolume = &domain.Money{Amount: m.Amount, Currency: m.Currency}
		}
		for _, rp := range f.RelatedPersons {
			roles := make([]domain.RelatedRole, len(rp.Roles))
			for i, r := range rp.Roles {
				roles[i] = domain.RelatedRole(r)
			}
			b.RelatedPersons = append(b.RelatedPersons, domain.RelatedPerson{
				ID: rp.ID, Kind: domain.PartyKind(rp.Kind), Person: personToDomain(rp.PersonFields), Roles: roles,
				OwnershipPercent: rp.OwnershipPercent, OwnedVia: rp.OwnedVia,
				LegalName: rp.LegalName, RegistrationNumber: rp.RegistrationNumber, IncorporationCountry: rp.IncorporationCountry,
			})
		}
		d.Business = b
	}
	return d, v.Err()
}

func fieldsFromDomain(d domain.CustomerData) CustomerFields {
	f := CustomerFields{FaceToFace: d.FaceToFace}
	if p := d.Individual; p != nil {
		f.PersonFields = personFromDomain(*p)
	}
	if b := d.Business; b != nil {
		f.LegalName, f.RegistrationNumber, f.IncorporationCountry = b.LegalName, b.RegistrationNumber, b.IncorporationCountry
		f.IncorporationDate, f.LegalForm, f.Industry, f.Website = b.IncorporationDate, b.LegalForm, b.Industry, b.Website
		f.OwnershipLayers, f.NomineeOrBearerShares = b.OwnershipLayers, b.NomineeOrBearerShares
		f.Address, f.Email, f.Phone, f.SourceOfFunds = addrFromDomain(b.Address), b.Email, b.Phone, b.SourceOfFunds
		if m := b.ExpectedMonthlyVolume; m != nil {
			f.ExpectedMonthlyVolume = &MoneyBody{Amount: m.Amount, Currency: m.Currency}
		}
		for _, rp := range b.RelatedPersons {
			roles := make([]string, len(rp.Roles))
			for i, r := range rp.Roles {
				roles[i] = string(r)
			}
			f.RelatedPersons = append(f.RelatedPersons, RelatedPersonBody{
				ID: rp.ID, Kind: string(rp.Kind), Roles: roles, OwnershipPercent: rp.OwnershipPercent, OwnedVia: rp.OwnedVia,
				LegalName: rp.LegalName, RegistrationNumber: rp.RegistrationNumber, IncorporationCountry: rp.IncorporationCountry,
				PersonFields: personFromDomain(rp.Person),
			})
		}
	}
	return f
}
