package screening

import (
	"math"
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
const AlgorithmVersion = "kyc-screen/1.5"

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
	han      string  // the Han characters of a token written in them (s is their pinyin)
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
	// hyph marks the tokens joined to the previous one by a hyphen.
	hyph uint32
	// loose marks a name whose name-side coverage cannot be bounded from
	// its postings (a token repeated, or more than maxNameToks tokens): the
	// pruning then assumes full coverage.
	loose bool
}

// maxNameToks is the number of tokens of a name that are scored.
const maxNameToks = 32

// Index is an immutable, concurrency-safe index of list entities.
type Index struct {
	entities []Entity
	hashes   []string
	names    []nameRec
	vocab    []vocabTok
	vq       []vocabQuick // per vocab: what quickOut reads (dense, so a far token costs one cache line)
	vocabID  map[string]int32
	postings [][]int32 // vocab id -> name ids
	// generic lists the vocabulary tokens of each generic class (orgs.go).
	generic [][]int32
	// cognate maps a cognate form to the vocabulary tokens with it (orgs.go).
	cognate map[string][]int32
	// functionW is the mean weight of the function words the lists write
	// (orgs.go).
	functionW float32
	// invW is 1/totalW per name, -1 for a loose one: the pruning reads it
	// for every touched name, from a compact array rather than names.
	invW     []float32
	dels     map[string][]int32  // token and its one-deletions -> vocab ids
	phon     map[string][]int32  // Double Metaphone key -> vocab ids
	skel     map[string][]int32  // consonant skeleton -> vocab ids
	tkeys    map[string][]int32  // transliteration key -> vocab ids
	runs     map[string][]runRef // consonant skeleton of 2-3 adjacent name tokens -> where; built by the first abjad query
	runsOnce sync.Once
	kkeys    map[string][]int32 // kana key -> vocab ids; built by the first kana query (kana.go)
	kanaOnce sync.Once
	unknownW float32
	pool     sync.Pool
	// ref, for a delta index (NewDeltaIndex), is the index of the whole
	// lists whose token weights it scores with.
	ref *Index
	// refW caches refTokenWeight per query token.
	refW sync.Map // string -> refWeight
}

// refWeight is the weight the whole lists give a query token.
type refWeight struct {
	w     float32
	exact bool
}

// refTokenWeight returns the weight ref gives the query token t — that of
// its best candidate in ref, as queryColumns computes it there — and
// whether ref holds it as written. Tokens recur across a customer book,
// so the answer is cached.
func (ix *Index) refTokenWeight(t *qTok) (float32, bool) {
	key := t.s
	if t.alt != "" {
		key += "\x00" + t.alt // a Cyrillic token also read by another table
	}
	if v, ok := ix.refW.Load(key); ok {
		rw := v.(refWeight)
		return rw.w, rw.exact
	}
	ref := ix.ref
	rw := refWeight{w: ref.unknownW}
	if id, ok := ref.vocabID[t.key()]; ok {
		rw = refWeight{w: ref.vocab[id].w, exact: true}
	} else {
		sc := ref.getScratch()
		q := qTok{normToken: t.normToken, digit: t.digit, first: t.first, n: t.n}
		var keyBuf [64]byte
		sc.nextToken()
		ref.gatherCands(&q, keyBuf[:], sc)
		if alt := romanAlt(q.s); alt != q.s {
			q.s = alt
			ref.gatherCands(&q, keyBuf[:], sc)
			q.s = t.s
		}
		ref.altCands(&q, keyBuf[:], sc)
		ref.legalFormCands(&q)
		ref.pool.Put(sc)
		var best float32
		for _, c := range q.cands {
			if c.sim > best {
				best, rw.w = c.sim, ref.vocab[c.v].w
				rw.exact = c.method == methodExact
			}
		}
	}
	ix.refW.Store(key, rw)
	return rw.w, rw.exact
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
func NewIndex(entities []Entity) *Index { return newIndex(entities, nil) }

// NewDeltaIndex builds a small index of some entities — the added and
// changed entities of a new list snapshot — that scores a name as ref, the
// index of the whole lists, scores it against those entities: a token
// weighs what it weighs in ref (a name part common across the lists stays
// common even when it occurs once among a few entities, and a query token
// the delta does not hold weighs what ref gives it, not the weight of an
// unknown token). Re-screening the customer book runs every customer's
// names through such an index, the inverse of screening one customer
// against the whole lists. A nil ref makes it NewIndex.
func NewDeltaIndex(entities []Entity, ref *Index) *Index { return newIndex(entities, ref) }

func newIndex(entities []Entity, ref *Index) *Index {
	ix := &Index{
		ref:      ref,
		entities: make([]Entity, len(entities)),
		hashes:   make([]string, len(entities)),
		vocabID:  make(map[string]int32),
		dels:     make(map[string][]int32),
		phon:     make(map[string][]int32),
		skel:     make(map[string][]int32),
		tkeys:    make(map[string][]int32),
		runs:     make(map[string][]runRef),
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
			id, ok := ix.vocabID[t.key()]
			if !ok {
				id = int32(len(ix.vocab))
				ix.vocabID[t.key()] = id
				ix.vocab = append(ix.vocab, vocabTok{s: t.s, han: t.han})
				ix.postings = append(ix.postings, nil)
				df = append(df, 0)
			}
			tokBuf = append(tokBuf, id)
		}
		nid := int32(len(ix.names))
		loose := len(tokBuf) > maxNameToks
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
			} else {
				loose = true
			}
		}
		var surname, hyph uint32
		mixed := false
		for _, t := range toks {
			mixed = mixed || t.lower
		}
		for k, t := range toks {
			if mixed && t.upper && len(t.s) > 1 && k < 32 {
				surname |= 1 << k
			}
			if t.hyph && k < 32 {
				hyph |= 1 << k
			}
		}
		ix.names = append(ix.names, nameRec{entity: int32(ei), toks: append([]int32(nil), tokBuf...), alias: alias, weak: weak, surname: surname, hyph: hyph, loose: loose})
	}
	seen := map[string]bool{}
	addSegments := func(ei int, alias int32, toks []normToken, weak bool) {
		if len(toks) < 2 || toks[0].seg == toks[len(toks)-1].seg {
			return
		}
		k := 1
		for k < len(toks) && toks[k].seg == toks[0].seg {
			k++
		}
		first := toks[:k]
		if !distinctive(first) {
			return
		}
		if n := joinToks(first); !seen[n] {
			seen[n] = true
			addName(ei, alias, first, weak)
		}
		addScriptSegments(toks[k:], first[0].sys, func(seg []normToken) {
			if n := joinToks(seg); !seen[n] {
				seen[n] = true
				addName(ei, alias, seg, weak)
			}
		})
		for j := k; j < len(toks); j++ {
			if (j+1 == len(toks) || toks[j+1].seg != toks[j].seg) && toks[j-1].seg != toks[j].seg &&
				isAcronym(toks[j].s, first) && !seen[toks[j].s] {
				seen[toks[j].s] = true
				addName(ei, alias, toks[j:j+1], weak)
			}
		}
	}
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
		// a name followed by a part in parentheses or after a semicolon is
		// also a name without it, and the part is a name when it is the
		// acronym of the name: "ABDALLAH AZZAM BRIGADES (AAB)" is also
		// "ABDALLAH AZZAM BRIGADES" and "AAB"
		addSegments(i, -1, toks, false)
		for a, al := range e.Aliases {
			addSegments(i, int32(a), tokenize(al.Name), al.Weak)
		}
	}
	// weights: inverse document frequency over names, damped by stop words.
	n := float64(len(ix.names) + 1)
	ix.unknownW = float32(math.Log(1 + n))
	if ref != nil {
		n = float64(len(ref.names) + 1)
		ix.unknownW = ref.unknownW
	}
	for id := range ix.vocab {
		v := &ix.vocab[id]
		if rid, ok := ref.lookup(v.key()); ok {
			v.w = ref.vocab[rid].w
		} else {
			v.w = float32(math.Log(1 + n/float64(df[id])))
			if f, ok := stopWeight[v.s]; ok {
				v.w *= f
			}
			if len(v.s) == 1 {
				v.w *= 0.3
			}
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
			if fsk := skeletonVF(v.s); len(fsk) >= 2 && fsk != v.sk {
				ix.skel[fsk] = appendUnique(ix.skel[fsk], vid) // Umarov: عمروف (arabic.go)
			}
			if jsk := skeletonGJ(v.s); len(jsk) >= 2 && jsk != v.sk {
				ix.skel[jsk] = appendUnique(ix.skel[jsk], vid) // Gamal: جمال (arabic.go)
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
	ix.vq = make([]vocabQuick, len(ix.vocab))
	for i := range ix.vocab {
		ix.vq[i] = newVocabQuick(&ix.vocab[i])
	}
	ix.indexGeneric()
	ix.invW = make([]float32, len(ix.names))
	for i := range ix.names {
		nr := &ix.names[i]
		for _, t := range nr.toks[:min(len(nr.toks), maxNameToks)] {
			nr.totalW += ix.vocab[t].w
		}
		ix.invW[i] = -1
		if !nr.loose {
			ix.invW[i] = 1 / nr.totalW
		}
	}
	return ix
}

// lookup returns the vocabulary id of a token; false on a nil index.
func (ix *Index) lookup(tok string) (int32, bool) {
	if ix == nil {
		return 0, false
	}
	id, ok := ix.vocabID[tok]
	return id, ok
}

func joinToks(toks []normToken) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.key())
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

// distinctive: some token of the name is not a legal form, title,
// particle or generic word.
func distinctive(toks []normToken) bool {
	for _, t := range toks {
		if _, stop := stopWeight[t.s]; !stop && len(t.s) > 1 {
			return true
		}
	}
	return false
}

// isAcronym: a is made of the initials of the name's words, in order, of
// three letters or more, skipping only legal forms, titles, particles and
// generic words ("ttp" of "tehrik e taliban pakistan").
func isAcronym(a string, name []normToken) bool {
	if len(a) < 3 || len(a) > len(name) || hasDigit(a) {
		return false
	}
	i := 0
	for _, t := range name {
		if i < len(a) && t.s[0] == a[i] {
			i++
			continue
		}
		if _, stop := stopWeight[t.s]; !stop && len(t.s) > 1 {
			return false
		}
	}
	return i == len(a)
}
