package domain

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// latinFold maps lower-case Latin letters with diacritics (and ligatures) to
// plain ASCII, following the transliteration of ICAO 9303 part 3 where it
// gives a single option.
var latinFold = buildLatinFold()

// latinFoldAlt holds the alternative ICAO 9303 transliterations (Ä → AE,
// Ø → OE…) that documents may use instead of the plain letter.
var latinFoldAlt = map[rune]string{
	'ä': "ae", 'å': "aa", 'ö': "oe", 'ø': "oe", 'ü': "ue", 'ǿ': "oe",
}

// cyrillicFold is the ICAO 9303 part 3 transliteration of Cyrillic.
var cyrillicFold = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh",
	'з': "z", 'и': "i", 'й': "i", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o",
	'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts",
	'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "ie", 'ы': "y", 'ь': "", 'э': "e", 'ю': "iu",
	'я': "ia", 'і': "i", 'ї': "i", 'є': "ie", 'ґ': "g", 'ў': "u", 'ђ': "d", 'ј': "j",
	'љ': "lj", 'њ': "nj", 'ћ': "c", 'џ': "dz", 'ѓ': "g", 'ќ': "k", 'ѕ': "dz",
}

func buildLatinFold() map[rune]string {
	m := map[rune]string{}
	groups := map[string]string{
		"a":  "àáâãäåāăąǎǻạả",
		"ae": "æǽ",
		"c":  "çćĉċč",
		"d":  "ďđð",
		"e":  "èéêëēĕėęěẹẻẽ",
		"g":  "ĝğġģǧ",
		"h":  "ĥħ",
		"i":  "ìíîïĩīĭįıǐịỉ",
		"ij": "ĳ",
		"j":  "ĵ",
		"k":  "ķǩ",
		"l":  "ĺļľŀł",
		"n":  "ñńņňŉŋ",
		"o":  "òóôõöøōŏőǒǿơọỏ",
		"oe": "œ",
		"r":  "ŕŗř",
		"s":  "śŝşšș",
		"ss": "ß",
		"t":  "ţťŧț",
		"th": "þ",
		"u":  "ùúûüũūŭůűųǔǖǘǚǜưụủ",
		"w":  "ŵ",
		"y":  "ýÿŷỳ",
		"z":  "źżž",
	}
	for base, letters := range groups {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}

// FoldName returns s in upper case with Latin diacritics removed and
// ligatures expanded ("Müller-Šimić" → "MULLER-SIMIC", "Straße" →
// "STRASSE"). Letters of other scripts are upper-cased and kept; combining
// marks are dropped. It is meant for comparisons and sorting, not display.
func FoldName(s string) string {
	return foldWith(s, false, false)
}

// foldWith folds s; alt selects the alternative transliteration of ä, ö, ü,
// å, ø, and cyr transliterates Cyrillic.
func foldWith(s string, alt, cyr bool) string {
	if isASCII(s) {
		// No ASCII letter is in the fold tables, and no ASCII rune is a
		// mark: each is upper-cased (TestFoldASCII).
		return strings.ToUpper(s)
	}
	return foldRunes(s, alt, cyr)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// foldRunes is foldWith rune by rune.
func foldRunes(s string, alt, cyr bool) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		lr := unicode.ToLower(r)
		if alt {
			if f, ok := latinFoldAlt[lr]; ok {
				b.WriteString(strings.ToUpper(f))
				continue
			}
		}
		if f, ok := latinFold[lr]; ok {
			b.WriteString(strings.ToUpper(f))
			continue
		}
		if cyr {
			if f, ok := cyrillicFold[lr]; ok {
				b.WriteString(strings.ToUpper(f))
				continue
			}
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// mrzNameForms returns the forms a name may take in a machine-readable
// zone: upper-case A–Z words separated by single spaces, apostrophes and
// periods dropped, hyphens and other separators turned into spaces. It
// returns nil when the name holds letters that cannot be transliterated
// (scripts other than Latin and Cyrillic).
func mrzNameForms(name string) []string {
	var out []string
	for _, alt := range []bool{false, true} {
		f := foldWith(name, alt, true)
		var b strings.Builder
		space := false
		for _, r := range f {
			switch {
			case r >= 'A' && r <= 'Z':
				if space && b.Len() > 0 {
					b.WriteByte(' ')
				}
				space = false
				b.WriteRune(r)
			case r == '\'' || r == '’' || r == '.' || r == ',':
			case unicode.IsLetter(r) || unicode.IsDigit(r):
				return nil
			default:
				space = true
			}
		}
		s := b.String()
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
