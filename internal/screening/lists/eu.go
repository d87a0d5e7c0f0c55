package lists

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"

	"github.com/kyc-platform/kyc/internal/screening"
)

// SourceEU is the EU Financial Sanctions Files (CSV or XML). Each
// subscriber has a download address of their own (REFERENCE.md), so the
// source has no official URL and is synced only when configured.
const SourceEU = "eu"

var euFSF = Source{
	Name:  SourceEU,
	Title: "EU Financial Sanctions Files (consolidated list)",
	parse: eachFile(parseEU),
}

// parseEU reads an EU Financial Sanctions File, CSV (semicolon separated,
// one row per entity and sub-record, grouped by Entity_LogicalId) or XML,
// recognised by content.
func parseEU(name string, data []byte) ([]screening.Entity, error) {
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '<' {
		return parseEUXML(name, data)
	}
	return parseEUCSV(name, data)
}

type euBuilder struct {
	order []string
	byID  map[string]*screening.Entity
}

func (b *euBuilder) get(id string) *screening.Entity {
	if e, ok := b.byID[id]; ok {
		return e
	}
	e := &screening.Entity{ID: SourceEU + ":" + id, Source: SourceEU, SourceID: id, Topics: []string{"sanction"}}
	b.byID[id] = e
	b.order = append(b.order, id)
	return e
}

func (b *euBuilder) entities() []screening.Entity {
	out := make([]screening.Entity, 0, len(b.order))
	for _, id := range b.order {
		e := b.byID[id]
		if e.Name == "" && len(e.Aliases) > 0 {
			e.Name = e.Aliases[0].Name
			e.Aliases = e.Aliases[1:]
		}
		out = append(out, *e)
	}
	return out
}

func euType(code string) screening.EntityType {
	switch strings.ToLower(code) {
	case "person", "p":
		return screening.TypePerson
	case "enterprise", "e", "entity":
		return screening.TypeOrganization
	}
	return ""
}

func (b *euBuilder) addName(e *screening.Entity, whole, first, middle, last, strong string) {
	n := strings.TrimSpace(whole)
	if n == "" {
		n = joinNonEmpty(" ", first, middle, last)
	}
	if n == "" {
		return
	}
	if e.Name == "" {
		e.Name = n
		return
	}
	e.Aliases = append(e.Aliases, screening.Alias{Name: n, Kind: kindFor(n), Weak: strings.EqualFold(strings.TrimSpace(strong), "false")})
}

func parseEUCSV(name string, data []byte) ([]screening.Entity, error) {
	h, err := newHeaderCSV(name, data, ';', func(rec []string) bool {
		for _, c := range rec {
			if strings.EqualFold(strings.TrimSpace(c), "Entity_LogicalId") {
				return true
			}
		}
		return false
	}, "Entity_LogicalId", "NameAlias_WholeName")
	if err != nil {
		return nil, err
	}
	b := &euBuilder{byID: map[string]*screening.Entity{}}
	seenAlias := map[string]bool{}
	for {
		r, line, err := h.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		id := r.get("Entity_LogicalId")
		if id == "" {
			return nil, &ParseError{File: name, Line: line, Msg: "row without Entity_LogicalId"}
		}
		e := b.get(id)
		if t := euType(r.get("Entity_SubjectType_ClassificationCode", "Entity_SubjectType")); t != "" {
			e.Type = t
		}
		if p := r.get("Entity_Regulation_Programme"); p != "" {
			e.Programs = append(e.Programs, p)
		}
		if ref := r.get("Entity_EU_ReferenceNumber"); ref != "" && len(e.Identifiers) == 0 {
			e.Identifiers = append(e.Identifiers, screening.Identifier{Type: "EU reference", Value: ref})
		}
		if e.Remarks == "" {
			e.Remarks = r.get("Entity_Remark")
		}
		if d := r.get("Entity_DesignationDate"); d != "" && e.ListedOn == "" {
			e.ListedOn = isoPrefix(d)
		}
		aliasID := r.get("NameAlias_LogicalId")
		key := id + "/" + aliasID + "/" + r.get("NameAlias_WholeName")
		if !seenAlias[key] {
			seenAlias[key] = true
			b.addName(e, r.get("NameAlias_WholeName"), r.get("NameAlias_FirstName"), r.get("NameAlias_MiddleName"), r.get("NameAlias_LastName"), r.get("NameAlias_Strong"))
			if g := r.get("NameAlias_Gender"); g == "M" {
				e.Gender = "male"
			} else if g == "F" {
				e.Gender = "female"
			}
		}
		if d := r.get("BirthDate_BirthDate"); d != "" {
			e.BirthDates = append(e.BirthDates, isoPrefix(d))
		} else if y := r.get("BirthDate_Year"); y != "" {
			e.BirthDates = append(e.BirthDates, isoPrefix(y))
		}
		if pob := joinNonEmpty(", ", r.get("BirthDate_City"), r.get("BirthDate_CountryDescription")); pob != "" {
			e.PlacesOfBirth = append(e.PlacesOfBirth, pob)
		}
		for _, k := range []string{"Citizenship_CountryIso2Code", "Address_CountryIso2Code", "BirthDate_CountryIso2Code"} {
			if c := r.get(k); len(c) == 2 && c != "00" {
				e.Countries = append(e.Countries, strings.ToUpper(c))
			}
		}
		if a := joinNonEmpty(", ", r.get("Address_Street"), r.get("Address_City"), r.get("Address_ZipCode"), r.get("Address_CountryDescription")); a != "" {
			e.Addresses = append(e.Addresses, a)
		}
		if n := r.get("Identification_Number"); n != "" {
			e.Identifiers = append(e.Identifiers, screening.Identifier{Type: r.get("Identification_TypeCode"), Value: n, Country: strings.ToUpper(r.get("Identification_CountryIso2Code"))})
		}
	}
	return b.entities(), nil
}

type euXMLEntity struct {
	LogicalID  string `xml:"logicalId,attr"`
	EURef      string `xml:"euReferenceNumber,attr"`
	Designated string `xml:"designationDate,attr"`
	Remark     string `xml:"remark"`
	Regulation []struct {
		Programme string `xml:"programme,attr"`
	} `xml:"regulation"`
	SubjectType struct {
		Code string `xml:"code,attr"`
	} `xml:"subjectType"`
	Names []struct {
		First  string `xml:"firstName,attr"`
		Middle string `xml:"middleName,attr"`
		Last   string `xml:"lastName,attr"`
		Whole  string `xml:"wholeName,attr"`
		Gender string `xml:"gender,attr"`
		Strong string `xml:"strong,attr"`
	} `xml:"nameAlias"`
	Citizenship []struct {
		Country string `xml:"countryIso2Code,attr"`
	} `xml:"citizenship"`
	BirthDates []struct {
		Date    string `xml:"birthdate,attr"`
		Year    string `xml:"year,attr"`
		City    string `xml:"city,attr"`
		Country string `xml:"countryIso2Code,attr"`
		CDesc   string `xml:"countryDescription,attr"`
	} `xml:"birthdate"`
	IDs []struct {
		Number  string `xml:"number,attr"`
		Type    string `xml:"identificationTypeCode,attr"`
		Country string `xml:"countryIso2Code,attr"`
	} `xml:"identification"`
	Addresses []struct {
		Street  string `xml:"street,attr"`
		City    string `xml:"city,attr"`
		Zip     string `xml:"zipCode,attr"`
		Country string `xml:"countryIso2Code,attr"`
		CDesc   string `xml:"countryDescription,attr"`
	} `xml:"address"`
}

func parseEUXML(name string, data []byte) ([]screening.Entity, error) {
	if err := checkXMLRuns(name, data); err != nil {
		return nil, err
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	b := &euBuilder{byID: map[string]*screening.Entity{}}
	depth, closed := 0, false
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
			if depth == 1 && t.Name.Local != "export" {
				return nil, &ParseError{File: name, Line: line, Msg: "root element is " + t.Name.Local + ", want export"}
			}
			if t.Name.Local != "sanctionEntity" {
				continue
			}
			var x euXMLEntity
			if err := d.DecodeElement(&x, &t); err != nil {
				l, _ := d.InputPos()
				return nil, &ParseError{File: name, Line: l, Msg: "XML: " + xmlMsg(err)}
			}
			depth--
			if x.LogicalID == "" {
				return nil, &ParseError{File: name, Line: line, Msg: "sanctionEntity without logicalId"}
			}
			e := b.get(x.LogicalID)
			e.Type = euType(x.SubjectType.Code)
			e.Remarks = strings.TrimSpace(x.Remark)
			e.ListedOn = isoPrefix(x.Designated)
			if x.EURef != "" {
				e.Identifiers = append(e.Identifiers, screening.Identifier{Type: "EU reference", Value: x.EURef})
			}
			for _, r := range x.Regulation {
				e.Programs = append(e.Programs, r.Programme)
			}
			for _, n := range x.Names {
				b.addName(e, n.Whole, n.First, n.Middle, n.Last, n.Strong)
				if n.Gender == "M" {
					e.Gender = "male"
				} else if n.Gender == "F" {
					e.Gender = "female"
				}
			}
			for _, c := range x.Citizenship {
				if len(c.Country) == 2 && c.Country != "00" {
					e.Countries = append(e.Countries, strings.ToUpper(c.Country))
				}
			}
			for _, bd := range x.BirthDates {
				if s := isoPrefix(bd.Date); s != "" {
					e.BirthDates = append(e.BirthDates, s)
				} else if s := isoPrefix(bd.Year); s != "" {
					e.BirthDates = append(e.BirthDates, s)
				}
				if p := joinNonEmpty(", ", bd.City, bd.CDesc); p != "" {
					e.PlacesOfBirth = append(e.PlacesOfBirth, p)
				}
			}
			for _, id := range x.IDs {
				if id.Number != "" {
					e.Identifiers = append(e.Identifiers, screening.Identifier{Type: id.Type, Value: id.Number, Country: strings.ToUpper(id.Country)})
				}
			}
			for _, a := range x.Addresses {
				if s := joinNonEmpty(", ", a.Street, a.City, a.Zip, a.CDesc); s != "" {
					e.Addresses = append(e.Addresses, s)
				}
				if len(a.Country) == 2 && a.Country != "00" {
					e.Countries = append(e.Countries, strings.ToUpper(a.Country))
				}
			}
		case xml.EndElement:
			depth--
			if depth == 0 {
				closed = true
			}
		}
	}
	if !closed {
		l, _ := d.InputPos()
		return nil, &ParseError{File: name, Line: l, Msg: "truncated: export element not closed"}
	}
	return b.entities(), nil
}
