package screening

import "unicode"

// Cyrillic is written by several languages whose romanisations differ
// where their letters sound different: Ukrainian г is h and и is y
// (Григорій Hryhorii), Serbian ж ш ч are ž š č, written z s c on the lists
// (Жупљанин Zupljanin), Bulgarian ъ is a vowel, a (Стъпков Stapkov), and щ
// is sht. The language of a name is read from the letters only it uses:
// і ї є ґ are Ukrainian; ђ ј љ њ ћ џ (and Macedonian ѓ ќ ѕ) are Serbian or
// Macedonian; a ъ before a consonant is Bulgarian (Russian writes ъ only
// before a vowel it separates). A name with none of them is read as Russian
// (cyrillicLatin, close to BGN/PCGN). Sources: the national romanisation
// tables as published in the UNGEGN "Technical reference manual for the
// standardization of geographical names" (Ukrainian: Cabinet of Ministers
// Resolution No. 55 of 27 January 2010; Bulgarian: Transliteration Act of
// 2009; Serbian: the Serbian Latin alphabet, Constitution of Serbia art. 10).
type cyrVariant uint8

const (
	cyrRussian cyrVariant = iota
	cyrUkrainian
	cyrSerbian
	cyrBulgarian
)

var (
	cyrUkrainianLatin = map[rune]string{'г': "h", 'и': "y", 'ґ': "g", 'і': "i", 'ї': "yi", 'є': "ye", 'х': "kh", 'щ': "shch"}
	cyrSerbianLatin   = map[rune]string{'ж': "z", 'ш': "s", 'ч': "c", 'ћ': "c", 'ђ': "dj", 'џ': "dz", 'х': "h", 'ц': "c", 'ј': "j", 'љ': "lj", 'њ': "nj", 'ѓ': "gj", 'ќ': "kj", 'ѕ': "dz"}
	cyrBulgarianLatin = map[rune]string{'щ': "sht", 'ъ': "a", 'х': "h", 'ю': "yu", 'я': "ya"}
)

// cyrillicVariant reads the language of a name's Cyrillic from the letters
// only that language uses.
func cyrillicVariant(name string) cyrVariant {
	ascii := true
	for i := 0; i < len(name); i++ {
		if name[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return cyrRussian
	}
	var prevHard bool
	for _, r := range name {
		lr := unicode.ToLower(r)
		switch lr {
		case 'і', 'ї', 'є', 'ґ':
			return cyrUkrainian
		case 'ђ', 'ј', 'љ', 'њ', 'ћ', 'џ', 'ѓ', 'ќ', 'ѕ':
			return cyrSerbian
		}
		if prevHard && unicode.Is(unicode.Cyrillic, lr) && !cyrVowel(lr) {
			return cyrBulgarian
		}
		prevHard = lr == 'ъ'
	}
	return cyrRussian
}

// cyrillicWordVariant is the variant of the Cyrillic word that s starts
// with: the name's, unless the word has a letter only Russian uses (ы э ё),
// as a Russian company's name keeps in a Ukrainian sentence (Відкрите
// акціонерне товариство «Долгопрудный»).
func cyrillicWordVariant(name cyrVariant, s string) cyrVariant {
	if name == cyrRussian {
		return name
	}
	for _, r := range s {
		lr := unicode.ToLower(r)
		if !unicode.Is(unicode.Cyrillic, lr) {
			break
		}
		switch lr {
		case 'ы', 'э', 'ё':
			return cyrRussian
		}
	}
	return name
}

func cyrVowel(r rune) bool {
	switch r {
	case 'а', 'е', 'ё', 'и', 'о', 'у', 'ы', 'э', 'ю', 'я', 'ъ', 'ь':
		return true
	}
	return false
}

// cyrillicRoman romanises one lower-case Cyrillic letter in the given
// variant.
func cyrillicRoman(v cyrVariant, r rune) (string, bool) {
	var t map[rune]string
	switch v {
	case cyrUkrainian:
		t = cyrUkrainianLatin
	case cyrSerbian:
		t = cyrSerbianLatin
	case cyrBulgarian:
		t = cyrBulgarianLatin
	}
	if s, ok := t[r]; ok {
		return s, true
	}
	s, ok := cyrillicLatin[r]
	return s, ok
}

// foldSonOf reads ibn and bn, Latin spellings of the Arabic connector "son
// of" (ابن / بن) written differently by different lists (Usama ibn Laden,
// Osama bin Laden), as bin, in Latin letters and in Cyrillic (Бин, Ибн).
// Ben, its Maghrebi and Hebrew spelling, is also a given name (Ben Smith):
// it stays itself and meets bin through the token similarity (sonOfSim).
func foldSonOf(toks []normToken) {
	for i := range toks {
		if toks[i].script != scriptLatin || (toks[i].sys != sysLatin && toks[i].sys != sysCyrillic) {
			continue
		}
		switch toks[i].s {
		case "ibn", "bn":
			toks[i].s = "bin"
		}
	}
}

// sonOfSim is the similarity of ben and bin, one word in two spellings.
const sonOfSim = 0.95

func isSonOfPair(a, b string) bool {
	return (a == "ben" && b == "bin") || (a == "bin" && b == "ben")
}

// cyrillicAlts gives the Cyrillic tokens of a query the romanisation of
// the other language their letters may be written in, where it differs:
// Ukrainian and Russian share most letters but not their sounds (г is h in
// Ukrainian, g in Russian; и is y, i), and a Ukrainian or Belarusian person
// is often written in Russian spelling (Григорий Суркис) while the lists
// romanise their own language's spelling (Hryhorii SURKIS), or the other
// way round (Віктор against a list's Russian-table Viktor Fedorovich). A
// word read as Russian is also read by the Ukrainian table (Cabinet of
// Ministers of Ukraine Resolution No. 55 of 27 January 2010), unless it has
// a letter only Russian writes (ы э ё, cyrillicWordVariant); a word read
// as Ukrainian is also read by the Russian one (cyrillicLatin, BGN/PCGN,
// close to ICAO Doc 9303 and GOST 7.79 system B). Serbian, Macedonian and
// Bulgarian spellings are told by their own letters and get no other
// reading. The query side only: the lists' names are Latin.
func cyrillicAlts(name string, toks []normToken) {
	cyr := false
	for i := range toks {
		if toks[i].sys == sysCyrillic {
			cyr = true
			break
		}
	}
	if !cyr {
		return
	}
	var other cyrVariant
	switch cyrillicVariant(name) {
	case cyrRussian:
		other = cyrUkrainian
	case cyrUkrainian:
		other = cyrRussian
	default:
		return
	}
	alt := tokenizeCyr(name, other)
	if len(alt) != len(toks) {
		return
	}
	for i := range toks {
		if toks[i].sys == sysCyrillic && alt[i].sys == sysCyrillic && alt[i].s != toks[i].s {
			toks[i].alt = alt[i].s
		}
	}
}

// cyrAltSim caps the similarity of a list token met through the other
// language's reading of a Cyrillic word (cyrillicAlts): equal to a
// transliteration variant, below the word as read by its own letters.
const cyrAltSim = translitSim

// altCands adds the candidates of the token's other romanisation
// (cyrillicAlts), their similarity capped at cyrAltSim; the token's own
// keys are kept.
func (ix *Index) altCands(t *qTok, keyBuf []byte, sc *scratch) {
	if t.alt == "" || t.alt == t.s {
		return
	}
	orig, dm1, dm2, tk, sk := t.s, t.dm1, t.dm2, t.tk, t.sk
	t.s, t.altSim = t.alt, cyrAltSim
	ix.gatherCands(t, keyBuf, sc)
	if alt := romanAlt(t.s); alt != t.s {
		t.s = alt
		ix.gatherCands(t, keyBuf, sc)
	}
	t.s, t.altSim, t.dm1, t.dm2, t.tk, t.sk = orig, 0, dm1, dm2, tk, sk
}
