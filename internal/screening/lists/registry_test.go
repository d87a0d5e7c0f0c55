package lists

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

// TestRegistryComplete checks that every registered source is complete: a
// unique name, a title, a parser, and for sources recognised by file name
// the file names with at least one required; official addresses are https.
func TestRegistryComplete(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, s := range Sources() {
		if s.Name == "" || s.Name != strings.ToLower(strings.TrimSpace(s.Name)) || seen[s.Name] {
			t.Errorf("source name %q is empty, not lower case or registered twice", s.Name)
		}
		seen[s.Name] = true
		if s.Title == "" || s.parse == nil {
			t.Errorf("%s: title or parser missing", s.Name)
		}
		files := map[string]bool{}
		required := 0
		for _, f := range s.Files {
			if f.Name == "" || files[f.Name] {
				t.Errorf("%s: file name %q is empty or given twice", s.Name, f.Name)
			}
			if s.NamedFiles && f.Name != baseName(f.Name) {
				t.Errorf("%s: file %q is matched by name, so it must be a lower-case base name", s.Name, f.Name)
			}
			files[f.Name] = true
			if f.Required {
				required++
			}
			if f.URL != "" {
				if u, err := url.Parse(f.URL); err != nil || u.Scheme != "https" || u.Host == "" {
					t.Errorf("%s: %s: official address %q is not an https URL", s.Name, f.Name, f.URL)
				}
			}
		}
		if s.NamedFiles && required == 0 {
			t.Errorf("%s: recognised by file name but no file is required", s.Name)
		}
		if got, ok := Lookup(s.Name); !ok || got.Name != s.Name {
			t.Errorf("Lookup(%q) = %v, %v", s.Name, got.Name, ok)
		}
	}
	if !slices.Equal(Names(), []string{SourceOFACSDN, SourceOFACConsolidated, SourceUN, SourceEU, SourceUK, SourceUSCSL, SourceOpenSanctions}) {
		t.Errorf("Names() = %v", Names())
	}
}

// TestRegistryRefusesUnknown checks that an unregistered name is refused by
// Lookup and Parse, and that callers cannot change the registry.
func TestRegistryRefusesUnknown(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"", "nope", "OFAC_SDN", " un"} {
		if _, ok := Lookup(name); ok {
			t.Errorf("Lookup(%q) found a source", name)
		}
		if _, err := Parse(name, files("sdn.csv", fxSDN)); err == nil || !strings.Contains(err.Error(), "unknown list source") {
			t.Errorf("Parse(%q) = %v", name, err)
		}
	}
	s := Sources()
	s[0].Name = "mutated"
	s[0].Files[0].URL = "http://evil.example"
	if got, _ := Lookup(SourceOFACSDN); got.Files[0].URL == "http://evil.example" || Sources()[0].Name != SourceOFACSDN {
		t.Fatal("Sources exposes the registry")
	}
}

// TestDownloadable checks which sources sync without configuration: those
// with an official address for every file (REFERENCE.md).
func TestDownloadable(t *testing.T) {
	t.Parallel()
	var got []string
	for _, s := range Sources() {
		if s.Downloadable() {
			got = append(got, s.Name)
		}
	}
	if want := []string{SourceOFACSDN, SourceOFACConsolidated, SourceUN, SourceUK}; !slices.Equal(got, want) {
		t.Fatalf("downloadable sources = %v, want %v", got, want)
	}
}
