package lists

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/biter777/countries"
)

// countryOverrides maps list spellings that the countries package does not
// resolve to ISO alpha-2 codes.
var countryOverrides = map[string]string{
	"man, isle of": "IM", "korea, north": "KP", "korea, south": "KR", "burma": "MM",
	"region: crimea": "UA", "crimea": "UA", "russia": "RU", "iran": "IR", "syria": "SY",
	"venezuela": "VE", "bolivia": "BO", "tanzania": "TZ", "laos": "LA", "vietnam": "VN",
	"moldova": "MD", "macau": "MO", "macao": "MO", "taiwan": "TW", "palestinian": "PS",
	"west bank": "PS", "gaza": "PS", "palestine": "PS", "kosovo": "XK", "congo, democratic republic of the": "CD",
	"democratic republic of the congo": "CD", "congo, republic of the": "CG", "cote d ivoire": "CI",
	"cote d'ivoire": "CI", "ivory coast": "CI", "united kingdom": "GB", "uk": "GB", "united states": "US",
	"usa": "US", "turkey": "TR", "turkiye": "TR", "türkiye": "TR", "brunei": "BN", "czech republic": "CZ",
	"the bahamas": "BS", "bahamas, the": "BS", "gambia, the": "GM", "micronesia, federated states of": "FM",
	"netherlands antilles": "AN", "serbia and montenegro": "CS", "yugoslavia": "YU", "soviet union": "SU",
	"democratic people's republic of korea": "KP", "republic of korea": "KR", "iran (islamic republic of)": "IR",
	"syrian arab republic": "SY", "russian federation": "RU", "united republic of tanzania": "TZ",
	"lao people's democratic republic": "LA", "viet nam": "VN", "bolivia (plurinational state of)": "BO",
	"venezuela (bolivarian republic of)": "VE", "state of palestine": "PS", "north macedonia": "MK",
	"republic of moldova": "MD", "kyrgyzstan": "KG", "eswatini": "SZ", "cabo verde": "CV",
}

// countryCode maps a country name or code to ISO alpha-2, or "" when unknown.
func countryCode(name string) string {
	n := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(name), "."))
	if n == "" {
		return ""
	}
	if c, ok := countryOverrides[strings.ToLower(n)]; ok {
		return c
	}
	if len(n) == 2 && strings.ToUpper(n) == n {
		if c := countries.ByName(n); c != countries.Unknown {
			return c.Alpha2()
		}
		return ""
	}
	if c := countries.ByName(n); c != countries.Unknown {
		return c.Alpha2()
	}
	return ""
}

func hashStrings(s []string) string {
	h := sha256.New()
	for _, x := range s {
		h.Write([]byte(x))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}
