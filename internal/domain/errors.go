package domain

import (
	"errors"
	"fmt"
	"strings"
)

// ErrorCode is a machine-readable error class. Only httpx maps codes to HTTP
// statuses; every other layer speaks in codes.
type ErrorCode string

// Error codes used across the application.
const (
	ECodeInvalid      ErrorCode = "invalid"      // validation failed (422)
	ECodeMalformed    ErrorCode = "malformed"    // request could not be parsed (400)
	ECodeNotFound     ErrorCode = "not_found"    // unknown or not visible to the caller (404)
	ECodeConflict     ErrorCode = "conflict"     // illegal state transition or duplicate (409)
	ECodeUnauthorized ErrorCode = "unauthorized" // no or bad credentials (401)
	ECodeForbidden    ErrorCode = "forbidden"    // authenticated but not allowed (403)
	ECodeTooLarge     ErrorCode = "too_large"    // payload too large (413)
	ECodeUnsupported  ErrorCode = "unsupported"  // unsupported media type (415)
	ECodeRateLimited  ErrorCode = "rate_limited" // too many requests (429)
	ECodeInternal     ErrorCode = "internal"     // anything else (500, generic body)
	ECodeUnavailable  ErrorCode = "unavailable"  // dependency not ready (503)
)

// FieldError names one bad input field with a message safe to show to the
// person who typed it. Location uses JSON-pointer-like dotted paths
// ("address.country", "related_persons[1].birth_date").
type FieldError struct {
	Location string `json:"location"`
	Message  string `json:"message"`
	Value    any    `json:"value,omitempty"`
}

// Error is the application's error type: a code, a message safe to show to
// the caller, and for validation failures the list of bad fields.
type Error struct {
	Code    ErrorCode
	Message string
	Fields  []FieldError
}

// Error renders the code, the message and the bad fields.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("%s: %s", e.Code, e.Message)
	}
	parts := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		parts = append(parts, f.Location+": "+f.Message)
	}
	return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, strings.Join(parts, "; "))
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrCode returns the code of err, ECodeInternal when err is not an *Error,
// and "" for nil.
func ErrCode(err error) ErrorCode {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ECodeInternal
}

// ErrMessage returns the safe message of err, or a generic one.
func ErrMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "An internal error occurred."
}

// Validation accumulates field errors.
type Validation struct {
	Fields []FieldError
}

// Add records a problem with a field.
func (v *Validation) Add(location, message string) {
	v.Fields = append(v.Fields, FieldError{Location: location, Message: message})
}

// Merge appends the field errors of err (when it is a validation *Error)
// under the given location prefix.
func (v *Validation) Merge(prefix string, err error) {
	var e *Error
	if errors.As(err, &e) && e.Code == ECodeInvalid {
		for _, f := range e.Fields {
			loc := f.Location
			if prefix != "" {
				loc = prefix + "." + loc
			}
			v.Fields = append(v.Fields, FieldError{Location: loc, Message: f.Message})
		}
	}
}

// OK reports whether no problem was recorded.
func (v *Validation) OK() bool { return len(v.Fields) == 0 }

// Err returns nil when no problem was recorded, otherwise an ECodeInvalid
// *Error listing every field.
func (v *Validation) Err() error {
	if v.OK() {
		return nil
	}
	return &Error{Code: ECodeInvalid, Message: "The request has invalid fields.", Fields: v.Fields}
}
