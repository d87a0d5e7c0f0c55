package screening

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// scoreName aligns query tokens with the tokens of one indexed name. With
// explain it also returns the token alignment.
// orgFuzzySteepness multiplies the distance of a phonetic token match on
// an organisation, vessel or aircraft name (Alpha, ALFA).
const orgFuzzySteepness = 2

func (ix *Index) scoreName(cols []qTok, nq int, qW float32, nid int32, sc *scratch, explain bool) (float32, []TokenMatch) {
	nr := &ix.names[nid]
	qt := cols[:nq]
	ncols := len(cols)
	nn := min(len(nr.toks), maxNameToks)
	// organisation names are spelled as registered: a word that only
	// sounds like one (Alpha, ALFA) is weaker evidence than for a person's
	// name, which is transliterated and misheard.
	et := ix.entities[nr.entity].Type
	org := et == TypeOrganization || et == TypeVessel || et == TypeAircraft
	// candidate pairings: a query column (a token, or a run of tokens
	// written together) with a name token, from the similarity table; a
	// query token with the run of name tokens it is written from (splits).
	type pair struct {
		i, j   int8 // first query token, first name token
		qn, nl int8 // query tokens, name tokens
		s      float32
	}
	var pbuf [96]pair
	pairs := pbuf[:0]
	for j, v := range nr.toks[:nn] {
		if sc.vMark[v] != sc.epoch {
			continue
		}
		row := int(sc.vRow[v]) * ncols
		for c := 0; c < ncols; c++ {
			if s := sc.sims[row+c]; s > 0 {
				if org && sc.meth[row+c] == methodPhonetic {
					s = orgPhoneticSim(s, cols[c].s, ix.vocab[v].s)
				}
				pairs = append(pairs, pair{cols[c].first, int8(j), cols[c].n, 1, s})
			}
		}
	}
	for i := range qt {
		for _, sp := range qt[i].splits {
			if j, ok := ix.findSplit(nr, nn, sp); ok {
				pairs = append(pairs, pair{int8(i), j, 1, sp.n, 1})
			}
		}
	}
	if len(pairs) > 1 {
		slices.SortFunc(pairs, func(a, b pair) int {
			if a.s != b.s {
				return cmp.Compare(b.s, a.s)
			}
			if a.qn+a.nl != b.qn+b.nl {
				return cmp.Compare(a.qn+a.nl, b.qn+b.nl)
			}
			return cmp.Compare(abs(int(a.i)-int(a.j)), abs(int(b.i)-int(b.j)))
		})
	}
	// qm: first name token matched by each query token, qn: how many name
	// tokens it spans; nm: first query token matching each name token.
	var qm, qn [16]int8
	var nm [32]int8
	var qs [16]float32
	var ns [32]float32
	for i := 0; i < nq; i++ {
		qm[i], qn[i] = -1, 1
	}
	for j := 0; j < nn; j++ {
		nm[j] = -1
	}
pairing:
	for _, p := range pairs {
		for k := p.i; k < p.i+p.qn; k++ {
			if qm[k] >= 0 {
				continue pairing
			}
		}
		for k := p.j; k < p.j+p.nl; k++ {
			if nm[k] >= 0 {
				continue pairing
			}
		}
		for k := p.i; k < p.i+p.qn; k++ {
			qm[k], qs[k] = p.j, p.s
		}
		qn[p.i] = p.nl
		for k := p.j; k < p.j+p.nl; k++ {
			nm[k], ns[k] = p.i, p.s
		}
	}
	// abjad spellings split differently: عبد الرحمن / abdul rahman /
	// abd al rahman / abdulrahman, compared on consonant skeletons.
	if qt[0].script == scriptAbjad || qt[nq-1].script == scriptAbjad {
		ix.joinSkeletons(qt, nr, nn, &qm, &qn, &nm, &qs, &ns)
		ix.articleRuns(qt, nr, &qm, &qn, &nm, &ns)
	}
	var qSum, nSum, nW float32
	for i := range qt {
		qSum += qt[i].w * qs[i]
	}
	for j := 0; j < nn; j++ {
		w := ix.vocab[nr.toks[j]].w
		nW += w
		nSum += w * ns[j]
	}
	qCov, nCov := qSum/qW, nSum/nW
	sub := ix.subsetBonus(qt, nr, nn, &qm, &nm, &qs, qCov, nCov)
	qCov += ix.supersetBonus(qt, nr, nn, &nm, &ns, qCov, nCov)
	nCov += sub
	score := queryCoverage*qCov + (1-queryCoverage)*nCov
	if nr.weak && score < 0.999 {
		score *= weakPenalty
	}
	if score > 1 {
		score = 1
	}
	if !explain {
		return score, nil
	}
	toks := make([]TokenMatch, 0, nq+nn)
	for i := range qt {
		tm := TokenMatch{Query: qt[i].s, Weight: round3(float64(qt[i].w)), Method: "none"}
		if j := qm[i]; j >= 0 {
			tm.Matched = ix.vocab[nr.toks[j]].s
			tm.Similarity = round3(float64(qs[i]))
			tm.Method = methodNames[methodOf(qt[i], nr.toks[j])]
			if qn[i] > 1 {
				for k := 1; k < int(qn[i]); k++ {
					tm.Matched += " " + ix.vocab[nr.toks[int(j)+k]].s
				}
				tm.Method = "joined"
			} else if nm[j] != int8(i) {
				tm.Method = "joined"
			}
		}
		toks = append(toks, tm)
	}
	for j := 0; j < nn; j++ {
		if nm[j] < 0 {
			v := &ix.vocab[nr.toks[j]]
			toks = append(toks, TokenMatch{Matched: v.s, Weight: round3(float64(v.w)), Method: "none"})
		}
	}
	return score, toks
}

// joinSkeletons matches runs of one or two unmatched query tokens with runs
// of one to three unmatched name tokens whose joined consonant skeletons
// are equal.
func (ix *Index) joinSkeletons(qt []qTok, nr *nameRec, nn int, qm, qn *[16]int8, nm *[32]int8, qs *[16]float32, ns *[32]float32) {
	nq := len(qt)
	var qb, nb [96]byte
	for ql := 1; ql <= 2; ql++ {
		for i := 0; i+ql <= nq; i++ {
			free := true
			for k := i; k < i+ql; k++ {
				if qm[k] >= 0 {
					free = false
				}
			}
			if !free {
				continue
			}
			qj := qb[:0]
			for k := i; k < i+ql; k++ {
				qj = append(qj, qt[k].s...)
			}
			qsk := skeleton(string(qj))
			if len(qsk) < 3 {
				continue
			}
		outer:
			for nl := 1; nl <= 3; nl++ {
				if ql == 1 && nl == 1 {
					continue
				}
				for j := 0; j+nl <= nn; j++ {
					nj := nb[:0]
					for k := j; k < j+nl; k++ {
						if nm[k] >= 0 {
							continue outer
						}
						nj = append(nj, ix.vocab[nr.toks[k]].s...)
					}
					if skelMatch(qsk, skeleton(string(nj))) && (ql == 1 || nl == 1 || ix.articleSlip(qt[i].s, nr.toks[j])) {
						s := skelSim(qsk)
						for k := i; k < i+ql; k++ {
							qm[k], qs[k] = int8(j), s
						}
						qn[i] = int8(nl)
						for k := j; k < j+nl; k++ {
							nm[k], ns[k] = int8(i), s
						}
						break outer
					}
				}
			}
		}
	}
}

func methodOf(t qTok, v int32) uint8 {
	for _, c := range t.cands {
		if c.v == v {
			return c.method
		}
	}
	return methodJoined
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

func (ix *Index) makeMatch(ei int, nid int32, name float64, tokens []TokenMatch, total float64, ev []Evidence) Match {
	e := &ix.entities[ei]
	nr := &ix.names[nid]
	matched := e.Name
	if nr.alias >= 0 {
		matched = e.Aliases[nr.alias].Name
	}
	var parts []string
	for _, t := range tokens {
		if t.Query != "" && t.Matched != "" {
			if t.Method == "exact" {
				parts = append(parts, t.Query)
			} else {
				parts = append(parts, t.Query+"~"+t.Matched+" ("+t.Method+")")
			}
		}
	}
	summary := "name " + formatScore(name) + " on \"" + matched + "\": " + strings.Join(parts, ", ")
	for _, x := range ev {
		summary += "; " + x.Kind + " " + formatSigned(x.Adjustment)
	}
	return Match{
		EntityID:    e.ID,
		List:        e.Source,
		SourceID:    e.SourceID,
		Name:        e.Name,
		MatchedName: matched,
		Score:       round3(total),
		Explanation: Explanation{Summary: summary, NameScore: round3(name), Tokens: tokens, Evidence: ev},
		Topics:      e.Topics,
		EntityHash:  ix.hashes[ei],
	}
}
