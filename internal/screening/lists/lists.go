package lists

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/kyc-platform/kyc/internal/screening"
)

// MaxFileSize is the largest single list file Parse reads (256 MiB).
const MaxFileSize = 256 << 20

// File is one named input file of a list.
type File struct {
	// Name is the file name; the files of a NamedFiles source (OFAC) are
	// recognised by it (case-insensitive).
	Name string
	// R reads the file content.
	R io.Reader
}

// ParseError is a damaged-input error naming the file and line.
type ParseError struct {
	// File is the file name.
	File string
	// Line is the 1-based line number, 0 when unknown.
	Line int
	// Msg says what is wrong.
	Msg string
}

// Error implements error.
func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s: line %d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// ErrNoEntities is returned when a list parses but holds no entity.
var ErrNoEntities = errors.New("list holds no entities")

// Parse parses the files of one registered list source into entities,
// sorted by ID. It returns an error naming the file and line on damaged
// input and never partial data.
func Parse(source string, files []File) ([]screening.Entity, error) {
	src, ok := Lookup(source)
	if !ok {
		return nil, fmt.Errorf("unknown list source %q", source)
	}
	if src.NamedFiles {
		if err := src.checkNames(files); err != nil {
			return nil, err
		}
	}
	ents, err := src.parse(src, files)
	if err != nil {
		return nil, err
	}
	if len(ents) == 0 {
		return nil, fmt.Errorf("%s: %w", source, ErrNoEntities)
	}
	for i := range ents {
		finish(&ents[i])
	}
	sort.Slice(ents, func(i, j int) bool { return ents[i].ID < ents[j].ID })
	for i := 1; i < len(ents); i++ {
		if ents[i].ID == ents[i-1].ID {
			return nil, fmt.Errorf("%s: duplicate entity id %s", source, ents[i].ID)
		}
	}
	return ents, nil
}

// readAll reads a file up to MaxFileSize, strips a UTF-8 BOM and a trailing
// DOS end-of-file byte, and checks the encoding.
func readAll(f File) ([]byte, error) {
	raw, err := readRaw(f)
	if err != nil {
		return nil, err
	}
	return decode(f, raw)
}

// readRaw reads a file up to MaxFileSize, as it is.
func readRaw(f File) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(f.R, MaxFileSize+1))
	if err != nil {
		return nil, &ParseError{File: f.Name, Msg: "read: " + err.Error()}
	}
	if len(data) > MaxFileSize {
		return nil, &ParseError{File: f.Name, Msg: "file too large"}
	}
	return data, nil
}

// decode strips a UTF-8 BOM and a trailing DOS end-of-file byte from raw
// (sharing its memory) and checks the encoding.
func decode(f File, raw []byte) ([]byte, error) {
	data := bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	data = bytes.TrimRight(data, "\x1a")
	if !utf8.Valid(data) {
		return nil, &ParseError{File: f.Name, Line: badUTF8Line(data), Msg: "invalid UTF-8 encoding"}
	}
	return data, nil
}

func badUTF8Line(data []byte) int {
	line := 1
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), MaxFileSize)
	for sc.Scan() {
		if !utf8.Valid(sc.Bytes()) {
			return line
		}
		line++
	}
	return 0
}

// finish tidies an entity: trims strings, drops empty and duplicate values.
func finish(e *screening.Entity) {
	e.Name = cleanSpace(e.Name)
	var al []screening.Alias
	seen := map[string]bool{strings.ToLower(e.Name): true}
	for _, a := range e.Aliases {
		a.Name = cleanSpace(a.Name)
		k := strings.ToLower(a.Name)
		if a.Name == "" || seen[k] {
			continue
		}
		seen[k] = true
		al = append(al, a)
	}
	e.Aliases = al
	e.BirthDates = uniq(e.BirthDates)
	e.PlacesOfBirth = uniq(e.PlacesOfBirth)
	e.Countries = uniq(e.Countries)
	e.Topics = uniq(e.Topics)
	e.Programs = uniq(e.Programs)
	e.Addresses = uniq(e.Addresses)
	e.Referents = uniq(e.Referents)
	e.Remarks = strings.TrimSpace(e.Remarks)
	e.Title = cleanSpace(e.Title)
}

func cleanSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

func uniq(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range in {
		s = cleanSpace(s)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}

func baseName(name string) string {
	return strings.ToLower(path.Base(strings.ReplaceAll(name, "\\", "/")))
}

// DeltaResult lists the entity IDs that differ between two snapshots.
type DeltaResult struct {
	// Added are IDs present only in the new snapshot.
	Added []string `json:"added"`
	// Changed are IDs present in both whose content hash differs.
	Changed []string `json:"changed"`
	// Removed are IDs present only in the old snapshot.
	Removed []string `json:"removed"`
}

// Empty reports whether the two snapshots hold the same content.
func (d DeltaResult) Empty() bool { return len(d.Added)+len(d.Changed)+len(d.Removed) == 0 }

// Delta compares two snapshots of one source by entity ID and content hash.
// The ID lists are sorted.
func Delta(old, new []screening.Entity) DeltaResult {
	oh := make(map[string]string, len(old))
	for i := range old {
		oh[old[i].ID] = old[i].ContentHash()
	}
	var d DeltaResult
	seen := make(map[string]bool, len(new))
	for i := range new {
		id := new[i].ID
		seen[id] = true
		h, ok := oh[id]
		switch {
		case !ok:
			d.Added = append(d.Added, id)
		case h != new[i].ContentHash():
			d.Changed = append(d.Changed, id)
		}
	}
	for id := range oh {
		if !seen[id] {
			d.Removed = append(d.Removed, id)
		}
	}
	sort.Strings(d.Added)
	sort.Strings(d.Changed)
	sort.Strings(d.Removed)
	return d
}

// SnapshotHash returns a SHA-256 hex digest over the content hashes of
// entities, independent of their order: two imports with the same content
// have the same snapshot hash.
func SnapshotHash(entities []screening.Entity) string {
	hs := make([]string, len(entities))
	for i := range entities {
		hs[i] = entities[i].ContentHash()
	}
	sort.Strings(hs)
	return hashStrings(hs)
}
