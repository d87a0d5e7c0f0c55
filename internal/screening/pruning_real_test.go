package screening_test

import (
	"math/rand/v2"
	"testing"

	"github.com/kyc-platform/kyc/internal/screening"
)

// TestPruningIsSoundOnRealLists repeats the check on the real lists and
// on queries in Arabic, Cyrillic and Japanese (katakana) script.
func TestPruningIsSoundOnRealLists(t *testing.T) {
	t.Parallel()
	ents := loadReal(t)
	ix := screening.NewIndex(ents)
	rng := rand.New(rand.NewPCG(5, 6))
	extra := []string{"mohammed", "al", "company", "ltd", "abdul", "عبد", "محمد"}
	n := 60
	if testing.Short() {
		n = 15
	}
	for range n {
		e := ents[rng.IntN(len(ents))]
		name := e.Name
		if len(e.Aliases) > 0 && rng.IntN(2) == 0 {
			name = e.Aliases[rng.IntN(len(e.Aliases))].Name
		}
		screening.CheckSound(t, ix, screening.Query{Name: screening.Perturb(rng, name, extra), Threshold: screening.Thresholds[rng.IntN(len(screening.Thresholds))], Limit: 1000})
	}
	for _, q := range []string{"عبدالرحمن عمير راشد النعيمي", "حافظ عبد السلام", "Таруат Салах Абдаллах", "محمد عمر", "Ramimakhlouf", "SergeiLavrov",
		"Григорий Суркис", "Віктор Федорович Янукович", "Игорь Гиркин", "فلاديمير بوتين", "دوكو عمروف", "سيف العدل",
		"ナジール・モハンマド・アブドゥル・バシール", "ジャーベル・アブダッラー・ジャーベル・アフマド・アル・ジャラフマー", "アブドゥルハイ・モトマエン", "ウラジーミル・プーチン"} {
		for _, thr := range []float64{0.3, 0.7, screening.DefaultThreshold} {
			screening.CheckSound(t, ix, screening.Query{Name: q, Threshold: thr, Limit: 1000})
		}
	}
}
