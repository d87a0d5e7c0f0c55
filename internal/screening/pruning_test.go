package screening

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// syntheticEntities builds a list whose names share syllables, particles
// and given names, so that queries meet many partial candidates.
func syntheticEntities(rng *rand.Rand, n int) []Entity {
	syl := []string{"al", "ba", "dan", "el", "far", "gar", "han", "ib", "jan", "ka", "lo", "ma", "nur", "os", "pe", "ra", "sa", "ta", "ul", "va", "yo", "za", "mi", "ri", "ko", "de"}
	given := []string{"Jan", "Daniel", "Mohammed", "Ali", "Maria", "Elena", "Ahmad", "Osama", "Vladimir", "John", "Lei", "Ana"}
	parts := []string{"al", "van", "der", "bin", "ibn", "de", "la", "el"}
	word := func() string {
		var b strings.Builder
		for k := 1 + rng.IntN(3); k > 0; k-- {
			b.WriteString(syl[rng.IntN(len(syl))])
		}
		return b.String()
	}
	name := func() string {
		var toks []string
		for k := 1 + rng.IntN(4); k > 0; k-- {
			switch rng.IntN(6) {
			case 0:
				toks = append(toks, given[rng.IntN(len(given))])
			case 1:
				toks = append(toks, parts[rng.IntN(len(parts))])
			default:
				w := word()
				if rng.IntN(3) == 0 {
					w = strings.ToUpper(w)
				} else {
					w = strings.ToUpper(w[:1]) + w[1:]
				}
				toks = append(toks, w)
			}
		}
		return strings.Join(toks, " ")
	}
	types := []EntityType{TypePerson, TypeOrganization, ""}
	ents := make([]Entity, n)
	for i := range ents {
		e := Entity{ID: fmt.Sprintf("t:%d", i), Source: "t", SourceID: fmt.Sprint(i), Type: types[rng.IntN(3)], Name: name()}
		for k := rng.IntN(3); k > 0; k-- {
			e.Aliases = append(e.Aliases, Alias{Name: name(), Weak: rng.IntN(5) == 0})
		}
		if rng.IntN(2) == 0 {
			e.BirthDates = []string{fmt.Sprintf("19%02d-%02d-%02d", 40+rng.IntN(50), 1+rng.IntN(12), 1+rng.IntN(28))}
		}
		if rng.IntN(2) == 0 {
			e.Countries = []string{[]string{"IR", "RU", "SE", "ZA", "CN"}[rng.IntN(5)]}
		}
		ents[i] = e
	}
	return ents
}

// perturb derives a query from a listed name: tokens dropped, joined,
// split, misspelt, reordered, or words added.
func perturb(rng *rand.Rand, name string, extra []string) string {
	toks := strings.Fields(strings.ToLower(name))
	for k := 1 + rng.IntN(3); k > 0 && len(toks) > 0; k-- {
		i := rng.IntN(len(toks))
		switch rng.IntN(7) {
		case 0:
			if len(toks) > 1 {
				toks = append(toks[:i], toks[i+1:]...)
			}
		case 1:
			if i+1 < len(toks) {
				toks = append(append(toks[:i:i], toks[i]+toks[i+1]), toks[i+2:]...)
			}
		case 2:
			if t := toks[i]; len(t) >= 4 {
				p := 1 + rng.IntN(len(t)-1)
				toks = append(append(toks[:i:i], t[:p], t[p:]), toks[i+1:]...)
			}
		case 3:
			if r := []byte(toks[i]); len(r) >= 3 {
				r[1+rng.IntN(len(r)-1)] = "aeioukst"[rng.IntN(8)]
				toks[i] = string(r)
			}
		case 4:
			rng.Shuffle(len(toks), func(a, b int) { toks[a], toks[b] = toks[b], toks[a] })
		case 5:
			toks = append(toks, extra[rng.IntN(len(extra))])
		case 6:
			if i+2 < len(toks) {
				toks = append(append(toks[:i:i], toks[i]+toks[i+1]+toks[i+2]), toks[i+3:]...)
			}
		}
	}
	return strings.Join(toks, " ")
}

// checkSound compares the pruned search with the exhaustive one.
func checkSound(t *testing.T, ix *Index, q Query) {
	t.Helper()
	got, want := ix.search(q, false), ix.search(q, true)
	if len(got) != len(want) {
		t.Fatalf("%+v: pruned search found %d matches, exhaustive %d:\n got  %v\n want %v", q, len(got), len(want), brief(got), brief(want))
	}
	for i := range got {
		if got[i].EntityID != want[i].EntityID || got[i].Score != want[i].Score {
			t.Fatalf("%+v: match %d differs:\n got  %v\n want %v", q, i, brief(got), brief(want))
		}
	}
}

func brief(ms []Match) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "%s %q %.3f; ", m.EntityID, m.MatchedName, m.Score)
	}
	return b.String()
}

var thresholds = []float64{0.3, 0.5, 0.6, 0.7, 0.8, DefaultThreshold, 0.95}

// TestPruningIsSound: candidate pruning never loses a name that would
// score at least the threshold. Random queries derived from listed names
// (tokens dropped, joined, split, misspelt, reordered, added), at random
// thresholds and with random evidence, must give exactly the matches of
// an exhaustive search that scores every indexed name.
func TestPruningIsSound(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(11, 12))
	ents := syntheticEntities(rng, 1500)
	ix := NewIndex(ents)
	extra := []string{"mohammed", "al", "company", "ltd", "jan", "daniel", "bothma", "عبد", "الرحمن"}
	for n := 0; n < 1500; n++ {
		e := ents[rng.IntN(len(ents))]
		name := e.Name
		if len(e.Aliases) > 0 && rng.IntN(2) == 0 {
			name = e.Aliases[rng.IntN(len(e.Aliases))].Name
		}
		q := Query{Name: perturb(rng, name, extra), Threshold: thresholds[rng.IntN(len(thresholds))], Limit: 1000}
		if rng.IntN(3) == 0 {
			q.BirthDate = fmt.Sprintf("19%02d-%02d-%02d", 40+rng.IntN(50), 1+rng.IntN(12), 1+rng.IntN(28))
		}
		if rng.IntN(3) == 0 {
			q.Country = []string{"IR", "RU", "SE"}[rng.IntN(3)]
		}
		checkSound(t, ix, q)
	}
}

// TestJoinedNameFoundAtAnyThreshold: "Jan Daniel Bothma" against
// "JanDaniel Bothma" (and the reverse) is a perfect match whatever the
// request's threshold.
func TestJoinedNameFoundAtAnyThreshold(t *testing.T) {
	t.Parallel()
	ix := NewIndex([]Entity{
		{ID: "t:1", Source: "t", Type: TypePerson, Name: "JanDaniel Bothma"},
		{ID: "t:2", Source: "t", Type: TypePerson, Name: "Rami MAKHLOUF"},
		{ID: "t:3", Source: "t", Type: TypePerson, Name: "Cornelius van der Bilt"},
		{ID: "t:4", Source: "t", Type: TypePerson, Name: "Sergei Viktorovich LAVROV"},
		{ID: "t:5", Source: "t", Type: TypePerson, Name: "Jan Bothma"},
	})
	tests := []struct{ q, want string }{
		{"Jan Daniel Bothma", "t:1"},
		{"JanDaniel Bothma", "t:1"},
		{"Ramimakhlouf", "t:2"},
		{"Cornelius vanderbilt", "t:3"},
		{"Cornelius Vanderbilt", "t:3"},
	}
	for _, tc := range tests {
		for _, thr := range append([]float64{0}, thresholds...) {
			ms := ix.Search(Query{Name: tc.q, Threshold: thr})
			if len(ms) == 0 || ms[0].EntityID != tc.want || ms[0].Score < 0.99 {
				t.Errorf("%q at threshold %v: %v, want %s at 1.000", tc.q, thr, brief(ms), tc.want)
			}
		}
	}
}
