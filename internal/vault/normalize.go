package vault

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Normalize returns the canonical form of value used by BlindIndex: Unicode
// NFKC, full case folding, leading and trailing white space removed and
// every inner run of white space replaced by one ASCII space. For kind
// "email" the result is also lower-cased (case folding already does this
// for almost every script; the explicit step documents the intent).
func Normalize(kind, value string) string {
	if s, ok := normalizeASCII(value); ok {
		return s
	}
	if s, ok := normalizeSimple(value); ok {
		return s
	}
	return normalizeFull(kind, value)
}

// normalizeFull is Normalize for any input.
func normalizeFull(kind, value string) string {
	s := norm.NFKC.String(value)
	// cases.Caser carries state, so one is made per call.
	s = cases.Fold().String(s)
	s = strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
	if kind == "email" {
		s = strings.ToLower(s)
	}
	// Folding can produce non-NFKC sequences; normalise again so that the
	// result is stable.
	return norm.NFKC.String(s)
}

// asciiSpace marks the ASCII bytes unicode.IsSpace reports as white space.
var asciiSpace = [128]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// plainASCII marks the ASCII bytes that normalisation keeps as they are:
// neither white space nor A–Z; no byte from 0x80 up.
var plainASCII = func() (t [256]bool) {
	for c := range 128 {
		t[c] = !asciiSpace[c] && !('A' <= c && c <= 'Z')
	}
	return t
}()

// normalizeASCII is normalizeFull for a value of ASCII bytes only, where
// NFKC changes nothing, case folding (and lower-casing) maps A–Z to a–z
// only, and the white space is the six bytes of asciiSpace
// (TestNormalizeASCIIFastPath compares the two). ok is false when value
// has a byte from 0x80 up. A value already in its normal form is returned
// as it is.
func normalizeASCII(value string) (s string, ok bool) {
	clean := true // value is its own normal form
	prevSpace := true
	for i := 0; i < len(value); i++ {
		c := value[i]
		if c >= 0x80 {
			return "", false
		}
		switch {
		case asciiSpace[c]:
			if c != ' ' || prevSpace {
				clean = false
			}
			prevSpace = true
		case 'A' <= c && c <= 'Z':
			clean = false
			prevSpace = false
		default:
			prevSpace = false
		}
	}
	if clean && !(len(value) > 0 && value[len(value)-1] == ' ') {
		return value, true
	}
	b := make([]byte, 0, len(value))
	pending := false // a space is due before the next byte of a field
	for i := 0; i < len(value); i++ {
		c := value[i]
		if asciiSpace[c] {
			pending = len(b) > 0
			continue
		}
		if pending {
			b = append(b, ' ')
			pending = false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return string(b), true
}

// simpleRunes is the size of the table of normalizeSimple: Latin, IPA,
// Greek and Cyrillic letters.
const simpleRunes = 0x530

// simpleFolds gives, for a rune below simpleRunes, its case folding
// (cases.Fold of the rune alone) when the rune is simple, "" when not. A
// rune is simple when NFKC leaves it as it is and it starts a segment that
// nothing on its left combines with (norm.Properties.BoundaryBefore), it
// is not white space, and its folding is made of runes that are the same
// and that strings.ToLower leaves as they are. In a string of simple runes
// NFKC changes nothing (every rune is a segment of its own) and folding
// goes rune by rune (Unicode full case folding has no context), so the
// whole of normalizeFull is the folding of each rune and the collapse of
// ASCII white space; TestNormalizeSimpleFastPath compares the two.
var simpleFolds = sync.OnceValue(func() *[simpleRunes]string {
	var t [simpleRunes]string
	inert := func(r rune) bool {
		s := string(r)
		return utf8.ValidRune(r) && !unicode.IsSpace(r) && norm.NFKC.PropertiesString(s).BoundaryBefore() && norm.NFKC.String(s) == s
	}
	fold := cases.Fold()
	for r := rune(0x80); r < simpleRunes; r++ {
		if !inert(r) {
			continue
		}
		f := fold.String(string(r))
		ok := f != "" && strings.ToLower(f) == f
		for _, x := range f {
			ok = ok && inert(x)
		}
		if ok {
			t[r] = f
		}
	}
	return &t
})

// normalizeSimple is normalizeFull for a value of ASCII bytes and simple
// runes (simpleFolds) with at least one of the latter. ok is false for
// any other value.
func normalizeSimple(value string) (s string, ok bool) {
	folds := simpleFolds()
	b := make([]byte, 0, len(value)+8)
	pending := false // a space is due before the next byte of a field
	for i := 0; i < len(value); {
		c := value[i]
		if plainASCII[c] {
			// A run of bytes that stay as they are.
			j := i + 1
			for j < len(value) && plainASCII[value[j]] {
				j++
			}
			if pending {
				b = append(b, ' ')
				pending = false
			}
			b = append(b, value[i:j]...)
			i = j
			continue
		}
		if c < utf8.RuneSelf {
			i++
			if asciiSpace[c] {
				pending = len(b) > 0
				continue
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if pending {
				b = append(b, ' ')
				pending = false
			}
			b = append(b, c)
			continue
		}
		r, size := utf8.DecodeRuneInString(value[i:])
		if r >= simpleRunes || folds[r] == "" {
			return "", false // invalid UTF-8 decodes as U+FFFD, beyond the table
		}
		i += size
		if pending {
			b = append(b, ' ')
			pending = false
		}
		b = append(b, folds[r]...)
	}
	return string(b), true
}
