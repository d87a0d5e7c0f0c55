package screening

import (
	"encoding/json"
	"testing"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"AL-ZAWAHIRI, Dr. Ayman", "al zawahiri dr ayman"},
		{"José Müller-Lüdenscheidt", "jose muller ludenscheidt"},
		{"GAMA'AT", "gamaat"},
		{"Захаров Александр", "zakharov aleksandr"},
		{"Ζαχαρόπουλος", "zakharopoulos"},
		{"王伟", "wangwei"},
		{"محمد عمر", "mhmd mr"},
		{"  ", ""},
	}
	for _, tc := range tests {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestJaroWinkler(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b   string
		lo, hi float32
	}{
		{"martha", "marhta", 0.96, 0.962},
		{"dixon", "dicksonx", 0.81, 0.82},
		{"abc", "abc", 1, 1},
		{"abc", "xyz", 0, 0},
	}
	for _, tc := range tests {
		if got := jaroWinkler(tc.a, tc.b); got < tc.lo || got > tc.hi {
			t.Errorf("jaroWinkler(%q, %q) = %v, want in [%v, %v]", tc.a, tc.b, got, tc.lo, tc.hi)
		}
	}
}

func fixture() []Entity {
	return []Entity{
		{ID: "ofac_sdn:2676", Source: "ofac_sdn", SourceID: "2676", Type: TypePerson, Name: "Ayman AL-ZAWAHIRI", BirthDates: []string{"1951-06-19"}, Countries: []string{"EG"}, Topics: []string{"sanction"}},
		{ID: "ofac_sdn:306", Source: "ofac_sdn", SourceID: "306", Type: TypeOrganization, Name: "BANCO NACIONAL DE CUBA", Aliases: []Alias{{Name: "NATIONAL BANK OF CUBA"}, {Name: "BNC", Weak: true}}},
		{ID: "un:1", Source: "un", SourceID: "1", Type: TypePerson, Name: "Mohammed Omar", BirthDates: []string{"1960"}},
		{ID: "ofac_sdn:9", Source: "ofac_sdn", SourceID: "9", Type: TypeVessel, Name: "SAND SWAN"},
	}
}

func TestSearch(t *testing.T) {
	t.Parallel()
	ix := NewIndex(fixture())
	tests := []struct {
		name string
		q    Query
		want string // first entity id, "" = no match
	}{
		{"exact", Query{Name: "Ayman al-Zawahiri"}, "ofac_sdn:2676"},
		{"reordered", Query{Name: "ZAWAHIRI, Ayman"}, "ofac_sdn:2676"},
		{"typo", Query{Name: "Aymen Zawahri"}, "ofac_sdn:2676"},
		{"alias", Query{Name: "National Bank of Cuba"}, "ofac_sdn:306"},
		{"transliteration", Query{Name: "Muhammad Umar"}, "un:1"},
		{"arabic", Query{Name: "محمد عمر"}, "un:1"},
		{"unrelated", Query{Name: "John Smith"}, ""},
		{"nothing shared", Query{Name: "Qqqq Zzzz"}, ""},
		{"empty", Query{Name: "--"}, ""},
		{"type conflict", Query{Name: "Sand Swan", Type: TypePerson, Threshold: 0.9}, ""},
		{"dob conflict", Query{Name: "Mohammed Omar", BirthDate: "1990-01-01", Threshold: 0.95}, ""},
		{"dob match", Query{Name: "Mohammed Omar", BirthDate: "1960-05-01"}, "un:1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ms := ix.Search(tc.q)
			got := ""
			if len(ms) > 0 {
				got = ms[0].EntityID
			}
			if got != tc.want {
				t.Fatalf("first match %q, want %q (%+v)", got, tc.want, ms)
			}
			for _, m := range ms {
				if m.Score < DefaultThreshold && tc.q.Threshold == 0 || m.Score > 1 || m.EntityHash == "" || m.Explanation.Summary == "" || len(m.Explanation.Tokens) == 0 {
					t.Fatalf("bad match %+v", m)
				}
			}
		})
	}
}

func TestEvidence(t *testing.T) {
	t.Parallel()
	ix := NewIndex(fixture())
	base := ix.Search(Query{Name: "Ayman Zawahiri", Threshold: 0.5})[0].Score
	up := ix.Search(Query{Name: "Ayman Zawahiri", BirthDate: "1951-06-19", Country: "EG", Threshold: 0.5})[0]
	down := ix.Search(Query{Name: "Ayman Zawahiri", BirthDate: "1980", Country: "FR", Threshold: 0.5})[0]
	if !(up.Score >= base && down.Score < base) || len(up.Explanation.Evidence) != 2 || len(down.Explanation.Evidence) != 2 {
		t.Fatalf("base %v up %+v down %+v", base, up, down)
	}
}

func TestContentHashStable(t *testing.T) {
	t.Parallel()
	a := Entity{ID: "x", Name: "A", Aliases: []Alias{{Name: "B"}, {Name: "C"}}, Countries: []string{"US", "FR"}}
	b := Entity{ID: "x", Name: "A", Aliases: []Alias{{Name: "C"}, {Name: "B"}}, Countries: []string{"FR", "US"}}
	if a.ContentHash() != b.ContentHash() {
		t.Fatal("order changed the hash")
	}
	b.Countries = append(b.Countries, "DE")
	if a.ContentHash() == b.ContentHash() {
		t.Fatal("content change kept the hash")
	}
	if _, err := json.Marshal(a); err != nil {
		t.Fatal(err)
	}
}

func TestConcurrentSearch(t *testing.T) {
	t.Parallel()
	ix := NewIndex(fixture())
	done := make(chan bool)
	for g := 0; g < 8; g++ {
		go func() {
			for i := 0; i < 200; i++ {
				if ms := ix.Search(Query{Name: "Banco Nacional de Cuba"}); len(ms) == 0 || ms[0].EntityID != "ofac_sdn:306" {
					t.Error("concurrent search failed")
				}
			}
			done <- true
		}()
	}
	for g := 0; g < 8; g++ {
		<-done
	}
}

func FuzzSearch(f *testing.F) {
	ix := NewIndex(fixture())
	for _, s := range []string{"Ayman", "محمد", "王伟", "a-b c", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, m := range ix.Search(Query{Name: s, Threshold: 0.01}) {
			if m.Score < 0 || m.Score > 1 {
				t.Fatalf("score %v", m.Score)
			}
		}
	})
}

func TestRomanisation(t *testing.T) {
	t.Parallel()
	norms := []struct{ in, want string }{
		{"عبد الرحمن", "bd alrhmn"},            // alef kept as a
		{"شحاتة", "shhath"},                    // ta marbuta is a letter, not a separator
		{"ﻣﺤﻤﺪ", "mhmd"},                       // presentation forms fold to letters
		{"عبدالحی سالک", "bdalhy salk"},        // Persian yeh and keheh
		{"Щукин Юрий", "shchukin yuriy"},       // BGN/PCGN
		{"Мохаммад (Джан)", "mokhammad dzhan"}, // segments do not change the text
		{"Georgiyevich", "georgiyevich"},
	}
	for _, tc := range norms {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	same := [][2]string{
		{"zakharov", "zaharov"}, {"yuriy", "iurii"}, {"yuri", "yuriy"}, {"andrey", "andrei"},
		{"georgiyevich", "georgievich"}, {"vostochnyy", "vostochniy"}, {"shchukin", "schukin"},
		{"aleksandr", "alexandr"}, {"dzhanan", "janan"}, {"nikolayevich", "nikolaevich"},
		{"yevgeny", "evgeny"}, {"sergeyev", "sergeev"}, {"mokhammad", "mohammad"}, {"mokhammad", "mohammad"},
	}
	for _, p := range same {
		if a, b := translitKey(p[0]), translitKey(p[1]); a != b {
			t.Errorf("translitKey(%q) = %q, translitKey(%q) = %q", p[0], a, p[1], b)
		}
	}
	skel := [][2]string{
		{"mhmd", "muhammad"}, {"abdalrhman", "abdulrahman"}, {"zyz", "aziz"}, {"thrwt", "tharwat"},
		{"fdl", "fazl"}, {"blqasm", "belgacem"}, {"jlahmh", "jalahma"}, {"shkwry", "chekkouri"},
	}
	for _, p := range skel {
		if a, b := skeleton(p[0]), skeleton(p[1]); a != b {
			t.Errorf("skeleton(%q) = %q, skeleton(%q) = %q", p[0], a, p[1], b)
		}
	}
}

func TestSearchVariants(t *testing.T) {
	t.Parallel()
	ix := NewIndex([]Entity{
		{ID: "a", Source: "un", Type: TypePerson, Name: "Abd al-Rahman Umayr AL-NUAYMI"},
		{ID: "b", Source: "ofac_sdn", Type: TypePerson, Name: "Andrey Georgiyevich ZAKHAROV"},
		{ID: "c", Source: "ofac_sdn", Type: TypePerson, Name: "Janan AGHA"},
		{ID: "d", Source: "ofac_sdn", Type: TypePerson, Name: "Yuriy Valentinovich KOVALCHUK"},
		{ID: "e", Source: "ofac_sdn", Type: TypeOrganization, Name: "Acme Trading"},
	})
	tests := []struct{ q, want string }{
		{"عبد الرحمن عمير النعيمي", "a"},            // Arabic, particles split differently
		{"عبدالرحمن عمير النعيمي Nuaymi", "a"},      // Arabic and Latin in one query
		{"Andrey Zakharov", "b"},                    // patronymic dropped
		{"ZAKHAROV, Andrey", "b"},                   // list order, patronymic dropped
		{"Андрей Георгиевич Захаров", "b"},          // Cyrillic, ГОСТ-style -иевич
		{"Джанан Ага", "c"},                         // дж, гх
		{"Юрий Ковальчук", "d"},                     // -ий, patronymic dropped
		{"Iurii Valentinovich Kovalchuk", "d"},      // passport spelling
		{"Acme Trading (formerly Blue River)", "e"}, // parenthesised part
		{"Andrey Smith", ""},
	}
	for _, tc := range tests {
		ms := ix.Search(Query{Name: tc.q})
		got := ""
		if len(ms) > 0 {
			got = ms[0].EntityID
		}
		if got != tc.want {
			t.Errorf("Search(%q) first = %q, want %q (%+v)", tc.q, got, tc.want, ms)
		}
	}
}

func TestTokenizeHyphen(t *testing.T) {
	t.Parallel()
	toks := tokenize("Young-Chol KIM al - Sayyid")
	want := []bool{false, true, false, false, false}
	if len(toks) != len(want) {
		t.Fatalf("tokens %v", toks)
	}
	for i, tk := range toks {
		if tk.hyph != want[i] {
			t.Errorf("%s: hyph %v, want %v", tk.s, tk.hyph, want[i])
		}
	}
}

func TestFoldInitials(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Bowne Global Solutions, L.L.C.", "bowne global solutions llc"},
		{"HSBC Holdings p.l.c.", "hsbc holdings plc"},
		{"J.P. Morgan & Co.", "jp morgan co"},
		{"P.T. Astra", "pt astra"},
		{"U.S. Department of State", "us department of state"},
		{"C.B.A. Company", "cba company"},
		{"S.à r.l.", "sa rl"},
		{"J. P. Morgan", "j p morgan"},
	}
	for _, tc := range tests {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
