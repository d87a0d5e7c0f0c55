package domain

import (
	"strings"
	"unicode"
)

// NormalizeCustomer tidies user input in place before validation: trims
// spaces everywhere, collapses runs of spaces in names, upper-cases country,
// currency and document codes, strips spaces and punctuation from phone and
// document numbers, and normalises line breaks in the MRZ.
func NormalizeCustomer(d *CustomerData) {
	if d.Individual != nil {
		normalizePerson(d.Individual)
	}
	if b := d.Business; b != nil {
		b.LegalName = collapse(b.LegalName)
		b.RegistrationNumber = strings.TrimSpace(b.RegistrationNumber)
		b.IncorporationCountry = upper(b.IncorporationCountry)
		b.IncorporationDate = strings.TrimSpace(b.IncorporationDate)
		b.LegalForm = strings.TrimSpace(b.LegalForm)
		b.Industry = strings.TrimSpace(b.Industry)
		b.Website = strings.TrimSpace(b.Website)
		b.Email = strings.TrimSpace(b.Email)
		b.Phone = normalizePhone(b.Phone)
		b.SourceOfFunds = strings.TrimSpace(b.SourceOfFunds)
		normalizeAddress(b.Address)
		normalizeMoney(b.ExpectedMonthlyVolume)
		for i := range b.RelatedPersons {
			normalizeParty(&b.RelatedPersons[i])
		}
	}
}

func normalizePerson(p *Person) {
	p.GivenNames = collapse(p.GivenNames)
	p.FamilyName = collapse(p.FamilyName)
	p.BirthDate = strings.TrimSpace(p.BirthDate)
	p.Nationality = upper(p.Nationality)
	others := p.OtherNationalities[:0]
	for _, c := range p.OtherNationalities {
		if c = upper(c); c != "" {
			others = append(others, c)
		}
	}
	p.OtherNationalities = others
	if len(others) == 0 {
		p.OtherNationalities = nil
	}
	if pob := p.PlaceOfBirth; pob != nil {
		pob.City = collapse(pob.City)
		pob.Country = upper(pob.Country)
		if pob.City == "" && pob.Country == "" {
			p.PlaceOfBirth = nil
		}
	}
	p.SourceOfWealth = strings.TrimSpace(p.SourceOfWealth)
	p.Email = strings.TrimSpace(p.Email)
	p.Phone = normalizePhone(p.Phone)
	p.Occupation = strings.TrimSpace(p.Occupation)
	p.TaxID = strings.TrimSpace(p.TaxID)
	p.SourceOfFunds = strings.TrimSpace(p.SourceOfFunds)
	normalizeAddress(p.Address)
	normalizeMoney(p.ExpectedMonthlyVolume)
	if doc := p.Document; doc != nil {
		doc.Type = DocumentType(strings.ToLower(strings.TrimSpace(string(doc.Type))))
		doc.Number = strings.Map(func(r rune) rune {
			if r == ' ' || r == '-' {
				return -1
			}
			return unicode.ToUpper(r)
		}, strings.TrimSpace(doc.Number))
		doc.IssuingCountry = upper(doc.IssuingCountry)
		doc.ExpiryDate = strings.TrimSpace(doc.ExpiryDate)
		doc.MRZ = NormalizeMRZ(doc.MRZ)
	}
}

func normalizeAddress(a *Address) {
	if a == nil {
		return
	}
	a.Line1 = collapse(a.Line1)
	a.Line2 = collapse(a.Line2)
	a.City = collapse(a.City)
	a.PostalCode = strings.ToUpper(collapse(a.PostalCode))
	a.Region = collapse(a.Region)
	a.Country = upper(a.Country)
}

func normalizeMoney(m *Money) {
	if m != nil {
		m.Currency = upper(m.Currency)
	}
}

func upper(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// collapse trims s and replaces each run of white space by one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// normalizePhone removes the usual formatting (spaces, hyphens, periods,
// parentheses) and turns a leading "00" into "+".
func normalizePhone(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '.', '(', ')', '/', '\u00a0':
			return -1
		}
		return r
	}, s)
	if strings.HasPrefix(s, "00") {
		s = "+" + s[2:]
	}
	return s
}
