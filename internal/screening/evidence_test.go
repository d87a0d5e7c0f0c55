package screening

import (
	"fmt"
	"testing"
)

// evidenceFixture: listed persons among many names that share their
// common parts (Mohammed, Ali, Maria, Garcia), so that rarity weights are
// realistic.
func evidenceFixture() *Index {
	ents := []Entity{
		{ID: "t:khamenei", Source: "t", Type: TypePerson, Name: "Ali Husseini KHAMENEI", BirthDates: []string{"1939-04-19"}, Countries: []string{"IR"}},
		{ID: "t:putin", Source: "t", Type: TypePerson, Name: "Vladimir PUTIN", BirthDates: []string{"1952-10-07"}, Countries: []string{"RU"}},
		{ID: "t:gaxiola", Source: "t", Type: TypePerson, Name: "Maria Elena GAXIOLA GARCIA", BirthDates: []string{"1965"}},
		{ID: "t:ali", Source: "t", Type: TypePerson, Name: "Mohammed Hassan ALI", BirthDates: []string{"1970-02-03"}},
		{ID: "t:kim", Source: "t", Type: TypePerson, Name: "Young-Chol KIM"},
		{ID: "t:omar", Source: "t", Type: TypePerson, Name: "Mohammed OMAR", BirthDates: []string{"1960-05-01"}, Countries: []string{"AF"}},
	}
	common := []string{"Mohammed", "Ali", "Maria", "Garcia", "Hassan", "Elena", "Kim", "Young", "Vladimir"}
	for i := range 600 {
		ents = append(ents, Entity{ID: fmt.Sprintf("f:%d", i), Source: "f", Type: TypePerson,
			Name: common[i%len(common)] + " " + common[(i/len(common))%len(common)] + fmt.Sprintf(" Filler%dx", i)})
	}
	return NewIndex(ents)
}

func scoreOf(ix *Index, q Query, id string) float64 {
	q.Threshold = 0.01
	q.Limit = 1000
	for _, m := range ix.Search(q) {
		if m.EntityID == id {
			return m.Score
		}
	}
	return 0
}

// TestBirthDateGraded: birth dates are graded evidence — the same day
// raises the score most, the same month and year less, the same year a
// little; a year apart lowers it a little and dates far apart a lot, enough
// to bring an exact name under the threshold. Source: PRODUCT.md section 4
// (a matching full birth date is strong evidence, a different one strong
// counter-evidence); FATF Recommendation 6 and its Interpretive Note
// (designations carry identifying information, such as the date of birth,
// to tell a designated person from a namesake).
func TestBirthDateGraded(t *testing.T) {
	t.Parallel()
	ix := evidenceFixture()
	name := "Mohammed Omar"
	grades := []string{"1960-05-01", "1960-05", "1960", "1960-05-20", "1960-09-01", "1961-05-01", "1970-05-01"}
	e := &Entity{BirthDates: []string{"1960-05-01"}}
	prev := 2.0
	for _, d := range grades {
		s, _ := evidence(0.8, Query{BirthDate: d}, e, DefaultThreshold)
		if s >= prev {
			t.Errorf("birth date %s scores %.3f, not below the closer date's %.3f", d, s, prev)
		}
		prev = s
	}
	if s := scoreOf(ix, Query{Name: name, BirthDate: "1970-05-01"}, "t:omar"); s >= DefaultThreshold {
		t.Errorf("exact name with a birth date ten years away scores %.3f, want under %.2f", s, DefaultThreshold)
	}
	if s := scoreOf(ix, Query{Name: name, BirthDate: "1960-05-01"}, "t:omar"); s < DefaultThreshold {
		t.Errorf("exact name with the listed birth date scores %.3f", s)
	}
	if g := compareDates("1960-05-01", "1960-05-01"); g != dobDay {
		t.Errorf("compareDates same day = %v", g)
	}
}

// TestCountryNeverHidesAMatch: a different country is weak evidence and
// never by itself brings a matching name under the threshold (people hold
// several nationalities and move). Source: PRODUCT.md section 4; FATF
// Recommendation 6 (freezing obligations apply to the designated person
// wherever they live or whatever passport they hold).
func TestCountryNeverHidesAMatch(t *testing.T) {
	t.Parallel()
	ix := evidenceFixture()
	for _, q := range []Query{
		{Name: "Mohammed Omar", Country: "SE"},
		{Name: "Ali Khamenei", BirthDate: "1939-04-19", Country: "SE"},
		{Name: "Vladimir Vladimirovich Putin", Country: "SE"},
	} {
		without := q
		without.Country = ""
		ms := ix.Search(without)
		if len(ms) == 0 {
			t.Fatalf("%+v: no match without a country", without)
		}
		got := ix.Search(q)
		if len(got) == 0 || got[0].EntityID != ms[0].EntityID {
			t.Errorf("%+v: the country %s hid the match %s: %v", q, q.Country, ms[0].EntityID, brief(got))
		}
	}
	e := &Entity{Countries: []string{"AF"}}
	if s, _ := evidence(0.8, Query{Country: "AF"}, e, DefaultThreshold); s <= 0.8 {
		t.Errorf("listed country: %.3f, want above 0.8", s)
	}
	if s, _ := evidence(0.8, Query{Country: "SE"}, e, DefaultThreshold); s >= 0.8 {
		t.Errorf("another country under the threshold: %.3f, want under 0.8", s)
	}
	if s, _ := evidence(0.89, Query{Country: "SE"}, e, DefaultThreshold); s < DefaultThreshold {
		t.Errorf("another country brought a match under the threshold: %.3f", s)
	}
}

// TestPartialNamesByRarity: a query giving fewer name parts than the entry
// is scored by how distinctive the parts it gives are; a matching full
// birth date lifts a partial name over the threshold and a different one
// holds it under; a dropped surname or half of a compound name is not a
// shortened name. Source: PRODUCT.md section 4 ("Ali Khamenei" for
// "KHAMENEI, Ali Husseini" is a hit); FATF Recommendation 10 and the FATF
// guidance on targeted financial sanctions (screening must find designated
// persons under the names customers actually give).
func TestPartialNamesByRarity(t *testing.T) {
	t.Parallel()
	ix := evidenceFixture()
	tests := []struct {
		q    Query
		id   string
		want bool
	}{
		{Query{Name: "Ali Khamenei"}, "t:khamenei", true},
		{Query{Name: "Ali Khamenei", BirthDate: "1939-04-19"}, "t:khamenei", true},
		{Query{Name: "Ali Khamenei", BirthDate: "1939-04-19", Country: "SE"}, "t:khamenei", true},
		{Query{Name: "Ali Khamenei", BirthDate: "1975-01-01"}, "t:khamenei", false},
		{Query{Name: "Maria Garcia"}, "t:gaxiola", false},
		{Query{Name: "Mohammed Ali"}, "t:ali", false},
		{Query{Name: "Mohammed Ali", BirthDate: "1970-02-03"}, "t:ali", true},
		{Query{Name: "Young Kim"}, "t:kim", false},
	}
	for _, tc := range tests {
		s := scoreOf(ix, tc.q, tc.id)
		if got := s >= DefaultThreshold; got != tc.want {
			t.Errorf("%+v on %s: score %.3f, hit %v, want %v", tc.q, tc.id, s, got, tc.want)
		}
	}
}

// TestExtraQueryPartsCostLittle: a query with more name parts than the
// entry (a patronymic, a second given name) still matches when every part
// of the entry is present. Source: PRODUCT.md section 4; FATF
// Recommendation 6 (lists often carry fewer name parts than the identity
// documents customers present).
func TestExtraQueryPartsCostLittle(t *testing.T) {
	t.Parallel()
	ix := evidenceFixture()
	if s := scoreOf(ix, Query{Name: "Vladimir Vladimirovich Putin"}, "t:putin"); s < DefaultThreshold {
		t.Errorf("Vladimir Vladimirovich Putin on Vladimir PUTIN: %.3f", s)
	}
	if s := scoreOf(ix, Query{Name: "Vladimir Vladimirovich Putin", BirthDate: "1952-10-07"}, "t:putin"); s < 0.95 {
		t.Errorf("with the listed birth date: %.3f", s)
	}
}

// TestOrganisationNames: dotted abbreviations and spelled-out legal forms
// meet their abbreviations, generic words weigh little, letters in another
// order are another name. Source: the cases (peer's labelled
// name-matching pairs); FATF Recommendation 24 (legal persons are known by
// their registered name and legal form, written in several ways).
func TestOrganisationNames(t *testing.T) {
	t.Parallel()
	ents := []Entity{
		{ID: "o:bowne", Source: "t", Type: TypeOrganization, Name: "Bowne Global Solutions LLC"},
		{ID: "o:hsbc", Source: "t", Type: TypeOrganization, Name: "HSBC Holdings plc"},
		{ID: "o:jpm", Source: "t", Type: TypeOrganization, Name: "JP Morgan"},
		{ID: "o:siemens", Source: "t", Type: TypeOrganization, Name: "Siemens AG"},
		{ID: "o:stripe", Source: "t", Type: TypeOrganization, Name: "Stripe Limited Liability Company"},
		{ID: "o:acme", Source: "t", Type: TypeOrganization, Name: "Acme Gesellschaft mit beschränkter Haftung"},
		{ID: "o:abc", Source: "t", Type: TypeOrganization, Name: "A.B.C. Company"},
		{ID: "o:sporks", Source: "t", Type: TypeOrganization, Name: "Sporks Business Corporation"},
	}
	for i := range 300 {
		ents = append(ents, Entity{ID: fmt.Sprintf("f:%d", i), Source: "f", Type: TypeOrganization,
			Name: fmt.Sprintf("Filler%dx %s", i, []string{"Company", "Limited", "LLC", "Group", "Business Corporation", "Holdings plc", "AG", "GmbH"}[i%8])})
	}
	ix := NewIndex(ents)
	tests := []struct {
		q, id string
		want  bool
	}{
		{"Bowne Global Solutions, L.L.C.", "o:bowne", true},
		{"HSBC Holdings p.l.c.", "o:hsbc", true},
		{"J.P. Morgan & Co.", "o:jpm", true},
		{"Siemens Aktiengesellschaft", "o:siemens", true},
		{"Stripe LLC", "o:stripe", true},
		{"Acme GmbH", "o:acme", true},
		{"C.B.A. Company", "o:abc", false},
		{"Sparkles Business Corporation", "o:sporks", false},
	}
	for _, tc := range tests {
		s := scoreOf(ix, Query{Name: tc.q}, tc.id)
		if got := s >= DefaultThreshold; got != tc.want {
			t.Errorf("%q on %s: score %.3f, hit %v, want %v", tc.q, tc.id, s, got, tc.want)
		}
	}
}
