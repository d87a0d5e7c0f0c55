package vault

import (
	"strings"
	"unicode"

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
