package screening

import (
	"cmp"
	"slices"
	"strings"
)

// est is an optimistic score estimate of one indexed name.
type est struct {
	n int32
	e float32
}

// scratch is per-query working memory, pooled.
type scratch struct {
	epoch   uint32    // per token group
	seen    []uint32  // per name: epoch when touched
	tokSeen []int16   // per name: last query token that touched it
	acc     []float32 // per name: accumulated weight
	touched []int32
	vMark   []uint32 // per vocab: epoch when it got a row
	vRow    []int32  // per vocab: row in sims
	sims    []float32
	rows    int
	gMark   []uint32  // per entity: epoch when gBest was set
	gBest   []float32 // per entity: best name score in this group
	gName   []int32   // per entity: the name that scored gBest
	gTouch  []int32
	qepoch  uint32   // per query
	eMark   []uint32 // per entity: qepoch when it got a match
	eSlot   []int32  // per entity: index of its match in the output
	cEpoch  uint32   // per query token
	cMark   []uint32 // per vocab: cEpoch when it was compared with the query token
	cIdx    []int32  // per vocab: index in the token's candidates, -1 if no candidate
	ests    []est
	qt      []qTok
	sub     []normToken
}

func (ix *Index) getScratch() *scratch {
	s, ok := ix.pool.Get().(*scratch)
	if !ok {
		ne := len(ix.entities)
		s = &scratch{
			seen:    make([]uint32, len(ix.names)),
			tokSeen: make([]int16, len(ix.names)),
			acc:     make([]float32, len(ix.names)),
			vMark:   make([]uint32, len(ix.vocab)),
			vRow:    make([]int32, len(ix.vocab)),
			gMark:   make([]uint32, ne),
			gBest:   make([]float32, ne),
			gName:   make([]int32, ne),
			eMark:   make([]uint32, ne),
			eSlot:   make([]int32, ne),
			cMark:   make([]uint32, len(ix.vocab)),
			cIdx:    make([]int32, len(ix.vocab)),
		}
	}
	s.qepoch++
	if s.qepoch == 0 {
		clear(s.eMark)
		s.qepoch = 1
	}
	return s
}

// newGroup resets the per-group state.
func (s *scratch) newGroup() {
	s.epoch++
	if s.epoch == 0 {
		clear(s.seen)
		clear(s.vMark)
		clear(s.gMark)
		s.epoch = 1
	}
	s.touched = s.touched[:0]
	s.sims = s.sims[:0]
	s.rows = 0
	s.gTouch = s.gTouch[:0]
	s.ests = s.ests[:0]
}

// Search returns the entities whose names match the query, best first,
// only those scoring at least the threshold, at most Limit of them. A query
// that mixes writing systems ("محمد عمر Mohammed Omar") or holds
// parenthesised or semicolon-separated parts is also screened part by part,
// and each entity keeps its best score.
func (ix *Index) Search(q Query) []Match {
	thr := q.Threshold
	if thr <= 0 {
		thr = DefaultThreshold
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	ntoks := tokenize(q.Name)
	if len(ntoks) == 0 || len(ix.names) == 0 {
		return nil
	}
	if len(ntoks) > 16 {
		ntoks = ntoks[:16]
	}
	sc := ix.getScratch()
	defer ix.pool.Put(sc)
	var out []Match
	out = ix.searchGroup(ntoks, q, thr, sc, out)
	// sub-queries per writing system and per segment
	var sysSeen, segSeen uint64
	for _, t := range ntoks {
		if !hasLetter(t.s) {
			continue
		}
		sysSeen |= 1 << t.sys
		segSeen |= 1 << min(t.seg, 63)
	}
	if sysSeen&(sysSeen-1) != 0 {
		for sys := uint8(0); sys < 8; sys++ {
			if sysSeen&(1<<sys) == 0 {
				continue
			}
			sc.sub = sc.sub[:0]
			for _, t := range ntoks {
				if t.sys == sys && hasLetter(t.s) {
					sc.sub = append(sc.sub, t)
				}
			}
			if subQueryOK(sc.sub) {
				out = ix.searchGroup(sc.sub, q, thr, sc, out)
			}
		}
	}
	if segSeen&(segSeen-1) != 0 {
		for seg := uint8(0); seg < 64; seg++ {
			if segSeen&(1<<seg) == 0 {
				continue
			}
			sc.sub = sc.sub[:0]
			for _, t := range ntoks {
				if min(t.seg, 63) == seg {
					sc.sub = append(sc.sub, t)
				}
			}
			if subQueryOK(sc.sub) {
				out = ix.searchGroup(sc.sub, q, thr, sc, out)
			}
		}
	}
	slices.SortFunc(out, func(a, b Match) int {
		if a.Score != b.Score {
			return cmp.Compare(b.Score, a.Score)
		}
		return strings.Compare(a.EntityID, b.EntityID)
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// subQueryOK: a part is screened on its own when it holds enough letters
// to identify someone.
func subQueryOK(toks []normToken) bool {
	n := 0
	for _, t := range toks {
		n += len(t.s)
	}
	return n >= 4
}

func hasLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'a' && s[i] <= 'z' {
			return true
		}
	}
	return false
}

// searchGroup screens one list of query tokens and merges the entities
// scoring at least thr into out, keeping the best score per entity.
func (ix *Index) searchGroup(ntoks []normToken, q Query, thr float64, sc *scratch, out []Match) []Match {
	sc.newGroup()
	if cap(sc.qt) < len(ntoks) {
		sc.qt = append(sc.qt[:cap(sc.qt)], make([]qTok, len(ntoks)-cap(sc.qt))...)
	}
	qt := sc.qt[:len(ntoks)]
	var keyBuf [64]byte
	for i := range ntoks {
		t := &qt[i]
		t.normToken = ntoks[i]
		t.cands = t.cands[:0]
		t.digit = hasDigit(t.s)
		t.dm1, t.dm2, t.sk, t.tk = "", "", "", ""
		sc.cEpoch++
		if sc.cEpoch == 0 {
			clear(sc.cMark)
			sc.cEpoch = 1
		}
		ix.gatherCands(t, keyBuf[:], sc)
		if alt := romanAlt(t.s); alt != t.s {
			orig := t.s
			t.s = alt
			ix.gatherCands(t, keyBuf[:], sc)
			t.s = orig
		}
		slices.SortFunc(t.cands, func(a, b cand) int { return cmp.Compare(b.sim, a.sim) })
		exact := len(t.cands) > 0 && t.cands[0].method == methodExact
		if len(t.cands) > 0 {
			t.w = ix.vocab[t.cands[0].v].w
		} else {
			t.w = ix.unknownW
		}
		if !exact {
			// a title or particle weighs little even when it resembles a listed name
			if f, ok := stopWeight[t.s]; ok {
				t.w *= f
			} else if f, ok := stopWeight[romanAlt(t.s)]; ok {
				t.w *= f
			}
		}
	}
	// similarity table: one row per candidate vocab token, one column per query token.
	nq := len(qt)
	for i := range qt {
		for _, c := range qt[i].cands {
			if sc.vMark[c.v] != sc.epoch {
				sc.vMark[c.v] = sc.epoch
				sc.vRow[c.v] = int32(sc.rows)
				sc.rows++
				for k := 0; k < nq; k++ {
					sc.sims = append(sc.sims, 0)
				}
			}
			sc.sims[int(sc.vRow[c.v])*nq+i] = c.sim
		}
	}
	// accumulate weight per name, walking the postings of the heaviest
	// query tokens first. Once the tokens left cannot lift a name that none
	// of the walked tokens touched to the estimate floor, their (long)
	// posting lists of particles, legal forms and common given names are
	// not walked: the names already touched get their exact sums from the
	// similarity table instead.
	maxBonus := float32(0.1)
	floor := float32(thr) - maxBonus - 0.1
	for i := range qt {
		if qt[i].script == scriptAbjad {
			floor -= 0.2 // split-word skeleton joins can raise the score beyond the estimate
			break
		}
	}
	var qW, remaining float32
	var order [16]int8
	var contrib [16]float32
	for i := range qt {
		qW += qt[i].w
		if len(qt[i].cands) > 0 {
			contrib[i] = qt[i].w * qt[i].cands[0].sim
		}
		remaining += contrib[i]
		order[i] = int8(i)
		for k := i; k > 0 && contrib[order[k]] > contrib[order[k-1]]; k-- {
			order[k], order[k-1] = order[k-1], order[k]
		}
	}
	// an untouched name needs at least this much weight to reach the floor
	need := (floor - (1 - queryCoverage)) / queryCoverage * qW
	cut := false
	for _, oi := range order[:nq] {
		i := int(oi)
		if remaining < need {
			cut = true
			break
		}
		remaining -= contrib[i]
		t := &qt[i]
		for _, c := range t.cands {
			contrib := t.w * c.sim
			for _, nid := range ix.postings[c.v] {
				if sc.seen[nid] != sc.epoch {
					sc.seen[nid] = sc.epoch
					sc.acc[nid] = 0
					sc.tokSeen[nid] = -1
					sc.touched = append(sc.touched, nid)
				}
				if sc.tokSeen[nid] != int16(i) {
					sc.tokSeen[nid] = int16(i)
					sc.acc[nid] += contrib
				}
			}
		}
	}
	if len(sc.touched) == 0 {
		return out
	}
	if cut {
		for _, nid := range sc.touched {
			var best [16]float32
			for _, v := range ix.names[nid].toks {
				if sc.vMark[v] != sc.epoch {
					continue
				}
				row := sc.sims[int(sc.vRow[v])*nq : int(sc.vRow[v])*nq+nq]
				for i, s := range row {
					best[i] = max(best[i], s)
				}
			}
			var a float32
			for i := range qt {
				a += qt[i].w * best[i]
			}
			sc.acc[nid] = a
		}
	}
	// pick the most promising names by an optimistic estimate.
	for _, nid := range sc.touched {
		a := sc.acc[nid]
		nr := &ix.names[nid]
		nc := min(1, a/nr.totalW)
		e := queryCoverage*a/qW + (1-queryCoverage)*nc
		if a >= subsetMinCov*qW {
			e += (1 - queryCoverage) * subsetShare * (1 - nc) // room for subsetBonus
		}
		if e >= floor {
			sc.ests = append(sc.ests, est{nid, e})
		}
	}
	ests := sc.ests
	if len(ests) > maxCandidates {
		slices.SortFunc(ests, func(a, b est) int { return cmp.Compare(b.e, a.e) })
		ests = ests[:maxCandidates]
	}
	// full scoring, best name per entity.
	for _, es := range ests {
		s, _ := ix.scoreName(qt, qW, es.n, sc, false)
		ei := ix.names[es.n].entity
		if sc.gMark[ei] != sc.epoch {
			sc.gMark[ei] = sc.epoch
			sc.gBest[ei] = s
			sc.gName[ei] = es.n
			sc.gTouch = append(sc.gTouch, ei)
		} else if s > sc.gBest[ei] {
			sc.gBest[ei] = s
			sc.gName[ei] = es.n
		}
	}
	for _, ei := range sc.gTouch {
		e := &ix.entities[ei]
		name := float64(sc.gBest[ei])
		if name+maxEvidenceBoost < thr {
			continue
		}
		total, ev := evidence(name, q, e)
		if total < thr {
			continue
		}
		slot := -1
		if sc.eMark[ei] == sc.qepoch {
			slot = int(sc.eSlot[ei])
			if round3(total) <= out[slot].Score {
				continue
			}
		}
		_, toks := ix.scoreName(qt, qW, sc.gName[ei], sc, true)
		m := ix.makeMatch(int(ei), sc.gName[ei], name, toks, total, ev)
		if slot >= 0 {
			out[slot] = m
		} else {
			sc.eMark[ei] = sc.qepoch
			sc.eSlot[ei] = int32(len(out))
			out = append(out, m)
		}
	}
	return out
}
