package lists

import (
	"bytes"
	"encoding/xml"
	"errors"

	"io"
	"strings"

	"github.com/kyc-platform/kyc/internal/screening"
)

// SourceUN is the UN Security Council Consolidated List (XML).
const SourceUN = "un"

var unConsolidated = Source{
	Name:  SourceUN,
	Title: "UN Security Council Consolidated List",
	Files: []SourceFile{{Name: "consolidated.xml", URL: "https://scsanctions.un.org/resources/xml/en/consolidated.xml"}},
	parse: eachFile(parseUN),
}

type unValue struct {
	Value []string `xml:"VALUE"`
}

type unAlias struct {
	Quality string `xml:"QUALITY"`
	Name    string `xml:"ALIAS_NAME"`
	DOB     string `xml:"DATE_OF_BIRTH"`
}

type unAddress struct {
	Street  string `xml:"STREET"`
	City    string `xml:"CITY"`
	State   string `xml:"STATE_PROVINCE"`
	Country string `xml:"COUNTRY"`
}

type unDOB struct {
	Type     string `xml:"TYPE_OF_DATE"`
	Date     string `xml:"DATE"`
	Year     string `xml:"YEAR"`
	FromYear string `xml:"FROM_YEAR"`
	ToYear   string `xml:"TO_YEAR"`
}

type unPOB struct {
	City    string `xml:"CITY"`
	State   string `xml:"STATE_PROVINCE"`
	Country string `xml:"COUNTRY"`
}

type unDocument struct {
	Type          string `xml:"TYPE_OF_DOCUMENT"`
	Type2         string `xml:"TYPE_OF_DOCUMENT2"`
	Number        string `xml:"NUMBER"`
	IssuingCtry   string `xml:"ISSUING_COUNTRY"`
	CountryOfIsse string `xml:"COUNTRY_OF_ISSUE"`
}

// unRecord is an INDIVIDUAL or an ENTITY of the UN consolidated list.
type unRecord struct {
	DataID       string       `xml:"DATAID"`
	First        string       `xml:"FIRST_NAME"`
	Second       string       `xml:"SECOND_NAME"`
	Third        string       `xml:"THIRD_NAME"`
	Fourth       string       `xml:"FOURTH_NAME"`
	ListType     string       `xml:"UN_LIST_TYPE"`
	Reference    string       `xml:"REFERENCE_NUMBER"`
	ListedOn     string       `xml:"LISTED_ON"`
	Original     string       `xml:"NAME_ORIGINAL_SCRIPT"`
	Gender       string       `xml:"GENDER"`
	Comments     string       `xml:"COMMENTS1"`
	Title        unValue      `xml:"TITLE"`
	Designation  unValue      `xml:"DESIGNATION"`
	Nationality  unValue      `xml:"NATIONALITY"`
	IndAliases   []unAlias    `xml:"INDIVIDUAL_ALIAS"`
	EntAliases   []unAlias    `xml:"ENTITY_ALIAS"`
	IndAddresses []unAddress  `xml:"INDIVIDUAL_ADDRESS"`
	EntAddresses []unAddress  `xml:"ENTITY_ADDRESS"`
	DOBs         []unDOB      `xml:"INDIVIDUAL_DATE_OF_BIRTH"`
	POBs         []unPOB      `xml:"INDIVIDUAL_PLACE_OF_BIRTH"`
	Documents    []unDocument `xml:"INDIVIDUAL_DOCUMENT"`
}

// parseUN reads the UN Security Council consolidated list XML.
func parseUN(name string, data []byte) ([]screening.Entity, error) {
	if err := checkXMLRuns(name, data); err != nil {
		return nil, err
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	var out []screening.Entity
	sawRoot, closedRoot := false, false
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		line, _ := d.InputPos()
		if err != nil {
			return nil, &ParseError{File: name, Line: line, Msg: "XML: " + xmlMsg(err)}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 1 {
				if t.Name.Local != "CONSOLIDATED_LIST" {
					return nil, &ParseError{File: name, Line: line, Msg: "root element is " + t.Name.Local + ", want CONSOLIDATED_LIST"}
				}
				sawRoot = true
				continue
			}
			if t.Name.Local != "INDIVIDUAL" && t.Name.Local != "ENTITY" {
				continue
			}
			var r unRecord
			if err := d.DecodeElement(&r, &t); err != nil {
				l, _ := d.InputPos()
				return nil, &ParseError{File: name, Line: l, Msg: "XML: " + xmlMsg(err)}
			}
			depth--
			if strings.TrimSpace(r.DataID) == "" {
				return nil, &ParseError{File: name, Line: line, Msg: t.Name.Local + " without DATAID"}
			}
			out = append(out, unEntity(&r, t.Name.Local == "INDIVIDUAL"))
		case xml.EndElement:
			depth--
			if depth == 0 {
				closedRoot = true
			}
		}
	}
	if !sawRoot || !closedRoot {
		l, _ := d.InputPos()
		return nil, &ParseError{File: name, Line: l, Msg: "truncated: CONSOLIDATED_LIST not closed"}
	}
	return out, nil
}

func xmlMsg(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return se.Msg
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of file (truncated)"
	}
	return err.Error()
}

func unEntity(r *unRecord, person bool) screening.Entity {
	id := strings.TrimSpace(r.DataID)
	e := screening.Entity{
		ID:       "un:" + id,
		Source:   SourceUN,
		SourceID: id,
		Name:     joinNonEmpty(" ", r.First, r.Second, r.Third, r.Fourth),
		Topics:   []string{"sanction"},
		Programs: nonEmpty(strings.TrimSpace(r.ListType)),
		ListedOn: isoPrefix(strings.TrimSpace(r.ListedOn)),
		Remarks:  strings.TrimSpace(r.Comments),
		Gender:   strings.ToLower(strings.TrimSpace(r.Gender)),
		Title:    strings.Join(append(r.Title.Value, r.Designation.Value...), "; "),
	}
	if ref := strings.TrimSpace(r.Reference); ref != "" {
		e.Identifiers = append(e.Identifiers, screening.Identifier{Type: "UN reference", Value: ref})
	}
	aliases, addrs := r.EntAliases, r.EntAddresses
	e.Type = screening.TypeOrganization
	if person {
		e.Type = screening.TypePerson
		aliases, addrs = r.IndAliases, r.IndAddresses
	}
	if o := strings.TrimSpace(r.Original); o != "" {
		e.Aliases = append(e.Aliases, screening.Alias{Name: o, Kind: screening.AliasOriginalScript})
	}
	for _, a := range aliases {
		n := strings.TrimSpace(a.Name)
		if n == "" {
			continue
		}
		q := strings.ToLower(strings.TrimSpace(a.Quality))
		e.Aliases = append(e.Aliases, screening.Alias{Name: n, Kind: screening.AliasAKA, Weak: q == "low"})
	}
	for _, n := range r.Nationality.Value {
		if c := countryCode(n); c != "" {
			e.Countries = append(e.Countries, c)
		}
	}
	for _, a := range addrs {
		if s := joinNonEmpty(", ", a.Street, a.City, a.State, a.Country); s != "" {
			e.Addresses = append(e.Addresses, s)
		}
		if c := countryCode(a.Country); c != "" {
			e.Countries = append(e.Countries, c)
		}
	}
	for _, d := range r.DOBs {
		switch {
		case strings.TrimSpace(d.Date) != "":
			if s := isoPrefix(strings.TrimSpace(d.Date)); s != "" {
				e.BirthDates = append(e.BirthDates, s)
			}
		case strings.TrimSpace(d.Year) != "":
			e.BirthDates = append(e.BirthDates, isoPrefix(strings.TrimSpace(d.Year)))
		case d.FromYear != "" && d.ToYear != "":
			e.BirthDates = append(e.BirthDates, parseLooseDates(strings.TrimSpace(d.FromYear)+" to "+strings.TrimSpace(d.ToYear))...)
		}
	}
	for _, p := range r.POBs {
		if s := joinNonEmpty(", ", p.City, p.State, p.Country); s != "" {
			e.PlacesOfBirth = append(e.PlacesOfBirth, s)
		}
	}
	for _, doc := range r.Documents {
		if strings.TrimSpace(doc.Number) == "" {
			continue
		}
		e.Identifiers = append(e.Identifiers, screening.Identifier{
			Type:    joinNonEmpty(" ", doc.Type, doc.Type2),
			Value:   strings.TrimSpace(doc.Number),
			Country: countryOr(joinNonEmpty("", doc.IssuingCtry, doc.CountryOfIsse)),
		})
	}
	if e.Name == "" && len(e.Aliases) > 0 {
		e.Name = e.Aliases[0].Name
	}
	return e
}
