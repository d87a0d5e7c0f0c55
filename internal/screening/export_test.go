package screening

import "fmt"

// Exports for the external tests (pruning_real_test.go).
var (
	CheckSound = checkSound
	Perturb    = perturb
	Thresholds = thresholds
)

// Rarity is a token's weight over the largest weight.
func Rarity(ix *Index, tok string) float32 {
	if id, ok := ix.vocabID[tok]; ok {
		return ix.vocab[id].w / ix.unknownW
	}
	return 1
}

// CompareTokenSim compares tokenSimQuick with tokenSim for every token of
// names (and its other readings: romanAlt, the other Cyrillic table)
// against the vocabulary tokens of each of its candidate buckets (the
// query token as a deletion key, its one-deletion keys, phonetic,
// transliteration, cognate and skeleton keys) and against every stride-th
// vocabulary token, with the token's cognate stem set and unset (gatherCands
// sets it part way). It returns the pairs compared and the first
// mismatches.
func CompareTokenSim(ix *Index, names []string, stride int) (int, []string) {
	n := 0
	var bad []string
	var keyBuf [64]byte
	for _, name := range names {
		toks := tokenize(name)
		cyrillicAlts(name, toks)
		for _, nt := range toks {
			forms := []string{nt.s}
			if a := romanAlt(nt.s); a != nt.s {
				forms = append(forms, a)
			}
			if nt.alt != "" && nt.alt != nt.s {
				forms = append(forms, nt.alt, romanAlt(nt.alt))
			}
			for _, f := range forms {
				t := &qTok{normToken: nt, first: 0, n: 1}
				t.s = f
				t.digit = hasDigit(f)
				sc := ix.getScratch()
				sc.nextToken()
				ix.gatherCands(t, keyBuf[:], sc)
				ix.pool.Put(sc)
				var ids []int32
				ids = append(ids, ix.dels[t.s]...)
				for p := 0; p < len(t.s); p++ {
					ids = append(ids, ix.dels[t.s[:p]+t.s[p+1:]]...)
				}
				ids = append(ids, ix.phon[t.dm1]...)
				ids = append(ids, ix.phon[t.dm2]...)
				ids = append(ids, ix.tkeys[t.tk]...)
				if n := cognateStem(t.s); n > 0 {
					ids = append(ids, ix.cognate[t.s[:n]]...)
				}
				ids = append(ids, ix.skel[t.sk]...)
				if len(t.sk) >= 3 {
					ids = append(ids, ix.skel[t.sk[1:]]...)
				}
				for v := 0; v < len(ix.vocab); v += stride {
					ids = append(ids, int32(v))
				}
				cf := t.cf
				for _, c := range []string{cf, ""} {
					t.cf = c
					for _, v := range ids {
						n++
						s1, m1 := ix.tokenSimQuick(t, v)
						s2, m2 := tokenSim(t, &ix.vocab[v])
						if s1 != s2 || m1 != m2 {
							if len(bad) < 20 {
								bad = append(bad, fmt.Sprintf("%q (cf %q) / %q: %v %d, want %v %d", t.s, c, ix.vocab[v].s, s1, m1, s2, m2))
							}
						}
					}
					if cf == "" {
						break
					}
				}
			}
		}
	}
	return n, bad
}
