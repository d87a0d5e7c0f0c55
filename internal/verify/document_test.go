package verify

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
)

var now = time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)

// td3 builds a passport MRZ with correct check digits.
func td3(state, surname, given, number, nat, birth, expiry string) string {
	pad := func(s string, n int) string { return s + strings.Repeat("<", n-len(s)) }
	d := func(s string) string { return string(rune('0' + domain.MRZCheckDigit(s))) }
	l1 := pad("P<"+state+strings.ReplaceAll(surname, " ", "<")+"<<"+strings.ReplaceAll(given, " ", "<"), 44)
	num := pad(number, 9)
	l2 := num + d(num) + nat + birth + d(birth) + "F" + expiry + d(expiry) + pad("", 14) + "<"
	return l1 + "\n" + l2 + d(l2[0:10]+l2[13:20]+l2[21:43])
}

func person() domain.Person {
	return domain.Person{
		GivenNames: "Erika", FamilyName: "Mustermann", BirthDate: "1983-08-12", Nationality: "DE",
		Address: &domain.Address{Line1: "Heidestraße 17", City: "Köln", Country: "DE"},
		Document: &domain.IdentityDocument{Type: domain.DocPassport, Number: "C01X00T47", IssuingCountry: "DE", ExpiryDate: "2031-01-31",
			MRZ: td3("D<<", "MUSTERMANN", "ERIKA", "C01X00T47", "D<<", "830812", "310131")},
	}
}

func individual(edit func(p *domain.Person)) *domain.Customer {
	p := person()
	p.Document = new(*p.Document)
	edit(&p)
	return &domain.Customer{ID: "cus_1", Type: domain.CustomerIndividual, Data: domain.CustomerData{Individual: &p}}
}

func TestDocumentIndividual(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		edit    func(p *domain.Person)
		status  domain.CheckStatus
		summary string
	}{
		{"all good", func(p *domain.Person) {}, domain.CheckPassed, "Document checks passed"},
		{"id card without MRZ", func(p *domain.Person) { p.Document.Type = domain.DocIDCard; p.Document.MRZ = "" }, domain.CheckPassed, "passed"},
		{"passport without MRZ", func(p *domain.Person) { p.Document.MRZ = "" }, domain.CheckNeedsReview, "No MRZ given for a passport"},
		{"no document", func(p *domain.Person) { p.Document = nil }, domain.CheckNeedsReview, "No identity document given"},
		{"expired", func(p *domain.Person) { p.Document.ExpiryDate = "2026-06-30"; p.Document.MRZ = "" }, domain.CheckFailed, "Document expired"},
		{"under age", func(p *domain.Person) { p.BirthDate = "2010-01-01"; p.Document.MRZ = "" }, domain.CheckFailed, "Under the minimum age of 18"},
		{"MRZ check digit", func(p *domain.Person) { p.Document.MRZ = strings.Replace(p.Document.MRZ, "C01X00T47", "C01X00T48", 1) }, domain.CheckFailed, "MRZ invalid"},
		{"MRZ mismatch", func(p *domain.Person) { p.BirthDate = "1983-08-13" }, domain.CheckFailed, "MRZ does not match the form (date of birth)"},
		{"number format", func(p *domain.Person) {
			p.Document.Type = domain.DocIDCard
			p.Document.Number = "A1B2C3D4E"
			p.Document.MRZ = ""
		}, domain.CheckNeedsReview, "format of a DE id card"},
	}
	p := NewDocument(DocumentOptions{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := p.Verify(context.Background(), Request{Customer: individual(tt.edit), Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tt.status || !strings.Contains(res.Summary, tt.summary) {
				t.Fatalf("got %s %q, want %s containing %q", res.Status, res.Summary, tt.status, tt.summary)
			}
			js, err := json.Marshal(res.Details)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(res.Summary, "Mustermann") || strings.Contains(res.Summary, "C01X00T47") {
				t.Errorf("summary holds personal data: %s", res.Summary)
			}
			if !strings.Contains(string(js), `"subject":"customer"`) {
				t.Errorf("details: %s", js)
			}
		})
	}
}

func TestDocumentMinAge(t *testing.T) {
	t.Parallel()
	res, _ := NewDocument(DocumentOptions{MinAge: 50}).Verify(context.Background(), Request{Customer: individual(func(p *domain.Person) {}), Now: now})
	if res.Status != domain.CheckFailed {
		t.Fatalf("status %s, want failed", res.Status)
	}
}

func TestDocumentBusiness(t *testing.T) {
	t.Parallel()
	biz := func(edit func(b *domain.Business)) *domain.Customer {
		rp := person()
		rp.Document = new(*rp.Document)
		b := &domain.Business{LegalName: "Acme GmbH", RegistrationNumber: "HRB 1", IncorporationDate: "2010-01-01",
			RelatedPersons: []domain.RelatedPerson{
				{ID: "rp1", Person: rp, Roles: []domain.RelatedRole{domain.RoleUBO}, OwnershipPercent: 100},
				{ID: "rp2", Person: domain.Person{GivenNames: "Max", FamilyName: "Muster", BirthDate: "1980-01-01",
					Document: &domain.IdentityDocument{Type: domain.DocIDCard, Number: "L01X00T47", IssuingCountry: "DE", ExpiryDate: "2031-01-31"}}, Roles: []domain.RelatedRole{domain.RoleDirector}},
				{ID: "rp3", Person: domain.Person{GivenNames: "Sven", FamilyName: "Small", BirthDate: "1990-01-01"}, Roles: []domain.RelatedRole{domain.RoleShareholder}, OwnershipPercent: 5},
			}}
		edit(b)
		return &domain.Customer{Type: domain.CustomerBusiness, Data: domain.CustomerData{Business: b}}
	}
	tests := []struct {
		name    string
		edit    func(b *domain.Business)
		status  domain.CheckStatus
		summary string
	}{
		{"all good", func(b *domain.Business) {}, domain.CheckPassed, "passed"},
		{"no registration number", func(b *domain.Business) { b.RegistrationNumber = "" }, domain.CheckNeedsReview, "No registration number"},
		{"incorporated in future", func(b *domain.Business) { b.IncorporationDate = "2027-01-01" }, domain.CheckFailed, "Incorporation date in the future"},
		{"related person document expired", func(b *domain.Business) {
			b.RelatedPersons[0].Document.ExpiryDate = "2020-01-01"
			b.RelatedPersons[0].Document.MRZ = ""
		}, domain.CheckFailed, "related_persons[0]: Document expired"},
		{"related person MRZ mismatch", func(b *domain.Business) { b.RelatedPersons[0].FamilyName = "Other" }, domain.CheckFailed, "related_persons[0]: MRZ does not match the form (family name)"},
		{"minor UBO is fine", func(b *domain.Business) {
			b.RelatedPersons[0].BirthDate = "2015-01-01"
			b.RelatedPersons[0].Document.MRZ = ""
			b.RelatedPersons[0].Document.Type = domain.DocIDCard
		}, domain.CheckPassed, "passed"},
		// Every control person is verified, with or without a document
		// (PRODUCT.md section 5: every ubo and control person, one result
		// per person); it was skipped when it gave none.
		{"control person without a document", func(b *domain.Business) { b.RelatedPersons[1].Document = nil }, domain.CheckNeedsReview, "related_persons[1]: No identity document given"},
	}
	p := NewDocument(DocumentOptions{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := p.Verify(context.Background(), Request{Customer: biz(tt.edit), Now: now})
			if err != nil {
				t.Fatal(err)
			}
			// One result per beneficial owner and control person; the
			// small shareholder without a document is not verified.
			det := res.Details.(DocumentDetails)
			if len(det.Persons) != 2 || det.Persons[0].ID != "rp1" || det.Persons[1].ID != "rp2" {
				t.Fatalf("persons %+v", det.Persons)
			}
			worst := domain.CheckPassed
			for _, pr := range det.Persons {
				worst = worse(worst, pr.Status)
			}
			if worse(worst, tt.status) != tt.status {
				t.Fatalf("a person's result %s is worse than the check's %s", worst, tt.status)
			}
			if res.Status != tt.status || !strings.Contains(res.Summary, tt.summary) {
				t.Fatalf("got %s %q, want %s containing %q", res.Status, res.Summary, tt.status, tt.summary)
			}
		})
	}
}

func TestDocumentErrors(t *testing.T) {
	t.Parallel()
	p := NewDocument(DocumentOptions{})
	if p.Name() != "document" {
		t.Errorf("Name() = %q", p.Name())
	}
	if _, err := p.Verify(context.Background(), Request{Customer: &domain.Customer{Type: domain.CustomerIndividual}, Now: now}); err == nil {
		t.Error("no error for a customer without data")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Verify(ctx, Request{Customer: individual(func(*domain.Person) {}), Now: now}); err == nil {
		t.Error("no error for a cancelled context")
	}
}

func TestNumberFormatProblem(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		typ          domain.DocumentType
		country, num string
		ok           bool
	}{
		{domain.DocPassport, "DE", "C01X00T47", true},
		{domain.DocPassport, "DE", "C01X00T4", false},
		{domain.DocPassport, "GB", "123456789", true},
		{domain.DocPassport, "GB", "12345678A", false},
		{domain.DocPassport, "FR", "19AB12345", true},
		{domain.DocPassport, "JP", "TK1234567", true},
		{domain.DocPassport, "JP", "TK12345678", false},
		{domain.DocDrivingLicence, "US", "D1234567", true},
		{domain.DocResidencePermit, "GB", "ZU1234567", true},
		{"visa", "GB", "ZU1234567", false},
	} {
		if got := NumberFormatProblem(tc.typ, tc.country, tc.num) == ""; got != tc.ok {
			t.Errorf("NumberFormatProblem(%s, %s, %s) ok = %v", tc.typ, tc.country, tc.num, got)
		}
	}
}
