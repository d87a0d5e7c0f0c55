package domain

import (
	"slices"
	"strings"
)

// Country is an ISO 3166-1 country: its alpha-2 code and short English name.
type Country struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

var (
	countryByA2 = func() map[string]int {
		m := make(map[string]int, len(countryTable))
		for i, c := range countryTable {
			m[c.a2] = i
		}
		return m
	}()
	countryByA3 = func() map[string]string {
		m := make(map[string]string, len(countryTable)+16)
		for _, c := range countryTable {
			m[c.a3] = c.a2
		}
		// ICAO 9303 part 3 codes used in machine-readable zones that are not
		// ISO 3166-1 alpha-3 codes of a country.
		m["D"] = "DE"   // Germany
		m["GBD"] = "GB" // British Overseas Territories citizen
		m["GBN"] = "GB" // British National (Overseas)
		m["GBO"] = "GB" // British Overseas citizen
		m["GBP"] = "GB" // British protected person
		m["GBS"] = "GB" // British subject
		m["RKS"] = "XK" // Kosovo
		return m
	}()
	countriesSorted = func() []Country {
		out := make([]Country, 0, len(countryTable))
		for _, c := range countryTable {
			out = append(out, Country{Code: c.a2, Name: c.name})
		}
		slices.SortFunc(out, func(a, b Country) int {
			return strings.Compare(FoldName(a.Name), FoldName(b.Name))
		})
		return out
	}()
)

// Countries returns every accepted country, sorted by English name with
// diacritics ignored ("Åland Islands" sorts under A). The slice is a copy.
func Countries() []Country { return slices.Clone(countriesSorted) }

// ValidCountry reports whether code is an accepted ISO 3166-1 alpha-2 code
// (upper case).
func ValidCountry(code string) bool {
	_, ok := countryByA2[code]
	return ok
}

// CountryName returns the English name of an alpha-2 code, or "" when the
// code is unknown.
func CountryName(code string) string {
	if i, ok := countryByA2[code]; ok {
		return countryTable[i].name
	}
	return ""
}

// CountryAlpha3 returns the ISO 3166-1 alpha-3 code of an alpha-2 code, or ""
// when unknown.
func CountryAlpha3(code string) string {
	if i, ok := countryByA2[code]; ok {
		return countryTable[i].a3
	}
	return ""
}

// CountryFromAlpha3 maps an ISO 3166-1 alpha-3 code, or an ICAO 9303 MRZ
// nationality code ("D" for Germany, "GBD"… for British nationals, "RKS" for
// Kosovo), to its alpha-2 code. It returns "" for codes without a country
// (UNO, XXA stateless, XXB refugee, XXX unspecified, EUE…).
func CountryFromAlpha3(code string) string {
	return countryByA3[strings.TrimRight(code, "<")]
}
