package api

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"time"

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
