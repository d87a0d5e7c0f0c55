package lists

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kyc-platform/kyc/internal/screening"
)

// OFAC sources (REFERENCE.md): the SDN list and the consolidated non-SDN
// list, each a set of four legacy CSV files recognised by name. An import
// needs all four: without the alias file every alias would be gone, without
// the address file every address and country. The primary, alias and
// address files of every official edition end with the DOS end-of-file byte
// 0x1A, so one cut at a line boundary (which still parses) is recognised by
// its missing marker; the comments file is exempt (the 2021 editions lack
// the marker there, see ../shared/data/lists/us_ofac_2021-07).
const (
	SourceOFACSDN          = "ofac_sdn"
	SourceOFACConsolidated = "ofac_consolidated"
)

// ofacExports is where OFAC's Sanctions List Service publishes the files.
const ofacExports = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"

var ofacSDN = Source{
	Name:  SourceOFACSDN,
	Title: "OFAC Specially Designated Nationals and Blocked Persons List",
	Files: []SourceFile{
		{Name: "sdn.csv", URL: ofacExports + "SDN.CSV", Required: true, EOFMarker: true},
		{Name: "alt.csv", URL: ofacExports + "ALT.CSV", Required: true, EOFMarker: true},
		{Name: "add.csv", URL: ofacExports + "ADD.CSV", Required: true, EOFMarker: true},
		{Name: "sdn_comments.csv", URL: ofacExports + "SDN_COMMENTS.CSV", Required: true},
	},
	NamedFiles: true,
	parse:      parseOFAC,
}

var ofacConsolidated = Source{
	Name:  SourceOFACConsolidated,
	Title: "OFAC Consolidated (non-SDN) Sanctions List",
	Files: []SourceFile{
		{Name: "cons_prim.csv", URL: ofacExports + "CONS_PRIM.CSV", Required: true, EOFMarker: true},
		{Name: "cons_alt.csv", URL: ofacExports + "CONS_ALT.CSV", Required: true, EOFMarker: true},
		{Name: "cons_add.csv", URL: ofacExports + "CONS_ADD.CSV", Required: true, EOFMarker: true},
		{Name: "cons_comments.csv", URL: ofacExports + "CONS_COMMENTS.CSV", Required: true},
	},
	NamedFiles: true,
	parse:      parseOFAC,
}

// parseOFAC reads OFAC's legacy CSV set: no header, "-0-" for null, an
// optional trailing 0x1A byte. src.Files name the primary, alias, address
// and comments files, in that order; Parse has checked the names.
func parseOFAC(src Source, files []File) ([]screening.Entity, error) {
	source := src.Name
	names := struct{ prim, alt, add, comments string }{src.Files[0].Name, src.Files[1].Name, src.Files[2].Name, src.Files[3].Name}
	byName := make(map[string]File, len(files))
	for _, f := range files {
		byName[baseName(f.Name)] = f
	}
	marker := map[string]bool{}
	for _, sf := range src.Files {
		marker[sf.Name] = sf.EOFMarker
	}
	prim := byName[names.prim]
	var ents []screening.Entity
	idx := map[string]int{}
	err := readOFACCSV(prim, marker[names.prim], 12, func(rec []string, line int) error {
		id := rec[0]
		if id == "" {
			return &ParseError{File: prim.Name, Line: line, Msg: "empty entry number"}
		}
		if _, dup := idx[id]; dup {
			return &ParseError{File: prim.Name, Line: line, Msg: "duplicate entry number " + id}
		}
		e := screening.Entity{
			ID:       source + ":" + id,
			Source:   source,
			SourceID: id,
			Topics:   []string{"sanction"},
			Programs: splitPrograms(rec[3]),
			Title:    rec[4],
			Remarks:  rec[11],
		}
		if rec[1] == "" {
			return &ParseError{File: prim.Name, Line: line, Msg: "empty name"}
		}
		switch strings.ToLower(rec[2]) {
		case "individual":
			e.Type = screening.TypePerson
			e.Name = reorderName(rec[1])
		case "vessel":
			e.Type = screening.TypeVessel
			e.Name = rec[1]
			e.Vessel = &screening.Vessel{CallSign: rec[5], VesselType: rec[6], Tonnage: rec[7], GRT: rec[8], Flag: countryOr(rec[9]), Owner: rec[10]}
			if c := countryCode(rec[9]); c != "" {
				e.Countries = append(e.Countries, c)
			}
		case "aircraft":
			e.Type = screening.TypeAircraft
			e.Name = rec[1]
		case "":
			e.Type = screening.TypeOrganization
			e.Name = rec[1]
		default:
			return &ParseError{File: prim.Name, Line: line, Msg: fmt.Sprintf("unknown entry type %q", rec[2])}
		}
		idx[id] = len(ents)
		ents = append(ents, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if f, ok := byName[names.comments]; ok {
		err := readOFACCSV(f, marker[names.comments], 2, func(rec []string, line int) error {
			if i, ok := idx[rec[0]]; ok {
				ents[i].Remarks += rec[1]
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if f, ok := byName[names.alt]; ok {
		err := readOFACCSV(f, marker[names.alt], 5, func(rec []string, line int) error {
			i, ok := idx[rec[0]]
			if !ok {
				return &ParseError{File: f.Name, Line: line, Msg: "alias of unknown entry " + rec[0]}
			}
			kind := screening.AliasAKA
			switch strings.ToLower(rec[2]) {
			case "fka":
				kind = screening.AliasFKA
			case "nka":
				kind = screening.AliasNKA
			}
			name := rec[3]
			if ents[i].Type == screening.TypePerson {
				name = reorderName(name)
			}
			ents[i].Aliases = append(ents[i].Aliases, screening.Alias{Name: name, Kind: kind, Weak: strings.Contains(strings.ToLower(rec[4]), "weak")})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if f, ok := byName[names.add]; ok {
		err := readOFACCSV(f, marker[names.add], 6, func(rec []string, line int) error {
			i, ok := idx[rec[0]]
			if !ok {
				return &ParseError{File: f.Name, Line: line, Msg: "address of unknown entry " + rec[0]}
			}
			if addr := joinNonEmpty(", ", rec[2], rec[3], rec[4]); addr != "" {
				ents[i].Addresses = append(ents[i].Addresses, addr)
			}
			if c := countryCode(rec[4]); c != "" {
				ents[i].Countries = append(ents[i].Countries, c)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for i := range ents {
		applyOFACRemarks(&ents[i])
	}
	return ents, nil
}

func countryOr(s string) string {
	if c := countryCode(s); c != "" {
		return c
	}
	return s
}

// readOFACCSV reads an OFAC CSV file with a fixed number of columns,
// mapping "-0-" to "". With marker the file must end with 0x1A (checked
// after the content parses, so a damaged line is named first).
func readOFACCSV(f File, marker bool, cols int, fn func(rec []string, line int) error) error {
	raw, err := readRaw(f)
	if err != nil {
		return err
	}
	data, err := decode(f, raw)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return &ParseError{File: f.Name, Msg: "empty file"}
	}
	if err := checkCSVFields(f.Name, data, ','); err != nil {
		return err
	}
	if err := readOFACRecords(f.Name, data, cols, fn); err != nil {
		return err
	}
	if marker && !bytes.HasSuffix(bytes.TrimRight(raw, " \t\r\n"), []byte{0x1a}) {
		return &ParseError{File: f.Name, Msg: "truncated: the end-of-file marker (0x1A) of an official OFAC file is missing"}
	}
	return nil
}

func readOFACRecords(name string, data []byte, cols int, fn func(rec []string, line int) error) error {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return &ParseError{File: name, Line: pe.Line, Msg: pe.Err.Error()}
			}
			return &ParseError{File: name, Msg: err.Error()}
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != cols {
			return &ParseError{File: name, Line: line, Msg: fmt.Sprintf("want %d columns, got %d", cols, len(rec))}
		}
		for k := range rec {
			v := strings.TrimSpace(rec[k])
			if v == "-0-" {
				v = ""
			}
			rec[k] = v
		}
		if err := fn(rec, line); err != nil {
			return err
		}
	}
}

// reorderName turns OFAC's "SURNAME, Given Names" into "Given Names SURNAME".
func reorderName(s string) string {
	s = strings.TrimSpace(s)
	i := strings.Index(s, ", ")
	if i < 0 || strings.Count(s, ",") != 1 {
		return s
	}
	last, first := strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+2:])
	if first == "" {
		return last
	}
	return first + " " + last
}

func splitPrograms(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == '[' || r == ']' || r == ';' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
