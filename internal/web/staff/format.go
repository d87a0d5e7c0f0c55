package staff

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/kyc-platform/kyc/internal/domain"
)

// mask hides all but the first character of each word ("Anna Maria" →
// "A••• M••••"); digits and dates become dots except separators.
func mask(s string) string {
	if s == "" {
		return ""
	}
	var b strings.Builder
	first := true
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || r == '-' || r == '@' || r == '.' || r == '/':
			b.WriteRune(r)
			first = true
		case first && unicode.IsLetter(r):
			b.WriteRune(r)
			first = false
		default:
			b.WriteString("•")
			first = false
		}
	}
	return b.String()
}

func ago(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d.Hours()))
	}
	return fmt.Sprintf("%d d", int(d.Hours()/24))
}

func fmtFloat(f float64, prec int) string { return strconv.FormatFloat(f, 'f', prec, 64) }

func joinInts(xs []int64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.FormatInt(x, 10)
	}
	return strings.Join(parts, ",")
}

// jsonList renders strings as a JSON array for a data-* attribute (the
// template escapes it for the attribute).
func jsonList(xs []string) string {
	b, _ := json.Marshal(xs)
	return string(b)
}

func money(m *domain.Money) string {
	if m == nil {
		return ""
	}
	return fmt.Sprintf("%s %d.%02d", m.Currency, m.Amount/100, m.Amount%100)
}

// fold is a rough normalisation to compare display tokens with the
// screening explanation's normalised tokens.
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// highlight renders name with each token that appears in tokens wrapped in
// <mark> (the matched tokens of a screening hit).
func highlight(name string, tokens []string) template.HTML {
	set := map[string]bool{}
	for _, t := range tokens {
		for _, p := range strings.Fields(t) {
			set[fold(p)] = true
		}
	}
	var b strings.Builder
	for i, w := range strings.Fields(name) {
		if i > 0 {
			b.WriteString(" ")
		}
		esc := template.HTMLEscapeString(w)
		if f := fold(w); f != "" && set[f] {
			b.WriteString(`<mark class="kyc-mark">` + esc + `</mark>`)
		} else {
			b.WriteString(esc)
		}
	}
	return template.HTML(b.String())
}

// funcs are the template functions of the staff pages.
func funcs() template.FuncMap {
	return template.FuncMap{
		"mask":  mask,
		"ago":   ago,
		"days":  func(d time.Duration) int { return int(d.Hours() / 24) },
		"query": func(kv ...string) template.URL { return template.URL(queryString(kv...)) },
		"seq": func(n int) []int {
			s := make([]int, n)
			for i := range s {
				s[i] = i + 1
			}
			return s
		},
		"sub": func(a, b int) int { return a - b },
		"contains": func(list []string, s string) bool {
			for _, x := range list {
				if x == s {
					return true
				}
			}
			return false
		},
		"joinInts": joinInts,
		"list":     func(xs ...string) []string { return xs },
		"yesno": func(b bool) string {
			if b {
				return "yes"
			}
			return "no"
		},
		"jsonList":  jsonList,
		"staleDays": staleDays,
		"money":     money,
		"minor":     formatMinor,
		"pct":       domain.FormatPercent,
		"highlight": highlight,
		"score": func(f float64) string {
			return strings.TrimRight(strings.TrimRight(fmtFloat(f*100, 1), "0"), ".") + "%"
		},
		"signed": func(f float64) string {
			if f >= 0 {
				return "+" + fmtFloat(f, 2)
			}
			return fmtFloat(f, 2)
		},
	}
}

// queryString builds "?k=v&…" from pairs, leaving out empty values.
func queryString(kv ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}
