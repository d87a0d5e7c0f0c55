// Package phone checks telephone numbers against the numbering plans of
// libphonenumber (github.com/nyaruka/phonenumbers). Validate has the
// signature of domain.ValidationOptions.Phone, so the composition root can
// inject it into the customer validation, which is stdlib-only.
package phone

import (
	"github.com/nyaruka/phonenumbers"

	"github.com/kyc-platform/kyc/internal/domain"
)

// Validate checks that e164 (a "+" and the full number) is a valid number in
// the numbering plan of its country calling code. country, the ISO alpha-2
// code of the person's address, is a hint used only to word the message: a
// number of another country is accepted. The error is an ECodeInvalid
// *domain.Error whose message can be shown to the user.
func Validate(e164, country string) error {
	if !domain.ValidE164(e164) {
		return domain.Errorf(domain.ECodeInvalid, "Enter the phone number in international format with the country code, such as +447911123456")
	}
	valid, exact := checkE164(e164)
	if !exact {
		valid = libraryValid(e164)
	}
	if !valid {
		if country != "" && domain.ValidCountry(country) {
			if cc := phonenumbers.GetCountryCodeForRegion(country); cc != 0 {
				return domain.Errorf(domain.ECodeInvalid, "This is not a valid phone number; check the digits and the country code (+%d for %s)", cc, domain.CountryName(country))
			}
		}
		return domain.Errorf(domain.ECodeInvalid, "This is not a valid phone number; check the digits and the country code")
	}
	return nil
}

// libraryValid is Validate's question put to the library as it is.
func libraryValid(e164 string) bool {
	n, err := phonenumbers.Parse(e164, "ZZ")
	return err == nil && phonenumbers.IsValidNumber(n)
}

// Region returns the ISO alpha-2 code of the country a valid E.164 number
// belongs to, or "" when it cannot be told.
func Region(e164 string) string {
	n, err := phonenumbers.Parse(e164, "ZZ")
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return ""
	}
	r := phonenumbers.GetRegionCodeForNumber(n)
	if r == "ZZ" || r == "001" {
		return ""
	}
	return r
}
