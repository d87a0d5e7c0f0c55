package screening

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Japanese kana. A run of hiragana or katakana is romanised by modified
// Hepburn (ANSI Z39.11-1972, BS 4812:1972: shi, chi, tsu, fu, ji; ん as n;
// the sokuon っ/ッ doubling the next consonant, tch before ch; kya, sha,
// cho … for the small ya, yu, yo), with the katakana extended forms that
// transcribe foreign sounds (ヴァ va, ティ ti, ディ di, トゥ tu, ファ fa,
// ウィ wi, ウェ we, ウォ wo, チェ che, シェ she, ジェ je, ツァ tsa, イェ
// ye, テュ tyu, クァ kwa). Long vowels are folded as passports and most
// list publishers write them: the mark ー and a vowel repeating the one
// before (aa, ii, uu, ee, oo) or ou are one vowel; ei stays ei, as these
// standards write it. The middle dot ・ and ＝ that separate the parts of a
// transcribed foreign name are punctuation, so separators.

// isKana reports whether r belongs to a kana run: hiragana, katakana
// (full- and halfwidth), the prolonged sound mark and the voicing marks.
func isKana(r rune) bool {
	if r < 0x3040 {
		return false // every kana letter and mark is above (fast path for other scripts)
	}
	switch r {
	case 0x30FC, 0xFF70, 0x3099, 0x309A, 0x309B, 0x309C, 0xFF9E, 0xFF9F:
		return true
	case 0x30FB, 0xFF65, 0x30A0:
		return false // middle dots, double hyphen: separators
	}
	return unicode.In(r, unicode.Hiragana, unicode.Katakana)
}

// kanaBase is the Hepburn romanisation of each katakana letter.
var kanaBase = map[rune]string{
	'ア': "a", 'イ': "i", 'ウ': "u", 'エ': "e", 'オ': "o",
	'カ': "ka", 'キ': "ki", 'ク': "ku", 'ケ': "ke", 'コ': "ko",
	'ガ': "ga", 'ギ': "gi", 'グ': "gu", 'ゲ': "ge", 'ゴ': "go",
	'サ': "sa", 'シ': "shi", 'ス': "su", 'セ': "se", 'ソ': "so",
	'ザ': "za", 'ジ': "ji", 'ズ': "zu", 'ゼ': "ze", 'ゾ': "zo",
	'タ': "ta", 'チ': "chi", 'ツ': "tsu", 'テ': "te", 'ト': "to",
	'ダ': "da", 'ヂ': "ji", 'ヅ': "zu", 'デ': "de", 'ド': "do",
	'ナ': "na", 'ニ': "ni", 'ヌ': "nu", 'ネ': "ne", 'ノ': "no",
	'ハ': "ha", 'ヒ': "hi", 'フ': "fu", 'ヘ': "he", 'ホ': "ho",
	'バ': "ba", 'ビ': "bi", 'ブ': "bu", 'ベ': "be", 'ボ': "bo",
	'パ': "pa", 'ピ': "pi", 'プ': "pu", 'ペ': "pe", 'ポ': "po",
	'マ': "ma", 'ミ': "mi", 'ム': "mu", 'メ': "me", 'モ': "mo",
	'ヤ': "ya", 'ユ': "yu", 'ヨ': "yo",
	'ラ': "ra", 'リ': "ri", 'ル': "ru", 'レ': "re", 'ロ': "ro",
	'ワ': "wa", 'ヰ': "i", 'ヱ': "e", 'ヲ': "o", 'ン': "n",
	'ヴ': "vu", 'ヷ': "va", 'ヸ': "vi", 'ヹ': "ve", 'ヺ': "vo",
	'ヵ': "ka", 'ヶ': "ke",
}

// small vowels and small ya, yu, yo, wa
var kanaSmall = map[rune]byte{
	'ァ': 'a', 'ィ': 'i', 'ゥ': 'u', 'ェ': 'e', 'ォ': 'o',
	'ャ': 'a', 'ュ': 'u', 'ョ': 'o', 'ヮ': 'a',
}

// kanaVoiced is the voiced letter of an unvoiced one (for ヾ): カ ガ, ウ ヴ.
func kanaVoiced(r rune) rune {
	if v := []rune(norm.NFC.String(string(r) + "\u3099")); len(v) == 1 {
		return v[0]
	}
	return r
}

// romanizeKana returns the Hepburn romanisation of a run of kana (see
// above). Letters other than kana are ignored.
func romanizeKana(s string) string {
	s = norm.NFKC.String(s) // halfwidth and combining voicing marks compose
	var syl []string        // syllables of the run
	sokuon := false
	var last rune // last base letter, for the iteration marks
	add := func(x string) {
		if sokuon {
			sokuon = false
			switch {
			case strings.HasPrefix(x, "ch"):
				x = "t" + x
			case x != "" && !isVowel(x[0]) && x != "n":
				x = x[:1] + x
			}
		}
		syl = append(syl, x)
	}
	for _, r := range s {
		if r >= 'ぁ' && r <= 'ゖ' || r == 'ゝ' || r == 'ゞ' {
			r += 'ァ' - 'ぁ' // hiragana to katakana
		}
		switch r {
		case 'ッ':
			sokuon = true
			continue
		case 'ー':
			continue // long vowel: folded
		case 'ヽ', 'ヾ':
			if last != 0 {
				b := last
				if r == 'ヾ' {
					b = kanaVoiced(b)
				}
				add(kanaBase[b])
			}
			continue
		}
		if v, ok := kanaSmall[r]; ok {
			yoon := r == 'ャ' || r == 'ュ' || r == 'ョ'
			if len(syl) == 0 || sokuon {
				sokuon = false
				if yoon {
					syl = append(syl, "y"+string(v))
				} else {
					syl = append(syl, string(v))
				}
				continue
			}
			p := syl[len(syl)-1]
			switch {
			case r == 'ヮ':
				syl[len(syl)-1] = p[:len(p)-1] + "wa"
			case yoon && len(p) >= 2 && p[len(p)-1] == 'i':
				stem := p[:len(p)-1]
				if strings.HasSuffix(stem, "sh") || strings.HasSuffix(stem, "ch") || strings.HasSuffix(stem, "j") {
					syl[len(syl)-1] = stem + string(v) // sha, cho, ju
				} else {
					syl[len(syl)-1] = stem + "y" + string(v) // kya, ryo
				}
			case yoon && len(p) >= 2:
				syl[len(syl)-1] = p[:len(p)-1] + "y" + string(v) // テュ tyu, フュ fyu
			case yoon:
				syl = append(syl, "y"+string(v))
			case p == "u":
				syl[len(syl)-1] = "w" + string(v) // ウィ wi, ウェ we, ウォ wo
			case p == "i" && v == 'e':
				syl[len(syl)-1] = "ye" // イェ
			case len(p) == 1:
				syl = append(syl, string(v)) // after a vowel: the vowel again
			case p == "ku" || p == "gu":
				syl[len(syl)-1] = p[:1] + "w" + string(v) // クァ kwa
			default:
				// ティ ti, ディ di, トゥ tu, ファ fa, ツァ tsa, シェ she,
				// チェ che, ジェ je, ヴァ va: the consonant with the small vowel
				syl[len(syl)-1] = p[:len(p)-1] + string(v)
			}
			continue
		}
		if x, ok := kanaBase[r]; ok {
			last = r
			add(x)
		}
	}
	// join, folding long vowels: a vowel after the same vowel, u after o
	var b strings.Builder
	for i, x := range syl {
		if i > 0 && len(x) == 1 && isVowel(x[0]) {
			p := syl[i-1]
			if pv := p[len(p)-1]; pv == x[0] || (pv == 'o' && x[0] == 'u') {
				continue
			}
		}
		b.WriteString(x)
	}
	return b.String()
}

// Kana transcriptions of foreign names and their Latin spellings.
// Katakana writes a foreign name with the sounds of Japanese: every
// consonant but n takes a vowel (Ahmad アフマド afumado, Abdul アブドゥル
// abuduru), l and r are one sound (Ali アリ ari), v is written b or ヴ, h
// before a consonant is フ fu, si and zi are シ shi and ジ ji, doubled
// consonants are written with the sokuon and long vowels with ー. The
// kana key brings a Hepburn romanisation and a Latin spelling of one name
// together: a consonant skeleton whose classes merge what katakana cannot
// tell apart — vowels, y and w dropped; l and r; b and v; h, f, ph and kh;
// s, sh, th, ts and soft c; z, j, dj, zh and dz; k, q, ck and hard c; n
// before b, m, p is m (ムハンマド muhanmado, Muhammad); doubled consonants
// single. A Latin spelling is also keyed with the other readings of its
// ambiguous letters (kh as k: Khazmari カズマリ; ch as sh: Cherif シェリフ;
// dh as z; th as t; a final h after a vowel left out: Abdallah アブダッラー).

// kanaSkel returns the kana key of a lower-case ASCII (Latin) token.
func kanaSkel(s string) string {
	var b [64]byte
	return string(kanaSkelAppend(b[:0], s, false))
}

// kanaQueryKey returns the kana key of the Hepburn romanisation of a kana
// token.
func kanaQueryKey(s string) string {
	var b [64]byte
	return string(kanaSkelAppend(b[:0], s, false))
}

// kanaSkelAppend appends the kana key of s to out (at most 64 letters);
// with keepDoubles a doubled consonant is two.
func kanaSkelAppend(out []byte, s string, keepDoubles bool) []byte {
	start := len(out)
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
		var k byte
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y', 'w':
			vowelSince = true
			continue
		case 'b', 'v':
			k = 'b'
		case 'p':
			k = 'p'
			if n1 == 'h' {
				k = 'h'
				i++
			}
		case 'f', 'h':
			k = 'h'
		case 'k':
			k = 'k'
			if n1 == 'h' {
				k = 'h'
				i++
			}
		case 'q':
			k = 'k'
		case 'g':
			k = 'g'
			if n1 == 'h' {
				i++
			}
		case 'c':
			switch {
			case n1 == 'h':
				k = 'c'
				i++
			case n1 == 'k':
				k = 'k'
				i++
			case n1 == 'e' || n1 == 'i' || n1 == 'y':
				k = 's'
			default:
				k = 'k'
			}
		case 's':
			k = 's'
			switch {
			case n1 == 'h':
				i++
			case n1 == 'c' && n2 == 'h':
				i += 2
			}
		case 't':
			k = 't'
			switch {
			case n1 == 'h':
				k = 's'
				i++
			case n1 == 's' || n1 == 'z':
				k = 's'
				i++
			case n1 == 'c' && n2 == 'h':
				k = 'c'
				i += 2
			}
		case 'd':
			k = 'd'
			switch {
			case n1 == 'h':
				i++
			case n1 == 'j':
				k = 'z'
				i++
			case n1 == 'z' && n2 == 'h':
				k = 'z'
				i += 2
			case n1 == 'z':
				k = 'z'
				i++
			}
		case 'z':
			k = 'z'
			if n1 == 'h' {
				i++
			}
		case 'j':
			k = 'z'
		case 'l', 'r':
			k = 'r'
		case 'm':
			k = 'm'
		case 'n':
			k = 'n'
			if n1 == 'b' || n1 == 'm' || n1 == 'p' {
				k = 'm'
			}
		case 'x':
			if len(out) < start+63 && (vowelSince || len(out) == start || out[len(out)-1] != 'k') {
				out = append(out, 'k')
			}
			k = 's'
		default:
			continue // digits
		}
		if !vowelSince && !keepDoubles && len(out) > start && out[len(out)-1] == k {
			continue // doubled consonants single
		}
		vowelSince = false
		if len(out) < start+64 {
			out = append(out, k)
		}
	}
	return out
}

// kanaKeys calls f with the kana keys of a Latin token: its own and those
// of the other readings of its ambiguous letters (see above), each once.
func kanaKeys(s string, f func(string)) {
	var vars [16]string
	vars[0] = s
	n := 1
	alt := func(from, to string) {
		for i, m := 0, n; i < m && n < len(vars); i++ {
			if strings.Contains(vars[i], from) {
				vars[n] = strings.ReplaceAll(vars[i], from, to)
				n++
			}
		}
	}
	alt("kh", "k")
	alt("ch", "sh")
	alt("dh", "z")
	alt("th", "t")
	// letters that are a digraph in one romanisation and two sounds in
	// another: Azhar アズハル, Eshaq エスハック, Adham アドハム
	alt("zh", "z'h")
	alt("sh", "s'h")
	alt("dh", "d'h")
	alt("ng", "n") // Bambang バンバン
	if len(s) >= 4 && s[len(s)-1] == 'v' {
		alt(s[len(s)-2:], s[len(s)-2:len(s)-1]+"f") // Ismailov イスマイロフ
	}
	for i, m := 0, n; i < m && n < len(vars); i++ {
		if v := vars[i]; len(v) >= 4 && v[len(v)-1] == 'h' && isVowel(v[len(v)-2]) {
			vars[n] = v[:len(v)-1]
			n++
		}
	}
	// two consonants of one class also as two: katakana writes the vowel
	// it adds between them (アブドゥルラフマン abudururafuman: Abdurrahman,
	// Abdulrahman)
	if n < len(vars) {
		vars[n] = "\x00" + s
		n++
	}
	var seen [16]string
	ns := 0
outer:
	for _, v := range vars[:n] {
		var k string
		if v != "" && v[0] == 0 {
			var b [64]byte
			k = string(kanaSkelAppend(b[:0], v[1:], true))
		} else {
			k = kanaSkel(v)
		}
		for _, p := range seen[:ns] {
			if p == k {
				continue outer
			}
		}
		seen[ns] = k
		ns++
		f(k)
	}
}

// kanaKeyOK says whether a kana key is specific enough to look up: two
// consonants or more, or one for a short token (アリ ari, Ali; ヤフヤ
// yafuya, Yahya): up to five letters in Latin, six in a romanisation of
// kana, which adds vowels.
func kanaKeyOK(key string, tok string, kana bool) bool {
	if len(key) != 1 {
		return len(key) >= 2
	}
	if kana {
		return len(tok) <= 6
	}
	return len(tok) <= 5
}

// kanaCanon is the spelling kana similarity is measured on: the kana key's
// consonant classes with the vowels in three classes (a; e, i; o, u),
// repeated letters single and, on the kana side, the vowel katakana adds
// after a final consonant (u, o after t and d, i after j and ch) left out.
func kanaCanon(s string, kana bool, buf []byte) []byte {
	out := buf[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		var k byte
		switch c {
		case 'a':
			k = 'a'
		case 'e', 'i', 'y':
			k = 'i'
		case 'o', 'u', 'w':
			k = 'u'
		default:
			// the consonant class of the letter and its digraph
			j := i + 1
			for j < len(s) && !isVowel(s[j]) && s[j] != 'w' && j-i < 3 {
				j++
			}
			var skb [8]byte
			sk := kanaSkelAppend(skb[:0], s[i:j], false)
			if len(sk) == 0 {
				continue
			}
			// consume only the first class's letters
			k = sk[0]
			if len(sk) > 1 {
				// several consonants: map them one by one
				for _, x := range sk {
					if len(out) == 0 || out[len(out)-1] != x {
						out = append(out, x-'a'+'A')
					}
				}
				i = j - 1
				continue
			}
			i = j - 1
			k = k - 'a' + 'A'
		}
		if len(out) > 0 && out[len(out)-1] == k {
			continue
		}
		out = append(out, k)
	}
	if kana && len(out) >= 2 {
		last, prev := out[len(out)-1], out[len(out)-2]
		if prev >= 'A' && prev <= 'Z' && (last == 'u' || (last == 'i' && (prev == 'Z' || prev == 'C'))) {
			out = out[:len(out)-1]
		}
	}
	return out
}

// kanaPairSim is the similarity of a kana token and a Latin token with the
// same kana key: kanaSimMax less kanaVowelSlope times the Jaro-Winkler
// distance of their vowel-class spellings (kanaCanon), 0.05 less on a
// one-consonant key; 0 under minTokenSim (the same consonants with other
// vowels and letters, ソヨン soyon against Cheng, are no match).
func kanaPairSim(q, v string, key string) float32 {
	var qb, vb [64]byte
	if len(q) > 64 || len(v) > 64 {
		return 0
	}
	jw := jaroWinkler(kanaCanon(q, true, qb[:]), kanaCanon(v, false, vb[:]))
	s := kanaSimMax - kanaVowelSlope*(1-jw)
	if len(key) == 1 {
		s -= 0.05
	}
	if s < minTokenSim {
		return 0
	}
	return s
}

const (
	kanaSimMax     = 0.95 // similarity of a kana and a Latin token with the same kana key and vowels
	kanaVowelSlope = 0.6  // similarity lost per unit of Jaro-Winkler distance of their vowel-class spellings
)

// indexKana indexes the vocabulary by kana key; the first kana query
// builds it.
func (ix *Index) indexKana() {
	ix.kkeys = make(map[string][]int32)
	for id := range ix.vocab {
		v := &ix.vocab[id]
		if v.digit || len(v.s) < 2 {
			continue
		}
		vid := int32(id)
		kanaKeys(v.s, func(k string) {
			if kanaKeyOK(k, v.s, false) {
				ix.kkeys[k] = appendUnique(ix.kkeys[k], vid)
			}
		})
	}
}

// kanaSim is the kana similarity of the kana query token t and the
// vocabulary token v: kanaPairSim when v has t's kana key, else 0.
func (ix *Index) kanaSim(t *qTok, v int32) float32 {
	if _, ok := slices.BinarySearch(t.kkIDs, v); !ok {
		return 0
	}
	return kanaPairSim(t.s, ix.vocab[v].s, t.kk)
}
