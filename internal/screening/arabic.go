package screening

import "strings"

// articleSlip says whether a run of two or more query tokens may meet a
// run of two or more name tokens on their joined consonant skeletons
// (joinSkeletons), from the first token of each: the word boundaries of
// the two spellings must be the same but for the article al, which
// spellings attach to the word before or after it (عبد الرحمن bd alrhmn,
// Abdul Rahman bdl rhmn, Abd al-Rahman bd l rhmn). Otherwise two names
// whose letters merely run on (أصيل مثنى asyl mthna, Salim YASIN: sl|msn,
// slm|sn) would meet as one.
func (ix *Index) articleSlip(q string, v int32) bool {
	a, b := skeleton(q), ix.vocab[v].sk
	if b == "" {
		b = skeleton(ix.vocab[v].s)
	}
	return a == b || a+"l" == b || a == b+"l"
}

// ghainPenalty lowers the skeleton similarity of an abjad token whose gh
// (غ ghain) meets a k, q or c in a list spelling: the skeleton folds the
// velars together (q, k, g, gh: ق ك and غ romanised variously), but ghain
// is romanised gh or g by every system (ALA-LC, BGN/PCGN, DIN 31635: ġ,
// gh; French usage: gh), never k or q — محمد غبرة is Mohammed GHABRA, not
// Mohamed AKBAR.
const ghainPenalty = 0.05

// ghainMismatch returns ghainPenalty when the query token q (an abjad
// token, romanised with gh for غ) and the list token v have equal
// consonant skeletons but a gh of q stands where v has no g.
func ghainMismatch(q, v string) float32 {
	if !strings.Contains(q, "gh") {
		return 0
	}
	qs := skeleton(strings.ReplaceAll(q, "gh", "Q"))
	vs := skeleton(strings.ReplaceAll(strings.ReplaceAll(v, "gh", "Q"), "g", "Q"))
	// align from the end: an attached article l may lead either skeleton
	for i, j := len(qs)-1, len(vs)-1; i >= 0 && j >= 0; i, j = i-1, j-1 {
		if qs[i] == 'Q' && vs[j] != 'Q' {
			return ghainPenalty
		}
	}
	return 0
}

// addScriptSegments calls add with each segment of toks (the parts of a
// name after its first, in parentheses or after a semicolon) written in
// one writing system other than sys, the first part's, of two tokens or
// more: a list writes the name in its original script beside its
// romanisation ("Abdul Haq son of M. Anwar Khan (عبد الحق ولد محمد انور
// خان)", UN list), and that writing is a name of its own.
func addScriptSegments(toks []normToken, sys uint8, add func([]normToken)) {
	for i := 0; i < len(toks); {
		j := i + 1
		same := toks[i].sys != sys && toks[i].sys != sysLatin
		for j < len(toks) && toks[j].seg == toks[i].seg {
			same = same && toks[j].sys == toks[i].sys
			j++
		}
		if same && j-i >= 2 {
			add(toks[i:j])
		}
		i = j
	}
}

// articleRuns extends the match of an abjad query word that carries the
// article (العدل aldl) with a single list word (ADL) to the list's article
// written apart before it (AL-ADL, ash-Sham, ad-Din), when the two list
// words joined have the query word's consonant skeleton: the run
// joinSkeletons would have matched had the single word not been paired
// first, so the article is not left over as a part of the name the query
// lacks. The pruning bound counts such runs (prune, skeleton runs).
func (ix *Index) articleRuns(qt []qTok, nr *nameRec, qm, qn *[16]int8, nm *[32]int8, ns *[32]float32) {
	for i := range qt {
		j := int(qm[i])
		if j < 1 || qn[i] != 1 || nm[j-1] >= 0 || nm[j] != int8(i) || qt[i].script != scriptAbjad {
			continue
		}
		art := ix.vocab[nr.toks[j-1]].s
		if len(art) > 3 {
			continue
		}
		qsk := skeleton(qt[i].s)
		if len(qsk) < 3 || qsk[0] != 'l' {
			continue
		}
		if rsk := skeleton(art + ix.vocab[nr.toks[j]].s); rsk != qsk && rsk != qsk[1:] {
			continue
		}
		qm[i], qn[i] = int8(j-1), 2
		nm[j-1], ns[j-1] = int8(i), ns[j]
	}
}

// skeletonVF is the consonant skeleton of a Latin token with the letters
// Arabic script does not have read as those it writes them with, "" when
// it has none: v as f (Umarov عمروف, Ismailov إسماعيلوف, Vladimir
// فلاديمير) and p, but for ph, as b (Peter بيتر, Pareja باريجا); the
// skeleton itself drops a Latin v with the semi-vowels (the v of Persian
// و) and keeps p apart (Persian پ).
func skeletonVF(s string) string {
	if strings.IndexByte(s, 'v') < 0 && strings.IndexByte(s, 'p') < 0 {
		return ""
	}
	var buf [64]byte
	if len(s) > len(buf) {
		return ""
	}
	b := buf[:len(s)]
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == 'v':
			c = 'f'
		case c == 'p' && (i+1 == len(s) || s[i+1] != 'h'):
			c = 'b'
		}
		b[i] = c
	}
	return skeleton(string(b))
}

// skeletonGJ is the consonant skeleton of a Latin token with its g (but
// gh) read as j, "" when it has none: Egyptian usage, and the lists'
// Egyptian spellings, write ج (jim) as g (Gamal جمال, Ragab رجب), and
// Arabic writes the g of a foreign name with ج too (Angelo أنجيلو).
func skeletonGJ(s string) string {
	if strings.IndexByte(s, 'g') < 0 {
		return ""
	}
	var buf [64]byte
	if len(s) > len(buf) {
		return ""
	}
	b := buf[:len(s)]
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == 'g' && (i+1 == len(s) || s[i+1] != 'h') {
			c = 'j'
			n++
		}
		b[i] = c
	}
	if n == 0 {
		return ""
	}
	return skeleton(string(b))
}

// skelMatchVF: an abjad query skeleton meets a list token through its v
// read as f and its p as b (skeletonVF), or, with a j, its g read as j
// (skeletonGJ).
func skelMatchVF(qsk, v string) bool {
	if strings.IndexByte(qsk, 'f') >= 0 || strings.IndexByte(qsk, 'b') >= 0 {
		if fsk := skeletonVF(v); len(fsk) >= 2 && skelMatch(qsk, fsk) {
			return true
		}
	}
	if strings.IndexByte(qsk, 'j') >= 0 {
		if jsk := skeletonGJ(v); len(jsk) >= 2 && skelMatch(qsk, jsk) {
			return true
		}
	}
	return false
}
