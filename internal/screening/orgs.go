package screening

import "strings"

// Organisation names: a legal form is written abbreviated or spelled out,
// in the language of the register (AG = Aktiengesellschaft, LLC = limited
// liability company, ООО = общество с ограниченной ответственностью), and
// carries little of the name; so do generic words (group, company,
// organisation, brigade, front, army and their equivalents in the lists'
// languages). Spelled-out legal forms are folded to their abbreviation and
// both are weighted down (stopWeight), so the distinctive words carry the
// match. The common translated names of listed groups are known only
// through the lists' own aliases: there is no table of groups here.

// legalForms maps spelled-out legal forms, as normalised tokens (Cyrillic
// romanised as tokenize does), to their abbreviation.
var legalForms = map[string]string{
	"aktiengesellschaft":                              "ag",
	"gesellschaft mit beschrankter haftung":           "gmbh",
	"kommanditgesellschaft":                           "kg",
	"public limited company":                          "plc",
	"limited liability company":                       "llc",
	"limited liability partnership":                   "llp",
	"limited partnership":                             "lp",
	"limited":                                         "ltd",
	"incorporated":                                    "inc",
	"corporation":                                     "corp",
	"company":                                         "co",
	"societe anonyme":                                 "sa",
	"sociedad anonima":                                "sa",
	"sociedade anonima":                               "sa",
	"societe a responsabilite limitee":                "sarl",
	"sociedad de responsabilidad limitada":            "srl",
	"societa a responsabilita limitata":               "srl",
	"societa per azioni":                              "spa",
	"besloten vennootschap":                           "bv",
	"naamloze vennootschap":                           "nv",
	"joint stock company":                             "jsc",
	"public joint stock company":                      "pjsc",
	"open joint stock company":                        "ojsc",
	"closed joint stock company":                      "cjsc",
	"perseroan terbatas":                              "pt",
	"obshchestvo s ogranichennoy otvetstvennostyu":    "ooo",
	"aktsionernoe obshchestvo":                        "ao",
	"otkrytoe aktsionernoe obshchestvo":               "oao",
	"zakrytoe aktsionernoe obshchestvo":               "zao",
	"publichnoe aktsionernoe obshchestvo":             "pao",
	"aktsionerno druzhestvo":                          "ad",
	"druzhestvo s ogranichena otgovornost":            "ood",
	"ednolichno druzhestvo s ogranichena otgovornost": "eood",
	"tovarystvo z obmezhenoyu vidpovidalnistyu":       "tov",
}

// legalFormAbbrs are abbreviated legal forms without a spelled-out form
// here.
var legalFormAbbrs = []string{"cv", "fze", "fzco", "fzc", "pte", "pvt", "sas", "oy", "tbk", "eood", "ood"}

// legalFormWeight is the share of its rarity weight a legal form keeps: a
// legal form the other name lacks costs a little (another legal person may
// bear the same words), one both names have gains a little.
var legalFormWeight = float32(0.3)

// legalFormMaxWords is the length of the longest spelled-out legal form.
const legalFormMaxWords = 5

// legalFormFirst holds the first words of the spelled-out legal forms.
var legalFormFirst = map[string]bool{}

// legalFormSpelled maps an abbreviation to its spelled-out forms.
var legalFormSpelled = map[string][][]string{}

func init() {
	for k, abbr := range legalForms {
		w := strings.Fields(k)
		if len(w) > legalFormMaxWords {
			panic("legal form longer than legalFormMaxWords: " + k)
		}
		legalFormFirst[w[0]] = true
		legalFormSpelled[abbr] = append(legalFormSpelled[abbr], w)
		for _, x := range w {
			if _, ok := stopWeight[x]; !ok && len(w) > 1 {
				stopWeight[x] = legalFormWeight // the words of a legal form weigh as little as its abbreviation
			}
		}
		stopWeight[abbr] = legalFormWeight
	}
	for _, abbr := range legalFormAbbrs {
		stopWeight[abbr] = legalFormWeight
	}
}

// legalFormColumns adds a column for every run of query tokens that spells
// out a legal form, whose candidate is the abbreviation ("limited
// liability company" meets "llc").
func (ix *Index) legalFormColumns(qt []qTok, nq int) []qTok {
	var b strings.Builder
	for i := 0; i < nq; i++ {
		if !legalFormFirst[qt[i].s] {
			continue
		}
		b.Reset()
		for n := 1; n <= legalFormMaxWords && i+n <= nq; n++ {
			if n > 1 {
				b.WriteByte(' ')
			}
			b.WriteString(qt[i+n-1].s)
			abbr, ok := legalForms[b.String()]
			if !ok {
				continue
			}
			v, ok := ix.vocabID[abbr]
			if !ok || len(qt) == cap(qt) {
				continue
			}
			var w float32
			for k := i; k < i+n; k++ {
				w += qt[k].w
			}
			qt = qt[:len(qt)+1]
			t := &qt[len(qt)-1]
			t.normToken = normToken{s: abbr, sys: qt[i].sys, seg: qt[i].seg}
			t.cands = append(t.cands[:0], cand{v: v, sim: 1, method: methodExact})
			t.splits = t.splits[:0]
			t.runs = [2][]runRef{}
			t.first, t.n, t.w, t.digit = int8(i), int8(n), w, false
		}
	}
	return qt
}

// legalFormSplits adds to a query token that abbreviates a legal form the
// spelled-out forms whose words are indexed ("llc" meets "limited
// liability company").
func (ix *Index) legalFormSplits(t *qTok) {
outer:
	for _, words := range legalFormSpelled[t.s] {
		if len(words) < 2 {
			continue
		}
		var sp split
		for k, w := range words {
			v, ok := ix.vocabID[w]
			if !ok {
				continue outer
			}
			sp.v[k] = v
		}
		sp.n = int8(len(words))
		t.splits = append(t.splits, sp)
	}
}

// legalFormCands adds to a query token that abbreviates a legal form its
// one-word spelled-out forms ("ag" meets "aktiengesellschaft").
func (ix *Index) legalFormCands(t *qTok) {
	for _, words := range legalFormSpelled[t.s] {
		if len(words) != 1 {
			continue
		}
		if v, ok := ix.vocabID[words[0]]; ok {
			t.cands = append(t.cands, cand{v: v, sim: 1, method: methodExact})
		}
	}
}

// genericWords are the generic words of organisation names, in the
// languages of the lists (romanised as tokenize does); they weigh
// genericWeight of their rarity.
var genericWords = []string{
	// group, company, business, organisation, association, society
	"group", "groupe", "gruppe", "grupa", "grupo", "gruppa", "grupata", "gruppo", "business",
	"organization", "organisation", "organizacija", "organizatsiya", "organizatsiyata", "organizacion",
	"organizzazione", "organizacja", "association", "society", "shrkh", "shrk", "sharikat", "sherkat",
	"kompaniya", "kompania", "firma", "sirketi", "network", "reseau", "rete", "netzwerk", "mreza",
	// brigade, front, army, movement, party, battalion
	"brigade", "brigades", "brigada", "brigady", "brigata", "front", "fronte", "frente", "frontul",
	"frontat", "army", "armee", "armiya", "ejercito", "esercito", "movement", "mouvement", "movimiento",
	"dvizhenie", "party", "partei", "partiya", "battalion", "battalions", "batalon",
	// Arabic: army, front, movement, party, brigade(s), organisation, group
	"jaish", "jaysh", "jabhat", "jabha", "harakat", "harakah", "hizb", "katibat", "katiba", "kataib",
	"liwa", "tanzim", "jamaat", "jamaah", "jamaa", "jamiat", "majlis",
}

// genericWeight is the share of its rarity weight a generic word keeps.
const genericWeight = 0.3

func init() {
	for _, w := range genericWords {
		if _, ok := stopWeight[w]; !ok {
			stopWeight[w] = genericWeight
		}
	}
}
