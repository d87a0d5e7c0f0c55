package screening

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-unidecode"
)

// script says which writing system a token was transliterated from; it
// changes how the token may be compared.
type script uint8

const (
	scriptLatin    script = iota // Latin or transliterated with vowels (Cyrillic, Greek, Hangul …)
	scriptAbjad                  // Arabic, Hebrew …: transliteration has no short vowels
	scriptSyllabic               // Han, kana: one syllable per character, joined per run
)

// normToken is one normalised name token.
type normToken struct {
	s      string
	script script
}

// Normalize returns the normalised form of a name as used by the matcher:
// lower-case ASCII tokens separated by single spaces, with diacritics folded,
// non-Latin scripts transliterated, apostrophes removed and other
// punctuation treated as a separator.
func Normalize(name string) string {
	toks := tokenize(name)
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = t.s
	}
	return strings.Join(parts, " ")
}

func isAbjad(r rune) bool {
	return (r >= 0x0590 && r <= 0x08FF) || (r >= 0xFB1D && r <= 0xFDFF) || (r >= 0xFE70 && r <= 0xFEFF)
}

func isSyllabic(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r)
}

// tokenize splits a name into normalised tokens.
func tokenize(name string) []normToken {
	var toks []normToken
	var cur []byte
	curScript := scriptLatin
	flush := func() {
		if len(cur) > 0 {
			toks = append(toks, normToken{s: string(cur), script: curScript})
			cur = cur[:0]
		}
		curScript = scriptLatin
	}
	addASCII := func(b byte) {
		switch {
		case b >= 'a' && b <= 'z', b >= '0' && b <= '9':
			cur = append(cur, b)
		case b >= 'A' && b <= 'Z':
			cur = append(cur, b+'a'-'A')
		case b == '\'' || b == '`' || b == '"':
			// apostrophes join: GAMA'AT -> gamaat
		default:
			flush()
		}
	}
	for i := 0; i < len(name); {
		b := name[i]
		if b < utf8.RuneSelf {
			addASCII(b)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(name[i:])
		i += size
		switch {
		case r == utf8.RuneError:
			flush()
			continue
		case r == '’' || r == '‘' || r == 'ʼ' || r == 'ʻ' || r == '`' || r == '´' || r == 'ʿ' || r == 'ʾ':
			continue
		case unicode.IsMark(r):
			continue
		case unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r):
			flush()
			continue
		}
		sc := scriptLatin
		if isAbjad(r) {
			sc = scriptAbjad
		} else if isSyllabic(r) {
			sc = scriptSyllabic
		}
		if sc != scriptLatin {
			if len(cur) > 0 && curScript != sc {
				flush()
			}
			curScript = sc
		}
		tr := unidecode.Unidecode(string(r))
		for j := 0; j < len(tr); j++ {
			c := tr[j]
			if sc == scriptSyllabic && c == ' ' {
				continue // join the syllables of one run
			}
			addASCII(c)
			if sc != scriptLatin && len(cur) > 0 {
				curScript = sc
			}
		}
	}
	flush()
	return toks
}

// skeleton returns the consonant skeleton of a token: vowels and the
// semi-vowels w and y removed, q folded to k, doubled letters collapsed.
// It lets abjad transliterations ("mhmd") meet vocalised spellings
// ("muhammad").
func skeleton(s string) string {
	var b [64]byte
	out := b[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y', 'w':
			continue
		case 'q':
			c = 'k'
		}
		if len(out) > 0 && out[len(out)-1] == c {
			continue
		}
		out = append(out, c)
	}
	return string(out)
}

// stopWeight lists tokens that carry little identifying information: legal
// forms, honorifics, particles and generic business words. The value
// multiplies the token's rarity weight.
var stopWeight = map[string]float32{
	// legal forms and business words
	"ltd": 0.1, "limited": 0.1, "llc": 0.1, "inc": 0.1, "incorporated": 0.1, "corp": 0.1,
	"corporation": 0.15, "co": 0.1, "company": 0.15, "sa": 0.1, "s": 0.1, "de": 0.2, "cv": 0.1,
	"srl": 0.1, "sarl": 0.1, "gmbh": 0.1, "ag": 0.1, "bv": 0.1, "nv": 0.1, "plc": 0.1, "ooo": 0.1,
	"oao": 0.1, "zao": 0.1, "pao": 0.1, "ao": 0.1, "jsc": 0.1, "ojsc": 0.1, "cjsc": 0.1, "pjsc": 0.1,
	"fze": 0.1, "fzco": 0.1, "fzc": 0.1, "est": 0.2, "establishment": 0.2, "pte": 0.1, "pvt": 0.1,
	"sas": 0.1, "spa": 0.1, "lp": 0.1, "llp": 0.1, "kg": 0.1, "ab": 0.2, "as": 0.2, "oy": 0.1,
	"trading": 0.3, "group": 0.3, "holding": 0.3, "holdings": 0.3, "international": 0.3,
	"the": 0.1, "and": 0.1, "of": 0.1, "for": 0.1, "y": 0.1, "et": 0.1, "und": 0.1,
	"general": 0.4, "industrial": 0.4, "industries": 0.4, "enterprise": 0.4, "enterprises": 0.4,
	"services": 0.4, "service": 0.4, "import": 0.4, "export": 0.4, "shipping": 0.4,
	// honorifics and titles
	"mr": 0.1, "mrs": 0.1, "ms": 0.1, "dr": 0.1, "prof": 0.1, "sir": 0.1, "haji": 0.2, "hajji": 0.2,
	"sheikh": 0.2, "shaykh": 0.2, "sheik": 0.2, "mullah": 0.2, "mulla": 0.2, "maulavi": 0.2,
	"mawlawi": 0.2, "maulvi": 0.2, "qari": 0.2, "imam": 0.3, "colonel": 0.2,
	// particles
	"al": 0.15, "el": 0.15, "ul": 0.15, "ad": 0.3, "ar": 0.3, "ash": 0.3, "az": 0.3, "an": 0.3,
	"bin": 0.3, "ibn": 0.3, "ben": 0.4, "bint": 0.3, "van": 0.3, "von": 0.3, "der": 0.3,
	"den": 0.3, "da": 0.3, "di": 0.3, "du": 0.3, "la": 0.3, "le": 0.3, "dos": 0.3, "das": 0.3,
	"del": 0.3, "los": 0.3,
}
