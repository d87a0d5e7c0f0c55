package goaml

import (
	"bytes"
	"fmt"
	"maps"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// This file validates a document against a loaded Schema (xsd.go loads it).

// ValidationError lists every way a document breaks the schema, each with
// the path of the element at fault.
type ValidationError struct {
	Problems []string
}

// Error joins the problems.
func (e *ValidationError) Error() string {
	return "the report is not valid against the goAML schema: " + strings.Join(e.Problems, "; ")
}

// Validate checks a document against the schema and returns a
// *ValidationError naming every problem, or an error when the document is
// not well-formed XML.
func (s *Schema) Validate(doc []byte) error {
	root, err := parseTree(bytes.NewReader(doc), false)
	if err != nil {
		return err
	}
	v := &validation{}
	d, ok := s.roots[root.name]
	if !ok {
		v.problem("/"+root.name, "is not an element the schema declares at the root (expected one of %s)", names(slices.Sorted(maps.Keys(s.roots))))
	} else {
		v.element(root, d, "/"+root.name)
	}
	if len(v.problems) > 0 {
		return &ValidationError{Problems: v.problems}
	}
	return nil
}

type validation struct {
	problems []string
}

func (v *validation) problem(path, format string, args ...any) {
	if len(v.problems) < 100 {
		v.problems = append(v.problems, path+": "+fmt.Sprintf(format, args...))
	}
}

func names(ns []string) string {
	q := make([]string, len(ns))
	for i, n := range ns {
		q[i] = "<" + n + ">"
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

func (v *validation) element(n *node, d *elementDecl, path string) {
	for _, a := range n.attrs {
		if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" || a.Name.Space == "http://www.w3.org/2001/XMLSchema-instance" {
			continue
		}
		v.problem(path, "attribute %s is not allowed", a.Name.Local)
	}
	if d.simple != nil {
		if len(n.children) > 0 {
			v.problem(path, "must hold text, not elements")
			return
		}
		if msg := d.simple.check(n.text.String()); msg != "" {
			v.problem(path, "%s", msg)
		}
		return
	}
	if strings.TrimSpace(n.text.String()) != "" {
		v.problem(path, "must hold elements, not text")
	}
	ct := d.complex
	m := &matcher{kids: n.children}
	ends := m.match(ct.content, map[int]bool{0: true})
	if !ends[len(n.children)] {
		f := m.frontier
		for e := range ends {
			f = max(f, e)
		}
		exp := slices.Sorted(maps.Keys(m.expected[f]))
		switch {
		case f < len(n.children) && len(exp) > 0:
			v.problem(path, "unexpected <%s>; expected %s", n.children[f].name, names(exp))
		case f < len(n.children):
			v.problem(path, "unexpected <%s>", n.children[f].name)
		default:
			v.problem(path, "missing %s", names(exp))
		}
	}
	counts := map[string]int{}
	for _, c := range n.children {
		counts[c.name]++
	}
	seen := map[string]int{}
	for _, c := range n.children {
		cd, ok := ct.decls[c.name]
		if !ok {
			continue // reported above as unexpected
		}
		seen[c.name]++
		cp := path + "/" + c.name
		if counts[c.name] > 1 {
			cp += fmt.Sprintf("[%d]", seen[c.name])
		}
		v.element(c, cd, cp)
	}
}

// matcher runs a content model over the child elements as a set of
// positions (no backtracking blow-up), remembering the furthest position
// where an expected element was missing, for the error message.
type matcher struct {
	kids     []*node
	frontier int
	expected map[int]map[string]bool
}

func (m *matcher) fail(pos int, name string) {
	if m.expected == nil {
		m.expected = map[int]map[string]bool{}
	}
	if m.expected[pos] == nil {
		m.expected[pos] = map[string]bool{}
	}
	m.expected[pos][name] = true
	m.frontier = max(m.frontier, pos)
}

func (m *matcher) match(p *particle, starts map[int]bool) map[int]bool {
	result := map[int]bool{}
	cur := starts
	visited := map[int]bool{}
	for k := 0; ; k++ {
		if k >= p.min {
			for s := range cur {
				result[s] = true
			}
		}
		if p.max >= 0 && k == p.max || len(cur) == 0 {
			break
		}
		next := m.once(p, cur)
		if k >= p.min {
			grew := false
			for s := range next {
				if !visited[s] {
					visited[s], grew = true, true
				}
			}
			if !grew {
				break
			}
		}
		cur = next
	}
	return result
}

func (m *matcher) once(p *particle, starts map[int]bool) map[int]bool {
	switch p.kind {
	case pElement:
		out := map[int]bool{}
		for s := range starts {
			if s < len(m.kids) && m.kids[s].name == p.decl.name {
				out[s+1] = true
			} else {
				m.fail(s, p.decl.name)
			}
		}
		return out
	case pSequence:
		cur := starts
		for _, c := range p.children {
			cur = m.match(c, cur)
			if len(cur) == 0 {
				break
			}
		}
		return cur
	default: // choice
		out := map[int]bool{}
		for _, c := range p.children {
			for e := range m.match(c, starts) {
				out[e] = true
			}
		}
		return out
	}
}

var (
	reInt      = regexp.MustCompile(`^[+-]?[0-9]+$`)
	reDecimal  = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)
	reDateTime = regexp.MustCompile(`^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$`)
	reDate     = regexp.MustCompile(`^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$`)
)

// check returns "" when the text is a valid value of the type, else why not.
func (st *simpleType) check(raw string) string {
	root := st
	for root.base != nil {
		root = root.base
	}
	val := raw
	if root.builtin != "xs:string" {
		val = strings.Join(strings.Fields(raw), " ") // whitespace collapse
	}
	switch root.builtin {
	case "xs:int":
		if !reInt.MatchString(val) {
			return fmt.Sprintf("%q is not a whole number", val)
		}
		if _, err := strconv.ParseInt(val, 10, 32); err != nil {
			return fmt.Sprintf("%q is out of range for xs:int", val)
		}
	case "xs:decimal":
		if !reDecimal.MatchString(val) {
			return fmt.Sprintf("%q is not a decimal number", val)
		}
		if _, ok := new(big.Rat).SetString(strings.TrimPrefix(val, "+")); !ok {
			return fmt.Sprintf("%q is not a decimal number", val)
		}
	case "xs:dateTime":
		if !reDateTime.MatchString(val) || !validDate(val[:strings.IndexByte(val, 'T')]) || !validClock(val[strings.IndexByte(val, 'T')+1:]) {
			return fmt.Sprintf("%q is not a date and time (YYYY-MM-DDThh:mm:ss)", val)
		}
	case "xs:date":
		if !reDate.MatchString(val) || !validDate(val[:10]) {
			return fmt.Sprintf("%q is not a date (YYYY-MM-DD)", val)
		}
	case "xs:boolean":
		if val != "true" && val != "false" && val != "1" && val != "0" {
			return fmt.Sprintf("%q is not true or false", val)
		}
	}
	for t := st; t != nil; t = t.base {
		n := utf8.RuneCountInString(val)
		if t.length >= 0 && n != t.length {
			return fmt.Sprintf("must be %d characters long, is %d", t.length, n)
		}
		if t.minLength >= 0 && n < t.minLength {
			if n == 0 {
				return "must not be empty"
			}
			return fmt.Sprintf("must be at least %d characters long, is %d", t.minLength, n)
		}
		if t.maxLength >= 0 && n > t.maxLength {
			return fmt.Sprintf("must be at most %d characters long, is %d", t.maxLength, n)
		}
		if len(t.enums) > 0 && !slices.Contains(t.enums, val) {
			return fmt.Sprintf("%q is not one of %s", val, strings.Join(t.enums, ", "))
		}
		// Patterns of one derivation step are alternatives; of several, all apply.
		if len(t.patterns) > 0 && !slices.ContainsFunc(t.patterns, func(re *regexp.Regexp) bool { return re.MatchString(val) }) {
			return fmt.Sprintf("%q does not match the pattern %s", val, strings.Join(t.patSrc, " | "))
		}
	}
	return ""
}

func validDate(s string) bool {
	s = strings.TrimPrefix(s, "-")
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

func validClock(s string) bool {
	if len(s) < 8 {
		return false
	}
	h, _ := strconv.Atoi(s[0:2])
	mi, _ := strconv.Atoi(s[3:5])
	se, _ := strconv.Atoi(s[6:8])
	return (h < 24 && mi < 60 && se < 60) || (h == 24 && mi == 0 && se == 0)
}
