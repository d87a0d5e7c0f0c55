package screening

import (
	"math/bits"
	"strings"

	"github.com/antzucaro/matchr"
)

// qTok is a query token with its candidate vocabulary tokens.
type qTok struct {
	normToken
	w        float32
	dm1, dm2 string
	sk, tk   string
	kk       string  // kana key (kana tokens)
	cf       string  // stem of its cognate form (cognateStem, orgs.go), "" if none
	kkIDs    []int32 // the vocabulary tokens with that kana key, ascending
	// pre, mask, cnt and tkh describe s for quickOut (when quick): its
	// first four bytes (prefix4), byte classes (letterMask), the count of
	// each class and keyHash(tk).
	pre, mask, tkh uint32
	cnt            [32]uint8
	quick          bool
	digit          bool
	cands          []cand
	// first is the first query token of this column and n how many tokens
	// it joins (1 for a token as written, 2 or 3 for tokens written
	// together: "jan daniel" meets "jandaniel").
	first, n int8
	// splits are the ways the token is written together from two or three
	// indexed tokens ("ramimakhlouf": rami makhlouf).
	splits []split
	// runs are the runs of 2-3 adjacent name tokens with the consonant
	// skeleton of this column (abjad queries: "bdlrhmn" meets "abdul rahman").
	runs [2][]runRef
	// altSim, while the candidates of the token's other romanisation are
	// gathered (altCands), caps their similarity.
	altSim float32
}

type cand struct {
	v      int32
	sim    float32
	method uint8
}

const (
	methodNone uint8 = iota
	methodExact
	methodFuzzy
	methodPhonetic
	methodSkeleton
	methodJoined
	methodTranslit
	methodKana
	methodHan
	methodGeneric
	methodCognate
)

var methodNames = [...]string{"none", "exact", "fuzzy", "phonetic", "skeleton", "joined", "transliteration", "kana", "characters", "generic word", "cognate"}

// skelMatch: equal consonant skeletons, allowing an attached article
// ("alnaimi"/"naimi").
func skelMatch(a, b string) bool {
	if len(a) == 1 || len(b) == 1 {
		return a == b
	}
	if len(a) < 2 || len(b) < 2 {
		return false
	}
	return a == b || (len(a) >= 3 && a[0] == 'l' && a[1:] == b) || (len(b) >= 3 && b[0] == 'l' && b[1:] == a)
}

func skelSim(sk string) float32 {
	n := len(sk)
	if n > 0 && sk[0] == 'l' {
		n--
	}
	if n >= 3 {
		return skeletonSim3
	}
	return skeletonSim
}

// tokenSimQuick is tokenSim(q, &ix.vocab[v]), answered from quickOut
// when that can.
func (ix *Index) tokenSimQuick(q *qTok, v int32) (float32, uint8) {
	if q.quick && ix.quickOut(q, v) {
		return 0, methodNone
	}
	return tokenSim(q, &ix.vocab[v])
}

// tokenSim compares a query token with a vocabulary token.
func tokenSim(q *qTok, v *vocabTok) (float32, uint8) {
	if q.han != "" && v.han != "" {
		return hanSim(q.han, v.han) // characters first (han.go)
	}
	if q.s == v.s {
		return 1, methodExact
	}
	lq, lv := len(q.s), len(v.s)
	ml := min(lq, lv)
	if q.script == scriptAbjad && !v.digit && (skelMatch(q.sk, v.sk) || skelMatchVF(q.sk, v.s)) {
		if len(q.sk) == 1 {
			if lq > 4 || lv > 4 {
				return 0, methodNone
			}
			return skeletonSim1, methodSkeleton
		}
		return skelSim(q.sk) - ghainMismatch(q.s, v.s), methodSkeleton
	}
	if ml <= 2 || q.digit || v.digit {
		return 0, methodNone
	}
	if isSonOfPair(q.s, v.s) {
		return sonOfSim, methodTranslit
	}
	jw := jaroWinkler(q.s, v.s)
	s := 1 - fuzzySteepness*(1-jw)
	m := methodFuzzy
	if ml >= 4 && abs(lq-lv) <= 2 && jw >= phoneticMinJW && q.dm1 != "" && (q.dm1 == v.dm1 || q.dm1 == v.dm2 || q.dm2 == v.dm1) && s < phoneticSim {
		s, m = phoneticSim, methodPhonetic
	} else {
		s = spellingAdjust(s, lq, lv)
	}
	if q.cf != "" && s < cognateSim && len(v.s) > len(q.cf) && v.s[:len(q.cf)] == q.cf && cognateStem(v.s) == len(q.cf) {
		s, m = cognateSim, methodCognate
	}
	if q.tk != "" && q.tk == v.tk {
		ts := float32(translitSim)
		if ml == 3 {
			ts -= 0.1
		}
		if ts > s {
			return ts, methodTranslit
		}
	}
	if s < minTokenSim {
		return 0, methodNone
	}
	return s, m
}

// simSlack absorbs the float32 rounding of the computed similarity in
// quickOut's bound (computed in float64): the bound is only trusted when it
// misses minTokenSim (or phoneticMinJW) by more than this.
const simSlack = 1e-4

// vocabQuick is what quickOut needs of a vocabulary token.
type vocabQuick struct {
	pre, mask uint32 // prefix4 and letterMask of s
	tkh       uint32 // keyHash of the transliteration key
	n         uint8  // len(s), 255 for 255 bytes or more
}

func newVocabQuick(v *vocabTok) vocabQuick {
	return vocabQuick{pre: prefix4(v.s), mask: letterMask(v.s), tkh: keyHash(v.tk), n: uint8(min(len(v.s), 255))}
}

// quickOut reports whether tokenSim(q, v) is 0 because v is too far from q
// for any similarity tokenSim gives, read from ix.vq alone; q.quick says
// the query token takes none of tokenSim's paths that this does not see
// (Han characters, abjad skeletons, son-of, a cognate stem). An upper bound
// of the Jaro-Winkler similarity must keep the spelling similarity under
// minTokenSim and the phonetic similarity out of reach, and the
// transliteration keys must differ. The bound takes every possible match
// as made without transposition: the matches are at most the letters of
// the shorter token, less the letters of either token that the other does
// not hold (from the byte-class masks and the query token's class counts);
// the Winkler prefix is the common prefix of the first four bytes. It
// saves the Jaro-Winkler, and the reads of the vocabulary token, for the
// many tokens of a phonetic or deletion bucket that are far from the query
// token; the similarities are the same either way (TestTokenSimBound).
func (ix *Index) quickOut(q *qTok, id int32) bool {
	vq := &ix.vq[id]
	if vq.n == 255 || q.cf != "" {
		return false
	}
	lq, lv := len(q.s), int(vq.n)
	ml, lm := min(lq, lv), max(lq, lv)
	missQ := 0
	for x := q.mask &^ vq.mask; x != 0; x &= x - 1 {
		missQ += int(q.cnt[bits.TrailingZeros32(x)])
	}
	m := min(ml, lq-missQ, lv-bits.OnesCount32(vq.mask&^q.mask))
	p := min(4, ml)
	if x := q.pre ^ vq.pre; x != 0 {
		p = min(p, bits.TrailingZeros32(x)/8)
	}
	mf := float64(m)
	jaro := (mf/float64(ml) + mf/float64(lm) + 1) / 3
	jw := jaro + float64(p)*0.1*(1-jaro)
	pen := 0.0
	if ml == 3 {
		pen = 0.1
	} else if ml == 4 {
		pen = 0.04
	}
	d := lm - ml
	if d > 1 {
		pen += lengthPenalty * float64(d-1)
	}
	if 1-fuzzySteepness*(1-jw)-pen >= minTokenSim-simSlack {
		return false
	}
	if ml >= 4 && d <= 2 && jw >= phoneticMinJW-simSlack {
		return false // the phonetic similarity may apply
	}
	if q.tk != "" && q.tkh == vq.tkh {
		return false // the transliteration similarity may apply
	}
	return true
}

// keyHash is the 32-bit FNV-1a hash of s.
func keyHash(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}

// prefix4 packs the first four bytes of s (zeros past its end) little-endian.
func prefix4(s string) uint32 {
	var x uint32
	for i := 0; i < 4 && i < len(s); i++ {
		x |= uint32(s[i]) << (8 * i)
	}
	return x
}

// letterMask has bit c&31 set for every byte c of s.
func letterMask(s string) uint32 {
	var x uint32
	for i := 0; i < len(s); i++ {
		x |= 1 << (s[i] & 31)
	}
	return x
}

// spellingAdjust lowers a Jaro-Winkler similarity for short tokens and
// for a length difference of more than one letter.
func spellingAdjust(s float32, lq, lv int) float32 {
	if ml := min(lq, lv); ml == 3 {
		s -= 0.1
	} else if ml == 4 {
		s -= 0.04
	}
	if d := abs(lq - lv); d > 1 {
		s -= lengthPenalty * float32(d-1) // alexei/alexander: a shared prefix is not a spelling
	}
	return s
}

// orgPhoneticSim is the similarity of a phonetic-only match (similarity
// s) on an organisation, vessel or aircraft name: organisation names are
// spelled as registered, so a word that only sounds like the listed one
// is weaker evidence than for a person's name — but never weaker than its
// spelling alone (islamique/islamic is a close spelling, sparkles/sporks
// is not).
func orgPhoneticSim(s float32, q, v string) float32 {
	spelled := spellingAdjust(1-fuzzySteepness*(1-jaroWinkler(q, v)), len(q), len(v))
	return max(0, 1-orgFuzzySteepness*(1-s), spelled)
}

// romanAlt rewrites Russian-style romanisations into English-style ones
// (dzh -> j, kh -> h) so "dzhanan" meets "janan" and "abdulkhai" "abdulhai".
func romanAlt(s string) string {
	if !strings.Contains(s, "dzh") && !strings.Contains(s, "kh") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "dzh", "j"), "kh", "h")
}

// gatherCands adds the vocabulary tokens similar to t.s to t.cands, keeping
// the best similarity per vocabulary token.
func (ix *Index) gatherCands(t *qTok, keyBuf []byte, sc *scratch) {
	t.dm1, t.dm2, t.tk, t.sk, t.kk, t.kkIDs, t.cf = "", "", "", "", "", nil, ""
	sc.newCompState()
	t.pre, t.mask, t.cnt = prefix4(t.s), letterMask(t.s), [32]uint8{}
	for i := 0; i < len(t.s); i++ {
		t.cnt[t.s[i]&31]++
	}
	if len(t.s) >= 3 && !t.digit && t.n <= 1 {
		t.dm1, t.dm2 = matchr.DoubleMetaphone(t.s)
		t.tk = translitKey(t.s)
	}
	t.tkh = keyHash(t.tk)
	t.quick = t.han == "" && t.script != scriptAbjad && len(t.s) <= 255 && t.s != "ben" && t.s != "bin"
	if t.script == scriptAbjad && !t.digit {
		t.sk = skeleton(t.s)
	}
	sim := func(v int32) (float32, uint8) {
		s, m := ix.tokenSimQuick(t, v)
		if t.altSim > 0 && s > t.altSim {
			s, m = t.altSim, methodTranslit // another language's reading (altCands)
		}
		if t.kk != "" && s < 1 {
			if ks := ix.kanaSim(t, v); ks > s {
				return ks, methodKana
			}
		}
		return s, m
	}
	try := func(ids []int32) {
		for _, v := range ids {
			if mk := sc.cMark[v]; mk >= sc.cBase {
				if mk == sc.cEpoch {
					continue // compared in this state: the same similarity again
				}
				sc.cMark[v] = sc.cEpoch
				// seen for this query token: keep the better similarity of the two forms
				if k := sc.cIdx[v]; k >= 0 && t.cands[k].sim < 1 {
					if s, m := sim(v); s > t.cands[k].sim {
						t.cands[k].sim, t.cands[k].method = s, m
					}
				} else if k < 0 {
					if s, m := sim(v); s > 0 {
						sc.cIdx[v] = int32(len(t.cands))
						t.cands = append(t.cands, cand{v: v, sim: s, method: m})
					}
				}
				continue
			}
			sc.cMark[v] = sc.cEpoch
			sc.cIdx[v] = -1
			s, m := sim(v)
			if s > 0 {
				sc.cIdx[v] = int32(len(t.cands))
				t.cands = append(t.cands, cand{v: v, sim: s, method: m})
			}
		}
	}
	try(ix.dels[t.s])
	if len(t.s) >= 4 && len(t.s) <= len(keyBuf) && t.n <= 1 {
		for p := 0; p < len(t.s); p++ {
			if p > 0 && t.s[p] == t.s[p-1] {
				continue
			}
			b := append(append(keyBuf[:0], t.s[:p]...), t.s[p+1:]...)
			try(ix.dels[string(b)])
		}
	}
	if len(t.dm1) >= 2 {
		try(ix.phon[t.dm1])
		if t.dm2 != t.dm1 {
			try(ix.phon[t.dm2])
		}
	}
	if len(t.tk) >= 3 {
		try(ix.tkeys[t.tk])
		if _, ok := ix.vocabID[t.tk]; ok {
			try(ix.dels[t.tk])
		}
	}
	if t.script == scriptLatin && t.n <= 1 {
		if n := cognateStem(t.s); n > 0 {
			t.cf = t.s[:n]
			sc.newCompState()
			try(ix.cognate[t.cf])
		}
	}
	if t.script == scriptKana && !t.digit {
		if k := kanaQueryKey(t.s); kanaKeyOK(k, t.s, true) {
			ix.kanaOnce.Do(ix.indexKana)
			t.kk, t.kkIDs = k, ix.kkeys[k]
			sc.newCompState()
			try(t.kkIDs)
		}
	}
	if len(t.sk) >= 2 || (len(t.sk) == 1 && len(t.s) <= 4) {
		try(ix.skel[t.sk])
		if len(t.sk) >= 3 && t.sk[0] == 'l' {
			try(ix.skel[t.sk[1:]])
		}
	}
}
