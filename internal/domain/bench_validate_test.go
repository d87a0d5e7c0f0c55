package domain

import (
	"testing"
	"time"
)

// benchIndividual is the customer of the onboarding benchmark
// (internal/cli), after NormalizeCustomer.
func benchIndividual() CustomerData {
	d := CustomerData{Individual: &Person{
		GivenNames: "Anna Maria", FamilyName: "Eriksson", BirthDate: "1990-08-12",
		PlaceOfBirth: &PlaceOfBirth{City: "Göteborg", Country: "SE"}, Nationality: "SE",
		Email: "anna@example.com", Phone: "+46701234567", Occupation: "Teacher", SourceOfFunds: "Salary",
		Address:               &Address{Line1: "Storgatan 1", City: "Stockholm", PostalCode: "11122", Country: "SE"},
		ExpectedMonthlyVolume: &Money{Amount: 300000, Currency: "EUR"},
		Document:              &IdentityDocument{Type: DocIDCard, Number: "AB1234567", IssuingCountry: "SE", ExpiryDate: "2031-05-01"},
	}}
	NormalizeCustomer(&d)
	return d
}

// BenchmarkValidate measures the validation of a create (ValidateDraft)
// and of a submission (ValidateCustomer) of the onboarding benchmark's
// customer and of a business, without the phone plan check (injected by
// the composition root, measured in internal/verify/phone).
func BenchmarkValidate(b *testing.B) {
	now := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	ind := benchIndividual()
	bus := CustomerData{Business: validBusiness()}
	for _, tc := range []struct {
		name string
		t    CustomerType
		d    CustomerData
		full bool
	}{
		{"draft-individual", CustomerIndividual, ind, false},
		{"full-individual", CustomerIndividual, ind, true},
		{"full-business", CustomerBusiness, bus, true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var err error
				if tc.full {
					err = ValidateCustomer(tc.t, tc.d, now, ValidationOptions{})
				} else {
					err = ValidateDraft(tc.t, tc.d, now, ValidationOptions{})
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
