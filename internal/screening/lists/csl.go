package lists

import (
	"io"
	"strings"

	"github.com/kyc-platform/kyc/internal/screening"
)

// SourceUSCSL is the US Consolidated Screening List (trade.gov CSV).
const SourceUSCSL = "us_csl"

var usCSL = Source{
	Name:  SourceUSCSL,
	Title: "US Consolidated Screening List (trade.gov)",
	parse: eachFile(parseCSL),
}

// parseCSL reads the trade.gov US Consolidated Screening List CSV (29
// columns with a header; a repeated header line is tolerated).
func parseCSL(name string, data []byte) ([]screening.Entity, error) {
	h, err := newHeaderCSV(name, data, ',', func(rec []string) bool {
		return len(rec) > 0 && strings.TrimSpace(strings.TrimPrefix(rec[0], "\ufeff")) == "_id"
	}, "_id", "source", "type", "name", "alt_names")
	if err != nil {
		return nil, err
	}
	var out []screening.Entity
	for {
		r, line, err := h.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		id := r.get("_id")
		if id == "" || r.get("name") == "" {
			return nil, &ParseError{File: name, Line: line, Msg: "row without _id or name"}
		}
		e := screening.Entity{
			ID:       SourceUSCSL + ":" + id,
			Source:   SourceUSCSL,
			SourceID: id,
			Name:     r.get("name"),
			Programs: splitList(r.get("programs"), ";"),
			Title:    r.get("title"),
			Remarks:  r.get("remarks"),
			Topics:   []string{cslTopic(r.get("source"))},
		}
		if s := r.get("source"); s != "" {
			e.Programs = append(e.Programs, s)
		}
		switch strings.ToLower(r.get("type")) {
		case "individual":
			e.Type = screening.TypePerson
		case "vessel":
			e.Type = screening.TypeVessel
			e.Vessel = &screening.Vessel{CallSign: r.get("call_sign"), VesselType: r.get("vessel_type"), Tonnage: r.get("gross_tonnage"), GRT: r.get("gross_registered_tonnage"), Flag: countryOr(r.get("vessel_flag")), Owner: r.get("vessel_owner")}
		case "aircraft":
			e.Type = screening.TypeAircraft
		case "entity":
			e.Type = screening.TypeOrganization
		}
		for _, a := range splitList(r.get("alt_names"), ";") {
			e.Aliases = append(e.Aliases, screening.Alias{Name: a, Kind: screening.AliasAKA})
		}
		for _, d := range splitList(r.get("dates_of_birth"), ";") {
			e.BirthDates = append(e.BirthDates, parseLooseDates(d)...)
		}
		e.PlacesOfBirth = splitList(r.get("places_of_birth"), ";")
		for _, k := range []string{"citizenships", "nationalities"} {
			for _, c := range splitList(r.get(k), ";") {
				if cc := countryCode(c); cc != "" {
					e.Countries = append(e.Countries, cc)
				}
			}
		}
		for _, a := range splitList(r.get("addresses"), ";") {
			e.Addresses = append(e.Addresses, a)
			if i := strings.LastIndex(a, ","); i >= 0 {
				if cc := countryCode(strings.TrimSpace(a[i+1:])); cc != "" {
					e.Countries = append(e.Countries, cc)
				}
			} else if cc := countryCode(a); cc != "" {
				e.Countries = append(e.Countries, cc)
			}
		}
		for _, s := range splitList(r.get("ids"), ";") {
			parts := strings.SplitN(s, ", ", 3)
			if len(parts) < 2 {
				continue
			}
			id := screening.Identifier{Type: parts[0], Value: parts[1]}
			if len(parts) == 3 {
				id.Country = countryOr(parts[2])
			}
			if strings.EqualFold(id.Type, "Gender") {
				e.Gender = strings.ToLower(id.Value)
				continue
			}
			e.Identifiers = append(e.Identifiers, id)
		}
		out = append(out, e)
	}
	return out, nil
}

// cslTopic classifies a CSL source list.
func cslTopic(src string) string {
	s := strings.ToLower(src)
	switch {
	case strings.Contains(s, "treasury"):
		return "sanction"
	case strings.Contains(s, "debarred"), strings.Contains(s, "entity list"), strings.Contains(s, "denied"),
		strings.Contains(s, "unverified"), strings.Contains(s, "military end user"), strings.Contains(s, "commerce"):
		return "export.control"
	default:
		return "sanction"
	}
}
