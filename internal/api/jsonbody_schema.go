package api

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// The schema check of jsonBody (jsonbody.go): a body's schema compiled once,
// with the Go type it decodes into.

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
