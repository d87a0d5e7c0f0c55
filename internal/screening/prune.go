package screening

// Candidate pruning. A name is scored only when an upper bound of its
// name score reaches the floor (thr less the largest evidence boost); the
// bound is built from the same similarity table, splits and skeleton runs
// the scorer uses, so pruning never loses a name that would score above
// the threshold.

// boundSlack absorbs float32 rounding between the bound and the score.
const boundSlack = 1e-4

// upperScore is the largest name score a name can reach with query
// coverage at most qc and name coverage at most nc: scoreName's formula
// with every bonus assumed to apply. It is nondecreasing in both.
func upperScore(qc, nc float32) float32 {
	qc, nc = min(qc, 1), min(nc, 1)
	q, n := qc, nc
	if qc >= subsetMinCov-boundSlack {
		n += (1 - nc) * partShareMax
	}
	if nc >= subsetMinCov-boundSlack && qc >= supersetMinQCov-boundSlack {
		q += (1 - qc) * partShareMax
	}
	return min(1, queryCoverage*q+(1-queryCoverage)*n)
}

// minQueryCov is the smallest query coverage with which a name could
// reach floor.
func minQueryCov(floor float32) float32 {
	lo, hi := float32(0), float32(1)
	if upperScore(0, 1) >= floor {
		return 0
	}
	for range 24 {
		mid := (lo + hi) / 2
		if upperScore(mid, 1) >= floor {
			hi = mid
		} else {
			lo = mid
		}
	}
	return lo
}

// nameAcc holds the pruning's accumulators of one name, side by side so
// that touching a name costs one cache line.
type nameAcc struct {
	seen  uint32  // epoch when touched
	tok   int16   // last query column that touched it
	acc   float32 // query-side weight of token candidates
	accN  float32 // name-side weight of token candidates
	joinA float32 // query-side weight of splits and skeleton runs
	joinN float32 // name-side weight of splits and skeleton runs
}

// touch starts the accumulators of a name for this group.
func (s *scratch) touch(nid int32) *nameAcc {
	a := &s.na[nid]
	if a.seen != s.epoch {
		*a = nameAcc{seen: s.epoch, tok: -1}
		s.touched = append(s.touched, nid)
	}
	return a
}

// prune returns the names whose bound reaches floor.
func (ix *Index) prune(qt []qTok, nq int, qW, floor float32, sc *scratch) []est {
	ncols := len(qt)
	// splits and skeleton runs: always walked (their lists are short).
	for c := range qt {
		t := &qt[c]
		for _, sp := range t.splits {
			r := sp.v[0]
			var wn float32
			for k := 0; k < int(sp.n); k++ {
				if len(ix.postings[sp.v[k]]) < len(ix.postings[r]) {
					r = sp.v[k]
				}
				wn += ix.vocab[sp.v[k]].w
			}
			for _, nid := range ix.postings[r] {
				nr := &ix.names[nid]
				if _, ok := ix.findSplit(nr, min(len(nr.toks), maxNameToks), sp); ok {
					na := sc.touch(nid)
					na.joinA += t.w
					na.joinN += wn
				}
			}
		}
		for _, refs := range t.runs {
			for _, r := range refs {
				nr := &ix.names[r.name]
				var wn float32
				for k := int(r.j); k < int(r.j+r.n); k++ {
					wn += ix.vocab[nr.toks[k]].w
				}
				na := sc.touch(r.name)
				na.joinA += t.w * skeletonSim3
				na.joinN += wn * skeletonSim3
			}
		}
	}
	// token candidates: the postings of the heaviest columns first. Once the
	// columns left cannot lift a name that none of the walked columns
	// touched to the floor, their (long) posting lists of particles, legal
	// forms and common given names are not walked: the names already
	// touched get their bounds from the similarity table instead.
	var order [maxCols]int8
	var contrib [maxCols]float32
	for c := range qt {
		if len(qt[c].cands) > 0 {
			contrib[c] = qt[c].w * qt[c].cands[0].sim
		}
		order[c] = int8(c)
		for k := c; k > 0 && contrib[order[k]] > contrib[order[k-1]]; k-- {
			order[k], order[k-1] = order[k-1], order[k]
		}
	}
	need := minQueryCov(floor) * qW
	cut := false
	var rest float32 // the most the unwalked columns can add
	var unwalked []int8
	for k, oc := range order[:ncols] {
		var remaining float32
		for _, o := range order[k:ncols] {
			remaining += contrib[o]
		}
		if remaining*(1+boundSlack) < need {
			cut, rest = true, remaining*(1+boundSlack)
			unwalked = order[k:ncols]
			break
		}
		c := int(oc)
		t := &qt[c]
		for _, cd := range t.cands {
			ca := t.w * cd.sim
			cn := ix.vocab[cd.v].w * cd.sim
			for _, nid := range ix.postings[cd.v] {
				na := sc.touch(nid)
				if na.tok != int16(c) {
					na.tok = int16(c)
					na.acc += ca // candidates come best first
				}
				na.accN += cn
			}
		}
	}
	// restN is the most name-side weight the unwalked columns can add: a
	// name token is paired with one column at most and one column with one
	// name token, so each column adds at most its heaviest candidate.
	var restN float32
	for _, c := range unwalked {
		var m float32
		for _, cd := range qt[c].cands {
			m = max(m, ix.vocab[cd.v].w*cd.sim)
		}
		restN += m
	}
	restN *= 1 + boundSlack
	for _, nid := range sc.touched {
		na := &sc.na[nid]
		a, an := na.acc, na.accN
		iw := ix.invW[nid]
		if cut {
			// cheaply first: what the walked columns gave plus all the
			// unwalked ones could give, on both sides
			nc := float32(1)
			if iw >= 0 {
				nc = (an + na.joinN + restN) * iw
			}
			if upperScore((a+rest+na.joinA)/qW, nc) < floor {
				continue
			}
			a, an = ix.boundCands(nid, a, qt, unwalked, sc)
		}
		a += na.joinA
		an += na.joinN
		nc := float32(1)
		if iw >= 0 {
			nc = an * iw
		}
		if e := upperScore(a/qW, nc); e >= floor {
			sc.ests = append(sc.ests, est{nid, e})
		}
	}
	return sc.ests
}

// boundCands bounds the query-side and name-side weight a name can get
// from token candidates, from the similarity table. The walked columns gave
// a exactly (acc: each column's best candidate among the name's tokens, the
// candidates being walked best first); the unwalked ones are read from the
// table, and the name side is each name token's best cell (rowWM).
func (ix *Index) boundCands(nid int32, a float32, qt []qTok, unwalked []int8, sc *scratch) (float32, float32) {
	nr := &ix.names[nid]
	ncols := len(qt)
	var best [maxCols]float32
	var an float32
	for _, v := range nr.toks[:min(len(nr.toks), maxNameToks)] {
		if sc.vMark[v] != sc.epoch {
			continue
		}
		r := int(sc.vRow[v])
		an += sc.rowWM[r]
		row := sc.sims[r*ncols : r*ncols+ncols]
		for _, c := range unwalked {
			best[c] = max(best[c], row[c])
		}
	}
	for _, c := range unwalked {
		a += qt[c].w * best[c]
	}
	return a, an
}
