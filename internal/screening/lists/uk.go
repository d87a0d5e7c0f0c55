package lists

import (
	"io"
	"strings"

	"github.com/kyc-platform/kyc/internal/screening"
)

// SourceUK is the UK Sanctions List published by the FCDO (CSV).
const SourceUK = "uk"

var ukSanctions = Source{
	Name:  SourceUK,
	Title: "UK Sanctions List (FCDO)",
	Files: []SourceFile{{Name: "UK-Sanctions-List.csv", URL: "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv"}},
	parse: eachFile(parseUK),
}

// parseUK reads the UK Sanctions List CSV published by the FCDO: an optional
// "Report Date" line, then a header; one row per name of a designation,
// grouped by "Unique ID". "Name 6" is the surname, "Name 1".."Name 5" the
// other names; "Name type" is Primary Name or Alias; "Alias strength" may be
// "Low quality".
func parseUK(name string, data []byte) ([]screening.Entity, error) {
	h, err := newHeaderCSV(name, data, ',', func(rec []string) bool {
		for _, c := range rec {
			if strings.EqualFold(strings.TrimSpace(c), "Unique ID") {
				return true
			}
		}
		return false
	}, "Unique ID", "Name 6", "Name type")
	if err != nil {
		return nil, err
	}
	b := &euBuilder{byID: map[string]*screening.Entity{}}
	for {
		r, line, err := h.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		id := r.get("Unique ID")
		if id == "" {
			return nil, &ParseError{File: name, Line: line, Msg: "row without Unique ID"}
		}
		e := b.get(id)
		e.ID, e.Source = SourceUK+":"+id, SourceUK
		switch strings.ToLower(r.get("Designation Type", "Entity type", "Group Type")) {
		case "individual":
			e.Type = screening.TypePerson
		case "entity":
			e.Type = screening.TypeOrganization
		case "ship":
			e.Type = screening.TypeVessel
		}
		n := joinNonEmpty(" ", r.get("Name 1"), r.get("Name 2"), r.get("Name 3"), r.get("Name 4"), r.get("Name 5"), r.get("Name 6"))
		primary := strings.Contains(strings.ToLower(r.get("Name type")), "primary name") && !strings.Contains(strings.ToLower(r.get("Name type")), "variation")
		weak := strings.Contains(strings.ToLower(r.get("Alias strength", "Alias Quality")), "low")
		if n != "" {
			if primary && e.Name == "" {
				e.Name = n
			} else if primary {
				e.Aliases = append(e.Aliases, screening.Alias{Name: e.Name, Kind: screening.AliasAKA})
				e.Name = n
			} else {
				e.Aliases = append(e.Aliases, screening.Alias{Name: n, Kind: screening.AliasAKA, Weak: weak})
			}
		}
		if ns := r.get("Name non-latin script"); ns != "" {
			e.Aliases = append(e.Aliases, screening.Alias{Name: ns, Kind: screening.AliasOriginalScript})
		}
		if p := r.get("Regime Name", "Regime"); p != "" {
			e.Programs = append(e.Programs, p)
		}
		if t := r.get("Title"); t != "" && e.Title == "" {
			e.Title = t
		}
		if ref := r.get("UN Reference Number"); ref != "" {
			e.Referents = append(e.Referents, "un-"+ref)
		}
		if ofsi := r.get("OFSI Group ID"); ofsi != "" {
			e.Referents = append(e.Referents, "ofsi-"+ofsi)
		}
		if d := r.get("Date of birth", "DOB"); d != "" {
			for _, x := range splitList(d, ",") {
				if s := parseUKDate(x); s != "" {
					e.BirthDates = append(e.BirthDates, s)
				}
			}
		}
		for _, k := range []string{"Nationality(/ies)", "Nationality", "Address Country", "Country of birth"} {
			for _, c := range splitList(r.get(k), ",") {
				if cc := countryCode(c); cc != "" {
					e.Countries = append(e.Countries, cc)
				}
			}
		}
		if pob := joinNonEmpty(", ", r.get("Town of birth"), r.get("Country of birth")); pob != "" {
			e.PlacesOfBirth = append(e.PlacesOfBirth, pob)
		}
		if g := strings.ToLower(r.get("Gender")); g == "male" || g == "female" {
			e.Gender = g
		}
		if p := r.get("Passport number"); p != "" {
			e.Identifiers = append(e.Identifiers, screening.Identifier{Type: "Passport", Value: p})
		}
		if p := r.get("National Identifier number"); p != "" {
			e.Identifiers = append(e.Identifiers, screening.Identifier{Type: "National ID", Value: p})
		}
		if imo := r.get("IMO number"); imo != "" {
			e.Identifiers = append(e.Identifiers, screening.Identifier{Type: "IMO", Value: imo})
		}
		if other := r.get("Other Information"); other != "" && e.Remarks == "" {
			e.Remarks = other
		}
	}
	return b.entities(), nil
}

// parseUKDate reads dd/mm/yyyy (with 00 for unknown day or month) or ISO.
func parseUKDate(s string) string {
	s = strings.TrimSpace(s)
	p := strings.Split(s, "/")
	if len(p) == 3 && len(p[2]) == 4 {
		y := p[2]
		if p[1] == "00" || p[1] == "" {
			return isoPrefix(y)
		}
		if p[0] == "00" || p[0] == "" {
			return isoPrefix(y + "-" + pad2(p[1]))
		}
		return isoPrefix(y + "-" + pad2(p[1]) + "-" + pad2(p[0]))
	}
	if s := isoPrefix(s); s != "" {
		return s
	}
	return parseLooseDate(s)
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}
