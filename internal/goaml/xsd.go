package goaml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// This file is a validator for the subset of XML Schema 1.0 that goaml.xsd
// uses: global element and named complex and simple types; sequence and
// choice (nested) with minOccurs and maxOccurs; elements with a named or
// built-in type; simple types restricting xs:string, xs:int, xs:decimal,
// xs:dateTime, xs:date or xs:boolean (or another simple type) with the
// facets enumeration, pattern, length, minLength and maxLength. Anything
// else in a schema is refused when it loads, so the validator never
// silently ignores a constraint. No maintained pure-Go XSD validator was
// found sound enough to build on (the Go options wrap libxml2 through cgo,
// which the pure-Go build rules out); the tests cross-check this one with
// xmllint --schema when it is installed.

const xsNS = "http://www.w3.org/2001/XMLSchema"

// Schema is a loaded XSD subset. It is immutable and safe for concurrent use.
type Schema struct {
	roots   map[string]*elementDecl
	complex map[string]*complexType
	simple  map[string]*simpleType
}

type elementDecl struct {
	name     string
	typeName string
	complex  *complexType
	simple   *simpleType
}

type complexType struct {
	name    string
	content *particle
	// decls maps each child element name to its declaration (XSD requires
	// same-named elements in one content model to share a type).
	decls map[string]*elementDecl
}

type particleKind int

const (
	pElement particleKind = iota
	pSequence
	pChoice
)

type particle struct {
	kind     particleKind
	min, max int // max < 0: unbounded
	decl     *elementDecl
	children []*particle
}

type simpleType struct {
	name      string
	builtin   string // xs:string, xs:int, …; set on the root of a derivation chain
	base      *simpleType
	enums     []string
	patterns  []*regexp.Regexp
	patSrc    []string
	length    int // -1 when unset
	minLength int
	maxLength int
}

// node is a parsed XML element.
type node struct {
	name     string
	attrs    []xml.Attr
	children []*node
	text     strings.Builder
	line     int
}

// parseTree reads one XML document into a tree, refusing DTDs (no entity
// expansion, OWASP ASVS 1.5.1) and more than one root.
func parseTree(r io.Reader, keepNS bool) (*node, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = true
	var stack []*node
	var root *node
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not well-formed XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return nil, errors.New("a DOCTYPE or other directive is not allowed")
		case xml.StartElement:
			line, _ := dec.InputPos()
			name := t.Name.Local
			if keepNS && t.Name.Space != "" {
				name = t.Name.Space + " " + t.Name.Local
			}
			n := &node{name: name, attrs: t.Attr, line: line}
			if len(stack) == 0 {
				if root != nil {
					return nil, errors.New("more than one root element")
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			} else if len(bytes.TrimSpace(t)) > 0 {
				return nil, errors.New("text outside the root element")
			}
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return root, nil
}

// LoadSchema reads an XSD written in the supported subset.
func LoadSchema(r io.Reader) (*Schema, error) {
	root, err := parseTree(r, true)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	if root.name != xsNS+" schema" {
		return nil, errors.New("schema: the root is not xs:schema")
	}
	s := &Schema{roots: map[string]*elementDecl{}, complex: map[string]*complexType{}, simple: map[string]*simpleType{}}
	for _, a := range root.attrs {
		if a.Name.Space == "" && a.Name.Local == "elementFormDefault" && a.Value != "qualified" {
			return nil, errors.New("schema: only elementFormDefault=\"qualified\" is supported")
		}
		if a.Name.Local == "targetNamespace" {
			return nil, errors.New("schema: a target namespace is not supported")
		}
	}
	// Declare names first so types may be used before they are defined.
	for _, c := range root.children {
		name := attr(c, "name")
		switch c.name {
		case xsNS + " complexType":
			if name == "" || s.complex[name] != nil || s.simple[name] != nil {
				return nil, fmt.Errorf("schema line %d: complex type without a name or declared twice", c.line)
			}
			s.complex[name] = &complexType{name: name}
		case xsNS + " simpleType":
			if name == "" || s.complex[name] != nil || s.simple[name] != nil {
				return nil, fmt.Errorf("schema line %d: simple type without a name or declared twice", c.line)
			}
			s.simple[name] = &simpleType{name: name}
		case xsNS + " element":
		default:
			return nil, fmt.Errorf("schema line %d: %s is not supported", c.line, c.name)
		}
	}
	for _, c := range root.children {
		var err error
		switch c.name {
		case xsNS + " complexType":
			err = s.loadComplex(c, s.complex[attr(c, "name")])
		case xsNS + " simpleType":
			err = s.loadSimple(c, s.simple[attr(c, "name")])
		case xsNS + " element":
			var d *elementDecl
			d, err = s.loadElementDecl(c)
			if err == nil {
				s.roots[d.name] = d
			}
		}
		if err != nil {
			return nil, fmt.Errorf("schema: %w", err)
		}
	}
	// Derivation chains must end in a built-in type, without cycles.
	for _, st := range s.simple {
		seen := map[*simpleType]bool{}
		for t := st; t != nil; t = t.base {
			if seen[t] {
				return nil, fmt.Errorf("schema: simple type %q derives from itself", st.name)
			}
			seen[t] = true
			if t.base == nil && t.builtin == "" {
				return nil, fmt.Errorf("schema: simple type %q has no base", st.name)
			}
		}
	}
	return s, nil
}

func attr(n *node, name string) string {
	for _, a := range n.attrs {
		if a.Name.Space == "" && a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func checkAttrs(n *node, allowed ...string) error {
	for _, a := range n.attrs {
		if a.Name.Space != "" || a.Name.Local == "xmlns" {
			continue
		}
		if !slices.Contains(allowed, a.Name.Local) {
			return fmt.Errorf("line %d: attribute %s of %s is not supported", n.line, a.Name.Local, localName(n.name))
		}
	}
	return nil
}

func localName(s string) string {
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		return s[i+1:]
	}
	return s
}

var builtins = map[string]bool{"xs:string": true, "xs:int": true, "xs:decimal": true, "xs:dateTime": true, "xs:date": true, "xs:boolean": true}

func (s *Schema) loadElementDecl(n *node) (*elementDecl, error) {
	if err := checkAttrs(n, "name", "type", "minOccurs", "maxOccurs"); err != nil {
		return nil, err
	}
	d := &elementDecl{name: attr(n, "name"), typeName: attr(n, "type")}
	if d.name == "" || d.typeName == "" {
		return nil, fmt.Errorf("line %d: an element needs a name and a type (inline types are not supported)", n.line)
	}
	if len(n.children) > 0 {
		return nil, fmt.Errorf("line %d: element %s: inline content is not supported", n.line, d.name)
	}
	switch {
	case builtins[d.typeName]:
		d.simple = &simpleType{name: d.typeName, builtin: d.typeName, length: -1, minLength: -1, maxLength: -1}
	case s.complex[d.typeName] != nil:
		d.complex = s.complex[d.typeName]
	case s.simple[d.typeName] != nil:
		d.simple = s.simple[d.typeName]
	default:
		return nil, fmt.Errorf("line %d: element %s: unknown type %q", n.line, d.name, d.typeName)
	}
	return d, nil
}

func occurs(n *node) (int, int, error) {
	lo, hi := 1, 1
	if v := attr(n, "minOccurs"); v != "" {
		i, err := strconv.Atoi(v)
		if err != nil || i < 0 {
			return 0, 0, fmt.Errorf("line %d: bad minOccurs %q", n.line, v)
		}
		lo = i
	}
	if v := attr(n, "maxOccurs"); v != "" {
		if v == "unbounded" {
			hi = -1
		} else {
			i, err := strconv.Atoi(v)
			if err != nil || i < 1 {
				return 0, 0, fmt.Errorf("line %d: bad maxOccurs %q", n.line, v)
			}
			hi = i
		}
	}
	if hi >= 0 && hi < lo {
		return 0, 0, fmt.Errorf("line %d: maxOccurs below minOccurs", n.line)
	}
	return lo, hi, nil
}

func (s *Schema) loadComplex(n *node, ct *complexType) error {
	if err := checkAttrs(n, "name"); err != nil {
		return err
	}
	if len(n.children) != 1 {
		return fmt.Errorf("line %d: complex type %s must hold exactly one sequence or choice", n.line, ct.name)
	}
	ct.decls = map[string]*elementDecl{}
	p, err := s.loadParticle(n.children[0], ct)
	if err != nil {
		return fmt.Errorf("complex type %s: %w", ct.name, err)
	}
	if p.kind == pElement {
		return fmt.Errorf("line %d: complex type %s must hold a sequence or choice", n.line, ct.name)
	}
	ct.content = p
	return nil
}

func (s *Schema) loadParticle(n *node, ct *complexType) (*particle, error) {
	lo, hi, err := occurs(n)
	if err != nil {
		return nil, err
	}
	p := &particle{min: lo, max: hi}
	switch n.name {
	case xsNS + " element":
		d, err := s.loadElementDecl(n)
		if err != nil {
			return nil, err
		}
		if prev, ok := ct.decls[d.name]; ok && prev.typeName != d.typeName {
			return nil, fmt.Errorf("line %d: element %s is declared twice with different types", n.line, d.name)
		}
		ct.decls[d.name] = d
		p.kind, p.decl = pElement, d
		return p, nil
	case xsNS + " sequence", xsNS + " choice":
		if err := checkAttrs(n, "minOccurs", "maxOccurs"); err != nil {
			return nil, err
		}
		p.kind = pSequence
		if n.name == xsNS+" choice" {
			p.kind = pChoice
		}
		for _, c := range n.children {
			if c.name == xsNS+" annotation" {
				continue
			}
			cp, err := s.loadParticle(c, ct)
			if err != nil {
				return nil, err
			}
			p.children = append(p.children, cp)
		}
		if len(p.children) == 0 {
			return nil, fmt.Errorf("line %d: empty %s", n.line, localName(n.name))
		}
		return p, nil
	}
	return nil, fmt.Errorf("line %d: %s is not supported in a content model", n.line, localName(n.name))
}

func (s *Schema) loadSimple(n *node, st *simpleType) error {
	if err := checkAttrs(n, "name"); err != nil {
		return err
	}
	st.length, st.minLength, st.maxLength = -1, -1, -1
	if len(n.children) != 1 || n.children[0].name != xsNS+" restriction" {
		return fmt.Errorf("line %d: simple type %s must be one restriction", n.line, st.name)
	}
	res := n.children[0]
	if err := checkAttrs(res, "base"); err != nil {
		return err
	}
	base := attr(res, "base")
	switch {
	case builtins[base]:
		st.builtin = base
	case s.simple[base] != nil:
		st.base = s.simple[base]
	default:
		return fmt.Errorf("line %d: simple type %s: unknown or unsupported base %q", res.line, st.name, base)
	}
	for _, f := range res.children {
		if err := checkAttrs(f, "value"); err != nil {
			return err
		}
		v := attr(f, "value")
		switch localName(f.name) {
		case "enumeration":
			st.enums = append(st.enums, v)
		case "pattern":
			if strings.Contains(v, `\i`) || strings.Contains(v, `\c`) || strings.Contains(v, `\p{Is`) {
				return fmt.Errorf("line %d: pattern %q uses XSD-only escapes", f.line, v)
			}
			re, err := regexp.Compile(`^(?:` + v + `)$`)
			if err != nil {
				return fmt.Errorf("line %d: pattern %q: %w", f.line, v, err)
			}
			st.patterns, st.patSrc = append(st.patterns, re), append(st.patSrc, v)
		case "length", "minLength", "maxLength":
			i, err := strconv.Atoi(v)
			if err != nil || i < 0 {
				return fmt.Errorf("line %d: bad %s %q", f.line, localName(f.name), v)
			}
			switch localName(f.name) {
			case "length":
				st.length = i
			case "minLength":
				st.minLength = i
			default:
				st.maxLength = i
			}
		default:
			return fmt.Errorf("line %d: facet %s is not supported", f.line, localName(f.name))
		}
	}
	return nil
}
