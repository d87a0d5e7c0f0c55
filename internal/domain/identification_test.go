package domain

import (
	"slices"
	"testing"
)

// validateLocs validates an individual customer and returns the sorted
// locations of its problems.
func validateLocs(t *testing.T, p *Person, full bool) []string {
	t.Helper()
	check := ValidateCustomer
	if !full {
		check = ValidateDraft
	}
	got := fieldsOf(t, check(CustomerIndividual, CustomerData{Individual: p}, testNow, ValidationOptions{}))
	var locs []string
	for l := range got {
		locs = append(locs, l)
	}
	slices.Sort(locs)
	return locs
}

// TestPlaceOfBirthAndAllNationalities: the identification data of a natural
// person include the place of birth and all nationalities (Regulation (EU)
// 2024/1624, AMLR, art. 22(1)(a): "all forenames and surnames; place and full
// date of birth; nationalities, or statelessness …"). An individual customer
// is not submitted without a place of birth; each other nationality is a
// real country, given once, apart from the primary one.
func TestPlaceOfBirthAndAllNationalities(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Person)
		full bool
		want []string
	}{
		{"complete", func(p *Person) { p.OtherNationalities = []string{"US", "FR"}; p.TaxID = "123-45-6789" }, true, nil},
		{"no place of birth at submission", func(p *Person) { p.PlaceOfBirth = nil }, true, []string{"place_of_birth"}},
		{"no place of birth in a draft", func(p *Person) { p.PlaceOfBirth = nil }, false, nil},
		{"place of birth without city", func(p *Person) { p.PlaceOfBirth.City = "" }, true, []string{"place_of_birth.city"}},
		{"country of birth not ISO", func(p *Person) { p.PlaceOfBirth.Country = "YU" }, false, []string{"place_of_birth.country"}},
		{"other nationality not ISO", func(p *Person) { p.OtherNationalities = []string{"FR", "XX"} }, false, []string{"other_nationalities[1]"}},
		{"other nationality repeats the primary", func(p *Person) { p.OtherNationalities = []string{"DE"} }, false, []string{"other_nationalities[0]"}},
		{"other nationality twice", func(p *Person) { p.OtherNationalities = []string{"FR", "FR"} }, false, []string{"other_nationalities[1]"}},
		{"too many", func(p *Person) {
			p.OtherNationalities = []string{"FR", "IT", "ES", "PT", "AT", "CH", "BE", "NL", "LU", "DK", "SE"}
		}, false, []string{"other_nationalities"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validPerson()
			tt.edit(p)
			if got := validateLocs(t, p, tt.full); !slices.Equal(got, tt.want) {
				t.Fatalf("problems at %v, want %v", got, tt.want)
			}
		})
	}
	p := validPerson()
	p.OtherNationalities = []string{"IR", "DE", "IR"}
	if got := p.Nationalities(); !slices.Equal(got, []string{"DE", "IR"}) {
		t.Fatalf("Nationalities() = %v, want [DE IR]", got)
	}
}

// TestUSPersonsGiveTaxpayerIdentificationNumber: a US person (a US national,
// by any of their nationalities, or a US resident) gives a taxpayer
// identification number (US CIP, 31 CFR 1020.220(a)(2)(i)(A)(4)(i); for
// beneficial owners and control persons the certification of 31 CFR
// 1010.230, appendix A, asks the same); others may give any tax id.
func TestUSPersonsGiveTaxpayerIdentificationNumber(t *testing.T) {
	us := func(p *Person) {
		p.Nationality = "US"
		p.Address = &Address{Line1: "350 Fifth Avenue", City: "New York", PostalCode: "10118", Region: "NY", Country: "US"}
		p.Phone = ""
		p.Document = &IdentityDocument{Type: DocPassport, Number: "A12345678", IssuingCountry: "US", ExpiryDate: "2031-01-31"}
	}
	tests := []struct {
		name string
		edit func(*Person)
		want []string
	}{
		{"US national without tax id", us, []string{"tax_id"}},
		{"US national with SSN", func(p *Person) { us(p); p.TaxID = "123-45-6789" }, nil},
		{"US national with plain 9 digits", func(p *Person) { us(p); p.TaxID = "123456789" }, nil},
		{"US national with a tax id of another form", func(p *Person) { us(p); p.TaxID = "DE123456789" }, []string{"tax_id"}},
		{"SSN never issued (area 666)", func(p *Person) { us(p); p.TaxID = "666-12-3456" }, []string{"tax_id"}},
		{"US resident of another nationality", func(p *Person) {
			us(p)
			p.Nationality = "DE"
		}, []string{"tax_id"}},
		{"US as other nationality", func(p *Person) { p.OtherNationalities = []string{"US"} }, []string{"tax_id"}},
		{"not a US person, no tax id", func(p *Person) {}, nil},
		{"not a US person, a German tax id", func(p *Person) { p.TaxID = "12 345 678 901" }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validPerson()
			tt.edit(p)
			if got := validateLocs(t, p, true); !slices.Equal(got, tt.want) {
				t.Fatalf("problems at %v, want %v", got, tt.want)
			}
		})
	}
	// A beneficial owner or control person who is a US person needs one;
	// a minority shareholder, identified by name only, does not.
	b := validBusiness()
	b.RelatedPersons[0].OtherNationalities = []string{"US"}
	got := fieldsOf(t, ValidateCustomer(CustomerBusiness, CustomerData{Business: b}, testNow, ValidationOptions{}))
	if _, ok := got["related_persons[0].tax_id"]; !ok || len(got) != 1 {
		t.Fatalf("problems %v, want related_persons[0].tax_id", got)
	}
	b.RelatedPersons[0].TaxID = "123-45-6789"
	if err := ValidateCustomer(CustomerBusiness, CustomerData{Business: b}, testNow, ValidationOptions{}); err != nil {
		t.Fatal(err)
	}
}

// TestPostOfficeBoxIsNotAnAddress: the residential address of a person (and
// the address of a business) is a street address; a post-office box, or a
// private mailbox, is refused naming the field (US CIP, 31 CFR
// 1020.220(a)(2)(i)(A)(3): "a residential or business street address";
// AMLR art. 22(1)(a): the place of habitual residence).
func TestPostOfficeBoxIsNotAnAddress(t *testing.T) {
	boxes := []string{"PO Box 123", "P.O. Box 77", "p o box 9", "POB 12", "Post Office Box 5", "Postfach 10 20 30",
		"Boîte postale 12", "BP 42", "Apartado de correos 1200", "Apartado 15", "Casilla 45", "Caixa Postal 99", "Postbus 2000",
		"Postboks 123 Sentrum", "Box 1234", "PMB 302", "GPO Box 1000", "Locked Bag 3", "c/o Schmidt, Postfach 12"}
	streets := []string{"Hauptstraße 1", "Boxhagener Straße 5", "Box Hill Road 3", "Pobrežní 3", "Postplatz 1", "Bpost Avenue 2",
		"Pointe Boxer 4", "Apartment 5, 12 Main Street", "350 Fifth Avenue", "Casillas Street 4"}
	for _, s := range boxes {
		if !IsPostOfficeBox(s) {
			t.Errorf("%q is a post-office box, not recognised", s)
		}
	}
	for _, s := range streets {
		if IsPostOfficeBox(s) {
			t.Errorf("%q is a street address, taken for a post-office box", s)
		}
	}
	p := validPerson()
	p.Address.Line1 = "PO Box 123"
	if got := validateLocs(t, p, false); !slices.Equal(got, []string{"address.line1"}) {
		t.Fatalf("problems at %v, want address.line1 (refused in a draft already)", got)
	}
	p.Address.Line1, p.Address.Line2 = "Hauptstraße 1", "Postfach 12"
	if got := validateLocs(t, p, true); !slices.Equal(got, []string{"address.line2"}) {
		t.Fatalf("problems at %v, want address.line2", got)
	}
	b := validBusiness()
	b.RelatedPersons[0].Address = &Address{Line1: "P.O. Box 9", City: "Berlin", Country: "DE"}
	got := fieldsOf(t, ValidateCustomer(CustomerBusiness, CustomerData{Business: b}, testNow, ValidationOptions{}))
	if _, ok := got["related_persons[0].address.line1"]; !ok || len(got) != 1 {
		t.Fatalf("problems %v, want related_persons[0].address.line1", got)
	}
}

// TestUSTaxpayerIdentificationNumberFormats covers the number forms.
func TestUSTaxpayerIdentificationNumberFormats(t *testing.T) {
	for s, want := range map[string]bool{
		"123-45-6789": true, "123456789": true, "12-3456789": true, "912-70-1234": true,
		"000-12-3456": false, "123-00-4567": false, "123-45-0000": false, "111-11-1111": false,
		"12345678": false, "1234-56-789": false, "12345678a": false, "": false, "00-1234567": false,
	} {
		if got := ValidUSTIN(s); got != want {
			t.Errorf("ValidUSTIN(%q) = %v, want %v", s, got, want)
		}
	}
}
