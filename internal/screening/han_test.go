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

// TestHanTraditionalSimplified: a Chinese name is written in traditional
// characters (Taiwan, Hong Kong, Macau, older records) or simplified ones
// (mainland China, the lists' Chinese aliases), and the two are one name:
// 張曉明 is 张晓明. Traditional characters are folded to simplified by
// OpenCC's character table (TSCharacters.txt, Apache-2.0). Folding merges
// only variants of one character: 高石早苗 and 高市早苗 stay apart.
func TestHanTraditionalSimplified(t *testing.T) {
	t.Parallel()
	ix := NewIndex([]Entity{
		{ID: "s", Source: "t", Type: TypePerson, Name: "张晓明"},
		{ID: "t", Source: "t", Type: TypePerson, Name: "陳國華"},
		{ID: "j", Source: "t", Type: TypePerson, Name: "高市早苗"},
	})
	for q, want := range map[string]string{"張曉明": "s", "张晓明": "s", "陈国华": "t", "陳國華": "t", "陳 國華": "t"} {
		ms := ix.Search(Query{Name: q})
		if len(ms) == 0 || ms[0].EntityID != want || ms[0].Score != 1 {
			t.Errorf("%s: %v, want %s at 1.000", q, brief(ms), want)
		}
	}
	if ms := ix.Search(Query{Name: "高石早苗"}); len(ms) > 0 {
		t.Errorf("高石早苗: %v, want no match", brief(ms))
	}
	if Normalize("張曉明") != Normalize("张晓明") {
		t.Errorf("Normalize: %q != %q", Normalize("張曉明"), Normalize("张晓明"))
	}
	for k, v := range hanTradSimp {
		if w, ok := hanTradSimp[v]; ok && w != v {
			t.Errorf("%c folds to %c, which folds again to %c", k, v, w)
		}
	}
	for _, thr := range thresholds {
		for _, q := range []string{"張曉明", "陈国华", "陳 國華"} {
			checkSound(t, ix, Query{Name: q, Threshold: thr, Limit: 1000})
		}
	}
}
