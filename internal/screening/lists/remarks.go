package lists

import (
	"strconv"
	"strings"

	"github.com/kyc-platform/kyc/internal/screening"
)

var monthNum = map[string]int{
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
	"january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}

// applyOFACRemarks extracts birth dates, places of birth, nationalities,
// identity documents, gender, IMO numbers and a.k.a. names from OFAC
// remarks ("DOB 10 Dec 1948; POB Giza, Egypt; Passport 1084010 (Egypt)").
func applyOFACRemarks(e *screening.Entity) {
	for _, seg := range strings.Split(e.Remarks, ";") {
		seg = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(seg), "."))
		seg = strings.TrimPrefix(seg, "alt. ")
		switch {
		case seg == "":
		case strings.HasPrefix(seg, "DOB "):
			e.BirthDates = append(e.BirthDates, parseLooseDates(seg[4:])...)
		case strings.HasPrefix(seg, "POB "):
			e.PlacesOfBirth = append(e.PlacesOfBirth, seg[4:])
		case strings.HasPrefix(seg, "nationality "), strings.HasPrefix(seg, "citizen "):
			v := seg[strings.IndexByte(seg, ' ')+1:]
			if c := countryCode(v); c != "" {
				e.Countries = append(e.Countries, c)
			}
		case strings.HasPrefix(seg, "Gender "):
			switch g := strings.ToLower(seg[7:]); {
			case strings.HasPrefix(g, "female"):
				e.Gender = "female"
			case strings.HasPrefix(g, "male"):
				e.Gender = "male"
			}
		case strings.HasPrefix(seg, "a.k.a. "), strings.HasPrefix(seg, "f.k.a. "), strings.HasPrefix(seg, "n.k.a. "):
			kind := screening.AliasAKA
			if seg[0] == 'f' {
				kind = screening.AliasFKA
			} else if seg[0] == 'n' {
				kind = screening.AliasNKA
			}
			n := strings.Trim(strings.TrimSpace(seg[7:]), "'\"")
			if n != "" {
				e.Aliases = append(e.Aliases, screening.Alias{Name: n, Kind: kind})
			}
		case strings.HasPrefix(seg, "Vessel Registration Identification IMO "):
			imo := strings.TrimSpace(seg[len("Vessel Registration Identification IMO "):])
			e.Identifiers = append(e.Identifiers, screening.Identifier{Type: "IMO", Value: imo})
			if e.Vessel != nil {
				e.Vessel.IMO = imo
			}
		default:
			if id, ok := parseIdentifier(seg); ok {
				e.Identifiers = append(e.Identifiers, id)
			}
		}
	}
}

// idPrefixes are document types found in OFAC remarks.
var idPrefixes = []string{
	"Passport", "National ID No.", "Cedula No.", "Tax ID No.", "SSN", "Identification Number", "D.N.I.",
	"C.U.R.P.", "R.F.C.", "NIT #", "Registration ID", "Registration Number", "Driver's License No.",
	"Business Registration Document #", "Personal ID Card", "Residency Number", "MMSI", "Company Number",
	"Public Registration Number", "Business Number", "Unified Social Credit Code (USCC)", "Legal Entity Number",
	"Tax Identification Number", "Birth Certificate Number", "Electoral Registry No.", "Matricula Mercantil No",
}

// parseIdentifier reads "Passport 1084010 (Egypt)" style segments.
func parseIdentifier(seg string) (screening.Identifier, bool) {
	for _, p := range idPrefixes {
		if !strings.HasPrefix(seg, p+" ") {
			continue
		}
		rest := strings.TrimSpace(seg[len(p)+1:])
		id := screening.Identifier{Type: p}
		if i := strings.IndexByte(rest, '('); i > 0 {
			j := strings.IndexByte(rest[i:], ')')
			if j > 0 {
				id.Country = countryOr(rest[i+1 : i+j])
			}
			rest = strings.TrimSpace(rest[:i])
		}
		if f := strings.Fields(rest); len(f) > 0 {
			id.Value = f[0]
			if len(f) > 1 && !strings.Contains(strings.ToLower(rest), "issued") && !strings.Contains(rest, "expires") {
				id.Value = rest
			}
		}
		if id.Value == "" {
			return id, false
		}
		return id, true
	}
	return screening.Identifier{}, false
}

// parseLooseDates reads "10 Dec 1948", "Dec 1948", "1948", "circa 1955",
// "1960 to 1962" and "01 Jan 1960 to 31 Dec 1962" into ISO partial dates.
func parseLooseDates(s string) []string {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "circa "))
	if a, b, ok := strings.Cut(s, " to "); ok {
		da, db := parseLooseDate(a), parseLooseDate(b)
		if len(da) >= 4 && len(db) >= 4 {
			ya, _ := strconv.Atoi(da[:4])
			yb, _ := strconv.Atoi(db[:4])
			if yb >= ya && yb-ya <= 10 {
				var out []string
				for y := ya; y <= yb; y++ {
					out = append(out, strconv.Itoa(y))
				}
				return out
			}
		}
		return nonEmpty(da, db)
	}
	return nonEmpty(parseLooseDate(s))
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// parseLooseDate parses one date in OFAC or ISO style; "" when unreadable.
func parseLooseDate(s string) string {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "circa "))
	if len(s) == 4 || (len(s) > 4 && s[4] == '-') {
		// ISO-like: 1948, 1948-12, 1948-12-10 (longer strings cut)
		return isoPrefix(s)
	}
	f := strings.Fields(strings.ReplaceAll(s, "/", " "))
	switch len(f) {
	case 3:
		d, err1 := strconv.Atoi(f[0])
		m, okm := monthNum[strings.ToLower(f[1])]
		y, err3 := strconv.Atoi(f[2])
		if err1 == nil && okm && err3 == nil && validYear(y) && d >= 1 && d <= 31 {
			return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
		}
		// dd mm yyyy numeric
		m2, err2 := strconv.Atoi(f[1])
		if err1 == nil && err2 == nil && err3 == nil && validYear(y) && m2 >= 1 && m2 <= 12 && d >= 1 && d <= 31 {
			return pad(y, 4) + "-" + pad(m2, 2) + "-" + pad(d, 2)
		}
	case 2:
		m, okm := monthNum[strings.ToLower(f[0])]
		y, err := strconv.Atoi(f[1])
		if okm && err == nil && validYear(y) {
			return pad(y, 4) + "-" + pad(m, 2)
		}
	}
	return ""
}

// isoPrefix returns the valid YYYY[-MM[-DD]] prefix of s, or "".
func isoPrefix(s string) string {
	if len(s) < 4 {
		return ""
	}
	y, err := strconv.Atoi(s[:4])
	if err != nil || !validYear(y) {
		return ""
	}
	if len(s) >= 7 && s[4] == '-' {
		m, err := strconv.Atoi(s[5:7])
		if err != nil || m < 1 || m > 12 {
			return s[:4]
		}
		if len(s) >= 10 && s[7] == '-' {
			d, err := strconv.Atoi(s[8:10])
			if err == nil && d >= 1 && d <= 31 {
				return s[:10]
			}
		}
		if m == 0 {
			return s[:4]
		}
		return s[:7]
	}
	return s[:4]
}

func validYear(y int) bool { return y >= 1850 && y <= 2100 }

func pad(n, w int) string {
	s := strconv.Itoa(n)
	for len(s) < w {
		s = "0" + s
	}
	return s
}
