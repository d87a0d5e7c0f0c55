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

// touch starts the accumulators of a name for this group.
func (s *scratch) touch(nid int32) {
	if s.seen[nid] != s.epoch {
		s.seen[nid] = s.epoch
		s.acc[nid], s.accN[nid], s.joinA[nid], s.joinN[nid] = 0, 0, 0, 0
		s.tokSeen[nid] = -1
		s.touched = append(s.touched, nid)
	}
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
					sc.touch(nid)
					sc.joinA[nid] += t.w
					sc.joinN[nid] += wn
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
				sc.touch(r.name)
				sc.joinA[r.name] += t.w * skeletonSim3
				sc.joinN[r.name] += wn * skeletonSim3
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
	for k, oc := range order[:ncols] {
		var remaining float32
		for _, o := range order[k:ncols] {
			remaining += contrib[o]
		}
		if remaining*(1+boundSlack) < need {
			cut, rest = true, remaining*(1+boundSlack)
			break
		}
		c := int(oc)
		t := &qt[c]
		for _, cd := range t.cands {
			ca := t.w * cd.sim
			cn := ix.vocab[cd.v].w * cd.sim
			for _, nid := range ix.postings[cd.v] {
				sc.touch(nid)
				if sc.tokSeen[nid] != int16(c) {
					sc.tokSeen[nid] = int16(c)
					sc.acc[nid] += ca // candidates come best first
				}
				sc.accN[nid] += cn
			}
		}
	}
	for _, nid := range sc.touched {
		nr := &ix.names[nid]
		a, an := sc.acc[nid], sc.accN[nid]
		if cut {
			// cheaply first: what the walked columns gave plus all the
			// unwalked ones could give, with full name coverage
			if upperScore((a+rest+sc.joinA[nid])/qW, 1) < floor {
				continue
			}
			a, an = ix.boundCands(nid, qt, sc)
		}
		a += sc.joinA[nid]
		an += sc.joinN[nid]
		nc := float32(1)
		if !nr.loose {
			nc = an / nr.totalW
		}
		if e := upperScore(a/qW, nc); e >= floor {
			sc.ests = append(sc.ests, est{nid, e})
		}
	}
	return sc.ests
}

// boundCands bounds the query-side and name-side weight a name can get
// from token candidates, from the similarity table.
func (ix *Index) boundCands(nid int32, qt []qTok, sc *scratch) (a, an float32) {
	nr := &ix.names[nid]
	ncols := len(qt)
	var best [maxCols]float32
	for _, v := range nr.toks[:min(len(nr.toks), maxNameToks)] {
		if sc.vMark[v] != sc.epoch {
			continue
		}
		row := sc.sims[int(sc.vRow[v])*ncols : int(sc.vRow[v])*ncols+ncols]
		var m float32
		for c, s := range row {
			best[c] = max(best[c], s)
			m = max(m, s)
		}
		an += ix.vocab[v].w * m
	}
	for c := range qt {
		a += qt[c].w * best[c]
	}
	return a, an
}
