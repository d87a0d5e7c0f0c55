package screening

import (
	"cmp"
	"math"
	"slices"
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
const AlgorithmVersion = "kyc-screen/1.2"

// DefaultLimit is the number of matches returned when Query.Limit is 0.
const DefaultLimit = 10

const (
	minTokenSim    = 0.70 // token pairs below this similarity do not match
	fuzzySteepness = 1.5  // Jaro-Winkler distance is multiplied by this
	phoneticMinJW  = 0.75 // phonetic key equality counts only above this Jaro-Winkler
	phoneticSim    = 0.90 // similarity given to phonetically equal tokens
	skeletonSim    = 0.90 // similarity given to abjad tokens with the same two-consonant skeleton
	skeletonSim3   = 0.95 // … with the same skeleton of three or more consonants
	skeletonSim1   = 0.85 // … short tokens with one consonant (علي/ali, ولي/wali)
	translitSim    = 0.95 // similarity given to tokens with the same transliteration key
	lengthPenalty  = 0.04 // fuzzy similarity lost per letter of length difference beyond one
	queryCoverage  = 0.6  // weight of the query side in the name score
	maxCandidates  = 256  // names fully scored per query
	weakPenalty    = 0.9  // multiplier for weak aliases that are not exact
)

// Query is one name to screen, with optional evidence.
type Query struct {
	// Name is the name to screen, in any order and script.
	Name string `json:"name"`
	// Type, when set, lowers the score of entities of another type.
	Type EntityType `json:"type,omitempty"`
	// BirthDate (YYYY, YYYY-MM or YYYY-MM-DD), when set, raises the score of
	// entities with a matching birth date and lowers it for a conflicting one.
	BirthDate string `json:"birth_date,omitempty"`
	// Country (ISO alpha-2), when set, raises or lowers the score.
	Country string `json:"country,omitempty"`
	// Threshold is the minimum score; 0 means DefaultThreshold.
	Threshold float64 `json:"threshold,omitempty"`
	// Limit is the maximum number of matches; 0 means DefaultLimit.
	Limit int `json:"limit,omitempty"`
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
	// Method is exact, fuzzy, phonetic, transliteration, skeleton, joined or none.
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
	sk       string  // consonant skeleton (abjad matching)
	tk       string  // transliteration key
	digit    bool
}

// nameRec is one indexed name (primary name or alias) of an entity.
type nameRec struct {
	entity int32
	toks   []int32
	totalW float32
	alias  int32 // -1 for the primary name, else index into Entity.Aliases
	weak   bool
	// surname marks the tokens written in capitals in a mixed-case name
	// ("Maria Elena GAXIOLA GARCIA"): the list's surname.
	surname uint32
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
	tkeys    map[string][]int32 // transliteration key -> vocab ids
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
		tkeys:    make(map[string][]int32),
	}
	copy(ix.entities, entities)
	df := []int32{}
	var tokBuf []int32
	addName := func(ei int, alias int32, toks []normToken, weak bool) {
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
		var surname uint32
		mixed := false
		for _, t := range toks {
			mixed = mixed || t.lower
		}
		for k, t := range toks {
			if mixed && t.upper && len(t.s) > 1 && k < 32 {
				surname |= 1 << k
			}
		}
		ix.names = append(ix.names, nameRec{entity: int32(ei), toks: append([]int32(nil), tokBuf...), alias: alias, weak: weak, surname: surname})
	}
	seen := map[string]bool{}
	for i := range ix.entities {
		e := &ix.entities[i]
		ix.hashes[i] = e.ContentHash()
		clear(seen)
		toks := tokenize(e.Name)
		seen[joinToks(toks)] = true
		addName(i, -1, toks, false)
		for a, al := range e.Aliases {
			toks := tokenize(al.Name)
			n := joinToks(toks)
			if seen[n] {
				continue
			}
			seen[n] = true
			addName(i, int32(a), toks, al.Weak)
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
		v.digit = hasDigit(v.s)
		vid := int32(id)
		if len(v.s) >= 4 && !v.digit {
			forDeletes(v.s, func(k string) { ix.dels[k] = appendUnique(ix.dels[k], vid) })
		}
		ix.dels[v.s] = appendUnique(ix.dels[v.s], vid)
		if !v.digit && len(v.s) >= 2 {
			v.sk = skeleton(v.s)
			if len(v.sk) == 1 && len(v.s) <= 4 {
				ix.skel[v.sk] = appendUnique(ix.skel[v.sk], vid) // ali, wali, aly
			}
			if len(v.sk) >= 2 {
				ix.skel[v.sk] = appendUnique(ix.skel[v.sk], vid)
				if len(v.sk) >= 3 && v.sk[0] == 'l' {
					ix.skel[v.sk[1:]] = appendUnique(ix.skel[v.sk[1:]], vid)
				}
			}
		}
		if len(v.s) >= 3 && !v.digit {
			v.dm1, v.dm2 = matchr.DoubleMetaphone(v.s)
			if len(v.dm1) >= 2 {
				ix.phon[v.dm1] = appendUnique(ix.phon[v.dm1], vid)
			}
			if v.dm2 != v.dm1 && len(v.dm2) >= 2 {
				ix.phon[v.dm2] = appendUnique(ix.phon[v.dm2], vid)
			}
			v.tk = translitKey(v.s)
			if v.tk != v.s {
				ix.tkeys[v.tk] = appendUnique(ix.tkeys[v.tk], vid)
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

func joinToks(toks []normToken) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.s)
	}
	return b.String()
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

// qTok is a query token with its candidate vocabulary tokens.
type qTok struct {
	normToken
	w        float32
	dm1, dm2 string
	sk, tk   string
	digit    bool
	cands    []cand
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
)

var methodNames = [...]string{"none", "exact", "fuzzy", "phonetic", "skeleton", "joined", "transliteration"}

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

// tokenSim compares a query token with a vocabulary token.
func tokenSim(q *qTok, v *vocabTok) (float32, uint8) {
	if q.s == v.s {
		return 1, methodExact
	}
	lq, lv := len(q.s), len(v.s)
	ml := min(lq, lv)
	if q.script == scriptAbjad && !v.digit && skelMatch(q.sk, v.sk) {
		if len(q.sk) == 1 {
			if lq > 4 || lv > 4 {
				return 0, methodNone
			}
			return skeletonSim1, methodSkeleton
		}
		return skelSim(q.sk), methodSkeleton
	}
	if ml <= 2 || q.digit || v.digit {
		return 0, methodNone
	}
	jw := jaroWinkler(q.s, v.s)
	s := 1 - fuzzySteepness*(1-jw)
	m := methodFuzzy
	if ml >= 4 && abs(lq-lv) <= 2 && jw >= phoneticMinJW && q.dm1 != "" && (q.dm1 == v.dm1 || q.dm1 == v.dm2 || q.dm2 == v.dm1) && s < phoneticSim {
		s, m = phoneticSim, methodPhonetic
	}
	if ml == 3 {
		s -= 0.1
	} else if ml == 4 && m == methodFuzzy {
		s -= 0.04
	}
	if d := abs(lq - lv); d > 1 && m == methodFuzzy {
		s -= lengthPenalty * float32(d-1) // alexei/alexander: a shared prefix is not a spelling
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

// scoreName aligns query tokens with the tokens of one indexed name. With
// explain it also returns the token alignment.
func (ix *Index) scoreName(qt []qTok, qW float32, nid int32, sc *scratch, explain bool) (float32, []TokenMatch) {
	nr := &ix.names[nid]
	nq := len(qt)
	nn := min(len(nr.toks), 32)
	type pair struct {
		i, j int8
		s    float32
	}
	var pbuf [64]pair
	pairs := pbuf[:0]
	for j, v := range nr.toks[:nn] {
		if sc.vMark[v] != sc.epoch {
			continue
		}
		row := int(sc.vRow[v]) * nq
		for i := 0; i < nq; i++ {
			if s := sc.sims[row+i]; s > 0 {
				pairs = append(pairs, pair{int8(i), int8(j), s})
			}
		}
	}
	if len(pairs) > 1 {
		slices.SortFunc(pairs, func(a, b pair) int {
			if a.s != b.s {
				return cmp.Compare(b.s, a.s)
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
	for _, p := range pairs {
		if qm[p.i] >= 0 || nm[p.j] >= 0 {
			continue
		}
		qm[p.i], nm[p.j] = p.j, p.i
		qs[p.i], ns[p.j] = p.s, p.s
	}
	// joined tokens: "abdulrahman" against "abdul rahman" and the reverse.
	var jbuf [64]byte
	for i := 0; i < nq; i++ {
		if qm[i] >= 0 || len(qt[i].s) < 5 {
			continue
		}
		for j := 0; j+1 < nn; j++ {
			if nm[j] >= 0 || nm[j+1] >= 0 {
				continue
			}
			b := append(append(jbuf[:0], ix.vocab[nr.toks[j]].s...), ix.vocab[nr.toks[j+1]].s...)
			if s := jaroWinkler(qt[i].s, b); s >= 0.9 {
				qm[i], qn[i], nm[j], nm[j+1] = int8(j), 2, int8(i), int8(i)
				qs[i], ns[j], ns[j+1] = s, s, s
				break
			}
		}
	}
	for j := 0; j < nn; j++ {
		if nm[j] >= 0 || len(ix.vocab[nr.toks[j]].s) < 5 {
			continue
		}
		for i := 0; i+1 < nq; i++ {
			if qm[i] >= 0 || qm[i+1] >= 0 {
				continue
			}
			b := append(append(jbuf[:0], qt[i].s...), qt[i+1].s...)
			if s := jaroWinkler(ix.vocab[nr.toks[j]].s, b); s >= 0.9 {
				qm[i], qm[i+1], nm[j] = int8(j), int8(j), int8(i)
				qs[i], qs[i+1], ns[j] = s, s, s
				break
			}
		}
	}
	// abjad spellings split differently: عبد الرحمن / abdul rahman /
	// abd al rahman / abdulrahman, compared on consonant skeletons.
	if qt[0].script == scriptAbjad || (nq > 1 && qt[nq-1].script == scriptAbjad) {
		ix.joinSkeletons(qt, nr, nn, &qm, &qn, &nm, &qs, &ns)
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
	nCov += subsetBonus(qt, nr, nn, &qm, &nm, &qs, qCov, nCov)
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
					if skelMatch(qsk, skeleton(string(nj))) {
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

// subsetMinCov is the query coverage a shortened name needs.
const subsetMinCov = 0.97

// subsetShare is the share of the missing name coverage that subsetBonus
// restores.
const subsetShare = 0.5

// subsetBonus raises the name coverage of a query whose tokens are all
// found in the name, close to exactly, with the name's first and last
// tokens among them (in display or list order): "Andrey Zakharov" for
// "Andrey Georgiyevich ZAKHAROV". Only middle names are then missing, which
// is how people shorten names, unlike a random partial overlap. When the
// list writes the surname in capitals, a dropped surname token voids the
// bonus.
func subsetBonus(qt []qTok, nr *nameRec, nn int, qm *[16]int8, nm *[32]int8, qs *[16]float32, qCov, nCov float32) float32 {
	nq := len(qt)
	if nq < 2 || nn <= nq || qCov < subsetMinCov || nCov >= 1 {
		return 0
	}
	for i := 0; i < nq; i++ {
		if qm[i] < 0 || qs[i] < subsetMinSim || len(qt[i].s) < 4 {
			return 0
		}
	}
	first, last := int(qm[0]), int(qm[nq-1])
	if !((first == 0 && last == nn-1) || (first == nn-1 && last == 0)) {
		return 0
	}
	for j := 0; j < nn; j++ {
		if nm[j] < 0 && nr.surname&(1<<j) != 0 {
			return 0 // a surname dropped (GAXIOLA of GAXIOLA GARCIA) is not a shortened name
		}
	}
	return (1 - nCov) * subsetShare
}

// subsetMinSim is the token similarity a shortened name needs: the
// tokens kept must be spelled as listed, and be at least four letters
// long (Ali, Ana, Kim, Lee are too common to vouch for the rest).
const subsetMinSim = 0.99

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
	t.dm1, t.dm2, t.tk, t.sk = "", "", "", ""
	if len(t.s) >= 3 && !t.digit {
		t.dm1, t.dm2 = matchr.DoubleMetaphone(t.s)
		t.tk = translitKey(t.s)
	}
	if t.script == scriptAbjad && !t.digit {
		t.sk = skeleton(t.s)
	}
	try := func(ids []int32) {
		for _, v := range ids {
			if sc.cMark[v] == sc.cEpoch {
				// seen for this query token: keep the better similarity of the two forms
				if k := sc.cIdx[v]; k >= 0 && t.cands[k].sim < 1 {
					if s, m := tokenSim(t, &ix.vocab[v]); s > t.cands[k].sim {
						t.cands[k].sim, t.cands[k].method = s, m
					}
				} else if k < 0 {
					if s, m := tokenSim(t, &ix.vocab[v]); s > 0 {
						sc.cIdx[v] = int32(len(t.cands))
						t.cands = append(t.cands, cand{v: v, sim: s, method: m})
					}
				}
				continue
			}
			sc.cMark[v] = sc.cEpoch
			sc.cIdx[v] = -1
			s, m := tokenSim(t, &ix.vocab[v])
			if s > 0 {
				sc.cIdx[v] = int32(len(t.cands))
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
	if len(t.sk) >= 2 || (len(t.sk) == 1 && len(t.s) <= 4) {
		try(ix.skel[t.sk])
		if len(t.sk) >= 3 && t.sk[0] == 'l' {
			try(ix.skel[t.sk[1:]])
		}
	}
}
