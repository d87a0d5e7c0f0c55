package domain

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestFoldASCII proves the ASCII path of foldWith the same as folding rune
// by rune: on every ASCII string of up to two bytes and on 100,000
// generated ones, with every option.
func TestFoldASCII(t *testing.T) {
	t.Parallel()
	check := func(s string) {
		t.Helper()
		for _, alt := range []bool{false, true} {
			for _, cyr := range []bool{false, true} {
				if got, want := foldWith(s, alt, cyr), foldRunes(s, alt, cyr); got != want {
					t.Fatalf("foldWith(%q, %v, %v) = %q, rune by rune %q", s, alt, cyr, got, want)
				}
			}
		}
	}
	check("")
	for a := range 128 {
		for c := range 128 {
			check(string([]byte{byte(a), byte(c)}))
		}
	}
	r := rand.New(rand.NewPCG(11, 12))
	for range 100000 {
		b := make([]byte, r.IntN(30))
		for i := range b {
			b[i] = byte(r.IntN(128))
		}
		check(string(b))
	}
}

// TestPostOfficeBoxLiterals checks that every alternative of poBoxPattern
// holds one of the texts IsPostOfficeBox looks for before running it, and
// compares IsPostOfficeBox with the regular expression alone on the test
// addresses and on 300,000 generated lines made of the letters of the
// alternatives, separators, digits and letters with diacritics.
func TestPostOfficeBoxLiterals(t *testing.T) {
	t.Parallel()
	for _, f := range poBoxForms {
		found := false
		for _, l := range poBoxLiterals {
			found = found || strings.Contains(f, l)
		}
		if !found {
			t.Errorf("poBoxForms: %q holds none of poBoxLiterals %q: add its literal text", f, poBoxLiterals)
		}
	}
	check := func(s string) {
		t.Helper()
		if got, want := IsPostOfficeBox(s), poBoxPattern.MatchString(foldRunes(s, false, false)); got != want {
			t.Fatalf("IsPostOfficeBox(%q) = %v, the regular expression says %v", s, got, want)
		}
	}
	for _, s := range []string{"", "PO Box 123", "P.O. Box 77", "p o box 9", "POB 12", "Post Office Box 5", "Postfach 10 20 30",
		"Boîte postale 12", "BP 42", "Apartado de correos 1200", "Apartado 15", "Casilla 45", "Caixa Postal 99", "Postbus 2000",
		"Postboks 123 Sentrum", "Box 1234", "PMB 302", "GPO Box 1000", "Locked Bag 3", "c/o Schmidt, Postfach 12",
		"Hauptstraße 1", "Boxhagener Straße 5", "Box Hill Road 3", "Pobrežní 3", "Postplatz 1", "Bpost Avenue 2",
		"Storgatan 1", "Skrytka pocztowa 5", "Casella postale 3", "Case postale 8", "Private Bag X1"} {
		check(s)
	}
	words := []string{"po", "box", "bp", "post", "office", "postfach", "postbus", "postboks", "boite", "boîte", "postale", "case",
		"apartado", "de", "correos", "casilla", "caixa", "casella", "skrytka", "pocztowa", "pmb", "locked", "private", "bag", "gpo",
		"no", "street", "straße", "pobrežní", "ſ", "ß", "æ"}
	const chars = "pobxstfachdlrgiekmnyzw POBX.#-/,0123456789\t"
	r := rand.New(rand.NewPCG(13, 14))
	for range 300000 {
		var b strings.Builder
		for range r.IntN(6) {
			switch r.IntN(3) {
			case 0:
				b.WriteString(words[r.IntN(len(words))])
			case 1:
				b.WriteByte(chars[r.IntN(len(chars))])
			default:
				b.WriteString([]string{" ", ".", " ", "", "1", " 12"}[r.IntN(6)])
			}
		}
		check(b.String())
	}
}
