package domain

import (
	"regexp"
	"strings"
)

// MaxOtherNationalities bounds the other nationalities of a person.
const MaxOtherNationalities = 10

// poBoxPattern matches a post-office box in an address line, folded to
// upper case without diacritics: "PO Box 123", "P.O. Box", "Post Office
// Box", "POB 12", "Postfach 10 20 30", "Boîte postale", "BP 42" (France),
// "Apartado de correos", "Apartado 12", "Casilla 45", "Caixa Postal",
// "Postbus" (NL), "Postboks" (DK/NO), "Box 123" on its own (SE), "PMB"
// (a private mailbox at a commercial receiving agency, 39 CFR 608.10), "GPO
// Box", "Locked Bag" and "Private Bag" (AU/NZ/ZA).
var poBoxPattern = regexp.MustCompile(`(^|[^A-Z0-9])(` + strings.Join(poBoxForms, "|") + `)`)

// poBoxForms are the alternatives of poBoxPattern. Each holds one of
// poBoxLiterals (TestPostOfficeBoxLiterals): a line without any cannot
// match.
var poBoxForms = []string{
	`P\s*\.?\s*O\s*\.?\s*B(OX)?\b`,
	`POST\s*OFFICE\s*BOX`,
	`POSTOFFICE\s*BOX`,
	`G\s*\.?\s*P\s*\.?\s*O\s*\.?\s*BOX`,
	`POSTFACH`,
	`POSTBOX`,
	`POSTBUS`,
	`POSTBOKS`,
	`BOITE\s+POSTALE`,
	`CASE\s+POSTALE`,
	`B\s*\.?\s*P\s*\.?\s*\d`,
	`APARTADO(\s+DE\s+CORREOS|\s+POSTAL)?\s*(NO?\.?\s*)?\d`,
	`CASILLA(\s+DE\s+CORREOS?|\s+POSTAL)?\s*(NO?\.?\s*)?\d`,
	`CAIXA\s+POSTAL`,
	`CASELLA\s+POSTALE`,
	`SKRYTKA\s+POCZTOWA`,
	`PMB\s*#?\s*\d`,
	`(LOCKED|PRIVATE)\s+BAG`,
	`^\s*BOX\s*#?\s*\d`,
}

// poBoxLiterals are text that every match of poBoxPattern contains: a
// line without any of them is no post-office box, and the regular
// expression is not run.
var poBoxLiterals = []string{"B", "CA", "POSTFACH", "APARTADO", "SKRYTKA"}

// IsPostOfficeBox reports whether an address line names a post-office box
// (or a private mailbox) rather than a place where someone lives or a
// business is located. A street whose name begins with "Box"
// ("Boxhagener Straße 5") is not one.
func IsPostOfficeBox(line string) bool {
	f := FoldName(line)
	for _, l := range poBoxLiterals {
		if strings.Contains(f, l) {
			return poBoxPattern.MatchString(f)
		}
	}
	return false
}

// ValidUSTIN reports whether s is a US taxpayer identification number:
// nine digits, written plain or as an SSN/ITIN (123-45-6789) or an EIN
// (12-3456789), and not one of the numbers never issued (area 000 or 666,
// group 00, serial 0000, all the same digit).
func ValidUSTIN(s string) bool {
	digits := strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, s)
	if len(digits) != 9 {
		return false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return false
		}
	}
	if strings.Count(digits, digits[:1]) == 9 {
		return false
	}
	switch {
	case strings.Contains(s, "-") && len(s) == 11 && s[3] == '-' && s[6] == '-': // SSN or ITIN
		return digits[:3] != "000" && digits[:3] != "666" && digits[3:5] != "00" && digits[5:] != "0000"
	case strings.Contains(s, "-") && len(s) == 10 && s[2] == '-': // EIN
		return digits[:2] != "00"
	case strings.Contains(s, "-"):
		return false
	}
	return true
}

// placeOfBirth checks a place of birth (EU AMLR 2024/1624 art. 22(1)(a):
// place and full date of birth). required is set for a person it is
// required of at submission.
func (v *validator) placeOfBirth(prefix string, pob *PlaceOfBirth, required bool) {
	loc := join(prefix, "place_of_birth")
	if pob == nil {
		if v.full && required {
			v.add(loc, "Enter the place of birth: the city or town and the country")
		}
		return
	}
	if v.required(loc+".city", pob.City, "Enter the city or town of birth") {
		v.text(loc+".city", pob.City, 100, "place of birth")
	}
	if v.required(loc+".country", pob.Country, "Choose the country of birth") {
		// A country of birth may no longer exist (Yugoslavia, the USSR):
		// the code of the country where the place lies today is asked.
		v.country(loc+".country", pob.Country, "country of birth (where the place lies today)")
	}
}

// otherNationalities checks the nationalities besides the primary one
// (EU AMLR art. 22(1)(a): all nationalities).
func (v *validator) otherNationalities(prefix string, p Person) {
	loc := join(prefix, "other_nationalities")
	if len(p.OtherNationalities) > MaxOtherNationalities {
		v.add(loc, "Enter at most 10 other nationalities")
		return
	}
	seen := map[string]bool{p.Nationality: true}
	for i, c := range p.OtherNationalities {
		at := loc + "[" + itoa(i) + "]"
		switch {
		case !ValidCountry(c):
			v.add(at, "Choose each other nationality from the list of countries (an ISO 3166-1 alpha-2 code such as DE or US)")
		case c == p.Nationality:
			v.add(at, "This is already the primary nationality; list only the others")
		case seen[c]:
			v.add(at, "Give each nationality only once")
		}
		seen[c] = true
	}
}

// usTaxID checks the tax id of a US person, who must give a US taxpayer
// identification number (31 CFR 1020.220(a)(2)(i)(A)(4)(i); for beneficial
// owners, 31 CFR 1010.230 appendix A). required is set for a person it is
// required of at submission.
func (v *validator) usTaxID(prefix string, p Person, required bool) {
	if !p.USPerson() {
		return
	}
	loc := join(prefix, "tax_id")
	if p.TaxID == "" {
		if v.full && required {
			v.add(loc, "Enter the US taxpayer identification number (SSN, ITIN or EIN): it is required of a US national or resident")
		}
		return
	}
	if !ValidUSTIN(p.TaxID) {
		v.add(loc, "Enter the US taxpayer identification number as 9 digits, such as 123-45-6789 (SSN or ITIN) or 12-3456789 (EIN)")
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
