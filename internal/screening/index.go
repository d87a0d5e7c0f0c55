package screening

import (
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/antzucaro/matchr"
)

// DefaultThreshold is the product's recommended minimum score for a match.
// It was chosen with the evaluation in the eval package: at this setting at
// most 1% of common person and company names hit a list entry while the
// variant categories meet their recall targets.
const DefaultThreshold = 0.88

// AlgorithmVersion identifies the matching algorithm and its parameters; it
// is stored with every screening so a result can be reproduced.
const AlgorithmVersion = "kyc-screen/1.1"

// DefaultLimit is the number of matches returned when Query.Limit is 0.
const DefaultLimit = 10

const (
	minTokenSim    = 0.70 // token pairs below this similarity do not match
	fuzzySteepness = 1.5  // Jaro-Winkler distance is multiplied by this
	phoneticMinJW  = 0.75 // phonetic key equality counts only above this Jaro-Winkler
	phoneticSim    = 0.90 // similarity given to phonetically equal tokens
	skeletonSim    = 0.90 // similarity given to abjad tokens with the same consonant skeleton
	queryCoverage  = 0.6  // weight of the query side in the name score
	maxCandidates  = 256  // names fully scored per query
	weakPenalty    = 0.9  // multiplier for weak aliases that are not exact
)

// Query is one name to screen, with optional evidence.
type Query struct {
	// Name is the name to screen, in any order and script.
	Name string
	// Type, when set, lowers the score of entities of another type.
	Type EntityType
	// BirthDate (YYYY, YYYY-MM or YYYY-MM-DD), when set, raises the score of
	// entities with a matching birth date and lowers it for a conflicting one.
	BirthDate string
	// Country (ISO alpha-2), when set, raises or lowers the score.
	Country string
	// Threshold is the minimum score; 0 means DefaultThreshold.
	Threshold float64
	// Limit is the maximum number of matches; 0 means DefaultLimit.
	Limit int
}

// Match is one list entity that matched a query.
type Match struct {
	// EntityID is the Entity.ID.
	EntityID string `json:"entity_id"`
	// List is the entity's source list.
	List string `json:"list"`
	// SourceID is the list's own identifier.
	SourceID string `json:"source_id"`
	// Name is the entity's primary name.
	Name string `json:"name"`
	// MatchedName is the name or alias that matched best.
	MatchedName string `json:"matched_name"`
	// Score is in [0, 1].
	Score float64 `json:"score"`
	// Explanation says how the score was reached.
	Explanation Explanation `json:"explanation"`
	// Topics are the entity's topics.
	Topics []string `json:"topics,omitempty"`
	// EntityHash is the entity's ContentHash at screening time.
	EntityHash string `json:"entity_hash"`
}

// Explanation says how a match score was reached.
type Explanation struct {
	// Summary is a one-line human-readable summary.
	Summary string `json:"summary"`
	// NameScore is the score of the name comparison alone.
	NameScore float64 `json:"name_score"`
	// Tokens pairs each query token with the list token it matched.
	Tokens []TokenMatch `json:"tokens"`
	// Evidence lists the adjustments made by birth date, country and type.
	Evidence []Evidence `json:"evidence,omitempty"`
}

// TokenMatch is one query token and the list token it matched.
type TokenMatch struct {
	// Query is the normalised query token ("" for an unmatched list token).
	Query string `json:"query"`
	// Matched is the normalised list token ("" when unmatched).
	Matched string `json:"matched"`
	// Similarity is in [0, 1].
	Similarity float64 `json:"similarity"`
	// Weight is the token's information weight (rare tokens weigh more).
	Weight float64 `json:"weight"`
	// Method is exact, fuzzy, phonetic, skeleton, joined or none.
	Method string `json:"method"`
}

// Evidence is one score adjustment from data other than the name.
type Evidence struct {
	// Kind is birth_date, country or type.
	Kind string `json:"kind"`
	// Adjustment is added to the name score (negative lowers it).
	Adjustment float64 `json:"adjustment"`
	// Detail says what was compared.
	Detail string `json:"detail"`
}

// vocabTok is one distinct normalised token of the indexed names.
type vocabTok struct {
	s        string
	w        float32 // information weight
	dm1, dm2 string  // Double Metaphone keys
}

// nameRec is one indexed name (primary name or alias) of an entity.
type nameRec struct {
	entity int32
	toks   []int32
	totalW float32
	alias  int32 // -1 for the primary name, else index into Entity.Aliases
	weak   bool
}

// Index is an immutable, concurrency-safe index of list entities.
type Index struct {
	entities []Entity
	hashes   []string
	names    []nameRec
	vocab    []vocabTok
	vocabID  map[string]int32
	postings [][]int32          // vocab id -> name ids
	dels     map[string][]int32 // token and its one-deletions -> vocab ids
	phon     map[string][]int32 // Double Metaphone key -> vocab ids
	skel     map[string][]int32 // consonant skeleton -> vocab ids
	unknownW float32
	pool     sync.Pool
}

// Len returns the number of entities in the index.
func (ix *Index) Len() int { return len(ix.entities) }

// Entity returns the indexed entity with the given ID.
func (ix *Index) Entity(id string) (Entity, bool) {
	for i := range ix.entities {
		if ix.entities[i].ID == id {
			return ix.entities[i], true
		}
	}
	return Entity{}, false
}

// NewIndex builds an index over entities. The slice is copied; the index is
// immutable and safe for concurrent use.
func NewIndex(entities []Entity) *Index {
	ix := &Index{
		entities: make([]Entity, len(entities)),
		hashes:   make([]string, len(entities)),
		vocabID:  make(map[string]int32),
		dels:     make(map[string][]int32),
		phon:     make(map[string][]int32),
		skel:     make(map[string][]int32),
	}
	copy(ix.entities, entities)
	df := []int32{}
	var tokBuf []int32
	addName := func(ei int, alias int32, name string, weak bool) {
		toks := tokenize(name)
		if len(toks) == 0 {
			return
		}
		tokBuf = tokBuf[:0]
		for _, t := range toks {
			id, ok := ix.vocabID[t.s]
			if !ok {
				id = int32(len(ix.vocab))
				ix.vocabID[t.s] = id
				ix.vocab = append(ix.vocab, vocabTok{s: t.s})
				ix.postings = append(ix.postings, nil)
				df = append(df, 0)
			}
			tokBuf = append(tokBuf, id)
		}
		nid := int32(len(ix.names))
		for k, id := range tokBuf {
			dup := false
			for _, prev := range tokBuf[:k] {
				if prev == id {
					dup = true
					break
				}
			}
			if !dup {
				ix.postings[id] = append(ix.postings[id], nid)
				df[id]++
			}
		}
		ix.names = append(ix.names, nameRec{entity: int32(ei), toks: append([]int32(nil), tokBuf...), alias: alias, weak: weak})
	}
	for i := range ix.entities {
		e := &ix.entities[i]
		ix.hashes[i] = e.ContentHash()
		seen := map[string]bool{}
		norm := Normalize(e.Name)
		seen[norm] = true
		addName(i, -1, e.Name, false)
		for a, al := range e.Aliases {
			n := Normalize(al.Name)
			if seen[n] {
				continue
			}
			seen[n] = true
			addName(i, int32(a), al.Name, al.Weak)
		}
	}
	// weights: inverse document frequency over names, damped by stop words.
	n := float64(len(ix.names) + 1)
	ix.unknownW = float32(math.Log(1 + n))
	for id := range ix.vocab {
		v := &ix.vocab[id]
		v.w = float32(math.Log(1 + n/float64(df[id])))
		if f, ok := stopWeight[v.s]; ok {
			v.w *= f
		}
		if len(v.s) == 1 {
			v.w *= 0.3
		}
		vid := int32(id)
		if len(v.s) >= 4 && !hasDigit(v.s) {
			forDeletes(v.s, func(k string) { ix.dels[k] = appendUnique(ix.dels[k], vid) })
		}
		ix.dels[v.s] = appendUnique(ix.dels[v.s], vid)
		if len(v.s) >= 3 && !hasDigit(v.s) {
			v.dm1, v.dm2 = matchr.DoubleMetaphone(v.s)
			if len(v.dm1) >= 2 {
				ix.phon[v.dm1] = appendUnique(ix.phon[v.dm1], vid)
			}
			if v.dm2 != v.dm1 && len(v.dm2) >= 2 {
				ix.phon[v.dm2] = appendUnique(ix.phon[v.dm2], vid)
			}
			if sk := skeleton(v.s); len(sk) >= 2 {
				ix.skel[sk] = appendUnique(ix.skel[sk], vid)
			}
		}
	}
	for i := range ix.names {
		nr := &ix.names[i]
		for _, t := range nr.toks {
			nr.totalW += ix.vocab[t].w
		}
	}
	return ix
}

func appendUnique(s []int32, v int32) []int32 {
	if len(s) > 0 && s[len(s)-1] == v {
		return s
	}
	return append(s, v)
}

// forDeletes calls f with every string made by deleting one byte of s.
func forDeletes(s string, f func(string)) {
	var buf [64]byte
	if len(s) > len(buf) {
		return
	}
	for i := 0; i < len(s); i++ {
		if i > 0 && s[i] == s[i-1] {
			continue // same result as the previous deletion
		}
		b := append(append(buf[:0], s[:i]...), s[i+1:]...)
		f(string(b))
	}
}

// scratch is per-query working memory, pooled.
type scratch struct {
	epoch   uint32
	seen    []uint32  // per name: epoch when touched
	tokSeen []int16   // per name: last query token that touched it
	acc     []float32 // per name: accumulated weight
	touched []int32
	vMark   []uint32 // per vocab: epoch when it got a row
	vRow    []int32  // per vocab: row in sims
	sims    []float32
	rows    int
}

func (ix *Index) getScratch() *scratch {
	if s, ok := ix.pool.Get().(*scratch); ok {
		s.epoch++
		if s.epoch == 0 {
			clear(s.seen)
			clear(s.vMark)
			s.epoch = 1
		}
		s.touched = s.touched[:0]
		s.sims = s.sims[:0]
		s.rows = 0
		return s
	}
	return &scratch{
		epoch:   1,
		seen:    make([]uint32, len(ix.names)),
		tokSeen: make([]int16, len(ix.names)),
		acc:     make([]float32, len(ix.names)),
		vMark:   make([]uint32, len(ix.vocab)),
		vRow:    make([]int32, len(ix.vocab)),
	}
}

// qTok is a query token with its candidate vocabulary tokens.
type qTok struct {
	normToken
	w     float32
	cands []cand
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
)

var methodNames = [...]string{"none", "exact", "fuzzy", "phonetic", "skeleton", "joined"}

// tokenSim compares a query token with a vocabulary token.
func tokenSim(q *qTok, qdm1, qdm2 string, v *vocabTok) (float32, uint8) {
	if q.s == v.s {
		return 1, methodExact
	}
	lq, lv := len(q.s), len(v.s)
	ml := min(lq, lv)
	if q.script == scriptAbjad && lv >= 3 && !hasDigit(v.s) {
		qs, vs := skeleton(q.s), skeleton(v.s)
		if len(qs) >= 2 && (qs == vs || (len(qs) > 3 && qs[0] == 'l' && qs[1:] == vs)) {
			return skeletonSim, methodSkeleton
		}
	}
	if ml <= 2 || hasDigit(q.s) || hasDigit(v.s) {
		return 0, methodNone
	}
	jw := jaroWinkler(q.s, v.s)
	s := 1 - fuzzySteepness*(1-jw)
	m := methodFuzzy
	if ml >= 4 && jw >= phoneticMinJW && qdm1 != "" && (qdm1 == v.dm1 || qdm1 == v.dm2 || qdm2 == v.dm1) && s < phoneticSim {
		s, m = phoneticSim, methodPhonetic
	}
	if ml == 3 {
		s -= 0.1
	} else if ml == 4 && m == methodFuzzy {
		s -= 0.04
	}
	if s < minTokenSim {
		return 0, methodNone
	}
	return s, m
}

// Search returns the entities whose names match the query, best first,
// only those scoring at least the threshold, at most Limit of them.
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
	qt := make([]qTok, len(ntoks))
	var keyBuf [64]byte
	for i := range ntoks {
		t := &qt[i]
		t.normToken = ntoks[i]
		forms := []string{t.s}
		if alt := romanAlt(t.s); alt != t.s {
			forms = append(forms, alt)
		}
		orig := t.s
		for _, form := range forms {
			t.s = form
			ix.gatherCands(t, keyBuf[:])
		}
		t.s = orig
		sort.Slice(t.cands, func(a, b int) bool { return t.cands[a].sim > t.cands[b].sim })
		if len(t.cands) > 0 {
			t.w = ix.vocab[t.cands[0].v].w
		} else {
			t.w = ix.unknownW
			if f, ok := stopWeight[t.s]; ok {
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
	// accumulate weight per name.
	var qW float32
	for i := range qt {
		qW += qt[i].w
	}
	for i := range qt {
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
		return nil
	}
	// pick the most promising names by an optimistic estimate.
	type est struct {
		n int32
		e float32
	}
	maxBonus := float32(0.1)
	floor := float32(thr) - maxBonus - 0.1
	ests := make([]est, 0, 64)
	for _, nid := range sc.touched {
		a := sc.acc[nid]
		nr := &ix.names[nid]
		e := queryCoverage*a/qW + (1-queryCoverage)*min(1, a/nr.totalW)
		if e >= floor {
			ests = append(ests, est{nid, e})
		}
	}
	if len(ests) > maxCandidates {
		sort.Slice(ests, func(a, b int) bool { return ests[a].e > ests[b].e })
		ests = ests[:maxCandidates]
	}
	// full scoring, best name per entity.
	best := map[int32]scored{}
	for _, es := range ests {
		s := ix.scoreName(qt, qW, es.n, sc)
		nr := &ix.names[es.n]
		if cur, ok := best[nr.entity]; !ok || s.name > cur.name {
			best[nr.entity] = s
		}
	}
	out := make([]Match, 0, len(best))
	for ei, s := range best {
		e := &ix.entities[ei]
		total, ev := evidence(s.name, q, e)
		if total < thr {
			continue
		}
		out = append(out, ix.makeMatch(int(ei), s, total, ev))
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].Score != out[b].Score {
			return out[a].Score > out[b].Score
		}
		return out[a].EntityID < out[b].EntityID
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// scored is the full name comparison of a query with one indexed name.
type scored struct {
	nameID int32
	name   float64
	tokens []TokenMatch
}

// scoreName aligns query tokens with the tokens of one indexed name.
func (ix *Index) scoreName(qt []qTok, qW float32, nid int32, sc *scratch) scored {
	nr := &ix.names[nid]
	nq, nn := len(qt), len(nr.toks)
	type pair struct {
		i, j int
		s    float32
	}
	var pbuf [64]pair
	pairs := pbuf[:0]
	for j, v := range nr.toks {
		if sc.vMark[v] != sc.epoch {
			continue
		}
		row := int(sc.vRow[v]) * nq
		for i := 0; i < nq; i++ {
			if s := sc.sims[row+i]; s > 0 {
				pairs = append(pairs, pair{i, j, s})
			}
		}
	}
	sort.Slice(pairs, func(a, b int) bool {
		if pairs[a].s != pairs[b].s {
			return pairs[a].s > pairs[b].s
		}
		return abs(pairs[a].i-pairs[a].j) < abs(pairs[b].i-pairs[b].j)
	})
	var qmBuf, nmBuf [32]int8
	qm, nm := qmBuf[:0], nmBuf[:0]
	for i := 0; i < nq; i++ {
		qm = append(qm, -1)
	}
	for j := 0; j < nn && j < 32; j++ {
		nm = append(nm, -1)
	}
	qs := make([]float32, nq)
	ns := make([]float32, min(nn, 32))
	for _, p := range pairs {
		if p.j >= 32 || qm[p.i] >= 0 || nm[p.j] >= 0 {
			continue
		}
		qm[p.i], nm[p.j] = int8(p.j), int8(p.i)
		qs[p.i], ns[p.j] = p.s, p.s
	}
	// joined tokens: "abdulrahman" against "abdul rahman" and the reverse.
	joined := map[int]int{} // query token -> first of two name tokens, or -(name token)-1 for two query tokens
	for i := 0; i < nq; i++ {
		if qm[i] >= 0 || len(qt[i].s) < 5 {
			continue
		}
		for j := 0; j+1 < len(ns); j++ {
			if nm[j] >= 0 || nm[j+1] >= 0 {
				continue
			}
			if s := jaroWinkler(qt[i].s, ix.vocab[nr.toks[j]].s+ix.vocab[nr.toks[j+1]].s); s >= 0.9 {
				qm[i], nm[j], nm[j+1] = int8(j), int8(i), int8(i)
				qs[i], ns[j], ns[j+1] = s, s, s
				joined[i] = j
				break
			}
		}
	}
	for j := 0; j < len(ns); j++ {
		if nm[j] >= 0 || len(ix.vocab[nr.toks[j]].s) < 5 {
			continue
		}
		for i := 0; i+1 < nq; i++ {
			if qm[i] >= 0 || qm[i+1] >= 0 {
				continue
			}
			if s := jaroWinkler(qt[i].s+qt[i+1].s, ix.vocab[nr.toks[j]].s); s >= 0.9 {
				qm[i], qm[i+1], nm[j] = int8(j), int8(j), int8(i)
				qs[i], qs[i+1], ns[j] = s, s, s
				joined[-(j)-1] = i
				break
			}
		}
	}
	var qSum, nSum, nW float32
	for i := range qt {
		qSum += qt[i].w * qs[i]
	}
	for j := range ns {
		w := ix.vocab[nr.toks[j]].w
		nW += w
		nSum += w * ns[j]
	}
	score := queryCoverage*qSum/qW + (1-queryCoverage)*nSum/nW
	if nr.weak && score < 0.999 {
		score *= weakPenalty
	}
	if score > 1 {
		score = 1
	}
	// explanation
	toks := make([]TokenMatch, 0, nq+nn)
	for i := range qt {
		tm := TokenMatch{Query: qt[i].s, Weight: round3(float64(qt[i].w)), Method: "none"}
		if j := qm[i]; j >= 0 {
			tm.Matched = ix.vocab[nr.toks[j]].s
			tm.Similarity = round3(float64(qs[i]))
			tm.Method = methodNames[methodOf(qt[i], nr.toks[j])]
			if _, ok := joined[i]; ok {
				tm.Matched += " " + ix.vocab[nr.toks[j+1]].s
				tm.Method = "joined"
			} else if nm[j] != int8(i) {
				tm.Method = "joined"
			}
		}
		toks = append(toks, tm)
	}
	for j := range ns {
		if nm[j] < 0 {
			v := &ix.vocab[nr.toks[j]]
			toks = append(toks, TokenMatch{Matched: v.s, Weight: round3(float64(v.w)), Method: "none"})
		}
	}
	return scored{nameID: nid, name: float64(score), tokens: toks}
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

func (ix *Index) makeMatch(ei int, s scored, total float64, ev []Evidence) Match {
	e := &ix.entities[ei]
	nr := &ix.names[s.nameID]
	matched := e.Name
	if nr.alias >= 0 {
		matched = e.Aliases[nr.alias].Name
	}
	var parts []string
	for _, t := range s.tokens {
		if t.Query != "" && t.Matched != "" {
			if t.Method == "exact" {
				parts = append(parts, t.Query)
			} else {
				parts = append(parts, t.Query+"~"+t.Matched+" ("+t.Method+")")
			}
		}
	}
	summary := "name " + formatScore(s.name) + " on \"" + matched + "\": " + strings.Join(parts, ", ")
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
		Explanation: Explanation{Summary: summary, NameScore: round3(s.name), Tokens: s.tokens, Evidence: ev},
		Topics:      e.Topics,
		EntityHash:  ix.hashes[ei],
	}
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
func (ix *Index) gatherCands(t *qTok, keyBuf []byte) {
	var dm1, dm2 string
	if len(t.s) >= 3 && !hasDigit(t.s) {
		dm1, dm2 = matchr.DoubleMetaphone(t.s)
	}
	try := func(ids []int32) {
		for _, v := range ids {
			dupe := false
			for _, c := range t.cands {
				if c.v == v {
					dupe = true
					break
				}
			}
			if dupe {
				continue
			}
			s, m := tokenSim(t, dm1, dm2, &ix.vocab[v])
			if s > 0 {
				t.cands = append(t.cands, cand{v: v, sim: s, method: m})
			}
		}
	}
	try(ix.dels[t.s])
	if len(t.s) >= 4 && len(t.s) <= len(keyBuf) {
		for p := 0; p < len(t.s); p++ {
			if p > 0 && t.s[p] == t.s[p-1] {
				continue
			}
			b := append(append(keyBuf[:0], t.s[:p]...), t.s[p+1:]...)
			try(ix.dels[string(b)])
		}
	}
	if len(dm1) >= 2 {
		try(ix.phon[dm1])
		if dm2 != dm1 {
			try(ix.phon[dm2])
		}
	}
	if t.script == scriptAbjad && len(t.s) >= 2 {
		sk := skeleton(t.s)
		try(ix.skel[sk])
		if len(sk) > 3 && sk[0] == 'l' {
			try(ix.skel[sk[1:]])
		}
	}
}
