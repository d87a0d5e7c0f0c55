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
	"tovaristvo z obmezhenoyu vidpovidalnistyu":       "tov",
	"aktsionerne tovaristvo":                          "at",
	"aktsionerne tovarystvo":                          "at",
	"vidkrite aktsionerne tovaristvo":                 "vat",
	"vidkryte aktsionerne tovarystvo":                 "vat",
	"publichne aktsionerne tovaristvo":                "pat",
	"publichne aktsionerne tovarystvo":                "pat",
	"privatne aktsionerne tovaristvo":                 "prat",
	"pryvatne aktsionerne tovarystvo":                 "prat",
	"zakrite aktsionerne tovaristvo":                  "zat",
	"zakryte aktsionerne tovarystvo":                  "zat",
	"ednolichno aktsionerno druzhestvo":               "ead",
	"drustvo s ogranicenom odgovornoscu":              "doo",
	"akcionarsko drustvo":                             "ad",
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

// legalFormWeights: a spelled-out legal form weighs as one of its words,
// not as their sum — "Открытое акционерное общество «Долгопрудный»" is
// "OAO Dolgoprudny", whose distinctive word carries the match. The longest
// form is taken where forms overlap. Its weight is that of its
// abbreviation in the lists, or, when no list writes the abbreviation,
// that of its heaviest word, weighed down once more: an unknown word
// weighs as the rarest, and a legal form is no rare word.
func (ix *Index) legalFormWeights(qt []qTok, nq int) {
	var b strings.Builder
	for i := 0; i < nq; i++ {
		if !legalFormFirst[qt[i].s] {
			continue
		}
		b.Reset()
		best, abbr := 0, ""
		for n := 1; n <= legalFormMaxWords && i+n <= nq; n++ {
			if n > 1 {
				b.WriteByte(' ')
			}
			b.WriteString(qt[i+n-1].s)
			if a, ok := legalForms[b.String()]; ok {
				best, abbr = n, a
			}
		}
		if best < 2 {
			continue
		}
		var sum, top float32
		for k := i; k < i+best; k++ {
			sum += qt[k].w
			top = max(top, qt[k].w)
		}
		target := top * legalFormWeight
		if v, ok := ix.vocabID[abbr]; ok {
			target = ix.vocab[v].w
		}
		if sum > target && sum > 0 {
			f := target / sum
			for k := i; k < i+best; k++ {
				qt[k].w *= f
			}
		}
		i += best - 1
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

// genericClasses are the generic words of organisation names grouped by
// meaning, in the languages of the lists and of the translated names other
// lists carry (romanised as tokenize does: Cyrillic by its language's
// table, cyrillic.go — a Bulgarian word both by the Bulgarian table, when
// the name shows it is Bulgarian, and by the Russian one, when it does not
// (faundeyshan, faundeyshn) — Arabic and Hebrew script as consonant
// spellings). A generic word weighs
// genericWeight of its rarity, and meets the words of its class in another
// language at genericSim ("Armée de Mohammed" meets "MOHAMMED'S ARMY",
// "Grupo Islâmico Armado" "ARMED ISLAMIC GROUP", "rete al-Zarqawi"
// "AL-ZARQAWI NETWORK"). These are words, not names: a listed group's
// translated name is found only through the lists' own aliases.
var genericClasses = [][]string{
	// group
	{"group", "groups", "groupe", "gruppe", "grupa", "grupo", "gruppa", "grupata", "gruppo", "grupp", "grup",
		"gruparea", "grupul", "skupina", "ryhma", "grupi", "jamaat", "jamaah", "jamaa", "jemaah", "jamat", "jmah", "aljmah",
		"jmaa", "gmah", "gmat", "kbvtst", "kvutsat"},
	// network
	{"network", "reseau", "rete", "netzwerk", "mreza", "mrezha", "mrezhata", "siec", "sit", "shbkh", "shabaka", "shabakat",
		"rede", "retea", "reteaua", "siet", "netwerk", "natverk", "netvaerk"},
	// army
	{"army", "armee", "armata", "armiya", "ejercito", "exercito", "esercito", "armia", "armija", "vojska", "jaish",
		"jaysh", "jeish", "jysh", "gysh", "jaishe", "tsva"},
	// front
	{"front", "fronte", "frente", "frontul", "frontat", "frontt", "fronta", "jabhat", "jabha", "jabhet", "jbhh", "gbhh"},
	// brigade
	{"brigade", "brigades", "brigada", "brigady", "brigata", "brigate", "brigadas", "katibat", "katiba", "katibah",
		"kataib", "kataeb", "ktybh", "ktayb", "kthybh", "liwa", "lwa"},
	// battalion
	{"battalion", "battalions", "batalon", "batalion", "batalhao", "batallon", "battaglione", "bataillon", "bataljon",
		"batalyon"},
	// movement
	{"movement", "mouvement", "movimiento", "movimento", "dvizhenie", "dvizhenieto", "harakat", "harakah", "haraka",
		"hrkh", "hrkt", "tehrik", "tahrik", "tehreek", "tahreek", "hareket", "ruch", "gibanje", "hnuti", "pokret",
		"miscarea"},
	// party
	{"party", "partei", "partiya", "partido", "partito", "parti", "partia", "partija", "partiyata", "hizb", "hezb",
		"hizbul", "hzb"},
	// organisation
	{"organization", "organisation", "organizacija", "organizatsiya", "organizatsiyata", "organizacion",
		"organizzazione", "organizacja", "organizace", "organizacao", "organizatia", "organizacia", "organizasyon",
		"organizatsiia", "tanzim", "tanzeem", "tnzym", "tntym", "munazzamat", "munazzama", "mnzmh", "orgnayzeyshn",
		"argvn", "irgun", "organizeyshan"},
	// association, society
	{"association", "society", "asociacion", "associacao", "associazione", "asociatia", "asotsiatsiya", "assotsiatsiya",
		"stowarzyszenie", "udruzenje", "zveza", "sdruzhenie", "jamiat", "jamiyat", "jamiyyat", "jamia", "jmyh", "gmyh",
		"sociedad", "sociedade", "societe", "societa", "societatea", "spolecnost", "sasayti", "sosayati"},
	// company
	{"company", "compagnie", "compania", "companhia", "compagnia", "kompaniya", "kompania", "kompanija", "kompani",
		"firma", "sirketi", "shirkat", "sharikat", "sherkat", "shirket", "shrkh", "shrkt", "shrk"},
	// foundation
	{"foundation", "fondation", "fundacion", "fundacao", "fondazione", "fundatia", "fundacja", "fondatsiya", "fond",
		"stiftung", "nadace", "muassasat", "muassasa", "muassasah", "mwssh", "mwsst", "faundeyshn", "faundeyshan"},
	// union
	{"union", "unione", "unia", "unija", "uniunea", "soyuz", "syuz", "sayuz", "ittihad", "athad", "ithad", "unie", "unjoni"},
	// council
	{"council", "conseil", "consejo", "conselho", "consiglio", "sovet", "majlis", "mjls", "rada", "svet"},
	// committee
	{"committee", "comite", "comitato", "komitet", "komitetat", "lajna", "lajnat", "ljnh"},
	// money exchange, hawala (the sarafi of the Afghan lists)
	{"exchange", "sarafi", "sarrafi", "sarafy", "srafh", "srafy", "cambio", "cambi", "cambios", "change", "menjalnica",
		"obmen", "obmenni", "obmennik", "wechsel", "vaihto", "hawala"},
	// office, bureau
	{"office", "bureau", "ufficio", "oficina", "buro", "byuro", "biuro", "kancelaria", "maktab", "mktb"},
	// charity, charitable
	{"charity", "charitable", "benefica", "benefico", "beneficencia", "caritativa", "caritativo", "caritatevole",
		"khayriya", "khairiya", "khyryh", "alkhyryh", "dobrotvorna", "blagotvoritelnaya", "cheriti", "cheritbl", "charitabal"},
	// humanitarian
	{"humanitarian", "humanitaire", "humanitaria", "humanitario", "umanitaria", "humanitarna", "gumanitarnaya",
		"khyumniterin", "hyumaniterian"},
	// state (the Islamic State's names in the EU's language versions:
	// Islamischer Staat, État islamique, Estado Islámico, Stato islamico,
	// Państwo Islamskie, Islamska država, ad-Dawla al-Islamiya)
	{"state", "staat", "etat", "estado", "stato", "stat", "statul", "drzava", "panstwo", "valtio", "dawla", "dawlat",
		"dawlah", "daulah", "devlet", "devleti", "gosudarstvo", "darzhava", "derzhava"},
	// armed (Groupe islamique armé, Grupo Islâmico Armado, Gruppo Islamico
	// Armato, Grupul islamic armat, Bewaffnete Islamische Gruppe, al-Jama'ah
	// al-Islamiyah al-Musallah; the feminine armata and armada are the
	// army and the navy)
	{"armed", "armado", "armados", "armato", "armati", "armat", "arme", "armes", "bewaffnete", "bewaffneter",
		"bewaffneten", "gewapende", "ozbrojena", "ozbrojeny", "zbrojna", "zbrojny", "oruzhennaya", "oruzhennye",
		"musallah", "musallaha", "musalaha"},
	// province (wilayat, the provinces the Islamic State names its branches)
	{"province", "provinz", "provincia", "provincie", "provinsi", "prowincja", "provintsiya", "pokrajina", "wilayat",
		"wilayah", "wilaya", "vilayet", "velayat"},
	// branch (of a foundation or bank: "Al-Haramain (Nederlandse tak)",
	// "Al-Haramain (branche Afghanistan)")
	{"branch", "branche", "filiale", "filial", "filiala", "sucursal", "succursale", "tak", "afdeling", "zweigstelle",
		"niederlassung", "oddzial", "podruznica", "pobocka"},
	// international
	{"international", "internationale", "internacional", "internazionale", "internationaal", "mezhdunarodnaya",
		"interneshnl", "interneshanal", "alduwali", "dawli"},
	// scientific: the Russian and Ukrainian enterprise types
	// научно-производственное объединение / предприятие (NPO, NPP) and
	// науково-виробниче об'єднання / підприємство, romanised by the
	// Russian table (BGN/PCGN) and the Ukrainian one (Resolution No. 55 of
	// 2010, and tokenize's ye for є): they meet across the two languages
	// and keep their rarity weight (translatedOnly), as the lists' names
	// are scored with it
	{"nauchno", "nauchnoe", "nauchnoye", "nauchnyy", "nauchny", "nauchnaya", "naukovo", "naukove", "naukova",
		"naukovyy", "naukovyi", "nauchnoissledovatelskiy", "nauchnoissledovatelsky"},
	// production (and the joined научно-производственное)
	{"proizvodstvennoe", "proizvodstvennoye", "proizvodstvennaya", "proizvodstvennyy", "proizvodstvenny",
		"vyrobnyche", "virobniche", "vyrobnycha", "virobnicha", "nauchnoproizvodstvennoe", "nauchnoproizvodstvennoye",
		"naukovovyrobnyche", "naukovovirobniche"},
	// enterprise
	{"predpriyatie", "predpriyatiye", "predpriyatiya", "pidpryyemstvo", "pidpriyemstvo", "pidpryiemstvo"},
	// amalgamation (объединение, об'єднання)
	{"obedinenie", "obedineniye", "obyedinenie", "obyedineniye", "obyednannya", "obiednannia"},
}

// translatedOnly are the classes whose words meet each other across
// languages but keep their rarity weight: "state" is the distinctive word
// of "Islamic State", "armed" tells the Armed Islamic Group from the
// Islamic Group.
var translatedOnly = map[string]bool{"state": true, "armed": true,
	"nauchno": true, "proizvodstvennoe": true, "predpriyatie": true, "obedinenie": true} // NPO, NPP: Russian and Ukrainian

// genericWords are further generic words without a class here.
var genericWords = []string{"business", "kompaniyata", "frontul"}

// genericWeight is the share of its rarity weight a generic word keeps.
const genericWeight = 0.3

// genericMateBudget is the number of names a Latin generic word the lists
// write may reach through its class mates ("tak" meets "branch", "province"
// "wilayat"); above it (company, group, association, movement, office in
// the loaded lists) it meets only itself and its spellings.
const genericMateBudget = 64

// genericSim is the similarity of two generic words of one class.
const genericSim = 0.95

// genericClass maps a generic word to its class (index+1 in genericClasses).
var genericClass = map[string]uint8{}

func init() {
	for c, words := range genericClasses {
		for _, w := range words {
			genericClass[w] = uint8(c + 1)
			if _, ok := stopWeight[w]; !ok && !translatedOnly[words[0]] {
				stopWeight[w] = genericWeight
			}
		}
	}
	for _, w := range genericWords {
		if _, ok := stopWeight[w]; !ok {
			stopWeight[w] = genericWeight
		}
	}
	for _, w := range functionWords {
		if _, ok := stopWeight[w]; !ok {
			stopWeight[w] = functionWeight
		}
		isFunctionWord[w] = true
	}
}

// isFunctionWord holds functionWords.
var isFunctionWord = map[string]bool{}

// functionWords are the articles, prepositions and conjunctions that
// translated names of organisations put between the distinctive words
// (Romance, Germanic, Slavic and Arabic romanised): "Exército Islâmico
// de Aden", "Al-Haramayn och Al Masjid Al Aqsa". Those that are also
// given names or surnames (Li, Un, Il, Lo, Um, Na, Do, Din, Tal, Ed, U)
// are left out.
var functionWords = []string{
	"e", "och", "og", "en", "i", "v", "z", "za", "ot", "pri", "s", "sa", "ve", "des", "della", "dell", "delle",
	"dei", "degli", "dello", "lui", "pour", "pentru", "para", "per", "por", "fur", "dem", "der", "die", "det",
	"les", "las", "os", "as", "uma", "une", "fi", "wa", "wal", "lil", "au", "aux", "all", "dall", "nell", "sull",
}

// functionWeight is the share of its rarity weight a function word keeps.
const functionWeight = 0.3

// genericOf returns the generic class of a query token, 0 if none: as
// written, in English-style romanisation, or for an abjad token without an
// attached article.
func genericOf(t *qTok) uint8 {
	if c := genericClass[t.s]; c != 0 {
		return c
	}
	if alt := romanAlt(t.s); alt != t.s {
		if c := genericClass[alt]; c != 0 {
			return c
		}
	}
	if t.script == scriptAbjad && len(t.s) > 4 && t.s[:2] == "al" {
		return genericClass[t.s[2:]]
	}
	return 0
}

// indexGeneric lists the vocabulary tokens of each generic class, and
// those of each cognate form.
func (ix *Index) indexGeneric() {
	ix.generic = make([][]int32, len(genericClasses)+1)
	ix.cognate = map[string][]int32{}
	for id := range ix.vocab {
		if c := genericClass[ix.vocab[id].s]; c != 0 {
			ix.generic[c] = append(ix.generic[c], int32(id))
		}
		if n := cognateStem(ix.vocab[id].s); n > 0 {
			f := ix.vocab[id].s[:n]
			ix.cognate[f] = append(ix.cognate[f], int32(id))
		}
	}
	if ix.ref != nil {
		ix.functionW = ix.ref.functionW
		return
	}
	var sum float32
	n := 0
	for _, w := range functionWords {
		if id, ok := ix.vocabID[w]; ok {
			sum += ix.vocab[id].w
			n++
		}
	}
	if n > 0 {
		ix.functionW = sum / float32(n)
	}
}

// functionWordWeights: a function word of a translated name that the
// lists do not write as written ("Unione della Jihad islamica") weighs
// what the function words the lists write weigh on average, not as the
// rarest word: its rarity in the lists says nothing of the information it
// carries.
func (ix *Index) functionWordWeights(qt []qTok, nq int) {
	if ix.functionW == 0 {
		return
	}
	for i := range qt[:nq] {
		t := &qt[i]
		if t.w <= ix.functionW || !isFunctionWord[t.s] {
			continue
		}
		if _, ok := ix.vocabID[t.s]; ok {
			continue // the lists write it: its own weight
		}
		t.w = ix.functionW
	}
}

// cognateEndings are the endings that the adjectives of the Latin suffix
// -icus take in the languages the lists' translated names are written in
// (islamic, islamique, islámico/islâmica, islamisch/islamischer,
// islamisk/islamiska, islamski/islamska/islámský, Iżlamiku/islamike,
// islamică/islamice/islamici), and the feminine of the Arabic nisba
// adjective, its counterpart (al-Islamiya, al-Islamiyyah, Islamiyeh): a
// word with one of them is one adjective
// whatever the language, inflection and gender ("Groupe islamique armé",
// "Gruppo Islamico Armato", "Islamischer Staat", "Islamska država"
// against ISLAMIC). Longest first within each language.
var cognateEndings = []string{
	"ischen", "ischer", "isches", "ischem", "ische", "isch", // German, Dutch
	"iques", "ique", // French
	"icos", "icas", "icul", "icii", "ico", "ica", "ici", "iche", "ice", "ic", // Romance, Romanian, English
	"iska", "iske", "isk", // Scandinavian
	"skiego", "skogo", "skega", "skaya", "skiy", "skii", "skij", "skoe", "skoj", "skih", "ski", "ska", "sko", "ske", "sky", "ska", // Slavic
	"iku", "ika", "ike", // Albanian, Maltese
	"iyyah", "iyyat", "iyyeh", "iyah", "iyat", "iyeh", "iyya", "iya", "iye", // the Arabic and Persian nisba (islamiya, islamiyyah)
}

// cognateMinStem is the length of the shortest stem cognateFold reads:
// shorter ones (arm-, mal-) are not distinctive enough to carry a
// meaning across languages.
const cognateMinStem = 4

// cognateSim is the similarity of two words with one cognate form.
const cognateSim = 0.95

// cognateFold returns the cognate form of a token (its stem and "ic"), ""
// when it has none of cognateEndings after a stem of cognateMinStem
// letters.
func cognateFold(s string) string {
	if n := cognateStem(s); n > 0 {
		return s[:n] + "ic"
	}
	return ""
}

// cognateStem returns the length of the stem of a token with one of
// cognateEndings, 0 if none: two tokens have one cognate form when their
// stems are equal (the index and the query compare stems, without
// building the form).
func cognateStem(s string) int {
	if len(s) < cognateMinStem+2 {
		return 0
	}
	for _, e := range cognateEndings {
		if len(s) >= len(e)+cognateMinStem && strings.HasSuffix(s, e) {
			n := len(s) - len(e)
			if e[0] == 's' && s[n-1] == 'i' {
				n-- // arabiski: the i belongs to the ending
			}
			if n < cognateMinStem {
				return 0
			}
			return n
		}
	}
	return 0
}

// genericCands adds to a generic query token in another script, or in
// Latin script when no list writes it (rete, réseau, Netzwerk), the indexed
// words of its class, and says whether it is one.
func (ix *Index) genericCands(t *qTok) bool {
	c := genericOf(t)
	if c == 0 || ix.generic == nil {
		return c != 0
	}
	if id, ok := ix.vocabID[t.s]; ok && t.sys == sysLatin {
		// a Latin word the lists write is met as written when its class
		// mates are in many names: their postings (every name with
		// "company", "firma", "sharikat" …) would be walked for every
		// query holding it, 5% of the search time (paired runs), for 0.1
		// point on the reporting half; words in other scripts (جماعة,
		// Група) keep their class
		n := 0
		for _, v := range ix.generic[c] {
			if v != id {
				n += len(ix.postings[v])
			}
		}
		if n > genericMateBudget {
			// the class mates it already meets by spelling (grupo and
			// group, armée and army) are met as class mates: no further
			// postings are walked
			for k := range t.cands {
				if cd := &t.cands[k]; cd.sim < genericSim && genericClass[ix.vocab[cd.v].s] == c {
					cd.sim, cd.method = genericSim, methodGeneric
				}
			}
			return true
		}
	}
mates:
	for _, v := range ix.generic[c] {
		if ix.vocab[v].s == t.s {
			continue // met as written
		}
		for k := range t.cands {
			if cd := &t.cands[k]; cd.v == v {
				// met by spelling too (armée, army): once, at the better
				// similarity — the similarity table keeps one per token
				if cd.sim < genericSim {
					cd.sim, cd.method = genericSim, methodGeneric
				}
				continue mates
			}
		}
		t.cands = append(t.cands, cand{v: v, sim: genericSim, method: methodGeneric})
	}
	return true
}
