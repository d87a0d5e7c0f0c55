package screening

import "testing"

// TestHepburnRomanisation: kana are romanised by modified Hepburn as
// ANSI Z39.11-1972 (American National Standard System for the
// Romanization of Japanese) and BS 4812:1972 give it — shi, chi, tsu, fu,
// ji; ん as n; the sokuon doubling the next consonant (tch before ch);
// kya, sha, cho for the small ya, yu, yo — with the katakana extended
// forms for foreign sounds (ヴァ va, ティ ti, ディ di, ファ fa, ウィ wi,
// ウェ we, ウォ wo, チェ che, シェ she, ジェ je, ツァ tsa) that the
// Japanese lists (MOFA, Ministry of Finance) use for foreign names. Long
// vowels are folded as Japanese passports write them (ー, ou, oo, uu as
// one vowel; ei is kept, as the standards write it).
func TestHepburnRomanisation(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		// gojūon and the Hepburn spellings of the s, t, h and z rows
		{"さしすせそ", "sashisuseso"},
		{"たちつてと", "tachitsuteto"},
		{"はひふへほ", "hahifuheho"},
		{"ざじずぜぞ", "zajizuzezo"},
		{"だぢづでど", "dajizudedo"},
		{"ぱぴぷぺぽ", "papipupepo"},
		{"をん", "on"},
		// yōon: small ya, yu, yo
		{"きゃきゅきょ", "kyakyukyo"},
		{"しゃしゅしょ", "shashusho"},
		{"ちゃちゅちょ", "chachucho"},
		{"じゃじゅじょ", "jajujo"},
		{"りゃりゅりょ", "ryaryuryo"},
		// sokuon: the next consonant doubled, tch before ch
		{"ハッサン", "hassan"},
		{"マッチャ", "matcha"},
		{"ほっかいどう", "hokkaido"},
		{"ガッツ", "gattsu"},
		// syllabic n
		{"しんぶん", "shinbun"},
		{"ムハンマド", "muhanmado"},
		// long vowels folded
		{"とうきょう", "tokyo"},
		{"おおさか", "osaka"},
		{"さとう", "sato"},
		{"ゆうこ", "yuko"},
		{"けいこ", "keiko"},
		{"ウラジーミル", "urajimiru"},
		{"プーチン", "puchin"},
		// katakana extended forms for foreign sounds
		{"ヴァヴィヴヴェヴォ", "vavivuvevo"},
		{"ティディトゥドゥ", "tiditudu"},
		{"ファフィフェフォ", "fafifefo"},
		{"ウィウェウォ", "wiwewo"},
		{"チェシェジェ", "cheshe" + "je"},
		{"ツァツィツェツォ", "tsatsitsetso"},
		{"イェ", "ye"},
		{"テュデュフュ", "tyudyufyu"},
		{"クァ", "kwa"},
		// halfwidth katakana and combining voicing marks
		{"ﾄｳｷｮｳ", "tokyo"},
		{"ｶﾞ", "ga"},
		{"カ\u3099", "ga"},
		// iteration marks
		{"いすゞ", "isuzu"},
	}
	for _, tc := range tests {
		if got := romanizeKana(tc.in); got != tc.want {
			t.Errorf("romanizeKana(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestKanaNameSeparators: the middle dot ・ (and its halfwidth form) and
// the double hyphen ＝ separate the parts of a foreign name written in
// katakana, as the Japanese lists write them; the long vowel mark does not
// split a token.
func TestKanaNameSeparators(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"ウラジーミル・プーチン", "urajimiru puchin"},
		{"ウラジーミル･プーチン", "urajimiru puchin"},
		{"ウラジーミル＝プーチン", "urajimiru puchin"},
		{"アブドゥル　ラフマーン", "abuduru rafuman"},
		{"アル・アサド・ベン・ハニ（1969）", "aru asado ben hani 1969"},
	}
	for _, tc := range tests {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	toks := tokenize("ムハンマド・Ali")
	if len(toks) != 2 || toks[0].script != scriptKana || toks[0].sys != sysKana || toks[1].sys != sysLatin {
		t.Errorf("tokenize: %+v, want a kana token and a Latin one", toks)
	}
}

// TestKanaKey: a katakana transcription and the Latin spellings of the
// same name share a kana key (the consonant classes katakana cannot tell
// apart merged, see kana.go); names that differ in a consonant do not.
func TestKanaKey(t *testing.T) {
	t.Parallel()
	keys := func(s string) map[string]bool {
		m := map[string]bool{}
		kanaKeys(s, func(k string) { m[k] = true })
		return m
	}
	same := []struct{ kana, latin string }{
		{"ムハンマド", "muhammad"},
		{"モハンマド", "mohammed"},
		{"アフマド", "ahmad"},
		{"アブドゥル", "abdul"},
		{"アリ", "ali"},
		{"ジャマル", "djamel"},
		{"ナジール", "nazir"},
		{"アブダッラー", "abdallah"},       // final h left out
		{"サーレフ", "saleh"},            // … or kept
		{"カズマリ", "khazmari"},         // kh as k
		{"ハーリド", "khalid"},           // kh as h
		{"シェリフ", "cherif"},           // ch as sh
		{"チャウドリー", "chaudhry"},       // ch, dh as d
		{"オスマン", "othman"},           // th as s
		{"ルニーシー", "lounici"},         // soft c
		{"ヴィクトル", "viktor"},          // v
		{"バシール", "basir"},            // b
		{"ハッサン", "hassan"},           // doubled consonant
		{"アレクサンドル", "alexandr"},      // x as ks
		{"アズハル", "azhar"},            // zh as z and h
		{"エスハック", "eshaq"},           // sh as s and h
		{"アドハム", "adham"},            // dh as d and h
		{"イスマイロフ", "ismailov"},       // a final v as f
		{"バンバン", "bambang"},          // ng as n
		{"アブドゥルラフマン", "abdurrahman"}, // rr also as two r (katakana adds u between)
		{"ハイルッラー", "khairullah"},     // … while ru-lla is two
		{"ヌルッラー", "nurullah"},
		{"アブドゥルラフマン", "abdulrahman"},
		{"ヤフヤ", "yahya"}, // one consonant, short
	}
	for _, tc := range same {
		k := kanaQueryKey(romanizeKana(tc.kana))
		if !keys(tc.latin)[k] {
			t.Errorf("%s (%s, key %q) and %s (keys %v) should share a kana key", tc.kana, romanizeKana(tc.kana), k, tc.latin, keys(tc.latin))
		}
	}
	differ := []struct{ kana, latin string }{
		{"ムハンマド", "hamid"},
		{"アフマド", "mahmud"},
		{"ハッサン", "hassib"},
		{"サルマン", "salim"},
		{"アリ", "arif"},
	}
	for _, tc := range differ {
		k := kanaQueryKey(romanizeKana(tc.kana))
		if keys(tc.latin)[k] {
			t.Errorf("%s (key %q) and %s share a kana key", tc.kana, k, tc.latin)
		}
	}
	// vowels rank names with the same consonants
	q := romanizeKana("ムハンマド")
	k := kanaQueryKey(q)
	if a, b := kanaPairSim(q, "muhammad", k), kanaPairSim(q, "mahmood", k); !(a > b) {
		t.Errorf("kana similarity of %s: muhammad %.3f, mahmood %.3f; want muhammad higher", q, a, b)
	}
	q = romanizeKana("ハッサン")
	k = kanaQueryKey(q)
	if a, b := kanaPairSim(q, "hassan", k), kanaPairSim(q, "hussein", k); !(a > b) || a < kanaSimMax-0.001 {
		t.Errorf("kana similarity of %s: hassan %.3f, hussein %.3f; want hassan %.2f and higher", q, a, b, kanaSimMax)
	}
}

// TestKanaNamesFound: katakana names as the Japanese lists write them find
// the listed Latin names.
func TestKanaNamesFound(t *testing.T) {
	t.Parallel()
	ix := NewIndex([]Entity{
		{ID: "t:1", Source: "t", Type: TypePerson, Name: "Vladimir Vladimirovich PUTIN"},
		{ID: "t:2", Source: "t", Type: TypePerson, Name: "Nazir Mohammad ABDUL BASIR"},
		{ID: "t:3", Source: "t", Type: TypePerson, Name: "Jaber Abdallah Jaber Ahmad AL-JALAHMAH"},
		{ID: "t:4", Source: "t", Type: TypePerson, Name: "Mahmood Abdul BASIR"},
		{ID: "t:5", Source: "t", Type: TypePerson, Name: "Taufik RIFKI"},
	})
	tests := []struct{ q, want string }{
		{"ナジール・モハンマド・アブドゥル・バシール", "t:2"},
		{"ジャーベル・アブダッラー・ジャーベル・アフマド・アル・ジャラフマー", "t:3"},
		{"タウフィク・リフキ", "t:5"},
	}
	for _, tc := range tests {
		ms := ix.Search(Query{Name: tc.q})
		if len(ms) == 0 || ms[0].EntityID != tc.want {
			t.Errorf("%q: %v, want %s first", tc.q, brief(ms), tc.want)
		}
	}
	for _, thr := range thresholds {
		for _, q := range []string{"ナジール・モハンマド・アブドゥル・バシール", "マフムード・バシール", "アブドゥルバシール", "ウラジーミル・プーチン"} {
			checkSound(t, ix, Query{Name: q, Threshold: thr, Limit: 1000})
		}
	}
}

// TestKanaKeyAloneIsNoMatch: two names with the same kana key but other
// vowels and letters are no match (ソヨン soyon and Cheng, keyed alike when
// ch is read as sh and ng as n).
func TestKanaKeyAloneIsNoMatch(t *testing.T) {
	t.Parallel()
	q := romanizeKana("ソヨン")
	k := kanaQueryKey(q)
	shared := false
	kanaKeys("cheng", func(x string) { shared = shared || x == k })
	if !shared {
		t.Fatalf("ソヨン (key %q) and cheng should share a kana key for this test", k)
	}
	if s := kanaPairSim(q, "cheng", k); s != 0 {
		t.Errorf("kanaPairSim(%s, cheng) = %.3f, want 0", q, s)
	}
}
