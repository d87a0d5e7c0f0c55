package screening

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestDeltaIndexScoresAsTheWholeLists: re-screening the customer book runs
// each customer's names through an index of the new snapshot's added and
// changed entities only (PRODUCT.md section 7, "Re-screening"); what it
// finds must be what screening the customer against the whole lists would
// find among those entities, with the same score, or a new designation is
// missed (or raised) only because it arrived in a small delta. Sanctions
// law expects a new designation to be caught among existing customers
// (EU Regulation 2580/2001 art. 2; FATF R.6 "without delay"; FATF R.10(d)
// ongoing due diligence).
func TestDeltaIndexScoresAsTheWholeLists(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(11, 12))
	ents := syntheticEntities(rng, 3000)
	full := NewIndex(ents)
	var delta []Entity
	in := map[string]bool{}
	for i := 0; i < len(ents); i += 20 {
		delta = append(delta, ents[i])
		in[ents[i].ID] = true
	}
	dx := NewDeltaIndex(delta, full)
	if dx.Len() != len(delta) {
		t.Fatalf("delta index holds %d entities, want %d", dx.Len(), len(delta))
	}
	extra := []string{"mohammed", "al", "company", "ltd", "abdul", "jan"}
	found := 0
	for k := 0; k < 600; k++ {
		e := delta[rng.IntN(len(delta))]
		if k%3 == 0 {
			e = ents[rng.IntN(len(ents))] // mostly not in the delta
		}
		q := Query{Name: perturb(rng, e.Name, extra), Threshold: 0.8, Limit: 1000}
		want := map[string]float64{}
		for _, m := range full.Search(q) {
			if in[m.EntityID] {
				want[m.EntityID] = m.Score
			}
		}
		got := map[string]float64{}
		for _, m := range dx.Search(q) {
			got[m.EntityID] = m.Score
			if !in[m.EntityID] {
				t.Fatalf("%q: delta index returned %s, which it does not hold", q.Name, m.EntityID)
			}
		}
		for id, s := range want {
			g, ok := got[id]
			switch {
			case !ok && s >= q.Threshold+0.02:
				t.Errorf("%q: the whole lists match %s at %.3f, the delta index misses it", q.Name, id, s)
			case ok && math.Abs(g-s) > 0.02:
				t.Errorf("%q: %s scores %.3f in the delta index, %.3f in the whole lists", q.Name, id, g, s)
			}
			found++
		}
		for id, g := range got {
			if _, ok := want[id]; !ok && g >= q.Threshold+0.02 {
				t.Errorf("%q: the delta index matches %s at %.3f, the whole lists do not", q.Name, id, g)
			}
		}
	}
	if found < 200 {
		t.Fatalf("only %d matches compared; the test compares too little", found)
	}
}

// TestDeltaIndexWeighsCommonTokensAsTheWholeLists: a given name that is
// common across the lists stays common in a delta of one entity, so a
// customer sharing only that name with a new designation is not raised
// (PRODUCT.md section 4: rare name parts weigh more than common ones).
func TestDeltaIndexWeighsCommonTokensAsTheWholeLists(t *testing.T) {
	t.Parallel()
	var ents []Entity
	for i, fam := range []string{"Karimov", "Rahimov", "Nazarov", "Sobirov", "Yusupov", "Alimov", "Tursunov", "Ergashev"} {
		ents = append(ents, Entity{ID: "t:" + fam, Source: "t", SourceID: fam, Type: TypePerson, Name: "Mohammed " + fam})
		_ = i
	}
	full := NewIndex(ents)
	alone := NewIndex(ents[:1])
	dx := NewDeltaIndex(ents[:1], full)
	if a, d := alone.vocab[alone.vocabID["mohammed"]].w, dx.vocab[dx.vocabID["mohammed"]].w; d >= a {
		t.Fatalf("weight of a common given name in the delta index = %.3f, want below its weight alone (%.3f)", d, a)
	}
	q := Query{Name: "Mohammed Karimova", Threshold: 0.5, Limit: 10}
	fm, dm := full.Search(q), dx.Search(q)
	if len(fm) == 0 || len(dm) == 0 || math.Abs(fm[0].Score-dm[0].Score) > 0.001 {
		t.Fatalf("full %v, delta %v: want the same best score", brief(fm), brief(dm))
	}
}
