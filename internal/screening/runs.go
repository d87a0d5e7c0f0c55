package screening

import (
	"cmp"
	"slices"
)

// Tokens written together or apart: a query run of two or three tokens is
// a column of its own, compared with the indexed tokens like a token
// ("Jan Daniel" meets "JanDaniel", "van der bilt" meets "vanderbilt"); a
// query token that is the concatenation of two or three indexed tokens is
// matched with the names holding them side by side ("Ramimakhlouf" meets
// "Rami MAKHLOUF", "vanderbilt" meets "van der bilt"); and for abjad
// queries, whose spellings split words differently, runs of adjacent name
// tokens are indexed by their consonant skeleton.

// runRef is a run of adjacent tokens of an indexed name.
type runRef struct {
	name int32
	j, n int8
}

// split is an indexed token sequence a query token is written from.
type split struct {
	v [legalFormMaxWords]int32
	n int8
}

// minSplitPart is the length of the shortest part of a split.
const minSplitPart = 2

// maxCols is the largest number of query columns: 16 tokens, 15 pairs, 14
// triples and spelled-out legal forms.
const maxCols = 64

// indexRuns indexes the runs of 2 and 3 adjacent tokens of every name by
// consonant skeleton, under the skeleton without a leading article l too
// (see skelMatch). Only abjad queries use it: the first one builds it.
func (ix *Index) indexRuns() {
	var buf [128]byte
	for nid := range ix.names {
		nr := &ix.names[nid]
		nn := min(len(nr.toks), maxNameToks)
		for n := 2; n <= 3; n++ {
			for j := 0; j+n <= nn; j++ {
				b := buf[:0]
				for k := j; k < j+n; k++ {
					b = append(b, ix.vocab[nr.toks[k]].s...)
				}
				sk := skeleton(string(b))
				if len(sk) < 2 {
					continue
				}
				r := runRef{int32(nid), int8(j), int8(n)}
				ix.runs[sk] = append(ix.runs[sk], r)
				if len(sk) >= 3 && sk[0] == 'l' {
					ix.runs[sk[1:]] = append(ix.runs[sk[1:]], r)
				}
			}
		}
	}
}

// splitsOf appends to out the ways s is the concatenation of two or three
// indexed tokens.
func (ix *Index) splitsOf(s string, out []split) []split {
	if len(s) < 2*minSplitPart {
		return out
	}
	for p1 := minSplitPart; p1 <= len(s)-minSplitPart; p1++ {
		v1, ok := ix.vocabID[s[:p1]]
		if !ok {
			continue
		}
		if v2, ok := ix.vocabID[s[p1:]]; ok {
			out = append(out, split{[legalFormMaxWords]int32{v1, v2}, 2})
		}
		for p2 := p1 + minSplitPart; p2 <= len(s)-minSplitPart; p2++ {
			v2, ok := ix.vocabID[s[p1:p2]]
			if !ok {
				continue
			}
			if v3, ok := ix.vocabID[s[p2:]]; ok {
				out = append(out, split{[legalFormMaxWords]int32{v1, v2, v3}, 3})
			}
		}
	}
	return out
}

// findSplit returns where the name holds the parts of sp side by side, in
// order (or, for two parts, reversed: "MAKHLOUF, Rami").
func (ix *Index) findSplit(nr *nameRec, nn int, sp split) (int8, bool) {
	n := int(sp.n)
	for j := 0; j+n <= nn; j++ {
		fwd, rev := true, n == 2
		for k := 0; k < n; k++ {
			v := nr.toks[j+k]
			fwd = fwd && v == sp.v[k]
			rev = rev && v == sp.v[n-1-k]
		}
		if fwd || rev {
			return int8(j), true
		}
	}
	return 0, false
}

// queryColumns prepares the query columns of a token group: one per token
// (the first nq), then one per run of two and three tokens that has
// candidates.
func (ix *Index) queryColumns(ntoks []normToken, sc *scratch) ([]qTok, int) {
	nq := len(ntoks)
	if want := maxCols; cap(sc.qt) < want {
		sc.qt = append(sc.qt[:cap(sc.qt)], make([]qTok, want-cap(sc.qt))...)
	}
	qt := sc.qt[:nq]
	var keyBuf [64]byte
	for i := range ntoks {
		t := &qt[i]
		t.normToken = ntoks[i]
		t.cands = t.cands[:0]
		t.splits = t.splits[:0]
		t.runs = [2][]runRef{}
		t.first, t.n = int8(i), 1
		t.digit = hasDigit(t.s)
		sc.nextToken()
		ix.gatherCands(t, keyBuf[:], sc)
		if alt := romanAlt(t.s); alt != t.s {
			orig := t.s
			t.s = alt
			ix.gatherCands(t, keyBuf[:], sc)
			t.s = orig
		}
		ix.altCands(t, keyBuf[:], sc)
		ix.legalFormCands(t)
		ix.genericCands(t)
		slices.SortFunc(t.cands, func(a, b cand) int { return cmp.Compare(b.sim, a.sim) })
		// a generic word met through its class weighs as the word it meets
		exact := len(t.cands) > 0 && (t.cands[0].method == methodExact || t.cands[0].method == methodGeneric)
		refExact := false
		if len(t.cands) > 0 {
			t.w = ix.vocab[t.cands[0].v].w
		} else {
			t.w = ix.unknownW
		}
		if !exact && ix.ref != nil {
			// A delta index weighs a token it does not hold as written as
			// the whole lists do (NewDeltaIndex).
			t.w, refExact = ix.refTokenWeight(t)
		}
		if !exact && !refExact {
			// a title or particle weighs little even when it resembles a listed name
			if f, ok := stopWeight[t.s]; ok {
				t.w *= f
			} else if f, ok := stopWeight[romanAlt(t.s)]; ok {
				t.w *= f
			}
		}
		if !t.digit && !exact && !refExact {
			// a token listed as written is not also taken apart
			t.splits = ix.splitsOf(t.s, t.splits)
		}
		if !t.digit {
			ix.legalFormSplits(t)
		}
	}
	ix.legalFormWeights(qt, nq)
	ix.functionWordWeights(qt, nq)
	abjad := qt[0].script == scriptAbjad || qt[nq-1].script == scriptAbjad
	if abjad {
		ix.runsOnce.Do(ix.indexRuns)
	}
	var jb [64]byte
	for n := 2; n <= 3; n++ {
		for i := 0; i+n <= nq; i++ {
			b := jb[:0]
			var w float32
			ok, sct := true, scriptLatin
			kana := true
			var hb []byte // the Han characters of a run written in them only
			for k := i; k < i+n; k++ {
				kana = kana && qt[k].script == scriptKana
				if qt[k].han != "" && (k == i || len(hb) > 0) {
					hb = append(hb, qt[k].han...)
				} else {
					hb = hb[:0]
				}
				if qt[k].digit || len(b)+len(qt[k].s) > len(jb) {
					ok = false
					break
				}
				b = append(b, qt[k].s...)
				w += qt[k].w
				if qt[k].script == scriptAbjad || abjad {
					sct = scriptAbjad // compared on skeletons, as joinSkeletons does
				}
			}
			if !ok {
				continue
			}
			if kana {
				sct = scriptKana // compared on kana keys too
			}
			qt = qt[:len(qt)+1]
			t := &qt[len(qt)-1]
			t.normToken = normToken{s: string(b), script: sct, sys: qt[i].sys, seg: qt[i].seg, han: string(hb)}
			t.cands = t.cands[:0]
			t.splits = t.splits[:0]
			t.runs = [2][]runRef{}
			t.first, t.n, t.w, t.digit = int8(i), int8(n), w, false
			sc.nextToken()
			ix.gatherCands(t, keyBuf[:], sc)
			sortCands(t.cands)
			if n == 2 && abjad {
				ix.skeletonRuns(t)
			}
			if len(t.cands) == 0 && len(t.runs[0])+len(t.runs[1]) == 0 {
				qt = qt[:len(qt)-1]
			}
		}
	}
	qt = ix.legalFormColumns(qt, nq)
	if abjad {
		for i := range qt[:nq] {
			ix.skeletonRuns(&qt[i])
		}
	}
	return qt, nq
}

// skeletonRuns finds the name runs whose skeleton matches the column's
// (joinSkeletons).
func (ix *Index) skeletonRuns(t *qTok) {
	sk := skeleton(t.s)
	if len(sk) < 3 {
		return
	}
	t.runs[0] = ix.runs[sk]
	if sk[0] == 'l' {
		t.runs[1] = ix.runs[sk[1:]]
	}
}

// sortCands orders candidates by similarity, best first.
func sortCands(c []cand) {
	slices.SortFunc(c, func(a, b cand) int {
		if a.sim != b.sim {
			return cmp.Compare(b.sim, a.sim)
		}
		return cmp.Compare(a.v, b.v)
	})
}
