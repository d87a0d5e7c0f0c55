package api

import "testing"

func TestSanitizeDetail(t *testing.T) {
	for _, tc := range []struct{ loc, msg, wantLoc, wantMsg string }{
		{"body", "json: cannot unmarshal number 1e+30 into Go struct field TransactionIn.amount of type int64", "body.amount", "expected a whole number within 64-bit range, got number"},
		{"body", "json: cannot unmarshal string into Go struct field CustomerCreateBody.address.line1 of type []string", "body.address.line1", "expected an array, got string"},
		{"body", "json: cannot unmarshal array into Go value of type api.CustomerCreateBody", "body", "expected an object, got array"},
		{"body", "invalid character 'A' looking for beginning of value", "body", "the body is not valid JSON"},
		{"body.birth_date", "expected string to be RFC 3339 date", "body.birth_date", "expected string to be RFC 3339 date"},
	} {
		loc, msg := sanitizeDetail(tc.loc, tc.msg)
		if loc != tc.wantLoc || msg != tc.wantMsg {
			t.Errorf("sanitizeDetail(%q, %q) = %q, %q; want %q, %q", tc.loc, tc.msg, loc, msg, tc.wantLoc, tc.wantMsg)
		}
	}
}
