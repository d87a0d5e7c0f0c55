package domain

import (
	"fmt"
	"strings"
	"time"
)

// MRZFormat is the layout of a machine-readable zone (ICAO 9303).
type MRZFormat string

// Machine-readable zone formats.
const (
	MRZTD1 MRZFormat = "TD1" // 3 lines of 30: ID cards (ICAO 9303 part 5)
	MRZTD2 MRZFormat = "TD2" // 2 lines of 36 (part 6)
	MRZTD3 MRZFormat = "TD3" // 2 lines of 44: passports (part 4)
)

// MRZ is a parsed and checked machine-readable zone of an identity document.
// Dates are YYYY-MM-DD ("" when the zone marks them unknown).
type MRZ struct {
	Format MRZFormat `json:"format"`
	// DocumentCode is the document code without fillers: "P", "PP", "I",
	// "ID", "AR"…
	DocumentCode string `json:"document_code"`
	// IssuingState is the 3-letter issuing state or organisation as written
	// ("UTO", "D", "GBR"); IssuingCountry its ISO alpha-2 code or "".
	IssuingState   string `json:"issuing_state"`
	IssuingCountry string `json:"issuing_country,omitempty"`
	Surname        string `json:"surname"`
	GivenNames     string `json:"given_names"`
	// NamesTruncated is true when the name field is full, so the names may
	// have been cut short.
	NamesTruncated bool   `json:"names_truncated,omitempty"`
	DocumentNumber string `json:"document_number"`
	// NationalityCode is the 3-letter nationality as written; Nationality its
	// ISO alpha-2 code or "" (stateless, refugee, UN…).
	NationalityCode string `json:"nationality_code"`
	Nationality     string `json:"nationality,omitempty"`
	BirthDate       string `json:"birth_date"`
	Sex             string `json:"sex"` // "M", "F" or "X" (unspecified)
	ExpiryDate      string `json:"expiry_date"`
	OptionalData    string `json:"optional_data,omitempty"`
	OptionalData2   string `json:"optional_data_2,omitempty"`
}

// NormalizeMRZ upper-cases an MRZ, removes spaces and blank lines and joins
// its lines with "\n".
func NormalizeMRZ(s string) string {
	s = strings.ReplaceAll(s, "\r", "\n")
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		l = strings.ToUpper(strings.Join(strings.Fields(l), ""))
		if l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// MRZCheckDigit computes the ICAO 9303 part 3 check digit of s: weights 7,
// 3, 1 repeated; digits count their value, A–Z count 10–35, the filler "<"
// counts 0. It returns -1 when s holds any other character.
func MRZCheckDigit(s string) int {
	weights := [3]int{7, 3, 1}
	sum := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		var v int
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		case c == '<':
			v = 0
		default:
			return -1
		}
		sum += v * weights[i%3]
	}
	return sum % 10
}

func mrzInvalid(format string, args ...any) *Error {
	return Errorf(ECodeInvalid, format, args...)
}

// ParseMRZ parses a TD1, TD2 or TD3 machine-readable zone (lines separated
// by new lines, or the lines run together) and verifies every check digit:
// document number, birth date, expiry date, optional data where it has one,
// and the composite. now resolves two-digit years: a birth date is the latest
// such date not after now; an expiry date lies within 50 years of now. The
// error is an ECodeInvalid *Error whose message can be shown to the user.
func ParseMRZ(s string, now time.Time) (*MRZ, error) {
	s = NormalizeMRZ(s)
	lines := strings.Split(s, "\n")
	if len(lines) == 1 {
		switch len(s) {
		case 90:
			lines = []string{s[:30], s[30:60], s[60:]}
		case 72:
			lines = []string{s[:36], s[36:]}
		case 88:
			lines = []string{s[:44], s[44:]}
		}
	}
	for _, l := range lines {
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '<') {
				return nil, mrzInvalid("Enter the MRZ exactly as printed: only the letters A–Z, the digits 0–9 and <")
			}
		}
	}
	var m *MRZ
	var err error
	switch {
	case len(lines) == 3 && len(lines[0]) == 30 && len(lines[1]) == 30 && len(lines[2]) == 30:
		m, err = parseTD1(lines, now)
	case len(lines) == 2 && len(lines[0]) == 36 && len(lines[1]) == 36:
		m, err = parseTD2(lines, now)
	case len(lines) == 2 && len(lines[0]) == 44 && len(lines[1]) == 44:
		m, err = parseTD3(lines, now)
	default:
		return nil, mrzInvalid("Enter the complete MRZ: 3 lines of 30 characters (ID card), 2 lines of 36, or 2 lines of 44 (passport)")
	}
	if err != nil {
		return nil, err
	}
	return m, nil
}

// mrzFields collects the fields shared by every format and the names of
// the check digits that failed.
type mrzChecker struct {
	failed []string
}

func (c *mrzChecker) check(what, data string, digit byte) {
	if digit == '<' && strings.Trim(data, "<") == "" {
		return // an empty field may have a filler as its check digit
	}
	want := MRZCheckDigit(data)
	if digit < '0' || digit > '9' || int(digit-'0') != want {
		c.failed = append(c.failed, what)
	}
}

func (c *mrzChecker) err() error {
	if len(c.failed) == 0 {
		return nil
	}
	return mrzInvalid("The MRZ check digits do not match (%s); check that it was typed exactly as printed", strings.Join(c.failed, ", "))
}

func fillerless(s string) string { return strings.TrimRight(s, "<") }

// mrzDate converts YYMMDD to YYYY-MM-DD. birth chooses the latest date not
// after now; otherwise the date within 50 years of now.
func mrzDate(s string, now time.Time, birth bool) (string, bool) {
	if strings.Trim(s, "<") == "" {
		return "", true // unknown
	}
	if len(s) != 6 {
		return "", false
	}
	for i := 0; i < 6; i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", false
		}
	}
	yy := int(s[0]-'0')*10 + int(s[1]-'0')
	mm := int(s[2]-'0')*10 + int(s[3]-'0')
	dd := int(s[4]-'0')*10 + int(s[5]-'0')
	ny := today(now).Year()
	year := ny/100*100 + yy
	if birth {
		if year > ny {
			year -= 100
		}
	} else if year > ny+50 {
		year -= 100
	} else if year < ny-50 {
		year += 100
	}
	t := time.Date(year, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if t.Year() != year || int(t.Month()) != mm || t.Day() != dd {
		return "", false // 31 February and the like
	}
	if birth && t.After(today(now)) {
		t = t.AddDate(-100, 0, 0)
	}
	return t.Format(DateLayout), true
}

func (m *MRZ) setCommon(code, state, nationality, birth, sex, expiry string, now time.Time) error {
	m.DocumentCode = fillerless(code)
	if m.DocumentCode == "" || m.DocumentCode[0] < 'A' || m.DocumentCode[0] > 'Z' {
		return mrzInvalid("The MRZ does not start with a document code such as P or I")
	}
	if m.DocumentCode[0] == 'V' {
		return mrzInvalid("This is the MRZ of a visa; enter the MRZ of the identity document")
	}
	m.IssuingState = fillerless(state)
	m.IssuingCountry = CountryFromAlpha3(m.IssuingState)
	m.NationalityCode = fillerless(nationality)
	m.Nationality = CountryFromAlpha3(m.NationalityCode)
	var ok bool
	if m.BirthDate, ok = mrzDate(birth, now, true); !ok {
		return mrzInvalid("The date of birth in the MRZ is not a real date")
	}
	if m.ExpiryDate, ok = mrzDate(expiry, now, false); !ok {
		return mrzInvalid("The expiry date in the MRZ is not a real date")
	}
	switch sex {
	case "M", "F":
		m.Sex = sex
	case "<", "X":
		m.Sex = "X"
	default:
		return mrzInvalid("The sex in the MRZ must be M, F or <")
	}
	return nil
}

// setNames splits the name field: primary identifier, "<<", secondary
// identifier, with "<" between name parts.
func (m *MRZ) setNames(field string) error {
	m.NamesTruncated = !strings.HasSuffix(field, "<")
	trimmed := strings.TrimRight(field, "<")
	if trimmed == "" {
		return mrzInvalid("The MRZ has no name")
	}
	for i := 0; i < len(trimmed); i++ {
		if trimmed[i] >= '0' && trimmed[i] <= '9' {
			return mrzInvalid("The name in the MRZ contains digits; check that it was typed exactly as printed")
		}
	}
	primary, secondary, _ := strings.Cut(trimmed, "<<")
	words := func(s string) string {
		return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '<' }), " ")
	}
	m.Surname = words(primary)
	m.GivenNames = words(secondary)
	return nil
}

// longNumber reads a document number longer than 9 characters: the first
// 9 are in the number field, its check digit position holds "<", and the
// rest with the check digit open the optional data, up to the first "<".
func longNumber(first, opt string) (number string, digit byte, rest string, ok bool) {
	end := strings.IndexByte(opt, '<')
	if end < 0 {
		end = len(opt)
	}
	if end < 2 {
		return "", 0, "", false
	}
	return first + opt[:end-1], opt[end-1], opt[end:], true
}

func parseTD1(l []string, now time.Time) (*MRZ, error) {
	m := &MRZ{Format: MRZTD1}
	var c mrzChecker
	number, digit, opt1 := l[0][5:14], l[0][14], l[0][15:30]
	if digit == '<' && number[8] != '<' {
		n, d, rest, ok := longNumber(number, opt1)
		if !ok {
			return nil, mrzInvalid("The document number in the MRZ is incomplete")
		}
		c.check("document number", n, d)
		m.DocumentNumber, m.OptionalData = n, fillerless(strings.TrimLeft(rest, "<"))
	} else {
		c.check("document number", number, digit)
		m.DocumentNumber, m.OptionalData = fillerless(number), fillerless(opt1)
	}
	c.check("date of birth", l[1][0:6], l[1][6])
	c.check("expiry date", l[1][8:14], l[1][14])
	m.OptionalData2 = fillerless(l[1][18:29])
	c.check("composite", l[0][5:30]+l[1][0:7]+l[1][8:15]+l[1][18:29], l[1][29])
	if err := c.err(); err != nil {
		return nil, err
	}
	if err := m.setCommon(l[0][0:2], l[0][2:5], l[1][15:18], l[1][0:6], l[1][7:8], l[1][8:14], now); err != nil {
		return nil, err
	}
	if err := m.setNames(l[2]); err != nil {
		return nil, err
	}
	return m, m.checkNumber()
}

func parseTD2(l []string, now time.Time) (*MRZ, error) {
	m := &MRZ{Format: MRZTD2}
	var c mrzChecker
	number, digit, opt := l[1][0:9], l[1][9], l[1][28:35]
	if digit == '<' && number[8] != '<' {
		n, d, rest, ok := longNumber(number, opt)
		if !ok {
			return nil, mrzInvalid("The document number in the MRZ is incomplete")
		}
		c.check("document number", n, d)
		m.DocumentNumber, m.OptionalData = n, fillerless(strings.TrimLeft(rest, "<"))
	} else {
		c.check("document number", number, digit)
		m.DocumentNumber, m.OptionalData = fillerless(number), fillerless(opt)
	}
	c.check("date of birth", l[1][13:19], l[1][19])
	c.check("expiry date", l[1][21:27], l[1][27])
	c.check("composite", l[1][0:10]+l[1][13:20]+l[1][21:35], l[1][35])
	if err := c.err(); err != nil {
		return nil, err
	}
	if err := m.setCommon(l[0][0:2], l[0][2:5], l[1][10:13], l[1][13:19], l[1][20:21], l[1][21:27], now); err != nil {
		return nil, err
	}
	if err := m.setNames(l[0][5:36]); err != nil {
		return nil, err
	}
	return m, m.checkNumber()
}

func parseTD3(l []string, now time.Time) (*MRZ, error) {
	m := &MRZ{Format: MRZTD3}
	var c mrzChecker
	c.check("document number", l[1][0:9], l[1][9])
	c.check("date of birth", l[1][13:19], l[1][19])
	c.check("expiry date", l[1][21:27], l[1][27])
	c.check("personal number", l[1][28:42], l[1][42])
	c.check("composite", l[1][0:10]+l[1][13:20]+l[1][21:43], l[1][43])
	if err := c.err(); err != nil {
		return nil, err
	}
	m.DocumentNumber = fillerless(l[1][0:9])
	m.OptionalData = fillerless(l[1][28:42])
	if err := m.setCommon(l[0][0:2], l[0][2:5], l[1][10:13], l[1][13:19], l[1][20:21], l[1][21:27], now); err != nil {
		return nil, err
	}
	if err := m.setNames(l[0][5:44]); err != nil {
		return nil, err
	}
	return m, m.checkNumber()
}

func (m *MRZ) checkNumber() error {
	if m.DocumentNumber == "" || strings.Contains(m.DocumentNumber, "<") {
		return mrzInvalid("The document number in the MRZ is missing or malformed")
	}
	return nil
}

// MRZMismatch is one disagreement between a machine-readable zone and the
// form. Field is the form field's JSON path relative to the person
// ("family_name", "document.number"); Label names it for people. Neither
// holds the values, which are personal data.
type MRZMismatch struct {
	Field string `json:"field"`
	Label string `json:"label"`
}

// CompareMRZ compares a parsed MRZ with the person's form: family name and
// given names (after folding case and diacritics, accepting either ICAO
// transliteration of ä/ö/ü/å/ø, and a prefix when the MRZ name is
// truncated), date of birth, document number, expiry date, nationality,
// issuing country and, for a passport, the document code. Fields missing
// from the form are not compared; names in scripts that cannot be
// transliterated are not compared either.
func CompareMRZ(m *MRZ, p Person) []MRZMismatch {
	var out []MRZMismatch
	add := func(field, label string) { out = append(out, MRZMismatch{Field: field, Label: label}) }
	if !namesMatch(m, p) {
		if p.FamilyName != "" && !nameMatches(p.FamilyName, m.Surname, m.NamesTruncated && m.GivenNames == "") {
			add("family_name", "family name")
		}
		if p.GivenNames != "" && !nameMatches(p.GivenNames, m.GivenNames, m.NamesTruncated) {
			add("given_names", "given names")
		}
	}
	if p.BirthDate != "" && m.BirthDate != "" && p.BirthDate != m.BirthDate {
		add("birth_date", "date of birth")
	}
	if p.Nationality != "" && p.Nationality != m.Nationality {
		add("nationality", "nationality")
	}
	if doc := p.Document; doc != nil {
		if doc.Number != "" && doc.Number != m.DocumentNumber {
			add("document.number", "document number")
		}
		if doc.ExpiryDate != "" && m.ExpiryDate != "" && doc.ExpiryDate != m.ExpiryDate {
			add("document.expiry_date", "expiry date")
		}
		if doc.IssuingCountry != "" && m.IssuingCountry != "" && doc.IssuingCountry != m.IssuingCountry {
			add("document.issuing_country", "issuing country")
		}
		isP := strings.HasPrefix(m.DocumentCode, "P")
		if doc.Type == DocPassport && !isP || (doc.Type == DocIDCard || doc.Type == DocResidencePermit) && isP {
			add("document.type", "document type")
		}
	}
	return out
}

// namesMatch reports whether the whole name agrees when the split between
// surname and given names differs (some states write all names as the
// primary identifier).
func namesMatch(m *MRZ, p Person) bool {
	if p.FamilyName == "" || p.GivenNames == "" {
		return false
	}
	mrzFull := strings.TrimSpace(m.Surname + " " + m.GivenNames)
	return nameMatches(p.FamilyName+" "+p.GivenNames, mrzFull, m.NamesTruncated) ||
		nameMatches(p.GivenNames+" "+p.FamilyName, mrzFull, m.NamesTruncated)
}

// nameMatches compares a form name with an MRZ name (A–Z words separated by
// spaces). Spaces are ignored as a fallback; a truncated MRZ name needs only
// be a prefix. Untransliterable names match.
func nameMatches(form, mrz string, truncated bool) bool {
	forms := mrzNameForms(form)
	if forms == nil {
		return true
	}
	nospace := func(s string) string { return strings.ReplaceAll(s, " ", "") }
	for _, f := range forms {
		if f == mrz || nospace(f) == nospace(mrz) {
			return true
		}
		if truncated && mrz != "" && strings.HasPrefix(nospace(f), nospace(mrz)) {
			return true
		}
	}
	return false
}

// MismatchMessage describes MRZ mismatches for the person who typed the form.
func MismatchMessage(mm []MRZMismatch) string {
	labels := make([]string, len(mm))
	for i, x := range mm {
		labels[i] = x.Label
	}
	return fmt.Sprintf("The MRZ does not match the form (%s); check those fields and the MRZ", strings.Join(labels, ", "))
}
