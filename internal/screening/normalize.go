package screening

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-unidecode"
	"golang.org/x/text/unicode/norm"
)

// script says which writing system a token was transliterated from; it
// changes how the token may be compared.
type script uint8

const (
	scriptLatin    script = iota // Latin or transliterated with vowels (Cyrillic, Greek, Hangul …)
	scriptAbjad                  // Arabic, Hebrew …: transliteration has no short vowels
	scriptSyllabic               // Han: one syllable per character, joined per run
	scriptKana                   // Japanese kana, romanised by Hepburn (kana.go)
)

// writing system of the letters a token was written in; a query mixing
// systems ("محمد عمر Mohammed Omar") is also screened per system.
const (
	sysLatin uint8 = iota // Latin letters and digits
	sysCyrillic
	sysGreek
	sysArabic // Arabic, Persian, Urdu, Hebrew
	sysCJK    // Han, Hangul
	sysOther
	sysKana // Japanese kana
)

// normToken is one normalised name token.
type normToken struct {
	s      string
	script script
	sys    uint8 // writing system of the original letters
	seg    uint8 // segment: parentheses, brackets and semicolons start a new one
	upper  bool  // written in capitals only (the surname in "Andrey ZAKHAROV")
	lower  bool  // has a lower-case letter
	hyph   bool  // joined to the previous token by a hyphen ("Young-Chol")
	dot    bool  // joined to the previous token by a full stop ("L.L.C.")
	// han holds the characters of a token written in Han characters only;
	// s is then their pinyin (han.go).
	han string
	// alt is another romanisation of a Cyrillic query token, by the table
	// of the other language its letters may be written in (cyrillic.go),
	// or of a Latin one with dž or dż (dzh, read as j: tokenize).
	alt string
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
	return unicode.Is(unicode.Han, r)
}

// arabicLatin romanises the Arabic, Persian and Urdu letters in the way
// list publishers do (alef as a, ta marbuta as h, Persian keheh as k), where
// generic transliteration tables drop letters or split words.
var arabicLatin = map[rune]string{
	'ء': "", 'آ': "a", 'أ': "a", 'ؤ': "w", 'إ': "i", 'ئ': "y", 'ا': "a", 'ب': "b", 'ة': "h",
	'ت': "t", 'ث': "th", 'ج': "j", 'ح': "h", 'خ': "kh", 'د': "d", 'ذ': "dh", 'ر': "r", 'ز': "z",
	'س': "s", 'ش': "sh", 'ص': "s", 'ض': "d", 'ط': "t", 'ظ': "z", 'ع': "", 'غ': "gh", 'ـ': "",
	'ف': "f", 'ق': "q", 'ك': "k", 'ل': "l", 'م': "m", 'ن': "n", 'ه': "h", 'و': "w", 'ى': "a",
	'ي': "y", 'ٱ': "a", 'پ': "p", 'چ': "ch", 'ژ': "zh", 'ک': "k", 'گ': "g", 'ی': "y", 'ە': "h",
	'ۀ': "h", 'ٹ': "t", 'ڈ': "d", 'ڑ': "r", 'ں': "n", 'ھ': "h", 'ہ': "h", 'ۃ': "h", 'ے': "y",
	'ې': "y", 'ۍ': "y", 'ټ': "t", 'ډ': "d", 'ړ': "r", 'ږ': "zh", 'ښ': "sh", 'ځ': "dz", 'څ': "ts",
	'ڼ': "n", 'ٸ': "y", 'ڤ': "v", 'ڨ': "g", 'ګ': "g",
}

// cyrillicLatin romanises Cyrillic close to BGN/PCGN, the system most list
// spellings follow (й y, х kh, ю yu, я ya, щ shch); the variants of other
// systems (ГОСТ, passport) meet it through translitKey.
var cyrillicLatin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z",
	'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r",
	'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch",
	'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya", 'і': "i", 'ї': "yi", 'є': "ye",
	'ґ': "g", 'ў': "u", 'ј': "j", 'љ': "lj", 'њ': "nj", 'ћ': "c", 'ђ': "dj", 'џ': "dz", 'ѓ': "g",
	'ќ': "k", 'ѕ': "dz", 'ә': "a", 'ғ': "g", 'қ': "k", 'ң': "n", 'ө': "o", 'ұ': "u", 'ү': "u",
	'һ': "h", 'ҳ': "h", 'ҷ': "j",
}

// segment breaks: an alias or annotation in parentheses or after a
// semicolon is also screened on its own.
func isSegmentBreak(r rune) bool {
	switch r {
	case '(', ')', '[', ']', ';', '（', '）', '［', '］', '；':
		return true
	}
	return false
}

// tokenize splits a name into normalised tokens.
func tokenize(name string) []normToken {
	return tokenizeCyr(name, cyrillicVariant(name))
}

// tokenizeCyr is tokenize with the Cyrillic of the name read as the given
// language (cyrillic.go).
func tokenizeCyr(name string, cyr cyrVariant) []normToken {
	name = foldHebrewGeresh(name)
	wordCyr := cyr
	var toks []normToken
	var cur []byte
	curScript := scriptLatin
	curSys := sysLatin
	var seg uint8
	var hasUpper, hasLower bool
	hyph, dot := false, false // only a hyphen, a full stop since the last token
	var han []byte            // the Han characters of the token
	hanOnly := true           // … and nothing else
	dzj := false              // the token has a dž or dż
	flush := func() {
		if len(cur) > 0 {
			toks = append(toks, normToken{s: string(cur), script: curScript, sys: curSys, seg: seg, upper: hasUpper && !hasLower, lower: hasLower, hyph: hyph && len(toks) > 0, dot: dot && len(toks) > 0})
			if hanOnly && len(han) > 0 {
				toks[len(toks)-1].han = string(han)
			}
			if dzj {
				toks[len(toks)-1].alt = strings.ReplaceAll(string(cur), "dz", "dzh")
			}
			cur = cur[:0]
			hyph, dot = false, false
		}
		dzj = false
		han, hanOnly = han[:0], true
		curScript = scriptLatin
		curSys = sysLatin
		hasUpper, hasLower = false, false
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
	elide := func() {
		// l' and d' are written out (le, de): the lists write them so
		switch string(cur) {
		case "l":
			cur = append(cur, 'e')
		case "d":
			cur = append(cur, 'e')
		}
		flush()
	}
	var rbuf [4]byte
	for i := 0; i < len(name); {
		b := name[i]
		if b < utf8.RuneSelf {
			if isSegmentBreak(rune(b)) {
				flush()
				if len(toks) > 0 && toks[len(toks)-1].seg == seg && seg < 255 {
					seg++
				}
				i++
				continue
			}
			if b >= 'A' && b <= 'Z' {
				hasUpper = true
			} else if b >= 'a' && b <= 'z' {
				hasLower = true
			}
			wasTok := len(cur) > 0
			if b == '\'' && elides(cur, name[i+1:]) {
				elide() // l'organisation, d'Aden: the article is a word of its own
				i++
				continue
			}
			addASCII(b)
			if len(cur) > 0 {
				hanOnly = false
			}
			if len(cur) == 0 && b != '\'' && b != '`' && b != '"' {
				hyph = b == '-' && wasTok
				dot = b == '.' && wasTok
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(name[i:])
		i += size
		if unicode.IsUpper(r) {
			hasUpper = true
		} else if unicode.IsLower(r) {
			hasLower = true
		}
		if isKana(r) {
			// a run of kana is one token, romanised as a whole (Hepburn)
			j := i
			for j < len(name) {
				r2, size2 := utf8.DecodeRuneInString(name[j:])
				if !isKana(r2) {
					break
				}
				j += size2
			}
			tr := romanizeKana(name[i-size : j])
			i = j
			if tr == "" {
				continue
			}
			if len(cur) > 0 && curSys != sysKana {
				flush()
			}
			curScript, curSys = scriptKana, sysKana
			cur = append(cur, tr...)
			hanOnly = false
			continue
		}
		switch {
		case r == utf8.RuneError:
			flush()
			continue
		case r == '’' && elides(cur, name[i:]):
			elide()
			continue
		case r == '’' || r == '‘' || r == 'ʼ' || r == 'ʻ' || r == '`' || r == '´' || r == 'ʿ' || r == 'ʾ':
			continue
		case unicode.IsMark(r):
			continue
		case isSegmentBreak(r):
			flush()
			if len(toks) > 0 && toks[len(toks)-1].seg == seg && seg < 255 {
				seg++
			}
			continue
		case unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r):
			flush()
			hyph, dot = false, false
			continue
		}
		if (r >= 0xFB50 && r <= 0xFDFF) || (r >= 0xFE70 && r <= 0xFEFF) {
			// Arabic presentation forms: fold to the base letters.
			for _, fr := range norm.NFKC.String(string(r)) {
				if tr, ok := arabicLatin[fr]; ok {
					if len(cur) > 0 && curSys != sysArabic {
						flush()
					}
					curScript, curSys = scriptAbjad, sysArabic
					cur = append(cur, tr...)
					hanOnly = false
				} else if fr == ' ' {
					flush()
				}
			}
			continue
		}
		lr := unicode.ToLower(r)
		if tr, ok := arabicLatin[lr]; ok {
			if len(cur) > 0 && curSys != sysArabic {
				flush()
			}
			curScript, curSys = scriptAbjad, sysArabic
			cur = append(cur, tr...)
			hanOnly = false
			continue
		}
		if unicode.Is(unicode.Cyrillic, lr) && (len(cur) == 0 || curSys != sysCyrillic) {
			wordCyr = cyrillicWordVariant(cyr, name[i-size:])
		}
		if tr, ok := cyrillicRoman(wordCyr, lr); ok {
			if len(cur) > 0 && curSys != sysCyrillic {
				flush()
			}
			curSys = sysCyrillic
			cur = append(cur, tr...)
			hanOnly = false
			continue
		}
		if (lr == 'ž' || lr == 'ż') && len(cur) > 0 && cur[len(cur)-1] == 'd' && curSys == sysLatin {
			// dž (Croatian, Serbian, Slovene, Czech, Slovak) and dż
			// (Polish) are the English j: the token is written dz, as
			// the lists write such names (HADZIC), and read also as dzh,
			// as the Cyrillic џ and дж are, which romanAlt reads as j
			// (džihad: jihad; altCands)
			dzj = true
		}
		sc := scriptLatin
		sys := sysLatin
		switch {
		case isAbjad(r):
			sc, sys = scriptAbjad, sysArabic
		case isSyllabic(r) || unicode.Is(unicode.Hangul, r):
			if isSyllabic(r) {
				sc = scriptSyllabic
				r = hanFold(r) // traditional to simplified (han.go)
			}
			sys = sysCJK
		case unicode.Is(unicode.Greek, r):
			sys = sysGreek
		case unicode.Is(unicode.Cyrillic, r):
			sys = sysCyrillic
		case r < 0x250 || unicode.Is(unicode.Latin, r):
			sys = sysLatin
		default:
			sys = sysOther
		}
		if len(cur) > 0 && curSys != sys {
			flush()
		}
		curSys = sys
		if sc != scriptLatin {
			curScript = sc
		}
		if sc == scriptSyllabic {
			han = utf8.AppendRune(han, r)
		} else {
			hanOnly = false
		}
		n := utf8.EncodeRune(rbuf[:], r)
		tr := unidecode.Unidecode(string(rbuf[:n]))
		for j := 0; j < len(tr); j++ {
			c := tr[j]
			if sc == scriptSyllabic && c == ' ' {
				continue // join the syllables of one run
			}
			addASCII(c)
			if len(cur) > 0 {
				curSys = sys
				if sc != scriptLatin {
					curScript = sc
				}
			}
		}
	}
	flush()
	toks = foldInitials(toks)
	foldSonOf(toks)
	return toks
}

// elidedArticles are the French and Italian articles and prepositions
// written with an apostrophe before a vowel: l', d', dell', all', dall',
// nell', sull'; tokenize writes l' and d' out as le and de.
var elidedArticles = []string{"l", "d", "dell", "all", "dall", "nell", "sull"}

// elides says whether an apostrophe after the token cur, followed by rest,
// elides an article ("l'organisation", "d'Aden", "dell'Uzbekistan"): the
// article is then a word of its own, as the list writes "Aden" without
// it. Elision is only before a vowel or h, so "L'vovich" (a soft sign)
// and the Arabic 'ayn (Sa'd, Jama'at) keep joining.
func elides(cur []byte, rest string) bool {
	if len(cur) == 0 || len(cur) > 4 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(rest)
	switch unidecode.Unidecode(string(unicode.ToLower(r))) {
	case "a", "e", "i", "o", "u", "h":
	default:
		return false
	}
	for _, a := range elidedArticles {
		if string(cur) == a {
			return true
		}
	}
	return false
}

// foldInitials joins initials written with full stops into one token, as
// they are written without them: "L.L.C." is llc, "p.l.c." plc, "J.P."
// jp, "U.S." us, "S.à r.l." sa rl (then met as sarl by the run columns).
// The order of the letters is kept: "C.B.A." is not "A.B.C.".
func foldInitials(toks []normToken) []normToken {
	out := toks[:0]
	for i := 0; i < len(toks); {
		t := toks[i]
		j := i + 1
		if len(t.s) == 1 {
			for j < len(toks) && len(toks[j].s) == 1 && toks[j].dot && toks[j].seg == t.seg {
				t.s += toks[j].s
				t.upper = t.upper && toks[j].upper
				t.lower = t.lower || toks[j].lower
				j++
			}
		}
		out = append(out, t)
		i = j
	}
	return out
}

// skeleton returns the consonant skeleton of a token, the key on which an
// abjad transliteration ("mhmd", "bdlrhmn") meets vocalised spellings
// ("muhammad", "abdul rahman"). Vowels and the semi-vowels w, y and v are
// dropped; letters romanised in several ways fold to one class: kh and h;
// q, k, g, gh and hard c; sh, ch and tch; th and s (ث); dh, z and d (ذ ض ظ);
// j, dj, dzh and zh. Letters doubled in the spelling collapse, a final h
// (ta marbuta, -ah) is dropped.
func skeleton(s string) string {
	var b [64]byte
	out := b[:0]
	vowelSince := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		var n1, n2 byte
		if i+1 < len(s) {
			n1 = s[i+1]
		}
		if i+2 < len(s) {
			n2 = s[i+2]
		}
		k := c
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y', 'w', 'v':
			vowelSince = true
			continue
		case 'k':
			if n1 == 'h' {
				k = 'h'
				i++
			}
		case 'g':
			k = 'k'
			if n1 == 'h' {
				i++
			}
		case 'q':
			k = 'k'
		case 'c':
			switch {
			case n1 == 'h':
				k = 'x'
				i++
			case n1 == 'e' || n1 == 'i':
				k = 's'
			default:
				k = 'k'
			}
		case 's':
			switch {
			case n1 == 'h':
				k = 'x'
				i++
			case n1 == 'c' && n2 == 'h':
				k = 'x'
				i += 2
			}
		case 't':
			switch {
			case n1 == 'h':
				k = 's'
				i++
			case n1 == 'c' && n2 == 'h':
				k = 'x'
				i += 2
			}
		case 'd':
			switch {
			case n1 == 'h':
				k = 'z'
				i++
			case n1 == 'j':
				k = 'j'
				i++
			case n1 == 'z' && n2 == 'h':
				k = 'j'
				i += 2
			default:
				k = 'z'
			}
		case 'z':
			if n1 == 'h' {
				k = 'j'
				i++
			}
		case 'p':
			if n1 == 'h' {
				k = 'f'
				i++
			}
		case 'x':
			if len(out) < len(b)-1 {
				out = append(out, 'k')
			}
			k = 's'
		}
		if !vowelSince && len(out) > 0 && out[len(out)-1] == k {
			continue
		}
		vowelSince = false
		if len(out) < len(b) {
			out = append(out, k)
		}
	}
	if len(out) >= 3 && out[len(out)-1] == 'h' {
		out = out[:len(out)-1]
	}
	return string(out)
}

// translitKey folds the variants of romanisation systems (BGN/PCGN, ГОСТ,
// passport ICAO 9303, French and German spellings) so that tokens that are
// spellings of one name share a key: zakharov/zaharov, yuriy/yuri/iurii,
// andrey/andrei, dzhanan/janan, georgiyevich/georgievich,
// vostochnyy/vostochniy, shchukin/schukin, aleksandr/alexandr.
func translitKey(s string) string {
	var b [64]byte
	out := b[:0]
	put := func(c byte) {
		if len(out) > 0 && out[len(out)-1] == c {
			return // doubled letters collapse
		}
		if len(out) < len(b) {
			out = append(out, c)
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		var n1, n2, n3 byte
		if i+1 < len(s) {
			n1 = s[i+1]
		}
		if i+2 < len(s) {
			n2 = s[i+2]
		}
		if i+3 < len(s) {
			n3 = s[i+3]
		}
		switch c {
		case 's':
			if n1 == 'h' && n2 == 'c' && n3 == 'h' {
				put('s')
				put('h')
				i += 3
				continue
			}
			if n1 == 'c' && n2 == 'h' {
				put('s')
				put('h')
				i += 2
				continue
			}
		case 't':
			if n1 == 'c' && n2 == 'h' {
				put('c')
				put('h')
				i += 2
				continue
			}
		case 'd':
			if n1 == 'z' && n2 == 'h' {
				put('j')
				i += 2
				continue
			}
			if n1 == 'j' {
				put('j')
				i++
				continue
			}
		case 'z':
			if n1 == 'h' {
				put('j')
				i++
				continue
			}
		case 'k':
			if n1 == 'h' {
				put('h')
				i++
				continue
			}
			if n1 == 's' {
				put('x')
				i++
				continue
			}
		case 'c':
			if n1 == 'k' {
				put('k')
				i++
				continue
			}
			if n1 == 'h' {
				put('c')
				put('h')
				i++
				continue
			}
		case 'g':
			if n1 == 'h' {
				put('g')
				i++
				continue
			}
		case 'p':
			if n1 == 'h' {
				put('f')
				i++
				continue
			}
		case 'o':
			if n1 == 'u' || n1 == 'o' {
				put('u')
				i++
				continue
			}
		case 'q':
			c = 'k'
		case 'w':
			c = 'v'
		case 'y':
			c = 'i'
		}
		if c == 'i' && len(out) > 0 && isVowel(out[len(out)-1]) && out[len(out)-1] != 'i' && isVowel(n1) && n1 != 'i' && n1 != 'y' {
			continue // nikolayevich/nikolaevich, sergeyev/sergeev
		}
		if c == 'i' && len(out) == 0 && n1 == 'e' {
			continue // yevgeny/evgeny
		}
		put(c)
	}
	return string(out)
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
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
	"molla": 0.2, "molavi": 0.2, "maulawi": 0.2, "moulavi": 0.2, "mowlavi": 0.2,
	"mawlavi": 0.2, "molvi": 0.2, "moulvi": 0.2, "maulana": 0.2, "mawlana": 0.2, "alhaj": 0.2, "akhund": 0.2, "mufti": 0.2,
	"alhaji": 0.2, "alhajj": 0.2, "haj": 0.2, "hajj": 0.2, "hadji": 0.2, "hadj": 0.2,
	// annotations that lists and other sources write next to names
	"aka": 0.05, "fka": 0.05, "nka": 0.05, "alias": 0.1, "born": 0.1, "formerly": 0.05,
	"previously": 0.05, "listed": 0.05, "original": 0.1, "script": 0.05, "pseudonyme": 0.05,
	"fiable": 0.05, "peu": 0.1, "in": 0.2,
	// particles
	"al": 0.15, "el": 0.15, "ul": 0.15, "ad": 0.3, "ar": 0.3, "ash": 0.3, "az": 0.3, "an": 0.3,
	"bin": 0.3, "ibn": 0.3, "ben": 0.4, "bint": 0.3, "van": 0.3, "von": 0.3, "der": 0.3,
	"den": 0.3, "da": 0.3, "di": 0.3, "du": 0.3, "la": 0.3, "le": 0.3, "dos": 0.3, "das": 0.3,
	"del": 0.3, "los": 0.3,
	"af": 0.3, // Scandinavian particle (af Klint), and English "of" as Bulgarian writes it (ъф)
}
