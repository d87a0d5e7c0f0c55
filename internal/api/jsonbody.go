package api

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/danielgtaylor/huma/v2"
)

// jsonBody, embedded in an operation's input instead of a Body field, has
// the JSON body decoded once instead of twice. For a Body, huma decodes the
// body into map[string]any, validates that against the schema, and decodes
// the body again into the struct — the map and its validation cost more
// than the struct decode (BenchmarkCreateBody). Here huma only reads the body (RawBody: limit, read timeout,
// required) and the resolver decodes it into the struct; when the struct
// decode succeeds and a check of the raw JSON against the compiled schema
// (bodyNode) finds it valid, that is all. Otherwise — a body the check
// cannot vouch for, invalid or merely unusual — it does what huma does for
// a Body, step by step (bodyDecoder.slow), so that every error, its
// location, message and status, is huma's own. The check only ever says
// "valid" of a body huma's validation accepts; it may refuse more (keys in
// another case, a repeated key, a null it cannot place), which costs time,
// never a different answer. register documents the operation's request
// body as huma would have for a Body of T.
type jsonBody[T any] struct {
	// RawBody is the body as sent.
	RawBody []byte `contentType:"application/json"`
	body    T
}

// Resolve decodes the body (huma calls it after reading the parameters,
// and reports its errors with theirs, as it does the body's).
func (b *jsonBody[T]) Resolve(ctx huma.Context) []error {
	d := ctx.Operation().Metadata[bodyDecoderKey].(*bodyDecoder)
	ct := ctx.Header("Content-Type")
	if ct == "" {
		ct = "application/json" // what huma assumes for an operation taking JSON
	}
	if d.fast(ct, b.RawBody, &b.body) {
		return nil
	}
	var zero T
	b.body = zero
	return d.slow(ct, b.RawBody, &b.body)
}

func (b *jsonBody[T]) bodyType() reflect.Type { return reflect.TypeFor[T]() }

// jsonBodyInput is an input embedding a jsonBody.
type jsonBodyInput interface {
	bodyType() reflect.Type
	huma.Resolver
}

const bodyDecoderKey = "kyc.bodyDecoder"

// bodyDecoder decodes the JSON body of one operation.
type bodyDecoder struct {
	api    huma.API
	schema *huma.Schema // as huma would have documented a Body (a $ref for a named type)
	once   sync.Once
	root   *bodyNode // nil: the schema uses what the check does not know; always slow
}

// registerJSONBody prepares op, before huma.Register, for an input that
// embeds a jsonBody.
func registerJSONBody(api huma.API, op *huma.Operation) *bodyDecoder {
	d := &bodyDecoder{api: api}
	if op.Metadata == nil {
		op.Metadata = map[string]any{}
	}
	op.Metadata[bodyDecoderKey] = d
	// huma validates RawBody against nothing and decodes nothing; the
	// resolver does both.
	op.SkipValidateBody = true
	if op.BodyReadTimeout == 0 {
		op.BodyReadTimeout = 5 * time.Second // huma's default for a Body
	}
	return d
}

// documentJSONBody, after huma.Register, puts into the registered
// operation the request body huma documents for a Body field of type t of
// the input type in (RawBody gave it a binary string).
func documentJSONBody(api huma.API, op huma.Operation, in, t reflect.Type, d *bodyDecoder) {
	if hasDefaults(t, map[reflect.Type]bool{}) {
		panic("api: a jsonBody does not apply default values (" + t.String() + ")")
	}
	oapi := api.OpenAPI()
	hint := op.OperationID + "Request"
	if in.Name() != "" {
		hint = in.Name() + "Body"
	}
	d.schema = huma.SchemaFromField(oapi.Components.Schemas, reflect.StructField{Name: "Body", Type: t}, hint)
	item := oapi.Paths[op.Path]
	if item == nil {
		panic("api: operation not registered: " + op.OperationID)
	}
	for _, o := range operations(item) {
		if o.OperationID == op.OperationID {
			o.RequestBody.Content["application/json"] = &huma.MediaType{Schema: d.schema}
			return
		}
	}
	panic("api: operation not registered: " + op.OperationID)
}

// hasDefaults tells whether t has a field with a default tag (huma would
// set those after decoding a Body).
func hasDefaults(t reflect.Type, seen map[reflect.Type]bool) bool {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return false
	}
	seen[t] = true
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Tag.Get("default") != "" || hasDefaults(f.Type, seen) {
			return true
		}
	}
	return false
}

// fast decodes body into v and says whether that is all huma would have
// done: the struct decode succeeded and the body is valid by the check.
func (d *bodyDecoder) fast(ct string, body []byte, v any) bool {
	d.once.Do(func() { d.root = compileBody(d.api.OpenAPI().Components.Schemas, d.schema) })
	if d.root == nil || !plainJSON(ct) {
		return false
	}
	if err := d.api.Unmarshal(ct, body, v); err != nil {
		return false
	}
	// The decode succeeded, so the body is well-formed JSON.
	s := scan{b: body}
	return s.value(d.root) && s.end()
}

// plainJSON tells whether huma decodes a body of this content type with
// its JSON format (the media type application/json, no +suffix).
func plainJSON(ct string) bool {
	return ct == "application/json" || strings.HasPrefix(ct, "application/json;") && !strings.ContainsRune(ct, '+')
}

// bodyError is huma's error for a body it cannot decode, with the status
// huma answers it with (400, or 415 for an unknown content type).
type bodyError struct {
	status int
	detail *huma.ErrorDetail
}

func (e *bodyError) Error() string                  { return e.detail.Error() }
func (e *bodyError) GetStatus() int                 { return e.status }
func (e *bodyError) ErrorDetail() *huma.ErrorDetail { return e.detail }

// slow does what huma does with a Body (huma.processRegularMsgBody): decode
// into any, validate that against the schema, decode into v, reporting a
// failure of the last only when the validation found nothing.
func (d *bodyDecoder) slow(ct string, body []byte, v any) []error {
	var parsed any
	if err := d.api.Unmarshal(ct, body, &parsed); err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, huma.ErrUnknownContentType) {
			status = http.StatusUnsupportedMediaType
		}
		return []error{&bodyError{status: status, detail: &huma.ErrorDetail{Location: "body", Message: err.Error(), Value: string(body)}}}
	}
	var res huma.ValidateResult
	pb := huma.NewPathBuffer(make([]byte, 0, 128), 0)
	pb.Push("body")
	huma.Validate(d.api.OpenAPI().Components.Schemas, d.schema, pb, huma.ModeWriteToServer, parsed, &res)
	valid := len(res.Errors) == 0
	if err := d.api.Unmarshal(ct, body, v); err != nil && valid {
		res.Errors = append(res.Errors, &huma.ErrorDetail{Location: "body", Message: err.Error(), Value: string(body)})
	}
	return res.Errors
}

// bodyNode is a schema compiled for the check: the keywords huma.Validate
// applies to a body, for the schemas that use no others (a format counts
// only on a string: huma checks none on numbers).
type bodyNode struct {
	typ      string
	nullable bool
	// object
	props    map[string]*bodyProp
	required uint64 // a bit per required property
	// array
	items              *bodyNode
	minItems, maxItems int
	// string
	minLen, maxLen int
	enum           []string
	// number, integer
	min, exMin, max, exMax, multipleOf *float64
}

type bodyProp struct {
	node     *bodyNode
	required uint64 // its bit, or 0
}

// compileBody compiles s, or answers nil when s (or a schema under it)
// uses a keyword the check does not apply.
func compileBody(r huma.Registry, s *huma.Schema) *bodyNode {
	c := compiler{r: r, done: map[*huma.Schema]*bodyNode{}}
	n := c.node(s)
	if c.unsupported {
		return nil
	}
	return n
}

type compiler struct {
	r           huma.Registry
	done        map[*huma.Schema]*bodyNode
	unsupported bool
}

func (c *compiler) node(s *huma.Schema) *bodyNode {
	for s != nil && s.Ref != "" {
		s = c.r.SchemaFromRef(s.Ref)
	}
	if s == nil {
		c.unsupported = true
		return nil
	}
	if n := c.done[s]; n != nil {
		return n
	}
	n := &bodyNode{typ: s.Type, nullable: s.Nullable, minItems: -1, maxItems: -1, minLen: -1, maxLen: -1}
	c.done[s] = n
	if s.OneOf != nil || s.AnyOf != nil || s.AllOf != nil || s.Not != nil || s.Discriminator != nil ||
		s.Pattern != "" || s.Format != "" && s.Type == huma.TypeString || s.ContentEncoding != "" || s.UniqueItems ||
		s.MinProperties != nil || s.MaxProperties != nil || len(s.DependentRequired) > 0 {
		c.unsupported = true
		return n
	}
	if _, ok := s.AdditionalProperties.(*huma.Schema); ok {
		c.unsupported = true
	}
	if len(s.Enum) > 0 {
		if s.Type != huma.TypeString {
			c.unsupported = true
		}
		for _, e := range s.Enum {
			str, ok := e.(string)
			if !ok {
				c.unsupported = true
			}
			n.enum = append(n.enum, str)
		}
	}
	switch s.Type {
	case huma.TypeObject:
		if len(s.Required) > 64 {
			c.unsupported = true
			return n
		}
		n.props = make(map[string]*bodyProp, len(s.Properties))
		for name, ps := range s.Properties {
			n.props[name] = &bodyProp{node: c.node(ps)}
		}
		for i, name := range s.Required {
			p := n.props[name]
			if p == nil || p.required != 0 {
				c.unsupported = true
				return n
			}
			p.required = 1 << i
			n.required |= p.required
		}
	case huma.TypeArray:
		n.items = c.node(s.Items)
		if s.MinItems != nil {
			n.minItems = *s.MinItems
		}
		if s.MaxItems != nil {
			n.maxItems = *s.MaxItems
		}
	case huma.TypeString:
		if s.MinLength != nil {
			n.minLen = *s.MinLength
		}
		if s.MaxLength != nil {
			n.maxLen = *s.MaxLength
		}
	case huma.TypeNumber, huma.TypeInteger:
		n.min, n.exMin, n.max, n.exMax, n.multipleOf = s.Minimum, s.ExclusiveMinimum, s.Maximum, s.ExclusiveMaximum, s.MultipleOf
	case huma.TypeBoolean:
	default:
		c.unsupported = true
	}
	return n
}

// scan checks well-formed JSON (the struct decode has accepted it) against
// compiled schemas.
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

// value checks the value at s.i against n (a null only where n is
// nullable) and moves past it.
func (s *scan) value(n *bodyNode) bool {
	s.ws()
	if s.i >= len(s.b) {
		return false
	}
	c := s.b[s.i]
	if c == 'n' {
		s.i += len("null")
		return n.nullable
	}
	switch n.typ {
	case huma.TypeObject:
		return c == '{' && s.object(n)
	case huma.TypeArray:
		return c == '[' && s.array(n)
	case huma.TypeString:
		return c == '"' && s.string(n)
	case huma.TypeNumber, huma.TypeInteger:
		return (c == '-' || c >= '0' && c <= '9') && s.number(n)
	case huma.TypeBoolean:
		switch c {
		case 't':
			s.i += len("true")
			return true
		case 'f':
			s.i += len("false")
			return true
		}
	}
	return false
}

// quoted moves past the string at s.i and returns its raw contents, and
// whether it has escapes.
func (s *scan) quoted() ([]byte, bool) {
	start := s.i + 1
	escaped := false
	for i := start; i < len(s.b); i++ {
		switch s.b[i] {
		case '\\':
			escaped = true
			i++
		case '"':
			s.i = i + 1
			return s.b[start:i], escaped
		}
	}
	s.i = len(s.b)
	return nil, true
}

func (s *scan) object(n *bodyNode) bool {
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
		key, escaped := s.quoted()
		if escaped {
			return false // huma folds the case and escapes of keys; leave it to huma
		}
		p := n.props[string(key)]
		if p == nil || seen&p.required != 0 {
			return false // unknown (or in another case), or a required one repeated
		}
		s.ws()
		if s.i >= len(s.b) || s.b[s.i] != ':' {
			return false
		}
		s.i++
		s.ws()
		if s.i < len(s.b) && s.b[s.i] == 'n' && p.required == 0 {
			// huma skips an optional property that is null, as the struct decode does.
			s.i += len("null")
		} else if !s.value(p.node) {
			return false
		}
		seen |= p.required
		s.ws()
		if s.i >= len(s.b) {
			return false
		}
		switch s.b[s.i] {
		case ',':
			s.i++
		case '}':
			s.i++
			return seen == n.required
		default:
			return false
		}
	}
	return false
}

func (s *scan) array(n *bodyNode) bool {
	s.i++ // [
	count := 0
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == ']' {
		s.i++
	} else {
		for {
			if !s.value(n.items) {
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

func (s *scan) string(n *bodyNode) bool {
	raw, escaped := s.quoted()
	if n.minLen < 0 && n.maxLen < 0 && n.enum == nil {
		return true
	}
	if escaped {
		// Decode it as the body's decode did.
		var dec string
		if err := json.Unmarshal(s.b[s.i-len(raw)-2:s.i], &dec); err != nil {
			return false
		}
		return n.stringOK(dec)
	}
	// Unescaped, the decoded string is raw with each byte of invalid UTF-8
	// replaced by U+FFFD: as many runes as RuneCount counts in raw; and raw
	// with invalid UTF-8 equals no value of an enum, nor does the decoded
	// string, unless the enum holds U+FFFD (then this refuses, which is safe).
	return n.stringOK(unsafeString(raw))
}

// stringOK applies the string keywords to str.
func (n *bodyNode) stringOK(str string) bool {
	if n.minLen >= 0 || n.maxLen >= 0 {
		l := utf8.RuneCountInString(str)
		if n.minLen >= 0 && l < n.minLen || n.maxLen >= 0 && l > n.maxLen {
			return false
		}
	}
	if n.enum != nil {
		return slices.Contains(n.enum, str)
	}
	return true
}

// unsafeString views b as a string, for the time of a check that keeps
// nothing of it.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

func (s *scan) number(n *bodyNode) bool {
	start := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		if c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			s.i++
			continue
		}
		break
	}
	// The body's decode into any parses a number with ParseFloat.
	num, err := strconv.ParseFloat(unsafeString(s.b[start:s.i]), 64)
	if err != nil {
		return false
	}
	if n.typ == huma.TypeInteger && num != math.Trunc(num) {
		return false
	}
	return (n.min == nil || num >= *n.min) && (n.exMin == nil || num > *n.exMin) &&
		(n.max == nil || num <= *n.max) && (n.exMax == nil || num < *n.exMax) &&
		(n.multipleOf == nil || math.Mod(num, *n.multipleOf) == 0)
}
