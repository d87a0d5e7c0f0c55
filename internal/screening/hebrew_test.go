package screening

import "testing"

// TestHebrewGeresh: Arabic names written in Hebrew script mark ج خ ذ ث ظ ض
// غ with a geresh; the pair reads as the Arabic letter, whatever
// apostrophe the writer used. Source: Academy of the Hebrew Language,
// rules for transcribing Arabic into Hebrew (2007); FATF Recommendation 10
// (a listed name found in whatever script the customer's documents use).
func TestHebrewGeresh(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"ג'יש", "jysh"},
		{"ג׳יש", "jysh"},
		{"ג’יש", "jysh"},
		{"ח'אלד", "khald"},
		{"גיש", "gysh"}, // no geresh: the Hebrew letter
	} {
		toks := tokenize(c.in)
		if len(toks) != 1 || toks[0].s != c.want {
			t.Errorf("tokenize(%q) = %v, want %q", c.in, toks, c.want)
		}
	}
	ix := NewIndex([]Entity{
		{ID: "o:jem", Source: "t", Type: TypeOrganization, Name: "JAISH-E-MOHAMMED"},
		{ID: "p:k", Source: "t", Type: TypePerson, Name: "Khalid AL-MIHDHAR"},
	})
	for _, c := range []struct{ q, id string }{{"ג'יש מחמד", "o:jem"}, {"ח'אלד אלמחד'אר", "p:k"}} {
		if s := scoreOf(ix, Query{Name: c.q}, c.id); s < DefaultThreshold {
			t.Errorf("%q on %s: %.3f", c.q, c.id, s)
		}
	}
}
