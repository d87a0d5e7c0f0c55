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
