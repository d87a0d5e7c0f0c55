package api

import (
	"bytes"
	"encoding"
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
// the JSON body decoded once instead of three times. For a Body, huma
// decodes the body into map[string]any, validates that against the schema,
// and decodes the body again into the struct (encoding/json, which scans
// the whole body for well-formedness before it decodes). Here huma only
// reads the body (RawBody: limit, read timeout, required), and the resolver
// decodes it into the struct in one pass that also checks it against the
// body's schema, compiled once with the struct's type (bodyNode, scan).
// When that pass finds the body well-formed and valid, that is all.
// Otherwise — a body the pass cannot vouch for, invalid or merely unusual —
// it does what huma does for a Body, step by step (bodyDecoder.slow), so
// that every error, its location, message and status, is huma's own. The
// pass only ever accepts a body that huma's validation accepts, decoded
// into what encoding/json would decode; it may refuse more (keys in another
// case or escaped, a repeated key, a null it cannot place), which costs
// time, never a different answer (TestJSONBodyAsHuma, FuzzJSONBodyAsHuma).
// register documents the operation's request body as huma would for a Body
// of T.
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
	dst := reflect.ValueOf(v).Elem()
	d.once.Do(func() { d.root = compileBody(d.api.OpenAPI().Components.Schemas, d.schema, dst.Type()) })
	if d.root == nil || !plainJSON(ct) {
		return false
	}
	s := scan{b: body}
	return s.value(d.root, dst) && s.end()
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

// bodyNode is a schema compiled, with the Go type a value of it decodes
// into, for the check: the keywords huma.Validate applies to a body, for
// the schemas that use no others (a format counts only on a string: huma
// checks none on numbers), and the Go types that encoding/json fills
// without a method of theirs.
type bodyNode struct {
	typ      string
	nullable bool
	goType   reflect.Type // for an object, the struct (ptr: through a pointer)
	ptr      bool
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
	field    []int  // the struct field encoding/json sets
	bit      uint64 // its bit among the object's properties
	required uint64 // bit, when required, or 0
}

// compileBody compiles s for values of type t, or answers nil when s (or a
// schema under it) uses a keyword the check does not apply, or t a type
// the decode does not fill as encoding/json would.
func compileBody(r huma.Registry, s *huma.Schema, t reflect.Type) *bodyNode {
	c := compiler{r: r, done: map[compiled]*bodyNode{}}
	n := c.node(s, t)
	if c.unsupported {
		return nil
	}
	return n
}

type compiled struct {
	s *huma.Schema
	t reflect.Type
}

type compiler struct {
	r           huma.Registry
	done        map[compiled]*bodyNode
	unsupported bool
}

var (
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// custom tells whether encoding/json decodes into t through a method.
func custom(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return t.Implements(jsonUnmarshalerType) || pt.Implements(jsonUnmarshalerType) ||
		t.Implements(textUnmarshalerType) || pt.Implements(textUnmarshalerType)
}

func (c *compiler) node(s *huma.Schema, t reflect.Type) *bodyNode {
	for s != nil && s.Ref != "" {
		s = c.r.SchemaFromRef(s.Ref)
	}
	if s == nil || t == nil {
		c.unsupported = true
		return nil
	}
	key := compiled{s, t}
	if n := c.done[key]; n != nil {
		return n
	}
	n := &bodyNode{typ: s.Type, nullable: s.Nullable, goType: t, minItems: -1, maxItems: -1, minLen: -1, maxLen: -1}
	c.done[key] = n
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
	if t.Kind() == reflect.Pointer && s.Type == huma.TypeObject {
		n.ptr, t = true, t.Elem()
		n.goType = t
		if custom(reflect.PointerTo(t)) {
			c.unsupported = true
		}
	}
	if custom(t) {
		c.unsupported = true
		return n
	}
	k := t.Kind()
	switch s.Type {
	case huma.TypeObject:
		fields, ok := jsonFields(t)
		if !ok || len(s.Properties) > 64 || len(s.Required) > 64 {
			c.unsupported = true
			return n
		}
		n.props = make(map[string]*bodyProp, len(s.Properties))
		i := 0
		for name, ps := range s.Properties {
			f, ok := fields[name]
			if !ok {
				c.unsupported = true
				return n
			}
			n.props[name] = &bodyProp{node: c.node(ps, f.Type), field: f.Index, bit: 1 << i}
			i++
		}
		for _, name := range s.Required {
			p := n.props[name]
			if p == nil || p.required != 0 {
				c.unsupported = true
				return n
			}
			p.required = p.bit
			n.required |= p.bit
		}
	case huma.TypeArray:
		if k != reflect.Slice || t.Elem().Kind() == reflect.Uint8 {
			c.unsupported = true // ([]byte is base64 in JSON)
			return n
		}
		n.items = c.node(s.Items, t.Elem())
		if s.MinItems != nil {
			n.minItems = *s.MinItems
		}
		if s.MaxItems != nil {
			n.maxItems = *s.MaxItems
		}
	case huma.TypeString:
		if k != reflect.String {
			c.unsupported = true
		}
		if s.MinLength != nil {
			n.minLen = *s.MinLength
		}
		if s.MaxLength != nil {
			n.maxLen = *s.MaxLength
		}
	case huma.TypeInteger:
		if k != reflect.Int && k != reflect.Int8 && k != reflect.Int16 && k != reflect.Int32 && k != reflect.Int64 {
			c.unsupported = true
		}
		n.min, n.exMin, n.max, n.exMax, n.multipleOf = s.Minimum, s.ExclusiveMinimum, s.Maximum, s.ExclusiveMaximum, s.MultipleOf
	case huma.TypeNumber:
		if k != reflect.Float64 && k != reflect.Float32 {
			c.unsupported = true
		}
		n.min, n.exMin, n.max, n.exMax, n.multipleOf = s.Minimum, s.ExclusiveMinimum, s.Maximum, s.ExclusiveMaximum, s.MultipleOf
	case huma.TypeBoolean:
		if k != reflect.Bool {
			c.unsupported = true
		}
	default:
		c.unsupported = true
	}
	return n
}

// jsonFields maps the JSON names of struct t to its fields, as
// encoding/json does for structs whose names are unambiguous: fields of
// embedded structs (untagged, not through a pointer) promoted, "-"
// skipped; ok is false for what it leaves to encoding/json (a name given
// twice, an embedded pointer or tagged embedded struct, the string option).
func jsonFields(t reflect.Type) (map[string]reflect.StructField, bool) {
	if t.Kind() != reflect.Struct {
		return nil, false
	}
	out := map[string]reflect.StructField{}
	for _, f := range reflect.VisibleFields(t) {
		tag, hasTag := f.Tag.Lookup("json")
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous {
			if f.Type.Kind() == reflect.Struct && name == "" {
				continue // promoted: its fields follow
			}
			return nil, false
		}
		if !f.IsExported() || tag == "-" {
			continue
		}
		for _, o := range strings.Split(opts, ",") {
			if o != "" && o != "omitempty" && o != "omitzero" {
				return nil, false
			}
		}
		if !hasTag || name == "" {
			name = f.Name
		}
		if _, dup := out[name]; dup {
			return nil, false
		}
		out[name] = f
	}
	return out, true
}

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
