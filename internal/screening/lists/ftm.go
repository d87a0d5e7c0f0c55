package lists

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/kyc-platform/kyc/internal/screening"
)

// SourceOpenSanctions is OpenSanctions data as FollowTheMoney JSON lines
// (commercial users need a licence, so there is no default download).
const SourceOpenSanctions = "opensanctions"

var openSanctions = Source{
	Name:  SourceOpenSanctions,
	Title: "OpenSanctions (FollowTheMoney JSON lines)",
	parse: eachFile(parseFtM),
}

// ftmEntity is a FollowTheMoney entity as published by OpenSanctions.
type ftmEntity struct {
	ID         string              `json:"id"`
	Schema     string              `json:"schema"`
	Caption    string              `json:"caption"`
	Properties map[string][]string `json:"properties"`
	Referents  []string            `json:"referents"`
	Datasets   []string            `json:"datasets"`
}

// ftmLine is one line: a plain entity or a yente delta operation.
type ftmLine struct {
	ftmEntity
	Op     string     `json:"op"`
	Entity *ftmEntity `json:"entity"`
}

// ftmSchemas maps the FtM schemata we screen against to entity types.
var ftmSchemas = map[string]screening.EntityType{
	"Person": screening.TypePerson, "Organization": screening.TypeOrganization,
	"Company": screening.TypeOrganization, "LegalEntity": screening.TypeOrganization,
	"PublicBody": screening.TypeOrganization, "Vessel": screening.TypeVessel, "Airplane": screening.TypeAircraft,
}

// parseFtM reads OpenSanctions FollowTheMoney JSON lines, or yente delta
// lines {"op": ADD|MOD|DEL, "entity": {...}}. Other schemata (Sanction,
// Address, Ownership …) are skipped.
func parseFtM(name string, data []byte) ([]screening.Entity, error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), MaxLineSize)
	byID := map[string]int{}
	var out []screening.Entity
	deleted := map[int]bool{}
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var l ftmLine
		if err := json.Unmarshal(b, &l); err != nil {
			return nil, &ParseError{File: name, Line: line, Msg: "JSON: " + err.Error()}
		}
		fe := &l.ftmEntity
		if l.Entity != nil {
			fe = l.Entity
		}
		op := strings.ToUpper(l.Op)
		if fe.ID == "" || (fe.Schema == "" && op != "DEL") {
			return nil, &ParseError{File: name, Line: line, Msg: "entity without id or schema"}
		}
		if op == "DEL" {
			if i, ok := byID[fe.ID]; ok {
				deleted[i] = true
				delete(byID, fe.ID)
			}
			continue
		}
		t, ok := ftmSchemas[fe.Schema]
		if !ok {
			continue
		}
		e := ftmToEntity(fe, t)
		if e.Name == "" {
			continue
		}
		if i, ok := byID[fe.ID]; ok {
			out[i] = e
			continue
		}
		byID[fe.ID] = len(out)
		out = append(out, e)
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return nil, &ParseError{File: name, Line: line + 1, Msg: fmt.Sprintf("a line is longer than %d bytes", MaxLineSize)}
	} else if err != nil {
		return nil, &ParseError{File: name, Line: line + 1, Msg: err.Error()}
	}
	if len(deleted) > 0 {
		kept := out[:0]
		for i := range out {
			if !deleted[i] {
				kept = append(kept, out[i])
			}
		}
		out = kept
	}
	return out, nil
}

func ftmToEntity(fe *ftmEntity, t screening.EntityType) screening.Entity {
	p := fe.Properties
	e := screening.Entity{
		ID:        SourceOpenSanctions + ":" + fe.ID,
		Source:    SourceOpenSanctions,
		SourceID:  fe.ID,
		Type:      t,
		Topics:    p["topics"],
		Programs:  p["programId"],
		Referents: fe.Referents,
		Gender:    first(p["gender"]),
		Title:     strings.Join(p["position"], "; "),
		Remarks:   strings.Join(p["notes"], " "),
	}
	names := p["name"]
	switch {
	case len(names) > 0:
		e.Name = names[0]
		names = names[1:]
	case fe.Caption != "":
		e.Name = fe.Caption
	}
	for _, n := range names {
		e.Aliases = append(e.Aliases, screening.Alias{Name: n, Kind: kindFor(n)})
	}
	for _, n := range p["alias"] {
		e.Aliases = append(e.Aliases, screening.Alias{Name: n, Kind: kindFor(n)})
	}
	for _, n := range p["previousName"] {
		e.Aliases = append(e.Aliases, screening.Alias{Name: n, Kind: screening.AliasFKA})
	}
	for _, n := range p["weakAlias"] {
		e.Aliases = append(e.Aliases, screening.Alias{Name: n, Kind: screening.AliasAKA, Weak: true})
	}
	for _, d := range p["birthDate"] {
		if s := isoPrefix(d); s != "" {
			e.BirthDates = append(e.BirthDates, s)
		}
	}
	e.PlacesOfBirth = p["birthPlace"]
	for _, k := range []string{"nationality", "citizenship", "country", "jurisdiction", "flag"} {
		for _, c := range p[k] {
			if len(c) == 2 {
				e.Countries = append(e.Countries, strings.ToUpper(c))
			}
		}
	}
	for _, k := range []string{"idNumber", "passportNumber", "registrationNumber", "taxNumber", "imoNumber", "innCode", "ogrnCode"} {
		for _, v := range p[k] {
			e.Identifiers = append(e.Identifiers, screening.Identifier{Type: k, Value: v})
		}
	}
	if t == screening.TypeVessel {
		e.Vessel = &screening.Vessel{CallSign: first(p["callSign"]), VesselType: first(p["type"]), Flag: strings.ToUpper(first(p["flag"])), IMO: first(p["imoNumber"])}
	}
	e.Addresses = append(e.Addresses, p["address"]...)
	return e
}

func first(s []string) string {
	if len(s) > 0 {
		return s[0]
	}
	return ""
}

// kindFor marks names written in a non-Latin script as original_script.
func kindFor(n string) screening.AliasKind {
	for _, r := range n {
		if r > 0x024F && r != '’' && r != '‘' && r != 'ʼ' {
			return screening.AliasOriginalScript
		}
	}
	return screening.AliasAKA
}
