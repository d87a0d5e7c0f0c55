package api

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"github.com/danielgtaylor/huma/v2"
)

// The one-pass decoder of jsonBody (jsonbody.go).

// scan decodes JSON into a value while checking it against compiled
// schemas, answering false — and leaving the value half filled — as soon as
// the body is not well-formed JSON, not valid by the check, or decodes
// through a path this does not take as encoding/json would.
type scan struct {
	b []byte
	i int
}

func (s *scan) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// end tells whether only white space is left.
func (s *scan) end() bool {
	s.ws()
	return s.i == len(s.b)
}

// literal moves past lit at s.i, if it is there.
func (s *scan) literal(lit string) bool {
	if !bytes.HasPrefix(s.b[s.i:], []byte(lit)) {
		return false
	}
	s.i += len(lit)
	return true
}

// value decodes the value at s.i into dst, checking it against n (a null
// only where n is nullable: it leaves dst, a zero value, as it is).
func (s *scan) value(n *bodyNode, dst reflect.Value) bool {
	s.ws()
	if s.i >= len(s.b) {
		return false
	}
	c := s.b[s.i]
	if c == 'n' {
		return s.literal("null") && n.nullable
	}
	switch n.typ {
	case huma.TypeObject:
		if c != '{' {
			return false
		}
		if n.ptr {
			p := reflect.New(n.goType)
			dst.Set(p)
			dst = p.Elem()
		}
		return s.object(n, dst)
	case huma.TypeArray:
		return c == '[' && s.array(n, dst)
	case huma.TypeString:
		return c == '"' && s.string(n, dst)
	case huma.TypeNumber, huma.TypeInteger:
		return (c == '-' || c >= '0' && c <= '9') && s.number(n, dst)
	case huma.TypeBoolean:
		switch {
		case s.literal("true"):
			dst.SetBool(true)
			return true
		case s.literal("false"):
			return true
		}
	}
	return false
}

// quoted moves past the string at s.i and returns its raw contents, and
// whether they need decoding (escapes, or bytes that are not UTF-8); ok is
// false for a string JSON does not allow.
func (s *scan) quoted() (raw []byte, decode, ok bool) {
	start := s.i + 1
	for i := start; i < len(s.b); i++ {
		switch c := s.b[i]; {
		case c == '\\':
			decode = true
			i++
		case c == '"':
			s.i = i + 1
			raw = s.b[start:i]
			return raw, decode || !utf8.Valid(raw), true
		case c < 0x20:
			return nil, false, false
		}
	}
	return nil, false, false
}

func (s *scan) object(n *bodyNode, dst reflect.Value) bool {
	s.i++ // {
	var seen uint64
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == '}' {
		s.i++
		return n.required == 0
	}
	for s.i < len(s.b) {
		s.ws()
		if s.i >= len(s.b) || s.b[s.i] != '"' {
			return false
		}
		key, decode, ok := s.quoted()
		if !ok || decode {
			return false // huma folds the case and escapes of keys; leave it to huma
		}
		p := n.props[unsafeString(key)]
		if p == nil || seen&p.bit != 0 {
			// Unknown (or in another case), or repeated (encoding/json
			// merges a repeated object into the first).
			return false
		}
		seen |= p.bit
		s.ws()
		if s.i >= len(s.b) || s.b[s.i] != ':' {
			return false
		}
		s.i++
		s.ws()
		if s.i < len(s.b) && s.b[s.i] == 'n' && p.required == 0 {
			// huma skips an optional property that is null, and
			// encoding/json leaves the zero value as it is.
			if !s.literal("null") {
				return false
			}
		} else if !s.value(p.node, dst.FieldByIndex(p.field)) {
			return false
		}
		s.ws()
		if s.i >= len(s.b) {
			return false
		}
		switch s.b[s.i] {
		case ',':
			s.i++
		case '}':
			s.i++
			return seen&n.required == n.required
		default:
			return false
		}
	}
	return false
}

func (s *scan) array(n *bodyNode, dst reflect.Value) bool {
	s.i++ // [
	count := 0
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == ']' {
		s.i++
		dst.Set(reflect.MakeSlice(dst.Type(), 0, 0)) // as encoding/json: empty, not nil
	} else {
		for {
			dst.Grow(1)
			dst.SetLen(count + 1)
			if !s.value(n.items, dst.Index(count)) {
				return false
			}
			count++
			s.ws()
			if s.i >= len(s.b) {
				return false
			}
			c := s.b[s.i]
			s.i++
			if c == ']' {
				break
			}
			if c != ',' {
				return false
			}
		}
	}
	return (n.minItems < 0 || count >= n.minItems) && (n.maxItems < 0 || count <= n.maxItems)
}

func (s *scan) string(n *bodyNode, dst reflect.Value) bool {
	start := s.i
	raw, decode, ok := s.quoted()
	if !ok {
		return false
	}
	var str string
	if decode {
		// Escapes or bytes that are not UTF-8: as encoding/json decodes them.
		if err := json.Unmarshal(s.b[start:s.i], &str); err != nil {
			return false
		}
	} else {
		str = string(raw)
	}
	if n.minLen >= 0 || n.maxLen >= 0 {
		l := utf8.RuneCountInString(str)
		if n.minLen >= 0 && l < n.minLen || n.maxLen >= 0 && l > n.maxLen {
			return false
		}
	}
	if n.enum != nil && !slices.Contains(n.enum, str) {
		return false
	}
	dst.SetString(str)
	return true
}

func (s *scan) number(n *bodyNode, dst reflect.Value) bool {
	start := s.i
	if !s.jsonNumber() {
		return false
	}
	lit := unsafeString(s.b[start:s.i])
	// huma validates the float64 that the decode into any parses.
	num, err := strconv.ParseFloat(lit, 64)
	if err != nil {
		return false
	}
	if n.typ == huma.TypeInteger && num != math.Trunc(num) {
		return false
	}
	if !((n.min == nil || num >= *n.min) && (n.exMin == nil || num > *n.exMin) &&
		(n.max == nil || num <= *n.max) && (n.exMax == nil || num < *n.exMax) &&
		(n.multipleOf == nil || math.Mod(num, *n.multipleOf) == 0)) {
		return false
	}
	// As encoding/json sets a field of the kind (literalStore).
	switch dst.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, err := strconv.ParseInt(lit, 10, 64)
		if err != nil || dst.OverflowInt(i) {
			return false
		}
		dst.SetInt(i)
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(lit, dst.Type().Bits())
		if err != nil || dst.OverflowFloat(f) {
			return false
		}
		dst.SetFloat(f)
	default:
		return false
	}
	return true
}

// jsonNumber moves past a number as JSON writes it:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scan) jsonNumber() bool {
	digits := func() int {
		n := 0
		for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
			s.i++
			n++
		}
		return n
	}
	if s.i < len(s.b) && s.b[s.i] == '-' {
		s.i++
	}
	if s.i < len(s.b) && s.b[s.i] == '0' {
		s.i++
	} else if digits() == 0 {
		return false
	}
	if s.i < len(s.b) && s.b[s.i] == '.' {
		s.i++
		if digits() == 0 {
			return false
		}
	}
	if s.i < len(s.b) && (s.b[s.i] == 'e' || s.b[s.i] == 'E') {
		s.i++
		if s.i < len(s.b) && (s.b[s.i] == '+' || s.b[s.i] == '-') {
			s.i++
		}
		if digits() == 0 {
			return false
		}
	}
	return true
}

// unsafeString views b as a string, for the time of a use that keeps
// nothing of it.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
