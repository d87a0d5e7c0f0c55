package domain

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)

// td3 builds a valid passport MRZ with correct check digits.
func td3(state, surname, given, number, nat, birth, sex, expiry string) string {
	pad := func(s string, n int) string {
		if len(s) > n {
			return s[:n]
		}
		return s + strings.Repeat("<", n-len(s))
	}
	name := strings.ReplaceAll(surname, " ", "<") + "<<" + strings.ReplaceAll(given, " ", "<")
	l1 := pad("P<"+state+name, 44)
	num := pad(number, 9)
	d := func(s string) string { return string(rune('0' + MRZCheckDigit(s))) }
	opt := pad("", 14)
	l2 := num + d(num) + nat + birth + d(birth) + sex + expiry + d(expiry) + opt + "<"
	l2 += d(l2[0:10] + l2[13:20] + l2[21:43])
	return l1 + "\n" + l2
}

func validPerson() *Person {
	return &Person{
		GivenNames:            "Anna María",
		FamilyName:            "Müller",
		BirthDate:             "1974-08-12",
		PlaceOfBirth:          &PlaceOfBirth{City: "Hamburg", Country: "DE"},
		Nationality:           "DE",
		Email:                 "anna@example.com",
		Phone:                 "+4915123456789",
		Address:               &Address{Line1: "Hauptstraße 1", City: "Berlin", PostalCode: "10115", Country: "DE"},
		Occupation:            "Engineer",
		ExpectedMonthlyVolume: &Money{Amount: 300000, Currency: "EUR"},
		Document: &IdentityDocument{
			Type: DocPassport, Number: "C01X00T47", IssuingCountry: "DE", ExpiryDate: "2031-01-31",
			MRZ: td3("D<<", "MUELLER", "ANNA MARIA", "C01X00T47", "D<<", "740812", "F", "310131"),
		},
	}
}

func validBusiness() *Business {
	rp := func(given string, roles []RelatedRole, pct float64) RelatedPerson {
		p := validPerson()
		p.GivenNames = given
		p.Document = nil
		if slices.Contains(roles, RoleUBO) || slices.Contains(roles, RoleDirector) {
			p.Document = &IdentityDocument{Type: DocIDCard, Number: "L01X00T47", IssuingCountry: "DE", ExpiryDate: "2031-01-31"}
		}
		return RelatedPerson{Person: *p, Roles: roles, OwnershipPercent: pct}
	}
	return &Business{
		LegalName: "Acme GmbH", RegistrationNumber: "HRB 12345", IncorporationCountry: "DE",
		IncorporationDate: "2010-05-01", LegalForm: "GmbH", Industry: "62.01",
		Address: &Address{Line1: "Hauptstraße 1", City: "Berlin", Country: "DE"},
		Website: "https://acme.example.com",
		RelatedPersons: []RelatedPerson{
			rp("Anna", []RelatedRole{RoleUBO, RoleDirector}, 60),
			rp("Bert", []RelatedRole{RoleShareholder}, 10),
		},
	}
}

func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	if err == nil {
		return nil
	}
	var e *Error
	if !errors.As(err, &e) || e.Code != ECodeInvalid {
		t.Fatalf("want an invalid *Error, got %v", err)
	}
	m := map[string]string{}
	for _, f := range e.Fields {
		if f.Message == "" {
			t.Errorf("field %s has no message", f.Location)
		}
		m[f.Location] = f.Message
	}
	return m
}

func TestValidateCustomerValid(t *testing.T) {
	t.Parallel()
	if err := ValidateCustomer(CustomerIndividual, CustomerData{Individual: validPerson()}, testNow, ValidationOptions{}); err != nil {
		t.Fatalf("valid individual: %v", err)
	}
	if err := ValidateCustomer(CustomerBusiness, CustomerData{Business: validBusiness()}, testNow, ValidationOptions{}); err != nil {
		t.Fatalf("valid business: %v", err)
	}
}

func TestValidateIndividual(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		edit   func(p *Person)
		opts   ValidationOptions
		fields []string
	}{
		{"empty given names", func(p *Person) { p.GivenNames = "" }, ValidationOptions{}, []string{"given_names"}},
		{"digits in name", func(p *Person) { p.FamilyName = "M1ller" }, ValidationOptions{}, []string{"family_name"}},
		{"name too long", func(p *Person) { p.FamilyName = strings.Repeat("a", 101) }, ValidationOptions{}, []string{"family_name"}},
		{"only punctuation", func(p *Person) { p.FamilyName = "-." }, ValidationOptions{}, []string{"family_name"}},
		{"birth date in future", func(p *Person) { p.BirthDate = "2027-01-01" }, ValidationOptions{}, []string{"birth_date"}},
		{"birth date not a date", func(p *Person) { p.BirthDate = "1974-02-30" }, ValidationOptions{}, []string{"birth_date"}},
		{"birth date wrong layout", func(p *Person) { p.BirthDate = "12.08.1974" }, ValidationOptions{}, []string{"birth_date"}},
		{"under 18", func(p *Person) { p.BirthDate = "2008-07-02"; p.Document.MRZ = "" }, ValidationOptions{}, []string{"birth_date"}},
		{"18 today", func(p *Person) { p.BirthDate = "2008-07-01"; p.Document.MRZ = "" }, ValidationOptions{}, nil},
		{"min age 21", func(p *Person) { p.BirthDate = "2006-07-01"; p.Document.MRZ = "" }, ValidationOptions{MinAge: 21}, []string{"birth_date"}},
		{"older than 120", func(p *Person) { p.BirthDate = "1905-06-30"; p.Document.MRZ = "" }, ValidationOptions{}, []string{"birth_date"}},
		{"nationality not ISO", func(p *Person) { p.Nationality = "XX" }, ValidationOptions{}, []string{"nationality"}},
		{"nationality alpha-3", func(p *Person) { p.Nationality = "DEU" }, ValidationOptions{}, []string{"nationality"}},
		{"bad email", func(p *Person) { p.Email = "anna@localhost" }, ValidationOptions{}, []string{"email"}},
		{"email with name", func(p *Person) { p.Email = "Anna <anna@example.com>" }, ValidationOptions{}, []string{"email"}},
		{"phone not E.164", func(p *Person) { p.Phone = "015123456789" }, ValidationOptions{}, []string{"phone"}},
		{"phone rejected by checker", func(p *Person) {}, ValidationOptions{Phone: func(string, string) error { return Errorf(ECodeInvalid, "Enter a German number") }}, []string{"phone"}},
		{"missing address", func(p *Person) { p.Address = nil }, ValidationOptions{}, []string{"address"}},
		{"address fields", func(p *Person) { p.Address = &Address{PostalCode: "10115$", Country: "ZZ"} }, ValidationOptions{}, []string{"address.line1", "address.city", "address.postal_code", "address.country"}},
		{"bad currency", func(p *Person) { p.ExpectedMonthlyVolume = &Money{Amount: -1, Currency: "EURO"} }, ValidationOptions{}, []string{"expected_monthly_volume.amount", "expected_monthly_volume.currency"}},
		{"missing document", func(p *Person) { p.Document = nil }, ValidationOptions{}, []string{"document"}},
		{"document type", func(p *Person) { p.Document.Type = "visa"; p.Document.MRZ = "" }, ValidationOptions{}, []string{"document.type"}},
		{"document expired", func(p *Person) { p.Document.ExpiryDate = "2026-06-30"; p.Document.MRZ = "" }, ValidationOptions{}, []string{"document.expiry_date"}},
		{"document expires today", func(p *Person) { p.Document.ExpiryDate = "2026-07-01"; p.Document.MRZ = "" }, ValidationOptions{}, nil},
		{"document number charset", func(p *Person) { p.Document.Number = "C01X00T4#" }, ValidationOptions{}, []string{"document.number"}},
		{"issuing country", func(p *Person) { p.Document.IssuingCountry = "" }, ValidationOptions{}, []string{"document.issuing_country"}},
		{"mrz check digit", func(p *Person) { p.Document.MRZ = strings.Replace(p.Document.MRZ, "C01X00T47", "C01X00T48", 1) }, ValidationOptions{}, []string{"document.mrz"}},
		{"mrz other person", func(p *Person) { p.FamilyName = "Schmidt" }, ValidationOptions{}, []string{"document.mrz"}},
		{"mrz garbage", func(p *Person) { p.Document.MRZ = "hello" }, ValidationOptions{}, []string{"document.mrz"}},
		{"everything missing", func(p *Person) { *p = Person{} }, ValidationOptions{}, []string{"given_names", "family_name", "birth_date", "place_of_birth", "nationality", "address", "document"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := validPerson()
			tt.edit(p)
			got := fieldsOf(t, ValidateCustomer(CustomerIndividual, CustomerData{Individual: p}, testNow, tt.opts))
			var locs []string
			for l := range got {
				locs = append(locs, l)
			}
			slices.Sort(locs)
			want := slices.Clone(tt.fields)
			slices.Sort(want)
			if !slices.Equal(locs, want) {
				t.Fatalf("fields = %v, want %v (%v)", locs, want, got)
			}
		})
	}
}

func TestValidateBusiness(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		edit   func(b *Business)
		fields []string
	}{
		{"ok", func(b *Business) {}, nil},
		{"required fields", func(b *Business) {
			*b = Business{}
		}, []string{"legal_name", "registration_number", "incorporation_country", "incorporation_date", "legal_form", "industry", "address", "related_persons"}},
		{"incorporated in future", func(b *Business) { b.IncorporationDate = "2026-07-02" }, []string{"incorporation_date"}},
		{"industry NAICS", func(b *Business) { b.Industry = "522110" }, nil},
		{"industry NACE division", func(b *Business) { b.Industry = "92" }, nil},
		{"industry bad", func(b *Business) { b.Industry = "6419" }, []string{"industry"}},
		{"website", func(b *Business) { b.Website = "javascript:alert(1)" }, []string{"website"}},
		{"ownership over 100", func(b *Business) { b.RelatedPersons[1].OwnershipPercent = 41 }, []string{"related_persons", "related_persons[1].roles"}},
		{"owner without ubo role", func(b *Business) { b.RelatedPersons[1].OwnershipPercent = 25 }, []string{"related_persons[1].roles"}},
		{"percent out of range", func(b *Business) { b.RelatedPersons[1].OwnershipPercent = 101 }, []string{"related_persons[1].ownership_percent"}},
		{"no owner, director only", func(b *Business) {
			b.RelatedPersons[0].OwnershipPercent = 20
			b.RelatedPersons[0].Roles = []RelatedRole{RoleDirector}
		}, []string{"related_persons"}},
		{"no owner, senior managing official", func(b *Business) {
			b.RelatedPersons[0].OwnershipPercent = 20
			b.RelatedPersons[0].Roles = []RelatedRole{RoleSeniorManagingOfficial}
		}, nil},
		{"owner without control person", func(b *Business) {
			b.RelatedPersons[0].Roles = []RelatedRole{RoleUBO}
		}, []string{"related_persons"}},
		{"ubo without document", func(b *Business) { b.RelatedPersons[0].Document = nil }, []string{"related_persons[0].document"}},
		{"no owner no control", func(b *Business) {
			b.RelatedPersons[0].OwnershipPercent = 20
			b.RelatedPersons[0].Roles = []RelatedRole{RoleShareholder}
		}, []string{"related_persons"}},
		{"unknown role", func(b *Business) { b.RelatedPersons[1].Roles = []RelatedRole{"ceo"} }, []string{"related_persons[1].roles[0]"}},
		{"related person fields", func(b *Business) {
			b.RelatedPersons[1].Person = Person{}
		}, []string{"related_persons[1].given_names", "related_persons[1].family_name", "related_persons[1].birth_date", "related_persons[1].nationality", "related_persons[1].address"}},
		{"minor shareholder ok", func(b *Business) { b.RelatedPersons[1].BirthDate = "2015-01-01" }, nil},
		{"minor director", func(b *Business) { b.RelatedPersons[0].BirthDate = "2015-01-01" }, []string{"related_persons[0].birth_date"}},
		{"related document expired", func(b *Business) {
			b.RelatedPersons[1].Document = &IdentityDocument{Type: DocIDCard, Number: "L01X00T47", IssuingCountry: "DE", ExpiryDate: "2020-01-01"}
		}, []string{"related_persons[1].document.expiry_date"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := validBusiness()
			tt.edit(b)
			got := fieldsOf(t, ValidateCustomer(CustomerBusiness, CustomerData{Business: b}, testNow, ValidationOptions{}))
			var locs []string
			for l := range got {
				locs = append(locs, l)
			}
			slices.Sort(locs)
			want := slices.Clone(tt.fields)
			slices.Sort(want)
			if !slices.Equal(locs, want) {
				t.Fatalf("fields = %v, want %v (%v)", locs, want, got)
			}
		})
	}
}

func TestValidateType(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		typ  CustomerType
		data CustomerData
	}{
		{"robot", CustomerData{}},
		{CustomerIndividual, CustomerData{Individual: validPerson(), Business: validBusiness()}},
		{CustomerBusiness, CustomerData{Individual: validPerson(), Business: validBusiness()}},
	} {
		f := fieldsOf(t, ValidateDraft(tc.typ, tc.data, testNow, ValidationOptions{}))
		if _, ok := f["type"]; !ok {
			t.Errorf("%s: want a type error, got %v", tc.typ, f)
		}
	}
}

func TestValidateDraft(t *testing.T) {
	t.Parallel()
	if err := ValidateDraft(CustomerIndividual, CustomerData{}, testNow, ValidationOptions{}); err != nil {
		t.Fatalf("empty draft: %v", err)
	}
	if err := ValidateDraft(CustomerBusiness, CustomerData{Business: &Business{LegalName: "Acme"}}, testNow, ValidationOptions{}); err != nil {
		t.Fatalf("partial business draft: %v", err)
	}
	// Rules of the whole record wait for submission.
	p := &Person{GivenNames: "Anna", BirthDate: "2015-01-01", Document: &IdentityDocument{ExpiryDate: "2020-01-01"}}
	if err := ValidateDraft(CustomerIndividual, CustomerData{Individual: p}, testNow, ValidationOptions{}); err != nil {
		t.Fatalf("draft with a minor and an expired document: %v", err)
	}
	bad := &Person{GivenNames: "4nna", BirthDate: "2030-01-01", Nationality: "ZZ", Email: "x", Phone: "123",
		Address: &Address{Country: "de"}, Document: &IdentityDocument{Type: "visa", ExpiryDate: "soon", MRZ: "P<"}}
	got := fieldsOf(t, ValidateDraft(CustomerIndividual, CustomerData{Individual: bad}, testNow, ValidationOptions{}))
	for _, loc := range []string{"given_names", "birth_date", "nationality", "email", "phone", "address.country", "document.type", "document.expiry_date", "document.mrz"} {
		if _, ok := got[loc]; !ok {
			t.Errorf("draft: no error at %s (%v)", loc, got)
		}
	}
	for _, loc := range []string{"family_name", "address.line1", "document.number"} {
		if _, ok := got[loc]; ok {
			t.Errorf("draft: missing field %s reported", loc)
		}
	}
	b := validBusiness()
	b.RelatedPersons[0].OwnershipPercent = 95
	got = fieldsOf(t, ValidateDraft(CustomerBusiness, CustomerData{Business: b}, testNow, ValidationOptions{}))
	if _, ok := got["related_persons"]; !ok {
		t.Errorf("draft: ownership over 100 not reported: %v", got)
	}
}

func TestNameProblem(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"Anna", true}, {"O'Brien", true}, {"Jean-Luc", true}, {"J. R. R.", true}, {"D’Arcy", true},
		{"Zoë", true}, {"Владимир", true}, {"محمد", true}, {"王", true}, {"अनिल", true},
		{"", false}, {" ", false}, {"Anna1", false}, {"Anna_B", false}, {"<script>", false}, {"'-", false},
		{strings.Repeat("é", 100), true}, {strings.Repeat("é", 101), false},
	} {
		if got := NameProblem(tc.name) == ""; got != tc.ok {
			t.Errorf("NameProblem(%q) ok = %v, want %v", tc.name, got, tc.ok)
		}
	}
}

func TestAge(t *testing.T) {
	t.Parallel()
	d := func(s string) time.Time { x, _ := ParseDate(s); return x }
	for _, tc := range []struct {
		birth string
		now   time.Time
		want  int
	}{
		{"2008-07-01", testNow, 18},
		{"2008-07-02", testNow, 17},
		{"2008-02-29", time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC), 17},
		{"2008-02-29", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), 18},
	} {
		if got := Age(d(tc.birth), tc.now); got != tc.want {
			t.Errorf("Age(%s, %s) = %d, want %d", tc.birth, tc.now.Format(DateLayout), got, tc.want)
		}
	}
}

func TestSmallValidators(t *testing.T) {
	t.Parallel()
	emails := map[string]bool{"a@example.com": true, "a.b+c@sub.example.org": true, "a@b": false, "@example.com": false, "a@@example.com": false, "a@example..com": false, "a b@example.com": false}
	for s, want := range emails {
		if ValidEmail(s) != want {
			t.Errorf("ValidEmail(%q) != %v", s, want)
		}
	}
	phones := map[string]bool{"+4915123456789": true, "+14155552671": true, "4915123456789": false, "+0123456789": false, "+1234567890123456": false, "+49 151": false}
	for s, want := range phones {
		if ValidE164(s) != want {
			t.Errorf("ValidE164(%q) != %v", s, want)
		}
	}
	industries := map[string]bool{"64.19": true, "92": true, "64.1": true, "522110": true, "7132": true, "00": false, "64.199": false, "6419": false, "A": false, "9999999": false, "64.": false}
	for s, want := range industries {
		if ValidIndustryCode(s) != want {
			t.Errorf("ValidIndustryCode(%q) != %v", s, want)
		}
	}
	for _, c := range []string{"EUR", "USD", "JPY", "CHF"} {
		if !ValidCurrency(c) {
			t.Errorf("ValidCurrency(%s) = false", c)
		}
	}
	for _, c := range []string{"EURO", "eur", "XXX", "DEM", ""} {
		if ValidCurrency(c) {
			t.Errorf("ValidCurrency(%q) = true", c)
		}
	}
}

func TestNormalizeCustomer(t *testing.T) {
	t.Parallel()
	p := &Person{GivenNames: "  Anna   Maria ", Nationality: " de", Phone: "+49 (151) 234-567 89",
		Address: &Address{Country: "de "}, ExpectedMonthlyVolume: &Money{Currency: "eur"},
		Document: &IdentityDocument{Type: " Passport", Number: "c01x 00t47", IssuingCountry: "de", MRZ: "p<uto \r\nline2\n\n"}}
	d := CustomerData{Individual: p}
	NormalizeCustomer(&d)
	if p.GivenNames != "Anna Maria" || p.Nationality != "DE" || p.Phone != "+4915123456789" || p.Address.Country != "DE" ||
		p.ExpectedMonthlyVolume.Currency != "EUR" || p.Document.Type != DocPassport || p.Document.Number != "C01X00T47" ||
		p.Document.IssuingCountry != "DE" || p.Document.MRZ != "P<UTO\nLINE2" {
		t.Fatalf("normalized: %+v %+v", p, p.Document)
	}
}

func TestCountries(t *testing.T) {
	t.Parallel()
	cs := Countries()
	if len(cs) != 250 {
		t.Fatalf("len(Countries()) = %d, want 249 ISO codes plus XK", len(cs))
	}
	if cs[0].Code != "AF" || cs[1].Code != "AX" {
		t.Errorf("sorted by folded name: first %v %v", cs[0], cs[1])
	}
	seen := map[string]bool{}
	for _, c := range cs {
		if seen[c.Code] || len(c.Code) != 2 || c.Name == "" || !ValidCountry(c.Code) {
			t.Errorf("bad country %+v", c)
		}
		seen[c.Code] = true
		if a3 := CountryAlpha3(c.Code); CountryFromAlpha3(a3) != c.Code {
			t.Errorf("alpha-3 round trip of %s via %s", c.Code, a3)
		}
	}
	for code, name := range map[string]string{"DE": "Germany", "KP": "North Korea (Democratic People's Republic of Korea)", "CI": "Côte d'Ivoire", "ZZ": ""} {
		if got := CountryName(code); got != name {
			t.Errorf("CountryName(%s) = %q", code, got)
		}
	}
	for a3, a2 := range map[string]string{"D": "DE", "D<<": "DE", "GBD": "GB", "RKS": "XK", "XXA": "", "UTO": "", "DEU": "DE"} {
		if got := CountryFromAlpha3(a3); got != a2 {
			t.Errorf("CountryFromAlpha3(%s) = %q, want %q", a3, got, a2)
		}
	}
	if ValidCountry("de") || ValidCountry("UK") || ValidCountry("") {
		t.Error("ValidCountry accepts a bad code")
	}
}
