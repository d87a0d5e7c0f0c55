package eval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/kyc-platform/kyc/internal/screening"
	"github.com/kyc-platform/kyc/internal/screening/lists"
)

const dataDir = "../../../../shared/data/lists"

func open(t *testing.T, rel ...string) []lists.File {
	t.Helper()
	var fs []lists.File
	for _, r := range rel {
		p := filepath.Join(dataDir, r)
		f, err := os.Open(p)
		if os.IsNotExist(err) {
			t.Skipf("real list data missing: %s (the ../shared/data/lists folder beside the repository)", p)
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		fs = append(fs, lists.File{Name: filepath.Base(p), R: f})
	}
	return fs
}

func parse(t *testing.T, source string, rel ...string) []screening.Entity {
	t.Helper()
	ents, err := lists.Parse(source, open(t, rel...))
	if err != nil {
		t.Fatal(err)
	}
	return ents
}

// TestEvaluation generates labelled queries from the real lists, prints a
// per-category report and fails when a target is missed.
func TestEvaluation(t *testing.T) {
	sdn := parse(t, lists.SourceOFACSDN, "us_ofac/sdn.csv", "us_ofac/alt.csv", "us_ofac/add.csv", "us_ofac/sdn_comments.csv")
	cons := parse(t, lists.SourceOFACConsolidated, "us_non_sdn/cons_prim.csv", "us_non_sdn/cons_alt.csv", "us_non_sdn/cons_add.csv", "us_non_sdn/cons_comments.csv")
	un := parse(t, lists.SourceUN, "un/UN_consolidated.xml")
	os1 := parse(t, lists.SourceOpenSanctions, "opensanctions/entities.delta.json")
	os2 := parse(t, lists.SourceOpenSanctions, "opensanctions/entities.ftm.json")
	all := append(append(append([]screening.Entity{}, sdn...), cons...), un...)
	ix := screening.NewIndex(all)
	thr := screening.DefaultThreshold
	if v := os.Getenv("KYC_EVAL_THRESHOLD"); v != "" { // for threshold sweeps
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatal(err)
		}
		thr = f
	}
	rng := rand.New(rand.NewPCG(3, 7))

	// sample OFAC SDN persons and organisations
	var pool []screening.Entity
	for _, e := range sdn {
		if e.Type == screening.TypePerson || e.Type == screening.TypeOrganization {
			pool = append(pool, e)
		}
	}
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	const per = 1500
	sample := pool[:min(per, len(pool))]
	one := func(e screening.Entity, q string) Case {
		return Case{Query: q, Want: []string{e.ID}, Source: e.Source}
	}
	var exact, order, shuffled, middle, aliases, typo1, typo2, typoFirst, translit []Case
	var partial, partialDOB []Case
	for _, e := range sample {
		exact = append(exact, one(e, e.Name))
		if e.Type == screening.TypePerson {
			if q := ListOrder(e.Name); q != "" {
				order = append(order, one(e, q))
			}
			if q := DropMiddle(e.Name); q != "" {
				middle = append(middle, one(e, q))
			}
			if q := DropGiven(e.Name); q != "" {
				partial = append(partial, one(e, q))
				for _, d := range e.BirthDates {
					if len(d) == 10 {
						c := one(e, q)
						c.BirthDate = d
						partialDOB = append(partialDOB, c)
						break
					}
				}
			}
		}
		if q := Shuffle(rng, e.Name); q != "" {
			shuffled = append(shuffled, one(e, q))
		}
		for _, a := range e.Aliases {
			if !a.Weak && len(aliases) < 2*per {
				aliases = append(aliases, one(e, a.Name))
			}
		}
		if q, _ := Typo(rng, e.Name, false, -1); q != "" {
			typo1 = append(typo1, one(e, q))
		}
		if q, i := Typo(rng, e.Name, false, -1); q != "" {
			if q2, _ := Typo(rng, q, false, i); q2 != "" {
				typo2 = append(typo2, one(e, q2))
			} else if q2, _ := Typo(rng, q, false, -1); q2 != "" {
				typo2 = append(typo2, one(e, q2))
			}
		}
		if q, _ := Typo(rng, e.Name, true, -1); q != "" {
			typoFirst = append(typoFirst, one(e, q))
		}
	}
	for _, e := range pool {
		if len(translit) >= per {
			break
		}
		if e.Type != screening.TypePerson {
			continue
		}
		if q := Transliterate(rng, e.Name); q != "" && screening.Normalize(q) != screening.Normalize(e.Name) {
			translit = append(translit, one(e, q))
		}
	}
	// other lists' spellings and non-Latin names, from OpenSanctions referents
	known := map[string]bool{}
	sdnNames := map[string]map[string]bool{}
	for _, e := range all {
		known[e.ID] = true
	}
	for _, e := range sdn {
		m := map[string]bool{screening.Normalize(e.Name): true}
		for _, a := range e.Aliases {
			m[screening.Normalize(a.Name)] = true
		}
		sdnNames[e.ID] = m
	}
	var other, otherOrg, arabic, cyrillic, chinese, japanese, nonLatinOrg []Case
	var otherOrgAll []Case // organisations in Latin script, every name (uncapped)
	const perEntity = 20
	perTarget := map[string]int{}
	seenQ := map[string]bool{}
	for _, e := range append(append([]screening.Entity{}, os1...), os2...) {
		var want []string
		for _, r := range e.Referents {
			switch {
			case strings.HasPrefix(r, "ofac-"):
				if id := "ofac_sdn:" + r[5:]; known[id] {
					want = append(want, id)
				}
			case strings.HasPrefix(r, "unsc-"):
				if id := "un:" + r[5:]; known[id] {
					want = append(want, id)
				}
			}
		}
		if len(want) == 0 {
			continue
		}
		names := []string{e.Name}
		for _, a := range e.Aliases {
			if !a.Weak {
				names = append(names, a.Name)
			}
		}
		for _, n := range names {
			k := strings.Join(want, ",") + "|" + n
			if seenQ[k] {
				continue
			}
			seenQ[k] = true
			c := Case{Query: n, Want: want}
			sc := scriptOf(n)
			// At most perEntity names per wanted entity and script, for
			// persons and organisations alike: one group with a hundred
			// translated names (ISIL-Khorasan, un:6908777) must not weigh
			// as a hundred entities. The Latin-script organisations'
			// figure over every name is reported beside the capped one.
			capped := perTarget[want[0]+sc] >= perEntity
			if !capped {
				perTarget[want[0]+sc]++
			}
			if e.Type != screening.TypePerson {
				if sc == "latin" {
					otherOrgAll = append(otherOrgAll, c)
					if !capped {
						otherOrg = append(otherOrg, c)
					}
				} else if sc != "" {
					if !capped { // no entity has more than 20 in one script: the cap changes nothing here
						nonLatinOrg = append(nonLatinOrg, c)
					}
				}
				continue
			}
			if capped {
				continue
			}
			switch sc {
			case "kana":
				japanese = append(japanese, c)
			case "arabic":
				arabic = append(arabic, c)
			case "cyrillic":
				cyrillic = append(cyrillic, c)
			case "han":
				chinese = append(chinese, c)
			case "latin":
				norm := screening.Normalize(n)
				dup := false
				for _, w := range want {
					if sdnNames[w][norm] {
						dup = true
					}
				}
				if !dup {
					other = append(other, c)
				}
			}
		}
	}
	nonLatin := append(append(append([]Case{}, arabic...), cyrillic...), chinese...)
	// negatives
	var persons, companies, congress []Case
	for i := 0; i < 1000; i++ {
		persons = append(persons, Case{Query: FirstNames[rng.IntN(len(FirstNames))] + " " + Surnames[rng.IntN(len(Surnames))]})
	}
	for i := 0; i < 1000; i++ {
		companies = append(companies, Case{Query: strings.TrimSpace(CompanyHeads[rng.IntN(len(CompanyHeads))] + " " + CompanyMids[rng.IntN(len(CompanyMids))] + " " + CompanyTails[rng.IntN(len(CompanyTails))])})
	}
	for _, n := range congressNames(t) {
		congress = append(congress, Case{Query: n})
	}

	// the fixed split by entity: report on one half, tune on the other
	tune := os.Getenv("KYC_EVAL_SET") == "tune"
	set := func(cs []Case) []Case { return Split(cs, tune) }
	results := []Result{
		Judge(ix, "exact names", 0.99, false, set(exact), thr),
		Judge(ix, "list order (SURNAME, Given)", 0.99, false, set(order), thr),
		Judge(ix, "shuffled tokens", 0.99, false, set(shuffled), thr),
		Judge(ix, "partial names (middle given names left out)", 0.75, false, set(partial), thr),
		Judge(ix, "  partial names with the birth date", 0.90, false, set(partialDOB), thr),
		Judge(ix, "first and last tokens only", 0, false, set(middle), thr),
		Judge(ix, "aliases", 0.97, false, set(aliases), thr),
		Judge(ix, "one typo", 0.97, false, set(typo1), thr),
		Judge(ix, "two typos", 0.90, false, set(typo2), thr),
		Judge(ix, "first-letter typo", 0.90, false, set(typoFirst), thr),
		Judge(ix, "transliteration spellings", 0.95, false, set(translit), thr),
		Judge(ix, "other lists' spellings (persons)", 0.85, false, set(other), thr),
		Judge(ix, "other lists' names (organisations)", 0.70, false, set(otherOrg), thr),
		Judge(ix, "  organisations, every name (uncapped)", 0, false, set(otherOrgAll), thr),
		Judge(ix, "non-Latin (persons)", 0.80, false, set(nonLatin), thr),
		Judge(ix, "  non-Latin: Arabic", 0, false, set(arabic), thr),
		Judge(ix, "  non-Latin: Cyrillic", 0, false, set(cyrillic), thr),
		Judge(ix, "  non-Latin: Chinese", 0, false, set(chinese), thr),
		Judge(ix, "  non-Latin: Japanese (kana)", 0.70, false, set(japanese), thr),
		// Issue #15's target is for kana and Chinese persons together: the
		// lists' Chinese names are too few (1 reporting, 5 tuning) for a
		// target of their own, so the two are also judged as one set.
		Judge(ix, "  non-Latin: kana and Chinese", 0.70, false, set(append(append([]Case{}, japanese...), chinese...)), thr),
		Judge(ix, "  non-Latin (organisations)", 0, false, set(nonLatinOrg), thr),
		Judge(ix, "negative: common person names", 0.99, true, persons, thr),
		Judge(ix, "negative: company names", 0.99, true, companies, thr),
		Judge(ix, "negative: US Congress members", 0.99, true, congress, thr),
	}
	var b strings.Builder
	half := "reporting half"
	if tune {
		half = "tuning half"
	}
	fmt.Fprintf(&b, "\nscreening evaluation: %d entities (OFAC SDN + non-SDN + UN), threshold %.2f, algorithm %s, %s of the split by entity\n", ix.Len(), thr, screening.AlgorithmVersion, half)
	fmt.Fprintf(&b, "%-44s %6s %8s %8s  %s\n", "category", "n", "result", "target", "")
	failed := false
	for _, r := range results {
		metric, target := r.Rate()*100, r.Target*100
		label := "right entity first"
		if r.Negative {
			metric, target, label = 100-metric, 100-target, "any hit (lower is better)"
		}
		status := "ok"
		miss := (!r.Negative && r.Rate() < r.Target) || (r.Negative && r.Rate() < r.Target)
		if r.Target == 0 {
			status = "report only"
		} else if miss {
			status, failed = "MISSED", true
		}
		cmp := ">="
		if r.Negative {
			cmp = "<="
		}
		tgt := "-"
		if r.Target > 0 {
			tgt = fmt.Sprintf("%s%.0f%%", cmp, target)
		}
		fmt.Fprintf(&b, "%-44s %6d %7.1f%% %8s  %s (%s)\n", r.Category, r.N, metric, tgt, status, label)
	}
	t.Log(b.String())
	if testing.Verbose() {
		for _, r := range results {
			for _, f := range r.Failures {
				t.Logf("  [%s] %s", r.Category, f)
			}
		}
	}
	if failed {
		t.Error("a quality target was missed")
	}
}

// scriptOf classifies a name by its letters.
func scriptOf(s string) string {
	var ar, cy, han, kana, lat, other int
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Arabic, r):
			ar++
		case unicode.Is(unicode.Cyrillic, r):
			cy++
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.In(r, unicode.Hiragana, unicode.Katakana):
			kana++
		case unicode.Is(unicode.Latin, r):
			lat++
		case unicode.IsLetter(r):
			other++
		}
	}
	switch {
	case ar > 0 && ar >= lat:
		return "arabic"
	case cy > 0 && cy >= lat:
		return "cyrillic"
	case kana > 0:
		return "kana"
	case han > 0:
		return "han"
	case other > 0:
		return "other"
	case lat > 0:
		return "latin"
	}
	return ""
}

// congressNames reads the Senzing JSON lines of US Congress members.
func congressNames(t *testing.T) []string {
	fs := open(t, "opensanctions/us_congress_senzing.json")
	sc := bufio.NewScanner(fs[0].R)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var out []string
	for sc.Scan() {
		var rec struct {
			Names []struct {
				Full  string `json:"NAME_FULL"`
				First string `json:"NAME_FIRST"`
				Last  string `json:"NAME_LAST"`
			} `json:"NAMES"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		for _, n := range rec.Names {
			name := n.Full
			if name == "" {
				name = strings.TrimSpace(n.First + " " + n.Last)
			}
			if name != "" {
				out = append(out, name)
				break
			}
		}
	}
	return out
}
