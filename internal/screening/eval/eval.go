// Package eval measures the quality of the screening matcher on labelled
// queries generated from the real lists in ../shared/data/lists: variants
// of listed names that must find their entity first and above the default
// threshold, and ordinary names that must not hit.
package eval

import (
	"math/rand/v2"
	"os"
	"strings"
	"unicode"

	"github.com/kyc-platform/kyc/internal/screening"
)

// Case is one labelled query.
type Case struct {
	// Query is the name screened.
	Query string
	// Want are the acceptable entity IDs; empty for a negative case.
	Want []string
	// Source is the list whose ranking is judged ("" = any).
	Source string
	// BirthDate is given with the query when set.
	BirthDate string
}

// InReportSet says whether a labelled case belongs to the reporting half
// of the fixed split by entity (FNV-1a of the first wanted entity ID, even
// hashes): the published figures come from it, tuning uses the other half
// (KYC_EVAL_SET=tune), so no entity is both tuned on and reported.
// Negative cases (no wanted entity) are in both.
func InReportSet(c Case) bool {
	if len(c.Want) == 0 {
		return true
	}
	h := uint32(2166136261)
	for i := 0; i < len(c.Want[0]); i++ {
		h ^= uint32(c.Want[0][i])
		h *= 16777619
	}
	return h%2 == 0
}

// Split keeps the cases of one half of the split: the reporting half, or
// with tune the tuning half.
func Split(cases []Case, tune bool) []Case {
	var out []Case
	for _, c := range cases {
		if len(c.Want) == 0 || InReportSet(c) != tune {
			out = append(out, c)
		}
	}
	return out
}

// Result is the outcome of one category.
type Result struct {
	// Category names the query family.
	Category string
	// N is the number of queries.
	N int
	// OK is the number of queries that behaved as wanted.
	OK int
	// Target is the minimum share of OK queries (0..1).
	Target float64
	// Negative marks categories where OK means "no hit".
	Negative bool
	// Failures are a few failing queries for the report.
	Failures []string
}

// Rate is OK/N.
func (r Result) Rate() float64 {
	if r.N == 0 {
		return 0
	}
	return float64(r.OK) / float64(r.N)
}

// Judge runs the cases of one category against the index.
// KYC_EVAL_FAILURES=all keeps every failing query for the report instead
// of the first eight; KYC_EVAL_FAILURES=explain also gives, for a missed
// variant, the wanted entity's best score and its explanation (searched
// again at threshold 0.3), to tell near misses from names out of reach.
func Judge(ix *screening.Index, category string, target float64, negative bool, cases []Case, thr float64) Result {
	r := Result{Category: category, N: len(cases), Target: target, Negative: negative}
	maxFail := 8
	explain := os.Getenv("KYC_EVAL_FAILURES") == "explain"
	if explain || os.Getenv("KYC_EVAL_FAILURES") == "all" {
		maxFail = len(cases)
	}
	for _, c := range cases {
		ms := ix.Search(screening.Query{Name: c.Query, BirthDate: c.BirthDate, Threshold: thr, Limit: 10})
		ok := false
		if negative {
			ok = len(ms) == 0
			if !ok && len(r.Failures) < maxFail {
				r.Failures = append(r.Failures, c.Query+" -> "+ms[0].MatchedName+" ("+ms[0].EntityID+", "+ftoa(ms[0].Score)+")")
			}
		} else {
			ok = firstIsWanted(ms, c)
			if !ok && len(r.Failures) < maxFail {
				got := "no hit"
				if len(ms) > 0 {
					got = ms[0].MatchedName + " (" + ms[0].EntityID + ", " + ftoa(ms[0].Score) + ")"
				}
				f := c.Query + " want " + strings.Join(c.Want, "|") + " got " + got
				if explain {
					f += " | wanted: " + wantedScore(ix, c)
				}
				r.Failures = append(r.Failures, f)
			}
		}
		if ok {
			r.OK++
		}
	}
	return r
}

// wantedScore is the best score of a wanted entity at threshold 0.3, with
// its explanation.
func wantedScore(ix *screening.Index, c Case) string {
	ms := ix.Search(screening.Query{Name: c.Query, BirthDate: c.BirthDate, Threshold: 0.3, Limit: 1000})
	for _, m := range ms {
		if contains(c.Want, m.EntityID) {
			return ftoa(m.Score) + " " + m.Explanation.Summary
		}
	}
	return "below 0.3"
}

// firstIsWanted: a wanted entity is the first match (ties allowed: the
// matches after it with its score) among the matches of the judged source.
// A match ranked after the first with a higher score (one matching a part
// of the query alone, ranked after those matching the whole query) is no
// tie.
func firstIsWanted(ms []screening.Match, c Case) bool {
	best := -1.0
	for _, m := range ms {
		if c.Source != "" && m.List != c.Source && !contains(c.Want, m.EntityID) {
			continue
		}
		if best < 0 {
			best = m.Score
		}
		if m.Score != best {
			return false
		}
		if contains(c.Want, m.EntityID) {
			return true
		}
	}
	return false
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

func ftoa(f float64) string {
	s := []byte("0.000")
	v := int(f*1000 + 0.5)
	s[0] = byte('0' + v/1000)
	s[2], s[3], s[4] = byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10)
	return string(s)
}

// letters is the alphabet for typos.
const letters = "abcdefghijklmnopqrstuvwxyz"

// Typo applies one random edit (substitution, deletion, insertion or
// transposition) to a token of at least 4 letters, never at the first
// letter unless first is set.
func Typo(rng *rand.Rand, name string, first bool, avoid int) (string, int) {
	toks := strings.Fields(name)
	var cand []int
	for i, t := range toks {
		if len([]rune(t)) >= 4 && i != avoid && isLetters(t) {
			cand = append(cand, i)
		}
	}
	if len(cand) == 0 {
		return "", -1
	}
	ti := cand[rng.IntN(len(cand))]
	r := []rune(strings.ToLower(toks[ti]))
	if first {
		c := rune(letters[rng.IntN(26)])
		for c == r[0] {
			c = rune(letters[rng.IntN(26)])
		}
		r[0] = c
	} else {
		p := 1 + rng.IntN(len(r)-1)
		switch rng.IntN(4) {
		case 0:
			c := rune(letters[rng.IntN(26)])
			for c == r[p] {
				c = rune(letters[rng.IntN(26)])
			}
			r[p] = c
		case 1:
			r = append(r[:p], r[p+1:]...)
		case 2:
			r = append(r[:p], append([]rune{rune(letters[rng.IntN(26)])}, r[p:]...)...)
		case 3:
			if p == len(r)-1 {
				p--
			}
			if p < 1 {
				p = 1
			}
			r[p], r[p+1] = r[p+1], r[p]
		}
	}
	toks[ti] = string(r)
	return strings.Join(toks, " "), ti
}

func isLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// translitRules are common alternative romanisations: each pair is tried
// in both directions on whole tokens or token parts.
var translitRules = [][2]string{
	{"mohammed", "muhammad"}, {"muhammad", "mohamed"}, {"mohammad", "muhammed"}, {"mohamed", "mohammad"},
	{"ahmed", "ahmad"}, {"ahmad", "ahmed"}, {"hussein", "husain"}, {"husayn", "hussein"}, {"hassan", "hasan"},
	{"yusuf", "yousef"}, {"youssef", "yusuf"}, {"abdul", "abdoul"}, {"abd al", "abdul"}, {"abdel", "abdul"},
	{"osama", "usama"}, {"usama", "osama"}, {"omar", "umar"}, {"umar", "omar"}, {"mahmoud", "mahmud"},
	{"mahmud", "mahmoud"}, {"mustafa", "moustafa"}, {"khalid", "khaled"}, {"khaled", "khalid"},
	{"kh", "h"}, {"ov ", "off "}, {"ev ", "eff "}, {"ou", "u"}, {"sh", "ch"}, {"dj", "j"}, {"j", "dj"},
	{"ph", "f"}, {"y", "i"}, {"ee", "i"}, {"oo", "u"}, {"q", "k"}, {"ck", "k"}, {"tch", "ch"},
	{"zh", "j"}, {"iy", "i"}, {"aa", "a"}, {"ei", "ey"}, {"al-", "el-"}, {"el-", "al-"},
}

// Transliterate returns a different romanisation of name using the first
// applicable rule (rules are tried from a random start), or "".
func Transliterate(rng *rand.Rand, name string) string {
	low := strings.ToLower(name) + " "
	start := rng.IntN(len(translitRules))
	for k := 0; k < len(translitRules); k++ {
		r := translitRules[(start+k)%len(translitRules)]
		if strings.Contains(low, r[0]) {
			// replace one occurrence
			i := strings.Index(low, r[0])
			out := low[:i] + r[1] + low[i+len(r[0]):]
			return strings.TrimSpace(out)
		}
	}
	return ""
}

// Shuffle returns the tokens of name in a different order, or "".
func Shuffle(rng *rand.Rand, name string) string {
	toks := strings.Fields(name)
	if len(toks) < 2 {
		return ""
	}
	orig := strings.Join(toks, " ")
	for range 5 {
		rng.Shuffle(len(toks), func(i, j int) { toks[i], toks[j] = toks[j], toks[i] })
		if s := strings.Join(toks, " "); s != orig {
			return s
		}
	}
	return ""
}

// ListOrder turns "Given Names SURNAME" into OFAC's "SURNAME, Given Names"
// using the upper-case tokens at the end as the surname.
func ListOrder(name string) string {
	toks := strings.Fields(name)
	i := len(toks)
	for i > 0 && toks[i-1] == strings.ToUpper(toks[i-1]) && strings.ToUpper(toks[i-1]) != strings.ToLower(toks[i-1]) {
		i--
	}
	if i == 0 || i == len(toks) {
		return ""
	}
	return strings.Join(toks[i:], " ") + ", " + strings.Join(toks[:i], " ")
}

// DropGiven leaves out the middle given names of a "Given Names SURNAME"
// name: the first given name and the surname (the tokens in capitals)
// are kept, as people shorten their names. It returns "" when there is no
// middle given name to leave out.
func DropGiven(name string) string {
	toks := strings.Fields(name)
	i := len(toks)
	for i > 0 && isUpperToken(toks[i-1]) {
		i--
	}
	if i < 2 || i == len(toks) {
		return ""
	}
	return toks[0] + " " + strings.Join(toks[i:], " ")
}

func isUpperToken(t string) bool {
	return t == strings.ToUpper(t) && strings.ToUpper(t) != strings.ToLower(t)
}

// DropMiddle keeps the first and last tokens of a name of 3 or more tokens.
func DropMiddle(name string) string {
	toks := strings.Fields(name)
	if len(toks) < 3 {
		return ""
	}
	return toks[0] + " " + toks[len(toks)-1]
}
