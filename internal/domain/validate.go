package domain

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits of the customer validation rules (README, "The KYC process").
const (
	// DefaultMinAge is the minimum age of an individual customer when
	// ValidationOptions.MinAge is zero.
	DefaultMinAge = 18
	// MaxAge is the highest plausible age of a person.
	MaxAge = 120
	// MaxNameLen is the maximum length of a given or family name, in characters.
	MaxNameLen = 100
	// UBOThreshold is the ownership percentage from which an owner is a
	// beneficial owner (31 CFR 1010.230; EU AMLR art. 52).
	UBOThreshold = 25.0
)

// DateLayout is the layout of every date field (YYYY-MM-DD).
const DateLayout = "2006-01-02"

// ValidationOptions tune the customer validation rules.
type ValidationOptions struct {
	// MinAge is the minimum age of an individual customer and of a related
	// person in a control role (director, signatory); 0 means DefaultMinAge.
	MinAge int
	// Phone, when set, checks that an E.164 number is valid for its country
	// (the composition root injects internal/verify/phone.Validate). country
	// is the ISO alpha-2 code of the person's or company's address, a hint
	// only: a number of another country is valid. The error's message, when
	// it is a *Error, is shown to the user. When nil only the E.164 syntax is
	// checked.
	Phone func(e164, country string) error
}

func (o ValidationOptions) minAge() int {
	if o.MinAge <= 0 {
		return DefaultMinAge
	}
	return o.MinAge
}

// ValidateCustomer applies the data rules (README, "The KYC process") to the data of
// a customer about to be submitted: required fields, formats, ages, expiry
// and the consistency of the MRZ with the form. It returns nil or an
// ECodeInvalid *Error listing every bad field, located by its JSON path in
// the API request body ("birth_date", "address.country",
// "related_persons[1].ownership_percent"). Call NormalizeCustomer first.
func ValidateCustomer(t CustomerType, d CustomerData, now time.Time, opts ValidationOptions) error {
	return validate(t, d, now, opts, true)
}

// ValidateDraft checks only the format of the fields that are present, as a
// draft may be incomplete: no field is required, and the rules that need the
// whole record (ages, expiry, ownership, MRZ against the form) wait for
// ValidateCustomer at submission. It returns nil or an ECodeInvalid *Error.
func ValidateDraft(t CustomerType, d CustomerData, now time.Time, opts ValidationOptions) error {
	return validate(t, d, now, opts, false)
}

func validate(t CustomerType, d CustomerData, now time.Time, opts ValidationOptions, full bool) error {
	v := &validator{now: now, opts: opts, full: full}
	switch t {
	case CustomerIndividual:
		if d.Business != nil {
			v.add("type", "Company fields cannot be given for an individual; choose the type business")
		}
		p := d.Individual
		if p == nil {
			p = &Person{}
		}
		v.person("", *p, personIndividual)
	case CustomerBusiness:
		if d.Individual != nil {
			v.add("type", "Person fields cannot be given for a business; choose the type individual")
		}
		b := d.Business
		if b == nil {
			b = &Business{}
		}
		v.business(*b)
	default:
		v.add("type", "Choose the customer type: individual or business")
	}
	return v.Err()
}

type personKind int

const (
	personIndividual personKind = iota
	personRelated
)

type validator struct {
	Validation
	now  time.Time
	opts ValidationOptions
	full bool
}

func (v *validator) add(loc, msg string) { v.Add(loc, msg) }

func join(prefix, field string) string {
	if prefix == "" {
		return field
	}
	return prefix + "." + field
}

// required records a missing field at submission and reports whether the
// value is present.
func (v *validator) required(loc, value, msg string) bool {
	if strings.TrimSpace(value) != "" {
		return true
	}
	if v.full {
		v.add(loc, msg)
	}
	return false
}

func (v *validator) person(prefix string, p Person, kind personKind) {
	v.name(join(prefix, "given_names"), p.GivenNames, "given names")
	v.name(join(prefix, "family_name"), p.FamilyName, "family name")
	v.birthDate(join(prefix, "birth_date"), p.BirthDate, kind == personIndividual)
	v.placeOfBirth(prefix, p.PlaceOfBirth, kind == personIndividual)
	if v.required(join(prefix, "nationality"), p.Nationality, "Choose a nationality") {
		v.country(join(prefix, "nationality"), p.Nationality, "nationality")
	}
	v.otherNationalities(prefix, p)
	country := ""
	if p.Address != nil {
		country = p.Address.Country
	}
	if p.Email != "" {
		v.email(join(prefix, "email"), p.Email)
	}
	if p.Phone != "" {
		v.phone(join(prefix, "phone"), p.Phone, country)
	}
	if p.Address != nil {
		v.address(join(prefix, "address"), *p.Address)
	} else if v.full {
		v.add(join(prefix, "address"), "Enter the home address")
	}
	v.text(join(prefix, "occupation"), p.Occupation, 100, "occupation")
	if p.TaxID != "" {
		v.taxID(join(prefix, "tax_id"), p.TaxID)
	}
	if kind == personIndividual {
		v.usTaxID(prefix, p, true)
	}
	if p.ExpectedMonthlyVolume != nil {
		v.money(join(prefix, "expected_monthly_volume"), *p.ExpectedMonthlyVolume)
	}
	v.text(join(prefix, "source_of_funds"), p.SourceOfFunds, 1000, "source of funds")
	v.text(join(prefix, "source_of_wealth"), p.SourceOfWealth, 1000, "source of wealth")
	if p.Document != nil {
		v.document(join(prefix, "document"), p)
	} else if v.full && kind == personIndividual {
		v.add(join(prefix, "document"), "Enter the identity document: type, number, issuing country and expiry date")
	}
}

// name checks a given or family name: 1–100 letters of any script plus
// space, hyphen, apostrophe and period.
func (v *validator) name(loc, s, what string) {
	if !v.required(loc, s, "Enter the "+what) {
		return
	}
	if msg := NameProblem(s); msg != "" {
		v.add(loc, strings.Replace(msg, "the name", "the "+what, 1))
	}
}

// NameProblem returns "" when s is an acceptable personal name (1–100
// letters of any script plus space, hyphen, apostrophe and period, at least
// one letter), otherwise a message saying how to fix it.
func NameProblem(s string) string {
	if strings.TrimSpace(s) == "" {
		return "Enter the name"
	}
	if utf8.RuneCountInString(s) > MaxNameLen {
		return fmt.Sprintf("Shorten the name to at most %d characters", MaxNameLen)
	}
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.Is(unicode.M, r) && letters > 0: // combining marks of a letter
		case r == ' ', r == '-', r == '\'', r == '’', r == '.', r == '‐':
		default:
			return "Use only letters, spaces, hyphens, apostrophes and periods in the name"
		}
	}
	if letters == 0 {
		return "Enter the name with at least one letter"
	}
	return ""
}

// ParseDate parses a YYYY-MM-DD date as midnight UTC.
func ParseDate(s string) (time.Time, error) {
	if len(s) != len(DateLayout) {
		return time.Time{}, errors.New("not a YYYY-MM-DD date")
	}
	return time.Parse(DateLayout, s)
}

// today returns the calendar date of now (in now's location) at midnight UTC,
// comparable with dates from ParseDate.
func today(now time.Time) time.Time {
	y, m, d := now.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Age returns the age in whole years on the date of now of a person born on
// birth. A person born on 29 February gets one year older on 1 March in
// common years.
func Age(birth, now time.Time) int {
	t := today(now)
	age := t.Year() - birth.Year()
	if t.Month() < birth.Month() || (t.Month() == birth.Month() && t.Day() < birth.Day()) {
		age--
	}
	return age
}

func (v *validator) date(loc, s, what string) (time.Time, bool) {
	d, err := ParseDate(s)
	if err != nil {
		v.add(loc, "Enter the "+what+" as a real date in the form YYYY-MM-DD")
		return time.Time{}, false
	}
	return d, true
}

func (v *validator) birthDate(loc, s string, individual bool) {
	if !v.required(loc, s, "Enter the date of birth") {
		return
	}
	if p := BirthDateProblem(s, v.now); p != "" {
		v.add(loc, p)
		return
	}
	if d, _ := ParseDate(s); v.full && individual && Age(d, v.now) < v.opts.minAge() {
		v.add(loc, fmt.Sprintf("The customer must be at least %d years old; check the date of birth", v.opts.minAge()))
	}
}

// BirthDateProblem says what is wrong with a date of birth, "" when it is a
// real YYYY-MM-DD date in the past and less than MaxAge+1 years ago. Every
// date of birth kyc accepts keeps these rules (a customer's, a related
// person's, a screening query's evidence); a customer's minimum age is
// checked on top at submission.
func BirthDateProblem(s string, now time.Time) string {
	d, err := ParseDate(s)
	switch {
	case err != nil:
		return "Enter the date of birth as a real date in the form YYYY-MM-DD"
	case d.After(today(now)):
		return "Enter a date of birth in the past"
	case Age(d, now) > MaxAge:
		return fmt.Sprintf("Enter a date of birth less than %d years ago", MaxAge+1)
	}
	return ""
}

// CountryProblem says what is wrong with a country code given for what
// (e.g. "nationality"), "" when it is an ISO 3166-1 alpha-2 code kyc knows.
func CountryProblem(code, what string) string {
	if ValidCountry(code) {
		return ""
	}
	return fmt.Sprintf("Choose the %s from the list of countries (an ISO 3166-1 alpha-2 code such as DE or US)", what)
}

func (v *validator) country(loc, code, what string) {
	if p := CountryProblem(code, what); p != "" {
		v.add(loc, p)
	}
}

func (v *validator) email(loc, s string) {
	if !ValidEmail(s) {
		v.add(loc, "Enter an email address in the form name@example.com")
	}
}

func (v *validator) phone(loc, s, country string) {
	if !ValidE164(s) {
		v.add(loc, "Enter the phone number in international format with the country code, such as +447911123456")
		return
	}
	if v.opts.Phone == nil {
		return
	}
	if err := v.opts.Phone(s, country); err != nil {
		var e *Error
		if errors.As(err, &e) && e.Message != "" {
			v.add(loc, e.Message)
		} else {
			v.add(loc, "Enter a phone number that exists in its country, with the country code, such as +447911123456")
		}
	}
}

func (v *validator) address(prefix string, a Address) {
	if v.required(join(prefix, "line1"), a.Line1, "Enter the street and house number") {
		v.text(join(prefix, "line1"), a.Line1, 200, "address line")
	}
	v.text(join(prefix, "line2"), a.Line2, 200, "address line")
	// A residential or business address is a street address, not a
	// post-office box (31 CFR 1020.220(a)(2)(i)(A)(3); EU AMLR art.
	// 22(1)(a): the habitual residence).
	for _, l := range []struct{ field, text string }{{"line1", a.Line1}, {"line2", a.Line2}} {
		if IsPostOfficeBox(l.text) {
			v.add(join(prefix, l.field), "Enter a street address where the person lives or the company is located: a post-office box or mailbox is not accepted")
		}
	}
	if v.required(join(prefix, "city"), a.City, "Enter the city") {
		v.text(join(prefix, "city"), a.City, 100, "city")
	}
	if a.PostalCode != "" {
		ok := utf8.RuneCountInString(a.PostalCode) <= 20
		for _, r := range a.PostalCode {
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' || r == '-') {
				ok = false
			}
		}
		if !ok {
			v.add(join(prefix, "postal_code"), "Enter the postal code with letters, digits, spaces and hyphens only (at most 20)")
		}
	}
	v.text(join(prefix, "region"), a.Region, 100, "region")
	if v.required(join(prefix, "country"), a.Country, "Choose the country") {
		v.country(join(prefix, "country"), a.Country, "country")
	}
}

// text checks a free-text field: at most max characters, no control
// characters other than new lines and tabs.
func (v *validator) text(loc, s string, max int, what string) {
	if s == "" {
		return
	}
	if utf8.RuneCountInString(s) > max {
		v.add(loc, fmt.Sprintf("Shorten the %s to at most %d characters", what, max))
		return
	}
	if !utf8.ValidString(s) {
		v.add(loc, "Enter the "+what+" as plain text")
		return
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r' {
			v.add(loc, "Remove the control characters from the "+what)
			return
		}
	}
}

func (v *validator) taxID(loc, s string) {
	ok := len(s) <= 50
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '/' || r == '.' || r == ' ') {
			ok = false
		}
	}
	if !ok {
		v.add(loc, "Enter the tax ID with letters, digits, spaces, hyphens, slashes and periods only (at most 50)")
	}
}

func (v *validator) money(prefix string, m Money) {
	if m.Amount < 0 {
		v.add(join(prefix, "amount"), "Enter an amount of zero or more, in minor units (cents)")
	}
	if m.Currency == "" {
		v.add(join(prefix, "currency"), "Choose the currency (an ISO 4217 code such as EUR)")
	} else if !ValidCurrency(m.Currency) {
		v.add(join(prefix, "currency"), "Choose a currency from the list (an ISO 4217 code such as EUR or USD)")
	}
}

func (v *validator) document(prefix string, p Person) {
	doc := *p.Document
	if doc.Type == "" {
		if v.full {
			v.add(join(prefix, "type"), "Choose the document type: passport, id_card, driving_licence or residence_permit")
		}
	} else if !ValidDocumentType(doc.Type) {
		v.add(join(prefix, "type"), "Choose the document type: passport, id_card, driving_licence or residence_permit")
	}
	if v.required(join(prefix, "number"), doc.Number, "Enter the document number") && !ValidDocumentNumber(doc.Number) {
		v.add(join(prefix, "number"), "Enter the document number as printed, letters and digits only (at most 30)")
	}
	if v.required(join(prefix, "issuing_country"), doc.IssuingCountry, "Choose the country that issued the document") {
		v.country(join(prefix, "issuing_country"), doc.IssuingCountry, "issuing country")
	}
	if v.required(join(prefix, "expiry_date"), doc.ExpiryDate, "Enter the expiry date of the document") {
		if d, ok := v.date(join(prefix, "expiry_date"), doc.ExpiryDate, "expiry date"); ok && v.full && d.Before(today(v.now)) {
			v.add(join(prefix, "expiry_date"), "The document has expired; enter a document that is still valid")
		}
	}
	if doc.MRZ != "" {
		m, err := ParseMRZ(doc.MRZ, v.now)
		switch {
		case err != nil:
			v.add(join(prefix, "mrz"), ErrMessage(err))
		case v.full:
			// A field already reported as invalid is not compared again.
			bad := map[string]bool{}
			for _, f := range v.Fields {
				bad[f.Location] = true
			}
			mm := slices.DeleteFunc(CompareMRZ(m, p), func(x MRZMismatch) bool {
				return bad[join(strings.TrimSuffix(strings.TrimSuffix(prefix, "document"), "."), x.Field)]
			})
			if len(mm) > 0 {
				v.add(join(prefix, "mrz"), MismatchMessage(mm))
			}
		}
	}
}

func (v *validator) business(b Business) {
	if v.required("legal_name", b.LegalName, "Enter the legal name of the company") {
		v.text("legal_name", b.LegalName, 200, "legal name")
	}
	if v.required("registration_number", b.RegistrationNumber, "Enter the registration number from the company register") {
		ok := utf8.RuneCountInString(b.RegistrationNumber) <= 50
		for _, r := range b.RegistrationNumber {
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(" -./", r)) {
				ok = false
			}
		}
		if !ok {
			v.add("registration_number", "Enter the registration number with letters, digits, spaces, hyphens, periods and slashes only (at most 50)")
		}
	}
	if v.required("incorporation_country", b.IncorporationCountry, "Choose the country of incorporation") {
		v.country("incorporation_country", b.IncorporationCountry, "country of incorporation")
	}
	if v.required("incorporation_date", b.IncorporationDate, "Enter the date of incorporation") {
		if d, ok := v.date("incorporation_date", b.IncorporationDate, "date of incorporation"); ok && d.After(today(v.now)) {
			v.add("incorporation_date", "Enter a date of incorporation in the past")
		}
	}
	if v.required("legal_form", b.LegalForm, "Enter the legal form, such as GmbH, Ltd or LLC") {
		v.text("legal_form", b.LegalForm, 100, "legal form")
	}
	if v.required("industry", b.Industry, "Enter the industry as a NACE code such as 64.19 or a NAICS code such as 522110") && !ValidIndustryCode(b.Industry) {
		v.add("industry", "Enter the industry as a NACE code such as 64.19 or a NAICS code such as 522110")
	}
	country := ""
	if b.Address != nil {
		country = b.Address.Country
		v.address("address", *b.Address)
	} else if v.full {
		v.add("address", "Enter the registered address of the company")
	}
	if b.Website != "" && !ValidWebsite(b.Website) {
		v.add("website", "Enter the website as an address such as https://example.com")
	}
	if b.Email != "" {
		v.email("email", b.Email)
	}
	if b.Phone != "" {
		v.phone("phone", b.Phone, country)
	}
	if b.ExpectedMonthlyVolume != nil {
		v.money("expected_monthly_volume", *b.ExpectedMonthlyVolume)
	}
	v.text("source_of_funds", b.SourceOfFunds, 1000, "source of funds")
	if b.OwnershipLayers < 0 || b.OwnershipLayers > 50 {
		v.add("ownership_layers", "Enter the number of ownership layers between 0 and 50")
	}
	v.relatedPersons(b.RelatedPersons)
}
