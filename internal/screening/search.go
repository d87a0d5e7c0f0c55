package screening

import (
	"cmp"
	"math"
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
	na      []nameAcc // per name: the pruning's accumulators
	touched []int32
	// exhaustive scores every name (the reference the pruning is tested against)
	exhaustive bool
	vMark      []uint32 // per vocab: epoch when it got a row
	vRow       []int32  // per vocab: row in sims
	sims       []float32
	meth       []uint8   // per sims cell: how the similarity was found
	rowWM      []float32 // per sims row: the vocab token's weight times its best similarity
	rows       int
	gMark      []uint32  // per entity: epoch when gBest was set
	gBest      []float32 // per entity: best name score in this group
	gName      []int32   // per entity: the name that scored gBest
	gTouch     []int32
	qepoch     uint32   // per query
	eMark      []uint32 // per entity: qepoch when it got a match
	eSlot      []int32  // per entity: index of its match in the output
	cEpoch     uint32   // per query token and state of its comparison (newCompState)
	cBase      uint32   // cEpoch when the query token's gathering started
	cMark      []uint32 // per vocab: cEpoch when it was last compared with the query token (>= cBase: in this token)
	cIdx       []int32  // per vocab: index in the token's candidates, -1 if no candidate
	ests       []est
	qt         []qTok
	sub        []normToken
}

func (ix *Index) getScratch() *scratch {
	s, ok := ix.pool.Get().(*scratch)
	if !ok {
		ne := len(ix.entities)
		s = &scratch{
			na:    make([]nameAcc, len(ix.names)),
			vMark: make([]uint32, len(ix.vocab)),
			vRow:  make([]int32, len(ix.vocab)),
			gMark: make([]uint32, ne),
			gBest: make([]float32, ne),
			gName: make([]int32, ne),
			eMark: make([]uint32, ne),
			eSlot: make([]int32, ne),
			cMark: make([]uint32, len(ix.vocab)),
			cIdx:  make([]int32, len(ix.vocab)),
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
		clear(s.na)
		clear(s.vMark)
		clear(s.gMark)
		s.epoch = 1
	}
	s.touched = s.touched[:0]
	s.sims = s.sims[:0]
	s.meth = s.meth[:0]
	s.rowWM = s.rowWM[:0]
	s.rows = 0
	s.gTouch = s.gTouch[:0]
	s.ests = s.ests[:0]
}

// nextToken starts the candidate gathering of a query column.
func (s *scratch) nextToken() {
	if s.cEpoch >= math.MaxUint32-1<<16 { // room for the states of one token
		clear(s.cMark)
		s.cEpoch = 0
	}
	s.cEpoch++
	s.cBase = s.cEpoch
}

// newCompState starts a new state of the query token's comparison (its
// form, cognate stem or kana key changed): a vocabulary token compared in
// an earlier state is compared again.
func (s *scratch) newCompState() {
	s.cEpoch++
}

// Search returns the entities whose names match the query, best first,
// only those scoring at least the threshold, at most Limit of them. A query
// that mixes writing systems ("محمد عمر Mohammed Omar") or holds
// parenthesised or semicolon-separated parts is also screened part by part,
// and each entity keeps its best score; the entities matching the whole
// query then rank first, by their score on it, before those matching a
// part alone (rankParts).
func (ix *Index) Search(q Query) []Match {
	return ix.search(q, false)
}

func (ix *Index) search(q Query, exhaustive bool) []Match {
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
	cyrillicAlts(q.Name, ntoks)
	homoglyphAlts(ntoks)
	if len(ntoks) > 16 {
		ntoks = ntoks[:16]
	}
	sc := ix.getScratch()
	defer ix.pool.Put(sc)
	sc.exhaustive = exhaustive
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
	// whole: the score of each match of the whole query, by its slot in
	// out; the parts only raise those scores or append matches of a part
	// alone.
	var whole []float64
	if sysSeen&(sysSeen-1) != 0 || segSeen&(segSeen-1) != 0 {
		whole = make([]float64, len(out))
		for i := range out {
			whole[i] = out[i].Score
		}
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
	if whole != nil {
		return rankParts(out, whole, limit)
	}
	slices.SortFunc(out, byScore)
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

func byScore(a, b Match) int {
	if a.Score != b.Score {
		return cmp.Compare(b.Score, a.Score)
	}
	return strings.Compare(a.EntityID, b.EntityID)
}

// rankParts orders the matches of a query screened also part by part
// (out[:len(whole)] are the matches of the whole query, whole their
// scores on it; the rest matched a part alone): the matches of the whole
// query first, by their score on it, then those of a part alone, by
// score. A part's match can score higher than the whole query's on the
// entity it names ("Al-Haramain" alone 1.000 on ALHARAMAIN, the whole
// "Al-Haramain (branche Afghanistan)" 0.997 on the Afghanistan branch),
// yet it explains less of the query, and the reviewer must see the best
// explanation of the whole name first. Scores are not changed, and the
// limit takes the same matches as ranking by score alone would — the
// highest scoring — so no hit is hidden; only their order changes.
func rankParts(out []Match, whole []float64, limit int) []Match {
	type ranked struct {
		m     Match
		whole float64 // score on the whole query; -1 for a part's match alone
	}
	rs := make([]ranked, len(out))
	for i := range out {
		rs[i] = ranked{out[i], -1}
		if i < len(whole) {
			rs[i].whole = whole[i]
		}
	}
	slices.SortFunc(rs, func(a, b ranked) int { return byScore(a.m, b.m) })
	if len(rs) > limit {
		rs = rs[:limit]
	}
	slices.SortStableFunc(rs, func(a, b ranked) int {
		return cmp.Compare(b.whole, a.whole)
	})
	out = out[:len(rs)]
	for i := range rs {
		out[i] = rs[i].m
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
//
// Pruning is sound: a name is left unscored only when an upper bound of
// its name score (bound) is below thr less the largest evidence boost, so
// the result is the one scoring every indexed name would give
// (TestPruningIsSound checks this against exhaustive scoring).
func (ix *Index) searchGroup(ntoks []normToken, q Query, thr float64, sc *scratch, out []Match) []Match {
	sc.newGroup()
	qt, nq := ix.queryColumns(ntoks, sc)
	ncols := len(qt)
	// similarity table: one row per candidate vocab token, one column per
	// query column (token or run of tokens written together).
	for i := range qt {
		for _, c := range qt[i].cands {
			if sc.vMark[c.v] != sc.epoch {
				sc.vMark[c.v] = sc.epoch
				sc.vRow[c.v] = int32(sc.rows)
				sc.rows++
				for k := 0; k < ncols; k++ {
					sc.sims = append(sc.sims, 0)
					sc.meth = append(sc.meth, 0)
				}
				sc.rowWM = append(sc.rowWM, 0)
			}
			r := int(sc.vRow[c.v])
			sc.sims[r*ncols+i] = c.sim
			sc.meth[r*ncols+i] = c.method
			sc.rowWM[r] = max(sc.rowWM[r], ix.vocab[c.v].w*c.sim)
		}
	}
	var qW float32
	for i := range qt[:nq] {
		qW += qt[i].w
	}
	boost := maxBoost(q)
	floor := float32(thr-boost) - boundSlack
	var ests []est
	if sc.exhaustive {
		for nid := range ix.names {
			sc.ests = append(sc.ests, est{int32(nid), 1})
		}
		ests = sc.ests
	} else {
		ests = ix.prune(qt, nq, qW, floor, sc)
	}
	// full scoring, best name per entity.
	for _, es := range ests {
		s, _ := ix.scoreName(qt, nq, qW, es.n, sc, false)
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
		if name+boost < thr {
			continue
		}
		total, ev := evidence(name, q, e, thr)
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
		_, toks := ix.scoreName(qt, nq, qW, sc.gName[ei], sc, true)
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

// homoglyphAlts reads a Latin token that begins with a lower-case l before
// a consonant no name begins with after l ("lraq", "lslamic") also as
// beginning with i: the capital I and the lower-case l are one glyph in
// most sans-serif fonts, and names copied from them or read by OCR swap
// them ("Al-Qaida In lraq", "Islamic State of lraq" on the lists'
// neighbours). The other reading meets the list tokens at most at the
// transliteration similarity (altCands), below the token as written. An l
// before h, j, v or w begins names (Lhamo, Ljubica, Lviv, Lwin) and is
// left alone.
func homoglyphAlts(toks []normToken) {
	for i := range toks {
		t := &toks[i]
		if t.sys != sysLatin || t.alt != "" || t.upper || len(t.s) < 3 || t.s[0] != 'l' {
			continue
		}
		switch t.s[1] {
		case 'b', 'c', 'd', 'f', 'g', 'k', 'm', 'n', 'p', 'q', 'r', 's', 't', 'x', 'z':
			t.alt = "i" + t.s[1:]
		}
	}
}
