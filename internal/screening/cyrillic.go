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
