package goaml

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
)

var when = time.Date(2026, 3, 9, 14, 30, 0, 0, time.UTC)

func entity() Entity {
	return Entity{ID: "4711", Branch: "Head office", CurrencyLocal: "EUR",
		ReportingPerson: &ReportingPerson{FirstName: "Mara", LastName: "Lindqvist", Email: "mlro@example.com", Occupation: "MLRO"},
		TransmodeCodes:  map[domain.TxChannel]string{domain.TxCash: "K", domain.TxWire: "A"}}
}

func person() *domain.Customer {
	return &domain.Customer{ID: "cus_1", Type: domain.CustomerIndividual, Data: domain.CustomerData{Individual: &domain.Person{
		GivenNames: "Anna Maria", FamilyName: "Muster", BirthDate: "1980-04-01", Nationality: "DE", Email: "anna@example.com",
		Occupation: "Engineer", Address: &domain.Address{Line1: "Hauptstraße 1", City: "Berlin", PostalCode: "10115", Country: "DE"},
		Document: &domain.IdentityDocument{Type: domain.DocPassport, Number: "C01X00T47", IssuingCountry: "DE", ExpiryDate: "2030-01-01"},
	}}}
}

func business() *domain.Customer {
	return &domain.Customer{ID: "cus_2", Type: domain.CustomerBusiness, Data: domain.CustomerData{Business: &domain.Business{
		LegalName: "Acme Trading GmbH", RegistrationNumber: "HRB 12345", IncorporationCountry: "DE", IncorporationDate: "2015-06-01",
		LegalForm: "GmbH", Industry: "46.90", Website: "https://acme.example", Address: &domain.Address{Line1: "Marktplatz 3", City: "Hamburg", Country: "DE"},
		RelatedPersons: []domain.RelatedPerson{{Person: domain.Person{GivenNames: "Jon", FamilyName: "Doe", BirthDate: "1970-01-01", Nationality: "GB"},
			Roles: []domain.RelatedRole{domain.RoleDirector, domain.RoleUBO}, OwnershipPercent: 60}},
	}}}
}

func transactions() []Transaction {
	return []Transaction{
		{Transaction: domain.Transaction{ID: "txn_1", ExternalID: "ext-1", Amount: 950000, Currency: "EUR", Direction: domain.TxIn, Channel: domain.TxCash,
			Counterparty: domain.Counterparty{Name: "Walter  Weiss", Country: "AT", Type: domain.CounterpartyPerson}, OccurredAt: when.Add(-48 * time.Hour)},
			AmountLocal: 950000, Description: "structuring"},
		{Transaction: domain.Transaction{ID: "txn_2", ExternalID: "ext-2", Amount: 1150000, Currency: "USD", Direction: domain.TxOut, Channel: domain.TxWire,
			Counterparty: domain.Counterparty{Name: "Kish Holding & Co <Ltd>", Country: "IR", Account: "IR000000000000000000"}, OccurredAt: when.Add(-24 * time.Hour)},
			AmountLocal: 1000000, ExchangeRate: "1.15"},
	}
}

func report(subject *domain.Customer) Report {
	return Report{Code: domain.ReportSTR, EntityReference: "rep_1", SubmissionDate: when, Subject: subject,
		Reason:       "Three cash deposits just below the threshold, then a wire to Iran.",
		Transactions: transactions(), Indicators: []string{"STRUC", "HRCTY"}}
}

// xmllint validates doc against the embedded schema with libxml2, when
// installed; it reports whether it ran and whether the document was valid.
func xmllint(t *testing.T, doc []byte) (ran, valid bool, out string) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		return false, false, ""
	}
	dir := t.TempDir()
	xsd, xmlf := filepath.Join(dir, "goaml.xsd"), filepath.Join(dir, "report.xml")
	if err := os.WriteFile(xsd, SchemaXSD(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(xmlf, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	o, err := exec.Command(bin, "--noout", "--nonet", "--schema", xsd, xmlf).CombinedOutput()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("xmllint: %v", err)
	}
	return true, err == nil, string(o)
}

func TestBuildPersonReport(t *testing.T) {
	t.Parallel()
	doc, err := Build(entity(), report(person()))
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	s := string(doc)
	for _, want := range []string{
		"<rentity_id>4711</rentity_id>", "<submission_code>E</submission_code>", "<report_code>STR</report_code>",
		"<entity_reference>rep_1</entity_reference>", "<submission_date>2026-03-09T14:30:00</submission_date>",
		"<currency_code_local>EUR</currency_code_local>", "<reason>Three cash deposits just below the threshold, then a wire to Iran.</reason>",
		// Incoming cash: the counterparty (a person) gives to my client.
		"<transactionnumber>ext-1</transactionnumber>", "<transmode_code>K</transmode_code>", "<amount_local>9500.00</amount_local>",
		"<t_from>", "<first_name>Walter</first_name>", "<last_name>Weiss</last_name>", "<from_country>AT</from_country>",
		"<t_to_my_client>", "<first_name>Anna</first_name>", "<middle_name>Maria</middle_name>", "<birthdate>1980-04-01T00:00:00</birthdate>",
		"<passport_number>C01X00T47</passport_number>", "<to_country>DE</to_country>",
		// Outgoing wire in USD: my client gives to an entity in Iran.
		"<t_from_my_client>", "<foreign_currency_code>USD</foreign_currency_code>", "<foreign_amount>11500.00</foreign_amount>",
		"<foreign_exchange_rate>1.15</foreign_exchange_rate>", "<amount_local>10000.00</amount_local>",
		"<name>Kish Holding &amp; Co &lt;Ltd&gt;</name>", "<to_country>IR</to_country>", "<comments>Counterparty account: IR000000000000000000</comments>",
		"<indicator>STRUC</indicator>", "<indicator>HRCTY</indicator>", "<first_name>Mara</first_name>",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %s", want)
		}
	}
	if err := Validate(doc); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if ran, ok, out := xmllint(t, doc); ran && !ok {
		t.Fatalf("xmllint refuses what the validator accepts:\n%s\n%s", out, doc)
	}
}

func TestBuildBusinessReport(t *testing.T) {
	t.Parallel()
	e := entity()
	e.ReportingPerson = nil
	doc, err := Build(e, report(business()))
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	for _, want := range []string{"<to_entity>", "<name>Acme Trading GmbH</name>", "<incorporation_number>HRB 12345</incorporation_number>",
		"<incorporation_legal_form>GmbH</incorporation_legal_form>", "<director_id>", "<role>DIRECTOR</role>", "Roles: director, ubo; ownership 60%",
		"<incorporation_country_code>DE</incorporation_country_code>", "<address_type>B</address_type>"} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("report lacks %s", want)
		}
	}
	if strings.Contains(string(doc), "reporting_person") {
		t.Error("reporting_person written without one configured")
	}
	if ran, ok, out := xmllint(t, doc); ran && !ok {
		t.Fatalf("xmllint: %s", out)
	}
}

func TestBuildRefusesIncompleteInput(t *testing.T) {
	t.Parallel()
	e := entity()
	e.ID = "ACME"
	r := report(person())
	r.Reason, r.Transactions, r.Indicators = " ", nil, nil
	_, err := Build(e, r)
	for _, want := range []string{"KYC_GOAML_RENTITY_ID", "reason is missing", "at least one transaction", "at least one indicator"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
	// Data the schema needs but the subject lacks fails validation, naming
	// the element.
	c := business()
	c.Data.Business.RegistrationNumber = ""
	_, err = Build(entity(), report(c))
	var ve *ValidationError
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "incorporation_number: must not be empty") {
		t.Fatalf("empty registration number: %v", err)
	}
}

// The schema's required elements are enforced: a report missing one, or
// breaking a type, fails validation, here and in libxml2 alike.
func TestValidationRefusesBrokenReports(t *testing.T) {
	t.Parallel()
	good, err := Build(entity(), report(person()))
	if err != nil {
		t.Fatal(err)
	}
	remove := func(elem string) []byte {
		re := regexp.MustCompile(`(?s)\s*<` + elem + `>.*?</` + elem + `>`)
		loc := re.FindIndex(good)
		if loc == nil {
			t.Fatalf("no <%s> in the report", elem)
		}
		return append(append([]byte{}, good[:loc[0]]...), good[loc[1]:]...)
	}
	replace := func(old, new string) []byte {
		if !bytes.Contains(good, []byte(old)) {
			t.Fatalf("no %s in the report", old)
		}
		return bytes.Replace(good, []byte(old), []byte(new), 1)
	}
	tests := []struct {
		name string
		doc  []byte
		want string
	}{
		{"missing submission_code", remove("submission_code"), "/report: unexpected <report_code>; expected <submission_code>"},
		{"missing report_indicators", remove("report_indicators"), "/report: missing <report_indicators> or <transaction>"},
		{"missing from_country", remove("from_country"), "/report/transaction[1]/t_from: missing <from_country>"},
		{"missing birthdate of the client", remove("birthdate"), "/report/transaction[1]/t_to_my_client/to_person: unexpected <passport_number>; expected <birthdate>"},
		{"missing both parties", remove("t_from"), "/report/transaction[1]: unexpected <t_to_my_client>; expected <t_from> or <t_from_my_client>"},
		{"unknown report code", replace("<report_code>STR</report_code>", "<report_code>XYZ</report_code>"), `/report/report_code: "XYZ" is not one of STR`},
		{"rentity_id not a number", replace("<rentity_id>4711</rentity_id>", "<rentity_id>ACME</rentity_id>"), `/report/rentity_id: "ACME" is not a whole number`},
		{"bad date", replace("<submission_date>2026-03-09T14:30:00</submission_date>", "<submission_date>2026-02-30T14:30:00</submission_date>"), "is not a date and time"},
		{"bad amount", replace("<amount_local>9500.00</amount_local>", "<amount_local>9.500,00</amount_local>"), "/report/transaction[1]/amount_local"},
		{"bad country", replace("<from_country>AT</from_country>", "<from_country>Austria</from_country>"), `"Austria" does not match the pattern [A-Z]{2}`},
		{"too long", replace("<first_name>Walter</first_name>", "<first_name>"+strings.Repeat("W", 101)+"</first_name>"), "must be at most 100 characters long, is 101"},
		{"unknown element", replace("<reason>", "<secret>x</secret><reason>"), "/report: unexpected <secret>"},
		{"out of order", replace("<report_code>STR</report_code>", "<report_code>STR</report_code><rentity_branch>x</rentity_branch>"), "unexpected <rentity_branch>"},
		{"text in a complex element", replace("<t_from>", "<t_from>oops"), "/report/transaction[1]/t_from: must hold elements, not text"},
		{"attribute", replace("<report>", `<report version="1">`), "attribute version is not allowed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := Validate(tc.doc)
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate: %v", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q lacks %q", err, tc.want)
			}
			if ran, ok, out := xmllint(t, tc.doc); ran && ok {
				t.Fatalf("xmllint accepts what the validator refuses: %s", out)
			}
		})
	}
}

func TestValidateRefusesDoctype(t *testing.T) {
	t.Parallel()
	doc := []byte(`<?xml version="1.0"?><!DOCTYPE report [<!ENTITY x SYSTEM "file:///etc/passwd">]><report>&x;</report>`)
	if err := Validate(doc); err == nil || !strings.Contains(err.Error(), "DOCTYPE") {
		t.Fatalf("DOCTYPE: %v", err)
	}
	if err := Validate([]byte("<report><a></report>")); err == nil || !strings.Contains(err.Error(), "not well-formed") {
		t.Fatalf("malformed: %v", err)
	}
}

func TestLoadSchemaRefusesUnsupported(t *testing.T) {
	t.Parallel()
	head := `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">`
	for name, body := range map[string]string{
		"xs:all":           `<xs:complexType name="a"><xs:all><xs:element name="b" type="xs:string"/></xs:all></xs:complexType>`,
		"attribute":        `<xs:complexType name="a"><xs:sequence><xs:element name="b" type="xs:string"/></xs:sequence><xs:attribute name="c"/></xs:complexType>`,
		"fixed":            `<xs:element name="a" type="xs:string" fixed="x"/>`,
		"unknown type":     `<xs:element name="a" type="nope"/>`,
		"unknown facet":    `<xs:simpleType name="a"><xs:restriction base="xs:string"><xs:whiteSpace value="collapse"/></xs:restriction></xs:simpleType>`,
		"unsupported base": `<xs:simpleType name="a"><xs:restriction base="xs:token"/></xs:simpleType>`,
		"inline type":      `<xs:element name="a"><xs:complexType><xs:sequence/></xs:complexType></xs:element>`,
		"import":           `<xs:import namespace="x"/>`,
		"conflicting decl": `<xs:complexType name="a"><xs:sequence><xs:element name="b" type="xs:string"/><xs:element name="b" type="xs:int"/></xs:sequence></xs:complexType>`,
	} {
		if _, err := LoadSchema(strings.NewReader(head + body + `</xs:schema>`)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestContentModels(t *testing.T) {
	t.Parallel()
	s, err := LoadSchema(strings.NewReader(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
<xs:element name="r" type="r"/>
<xs:complexType name="r"><xs:sequence>
  <xs:element name="a" type="xs:string" minOccurs="2" maxOccurs="3"/>
  <xs:choice minOccurs="0" maxOccurs="unbounded"><xs:element name="b" type="xs:boolean"/><xs:sequence><xs:element name="c" type="xs:date"/><xs:element name="d" type="xs:int" minOccurs="0"/></xs:sequence></xs:choice>
  <xs:element name="e" type="xs:decimal"/>
</xs:sequence></xs:complexType></xs:schema>`))
	if err != nil {
		t.Fatal(err)
	}
	good := []string{
		"<r><a/><a/><e>1</e></r>",
		"<r><a/><a/><a/><b>true</b><c>2026-01-01</c><b>0</b><c>2026-01-02</c><d>7</d><e>-1.5</e></r>",
	}
	bad := map[string]string{
		"<r><a/><e>1</e></r>":                                "unexpected <e>; expected <a>",
		"<r><a/><a/><a/><a/><e>1</e></r>":                    "unexpected <a>",
		"<r><a/><a/><d>1</d><e>1</e></r>":                    "unexpected <d>",
		"<r><a/><a/><b>yes</b><e>1</e></r>":                  `"yes" is not true or false`,
		"<r><a/><a/><c>2026-13-01</c><e>1</e></r>":           "is not a date",
		"<r><a/><a/><e>1</e><e>2</e></r>":                    "unexpected <e>",
		"<r><a/><a/></r>":                                    "missing",
		"<r><a/><a/><c>2026-01-01</c><d>1e3</d><e>1</e></r>": "is not a whole number",
		"<x/>": "is not an element the schema declares",
	}
	for _, g := range good {
		if err := s.Validate([]byte(g)); err != nil {
			t.Errorf("%s: %v", g, err)
		}
	}
	for doc, want := range bad {
		if err := s.Validate([]byte(doc)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", doc, err, want)
		}
	}
}

func FuzzValidate(f *testing.F) {
	good, err := Build(entity(), report(person()))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte("<report/>"))
	f.Fuzz(func(t *testing.T, doc []byte) {
		_ = Validate(doc)
	})
}
