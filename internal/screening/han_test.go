package screening

import "testing"

// TestHanCharactersComparedAsCharacters: 高石早苗 and 高市早苗 are
// different people whose names have the same pinyin (gaoshizaomiao); Han
// names are compared as characters first, so one differing character is
// not a match at the default threshold, while the same characters are
// exact. Pinyin stays the key on which a Han name meets a Latin spelling
// (金铁三, listed as "Jin Tiesan").
func TestHanCharactersComparedAsCharacters(t *testing.T) {
	t.Parallel()
	ix := NewIndex([]Entity{
		{ID: "t:1", Source: "t", Type: TypePerson, Name: "高市早苗"},
		{ID: "t:2", Source: "t", Type: TypePerson, Name: "JIN Tiesan"},
		{ID: "t:3", Source: "t", Type: TypePerson, Name: "王小明"},
	})
	for _, q := range []string{"高石早苗", "高石 早苗"} {
		if ms := ix.Search(Query{Name: q}); len(ms) > 0 {
			t.Errorf("%q: %v, want no match (one character differs)", q, brief(ms))
		}
		ms := ix.Search(Query{Name: q, Threshold: 0.5})
		if len(ms) == 0 || ms[0].Score >= DefaultThreshold || ms[0].Score < 0.7 {
			t.Errorf("%q at threshold 0.5: %v, want 高市早苗 at 0.70-0.88 (three of four characters)", q, brief(ms))
		}
	}
	if ms := ix.Search(Query{Name: "高市早苗"}); len(ms) == 0 || ms[0].EntityID != "t:1" || ms[0].Score != 1 {
		t.Errorf("高市早苗: %v, want t:1 at 1.000", brief(ms))
	}
	if ms := ix.Search(Query{Name: "高市 早苗"}); len(ms) == 0 || ms[0].EntityID != "t:1" || ms[0].Score != 1 {
		t.Errorf("高市 早苗: %v, want t:1 at 1.000", brief(ms))
	}
	if ms := ix.Search(Query{Name: "金铁三"}); len(ms) == 0 || ms[0].EntityID != "t:2" {
		t.Errorf("金铁三: %v, want t:2 (JIN Tiesan, by pinyin)", brief(ms))
	}
	if ms := ix.Search(Query{Name: "王晓明"}); len(ms) > 0 {
		t.Errorf("王晓明: %v, want no match on 王小明 (one character differs)", brief(ms))
	}
	for _, thr := range thresholds {
		for _, q := range []string{"高石早苗", "高市早苗", "高石 早苗", "金铁三", "王晓明", "gao shi zao miao"} {
			checkSound(t, ix, Query{Name: q, Threshold: thr, Limit: 1000})
		}
	}
	if got := Normalize("高市早苗"); got != "gaoshizaomiao" {
		t.Errorf("Normalize(高市早苗) = %q, want the pinyin gaoshizaomiao", got)
	}
}
