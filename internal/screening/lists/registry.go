package lists

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/kyc-platform/kyc/internal/screening"
)

// Source is one list source kyc can import: its name, the files of one
// edition with their official download addresses, and its parser. Each
// source is defined beside its parser (ofac.go, un.go, …) and registered in
// registry below; every other package reads it through Sources and Lookup.
type Source struct {
	// Name identifies the source in commands, configuration, the API and
	// entity IDs ("ofac_sdn").
	Name string
	// Title is the list as its publisher names it.
	Title string
	// Files are the files of one official edition, in the order they are
	// downloaded. When NamedFiles is set an import must use exactly these
	// names (case-insensitive) and hold every Required one; otherwise the
	// files are recognised by content and may be named freely.
	Files []SourceFile
	// NamedFiles says that Parse tells the files apart by name.
	NamedFiles bool
	// parse reads the files of one edition into entities.
	parse func(src Source, files []File) ([]screening.Entity, error)
}

// SourceFile is one file of a list edition.
type SourceFile struct {
	// Name is the file name the parser is given ("sdn.csv").
	Name string
	// URL is the official download address; "" when the publisher gives
	// each subscriber an address of their own (the EU files), which the
	// operator then configures in KYC_LIST_SOURCES.
	URL string
	// Required files must be present in an import of a NamedFiles source.
	Required bool
	// EOFMarker says that every official edition of the file ends with the
	// DOS end-of-file byte 0x1A: a file without it was cut short (at a line
	// boundary, where the CSV itself still parses) and is refused.
	EOFMarker bool
}

// Downloadable reports whether every file of the source has an official
// address, so that it can be synced without configuration.
func (s Source) Downloadable() bool {
	if len(s.Files) == 0 {
		return false
	}
	for _, f := range s.Files {
		if f.URL == "" {
			return false
		}
	}
	return true
}

// registry holds every list source, in the order they are shown to users.
// Adding a source: write its parser file with its Source value, and name
// that value here.
var registry = []Source{ofacSDN, ofacConsolidated, unConsolidated, euFSF, ukSanctions, usCSL, openSanctions}

// Sources returns every registered list source, in the order they are shown
// to users (a fresh slice).
func Sources() []Source {
	out := make([]Source, len(registry))
	for i, s := range registry {
		s.Files = slices.Clone(s.Files)
		out[i] = s
	}
	return out
}

// Names returns the names of every registered source, in Sources order.
func Names() []string {
	out := make([]string, len(registry))
	for i, s := range registry {
		out[i] = s.Name
	}
	return out
}

// Lookup returns the registered source of that name.
func Lookup(name string) (Source, bool) {
	for _, s := range registry {
		if s.Name == name {
			s.Files = slices.Clone(s.Files)
			return s, true
		}
	}
	return Source{}, false
}

// checkNames refuses, for a NamedFiles source, a file that is not one of
// the source's, a file given twice, and a missing required file.
func (s Source) checkNames(files []File) error {
	want := make([]string, len(s.Files))
	for i, f := range s.Files {
		want[i] = f.Name
	}
	seen := map[string]bool{}
	for _, f := range files {
		b := baseName(f.Name)
		if !slices.Contains(want, b) {
			return fmt.Errorf("%s: not a file of %s (want %s)", f.Name, s.Name, strings.Join(want, ", "))
		}
		if seen[b] {
			return fmt.Errorf("%s: file given twice", f.Name)
		}
		seen[b] = true
	}
	for _, f := range s.Files {
		if f.Required && !seen[f.Name] {
			return fmt.Errorf("%s: %s is missing", s.Name, f.Name)
		}
	}
	return nil
}

// eachFile makes the parser of a source whose files are recognised by
// content: it parses every file with parse and joins the entities.
func eachFile(parse func(name string, data []byte) ([]screening.Entity, error)) func(Source, []File) ([]screening.Entity, error) {
	return func(_ Source, files []File) ([]screening.Entity, error) {
		if len(files) == 0 {
			return nil, errors.New("no input file")
		}
		var out []screening.Entity
		for _, f := range files {
			data, err := readAll(f)
			if err != nil {
				return nil, err
			}
			ents, err := parse(f.Name, data)
			if err != nil {
				return nil, err
			}
			out = append(out, ents...)
		}
		return out, nil
	}
}
