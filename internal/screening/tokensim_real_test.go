package screening_test

import (
	"math/rand/v2"
	"testing"

	"github.com/kyc-platform/kyc/internal/screening"
	"github.com/kyc-platform/kyc/internal/screening/eval"
)

// TestTokenSimBound checks that tokenSimQuick's early exit (quickOut: a bound
// of the similarity from the lengths, shared letters and common prefix)
// changes no similarity: on the real lists, every token of the benchmark's
// queries, of listed names with typos and transliterated, and of names in
// other scripts, against its candidate buckets and a sample of the whole
// vocabulary, gives what the formula without the bound gives.
func TestTokenSimBound(t *testing.T) {
	t.Parallel()
	ents := loadReal(t)
	ix := screening.NewIndex(ents)
	names := benchQueries(ents, 1000)
	rng := rand.New(rand.NewPCG(7, 8))
	for range 1000 {
		e := ents[rng.IntN(len(ents))]
		typo, _ := eval.Typo(rng, e.Name, rng.IntN(2) == 0, -1)
		names = append(names, typo, eval.Transliterate(rng, e.Name))
	}
	names = append(names, "عبدالرحمن عمير راشد النعيمي", "حافظ عبد السلام", "Таруат Салах Абдаллах", "Григорий Суркис", "Віктор Федорович Янукович",
		"ナジール・モハンマド・アブドゥル・バシール", "ウラジーミル・プーチン", "金正恩", "Al-Qaida In lraq", "Islamic State of lraq", "Ramimakhlouf", "Blue River Logistics LLC")
	stride := 97
	if testing.Short() {
		stride = 997
	}
	n, bad := screening.CompareTokenSim(ix, names, stride)
	for _, b := range bad {
		t.Error(b)
	}
	t.Logf("%d token pairs compared", n)
	if n < 1_000_000 {
		t.Errorf("only %d token pairs compared", n)
	}
}
