// Package goaml builds suspicious-transaction reports in UNODC's goAML XML
// format and validates them against goaml.xsd, the subset of the goAML
// schema the reports use (its header names the documentation it was written
// from). It is pure: app hands it the case's customer, transactions and the
// analyst's reason, and stores the bytes.
package goaml

import (
	"bytes"
	_ "embed"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/kyc-platform/kyc/internal/domain"
)

//go:embed goaml.xsd
var schemaXSD []byte

// SchemaXSD returns the schema the reports are validated against.
func SchemaXSD() []byte { return bytes.Clone(schemaXSD) }

var loadSchema = sync.OnceValues(func() (*Schema, error) { return LoadSchema(bytes.NewReader(schemaXSD)) })

// Validate checks a report against the embedded schema.
func Validate(doc []byte) error {
	s, err := loadSchema()
	if err != nil {
		return err
	}
	return s.Validate(doc)
}

// Entity is the reporting entity, from configuration (KYC_GOAML_*).
type Entity struct {
	// ID is the reporting entity's goAML id, issued by the FIU (a number).
	ID string
	// Branch is optional.
	Branch string
	// CurrencyLocal is the FIU's local currency; amount_local is in it.
	CurrencyLocal string
	// ReportingPerson is the compliance officer named in the report
	// (optional; some FIUs require it).
	ReportingPerson *ReportingPerson
	// TransmodeCodes maps a channel to the FIU's conduction code, FundsCodes
	// to its funds-type code; a channel missing from a map is written upper
	// case ("CASH").
	TransmodeCodes map[domain.TxChannel]string
	FundsCodes     map[domain.TxChannel]string
	// AddressType is the FIU's address-type code for a residential or
	// business address (default "H" for a person, "B" for an entity).
	PersonAddressType, EntityAddressType string
	// DirectorRole is the FIU's code for a related person's role (default
	// "DIRECTOR"); related persons are listed as director_id.
	DirectorRole string
}

// ReportingPerson is the officer who files.
type ReportingPerson struct {
	FirstName, LastName, Email, Occupation string
}

// Report is what a suspicious-transaction report is built from.
type Report struct {
	Code            domain.ReportType // STR
	EntityReference string            // the report's own id
	SubmissionDate  time.Time
	Reason          string // the analyst's reason
	Action          string // what the reporting entity did (optional)
	Subject         *domain.Customer
	Transactions    []Transaction
	// Indicators are the FIU's report indicator codes (at least one).
	Indicators []string
}

// Transaction is one reported transaction with its amount in the FIU's
// local currency.
type Transaction struct {
	domain.Transaction
	// AmountLocal is the amount in minor units of Entity.CurrencyLocal.
	AmountLocal int64
	// ExchangeRate is the rate used (units of the transaction currency per
	// unit of the local currency), when the currencies differ.
	ExchangeRate string
	// Description is a short text (e.g. the alerts it raised).
	Description string
}

// Build renders the report as goAML XML and validates it. A report that
// fails the schema is not returned: the error lists every problem.
func Build(e Entity, r Report) ([]byte, error) {
	if err := checkInput(e, r); err != nil {
		return nil, err
	}
	doc := xReport{
		RentityID:         e.ID,
		RentityBranch:     clip(e.Branch, 255),
		SubmissionCode:    "E",
		ReportCode:        string(r.Code),
		EntityReference:   clip(r.EntityReference, 255),
		SubmissionDate:    dateTime(r.SubmissionDate),
		CurrencyCodeLocal: e.CurrencyLocal,
		Reason:            clip(r.Reason, 4000),
		Action:            clip(r.Action, 4000),
	}
	if p := e.ReportingPerson; p != nil {
		doc.ReportingPerson = &xReportingPerson{FirstName: clip(p.FirstName, 100), LastName: clip(p.LastName, 100),
			Email: clip(p.Email, 255), Occupation: clip(p.Occupation, 255)}
	}
	for _, t := range r.Transactions {
		doc.Transactions = append(doc.Transactions, buildTransaction(e, r.Subject, t))
	}
	doc.Indicators = xIndicators{Indicator: r.Indicators}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("goaml: encode: %w", err)
	}
	b.WriteByte('\n')
	if err := Validate(b.Bytes()); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// checkInput refuses what cannot make a report, in words for the person
// building it.
func checkInput(e Entity, r Report) error {
	var errs []error
	if !isDigits(e.ID) {
		errs = append(errs, errors.New("the reporting entity id (KYC_GOAML_RENTITY_ID) must be the number the FIU issued"))
	}
	if !domain.ValidCurrency(e.CurrencyLocal) {
		errs = append(errs, errors.New("the local currency is not an ISO 4217 code"))
	}
	if r.Code != domain.ReportSTR {
		errs = append(errs, fmt.Errorf("report type %q is not supported (STR)", r.Code))
	}
	if strings.TrimSpace(r.Reason) == "" {
		errs = append(errs, errors.New("the reason is missing"))
	}
	if r.Subject == nil || (r.Subject.Data.Individual == nil && r.Subject.Data.Business == nil) {
		errs = append(errs, errors.New("the subject's data is missing"))
	}
	if len(r.Transactions) == 0 {
		errs = append(errs, errors.New("a report needs at least one transaction"))
	}
	if len(r.Indicators) == 0 {
		errs = append(errs, errors.New("a report needs at least one indicator"))
	}
	return errors.Join(errs...)
}

func isDigits(s string) bool {
	if s == "" || len(s) > 9 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func buildTransaction(e Entity, subject *domain.Customer, t Transaction) xTransaction {
	x := xTransaction{
		Number:        clip(t.ExternalID, 50),
		InternalRef:   clip(t.ID, 50),
		Description:   clip(t.Description, 4000),
		Date:          dateTime(t.OccurredAt),
		TransmodeCode: code(e.TransmodeCodes, t.Channel),
		AmountLocal:   formatAmount(t.AmountLocal, e.CurrencyLocal),
	}
	if t.Counterparty.Account != "" {
		x.Comments = clip("Counterparty account: "+t.Counterparty.Account, 4000)
	}
	var foreign *xForeignCurrency
	if t.Currency != e.CurrencyLocal && t.ExchangeRate != "" {
		foreign = &xForeignCurrency{Code: t.Currency, Amount: formatAmount(t.Amount, t.Currency), Rate: t.ExchangeRate}
	}
	funds := code(e.FundsCodes, t.Channel)
	client := clientParty(e, subject)
	other := counterparty(e, t.Counterparty)
	clientCountry := subjectCountry(subject)
	otherCountry := t.Counterparty.Country
	if otherCountry == "" {
		otherCountry = clientCountry // goAML requires a country; the FIU's own when unknown
	}
	if t.Direction == domain.TxOut {
		x.FromMyClient = &xFromMyClient{FundsCode: funds, Foreign: foreign, Person: client.person, Entity: client.entity, Country: clientCountry}
		x.To = &xTo{FundsCode: funds, Person: other.person, Entity: other.entity, Country: otherCountry}
	} else {
		x.From = &xFrom{FundsCode: funds, Foreign: foreign, Person: other.person, Entity: other.entity, Country: otherCountry}
		x.ToMyClient = &xToMyClient{FundsCode: funds, Person: client.person, Entity: client.entity, Country: clientCountry}
	}
	return x
}

type clientXML struct {
	person *xPersonMyClient
	entity *xEntityMyClient
}

func clientParty(e Entity, c *domain.Customer) clientXML {
	if p := c.Data.Individual; p != nil {
		first, middle := splitGiven(p.GivenNames)
		x := &xPersonMyClient{FirstName: clip(first, 100), MiddleName: clip(middle, 100), LastName: clip(p.FamilyName, 100),
			Birthdate: dateOnly(p.BirthDate), Nationality1: p.Nationality, Email: clip(p.Email, 255),
			Occupation: clip(p.Occupation, 255), TaxNumber: clip(p.TaxID, 100)}
		if d := p.Document; d != nil {
			if d.Type == domain.DocPassport {
				x.PassportNumber, x.PassportCountry = clip(d.Number, 255), d.IssuingCountry
			} else {
				x.IDNumber = clip(d.Number, 255)
			}
		}
		if p.Address != nil {
			x.Residence = p.Address.Country
			x.Addresses = &xAddresses{Address: []xAddress{address(or(e.PersonAddressType, "H"), p.Address)}}
		} else {
			// goAML requires an address for a client; an approved customer
			// always has one, so this only marks a gap for the analyst.
			x.Addresses = &xAddresses{Address: []xAddress{{Type: or(e.PersonAddressType, "H"), Address: "not recorded", City: "not recorded", Country: p.Nationality}}}
		}
		return clientXML{person: x}
	}
	b := c.Data.Business
	x := &xEntityMyClient{Name: clip(b.LegalName, 255), LegalForm: codeText(b.LegalForm), Number: clip(b.RegistrationNumber, 50),
		Business: clip(b.Industry, 255), URL: clip(b.Website, 255), Email: clip(b.Email, 255),
		CountryCode: b.IncorporationCountry, IncorporationDate: dateOnly(b.IncorporationDate)}
	if b.Address != nil {
		x.Addresses = &xAddresses{Address: []xAddress{address(or(e.EntityAddressType, "B"), b.Address)}}
	} else {
		x.Addresses = &xAddresses{Address: []xAddress{{Type: or(e.EntityAddressType, "B"), Address: "not recorded", City: "not recorded", Country: b.IncorporationCountry}}}
	}
	for _, rp := range b.RelatedPersons {
		first, middle := splitGiven(rp.GivenNames)
		d := xEntityPerson{FirstName: clip(first, 100), MiddleName: clip(middle, 100), LastName: clip(rp.FamilyName, 100),
			Birthdate: dateOnly(rp.BirthDate), Nationality1: rp.Nationality, Role: or(e.DirectorRole, "DIRECTOR")}
		if rp.Address != nil {
			d.Residence = rp.Address.Country
		}
		if len(rp.Roles) > 0 || rp.OwnershipPercent > 0 {
			var roles []string
			for _, r := range rp.Roles {
				roles = append(roles, string(r))
			}
			d.Comments = clip(fmt.Sprintf("Roles: %s; ownership %g%%", strings.Join(roles, ", "), rp.OwnershipPercent), 4000)
		}
		if d.FirstName == "" || d.LastName == "" {
			continue
		}
		x.Directors = append(x.Directors, d)
	}
	return clientXML{entity: x}
}

type otherXML struct {
	person *xPerson
	entity *xEntity
}

// counterparty writes the other party: a person when the client system
// said so and the name has a first and a last part, an entity otherwise
// (goAML has no "unknown party").
func counterparty(_ Entity, cp domain.Counterparty) otherXML {
	name := strings.Join(strings.Fields(cp.Name), " ")
	if name == "" {
		name = "not known"
	}
	if cp.Type == domain.CounterpartyPerson {
		if i := strings.LastIndexByte(name, ' '); i > 0 {
			first, middle := splitGiven(name[:i])
			return otherXML{person: &xPerson{FirstName: clip(first, 100), MiddleName: clip(middle, 100), LastName: clip(name[i+1:], 100), Residence: cp.Country}}
		}
	}
	return otherXML{entity: &xEntity{Name: clip(name, 255), CountryCode: cp.Country}}
}

func subjectCountry(c *domain.Customer) string {
	if p := c.Data.Individual; p != nil {
		if p.Address != nil && p.Address.Country != "" {
			return p.Address.Country
		}
		return p.Nationality
	}
	if b := c.Data.Business; b != nil {
		if b.Address != nil && b.Address.Country != "" {
			return b.Address.Country
		}
		return b.IncorporationCountry
	}
	return ""
}

func address(typ string, a *domain.Address) xAddress {
	line := strings.TrimSpace(strings.Join(strings.Fields(a.Line1+" "+a.Line2), " "))
	return xAddress{Type: typ, Address: clip(or(line, "not recorded"), 100), City: clip(or(a.City, "not recorded"), 255),
		Zip: clip(a.PostalCode, 10), Country: a.Country, State: clip(a.Region, 255)}
}

// splitGiven splits given names into the first name and the middle names.
func splitGiven(given string) (string, string) {
	f := strings.Fields(given)
	if len(f) == 0 {
		return "", ""
	}
	return f[0], strings.Join(f[1:], " ")
}

func code(m map[domain.TxChannel]string, c domain.TxChannel) string {
	if v, ok := m[c]; ok && v != "" {
		return v
	}
	return strings.ToUpper(string(c))
}

// codeText turns free text into a code goAML accepts ("GmbH & Co. KG" →
// "GmbH_Co_KG"), or "" when nothing is left.
func codeText(s string) string {
	var b strings.Builder
	us := false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-':
			b.WriteRune(r)
			us = false
		default:
			if !us && b.Len() > 0 {
				b.WriteByte('_')
				us = true
			}
		}
	}
	return clip(strings.Trim(b.String(), "_"), 50)
}

func or(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// clip shortens text to n characters (goAML's field lengths).
func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n]))
}

func dateTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05") }

func dateOnly(d string) string {
	if d == "" {
		return ""
	}
	return d + "T00:00:00"
}

func formatAmount(minor int64, currency string) string {
	digits, ok := domain.CurrencyMinorUnits(currency)
	if !ok {
		digits = 2
	}
	neg := minor < 0
	if neg {
		minor = -minor
	}
	s := fmt.Sprint(minor)
	if digits > 0 {
		for len(s) <= digits {
			s = "0" + s
		}
		s = s[:len(s)-digits] + "." + s[len(s)-digits:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
