package kyctest

import (
	"bytes"
	"embed"
	"os"
	"path/filepath"
	"testing"

	"github.com/kyc-platform/kyc/internal/screening/lists"
)

// ofacFixture holds three real entries of the OFAC SDN list (public data)
// in the official CSV format: a vessel operator, KIM Jong Un (DOB 08 Jan
// 1984) and ZAKHAROV Andrey Georgiyevich (entry 35025, DOB 08 Jan 1969,
// Russian), and the full file set: the comments file holds one real line
// about another entry (ignored), as an import needs all four files.
//
//go:embed testdata/ofac/*.csv
var ofacFixture embed.FS

// OFACFileNames are the files of the OFAC SDN fixture, in import order.
var OFACFileNames = []string{"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"}

// OFACFile returns one file of the OFAC SDN fixture by name, or false when
// the fixture has no such file.
func OFACFile(name string) ([]byte, bool) {
	b, err := ofacFixture.ReadFile("testdata/ofac/" + name)
	return b, err == nil
}

// OFACFiles returns the OFAC SDN fixture ready for app.Screening.Import
// of the source "ofac_sdn".
func OFACFiles() []lists.File {
	var files []lists.File
	for _, n := range OFACFileNames {
		b, _ := OFACFile(n)
		files = append(files, lists.File{Name: n, R: bytes.NewReader(b)})
	}
	return files
}

// OFACDir writes the OFAC SDN fixture into a fresh directory of the test
// and returns it: for tests that pass file names to the command line or
// serve them over HTTP.
func OFACDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range OFACFileNames {
		b, _ := OFACFile(n)
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o600); err != nil {
			t.Fatalf("kyctest: %v", err)
		}
	}
	return dir
}

// ImportOFAC imports the OFAC SDN fixture as the list "ofac_sdn" (once
// per bundle; later calls do nothing): without a loaded list screening
// sends every customer to a person.
func (b *Bundle) ImportOFAC() {
	b.T.Helper()
	if b.ofac {
		return
	}
	if _, err := b.App.Screening.Import(b.Ctx, Operator, "ofac_sdn", OFACFiles(), false); err != nil {
		b.T.Fatalf("kyctest: import the OFAC fixture: %v", err)
	}
	b.ofac = true
}
