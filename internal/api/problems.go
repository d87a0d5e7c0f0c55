package api

import (
	"regexp"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// Huma's own validation and decoding errors echo the rejected input in
// errors[].value — for a body that is not JSON, the whole body — and
// encoding/json names Go types and struct paths in its messages. A
// rejected value is often personal data (a passport number typed in the
// wrong field, a whole customer record), and problem bodies end up in
// client logs and support tickets, so kyc never echoes a value: each
// error names the field (location) and what is wrong with it, nothing
// more (security audit, hardening item 12; GDPR art. 5(1)(c) data
// minimisation). Go struct paths are rewritten to the field's location.
func init() {
	next := huma.NewError
	huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
		se := next(status, msg, errs...)
		if em, ok := se.(*huma.ErrorModel); ok {
			for _, d := range em.Errors {
				if d == nil {
					continue
				}
				d.Value = nil
				d.Location, d.Message = sanitizeDetail(d.Location, d.Message)
			}
		}
		return se
	}
}

// goTypeError matches encoding/json's UnmarshalTypeError message:
// "json: cannot unmarshal number 1e+30 into Go struct field
// TransactionIn.amount of type int64".
var goTypeError = regexp.MustCompile(`^json: cannot unmarshal (\w+)(?: [^ ]+)? into Go (?:struct field ([\w.\[\]]+)|value) of type ([\w.\[\]*]+)$`)

// missingProperty matches huma's message for a required property that is
// absent (validation.MsgExpectedRequiredProperty).
var missingProperty = regexp.MustCompile(`^expected required property (\w+) to be present$`)

// sanitizeDetail rewrites a decoding message that names Go types or quotes
// input into one that names the field and the expected kind of value.
func sanitizeDetail(loc, msg string) (string, string) {
	if m := missingProperty.FindStringSubmatch(msg); m != nil {
		// huma names the object that lacks the property; name the property.
		return loc + "." + m[1], "This field is required."
	}
	if m := goTypeError.FindStringSubmatch(msg); m != nil {
		if m[2] != "" {
			// Drop the Go type name: "TransactionIn.amount" -> "amount".
			path := m[2]
			if i := strings.IndexByte(path, '.'); i >= 0 {
				path = path[i+1:]
			}
			loc = "body." + path
		}
		return loc, "expected " + jsonKind(m[3]) + ", got " + m[1]
	}
	if strings.HasPrefix(msg, "invalid character") || strings.HasPrefix(msg, "unexpected end of JSON") || strings.HasPrefix(msg, "json: ") {
		return loc, "the body is not valid JSON"
	}
	return loc, msg
}

// jsonKind names a Go type as the JSON value it decodes from.
func jsonKind(goType string) string {
	switch strings.TrimLeft(goType, "*") {
	case "int", "int8", "int16", "int32", "int64":
		return "a whole number within 64-bit range"
	case "uint", "uint8", "uint16", "uint32", "uint64":
		return "a non-negative whole number within 64-bit range"
	case "float32", "float64":
		return "a number"
	case "string", "time.Time":
		return "a string"
	case "bool":
		return "true or false"
	}
	if strings.HasPrefix(goType, "[]") {
		return "an array"
	}
	return "an object"
}
