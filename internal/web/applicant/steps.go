package applicant

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/kyc-platform/kyc/internal/domain"
)

// Field kinds.
const (
	kindText     = "text"
	kindEmail    = "email"
	kindTel      = "tel"
	kindDate     = "date"
	kindCountry  = "country"
	kindRadios   = "radios"
	kindYesNo    = "yesno"
	kindTextarea = "textarea"
	kindAmount   = "amount"
	kindCurrency = "currency"
	kindURL      = "url"
	kindMRZ      = "mrz"
	kindSelect   = "select" // options built by the page (owned_via)
	kindHidden   = "hidden"
)

// field is one question of a step. Path is the field's location in the
// customer data, exactly as the domain validation names it
// ("given_names", "address.country", "document.expiry_date"); the form
// input carries the same name.
type field struct {
	Path         string
	Kind         string
	Label        string // message id; the hint is Label+".hint" when it exists
	Required     bool   // mirrors the submission rule (HTML required)
	Autocomplete string
	Pattern      string
	MaxLen       int
	Options      []string // radios: values; labels are Label+"."+value
	Width        string   // CSS width class
	DateMax      string   // "today" or ""
	DateMin      string   // "today" or ""
}

// step is one page of the flow.
type step struct {
	ID     string
	Title  string // message id of the heading (the question)
	Fields []field
	// Special pages have their own template: "people", "upload", "review".
	Special string
}

// Name pattern for HTML (v flag): letters of any script, marks, space,
// period, apostrophes and hyphens; the domain rule is the authority.
const namePattern = `[\p{L}\p{M} .'’‐\-]+`

func personFields(prefix string, withContact bool) []field {
	p := func(s string) string {
		if prefix == "" {
			return s
		}
		return prefix + "." + s
	}
	fs := []field{
		{Path: p("given_names"), Kind: kindText, Label: "f.given_names", Required: true, Autocomplete: "given-name", Pattern: namePattern, MaxLen: domain.MaxNameLen},
		{Path: p("family_name"), Kind: kindText, Label: "f.family_name", Required: true, Autocomplete: "family-name", Pattern: namePattern, MaxLen: domain.MaxNameLen},
		{Path: p("birth_date"), Kind: kindDate, Label: "f.birth_date", Required: true, Autocomplete: "bday", DateMax: "today", Width: "kyc-w-date"},
	}
	// The place of birth and all nationalities identify a person (EU AMLR
	// art. 22(1)(a)); the place of birth is required of the applicant.
	// A related person's labels speak of them ("f.party.…").
	party := ""
	if prefix != "" {
		party = "party."
	}
	fs = append(fs,
		field{Path: p("place_of_birth.city"), Kind: kindText, Label: "f.place_of_birth.city", Required: prefix == "", Autocomplete: "off", MaxLen: 100, Width: "kyc-w-30"},
		field{Path: p("place_of_birth.country"), Kind: kindCountry, Label: "f.place_of_birth.country", Required: prefix == ""},
		field{Path: p("nationality"), Kind: kindCountry, Label: "f.nationality", Required: true},
		field{Path: p("other_nationalities[0]"), Kind: kindCountry, Label: "f." + party + "other_nationalities"},
		field{Path: p("other_nationalities[1]"), Kind: kindCountry, Label: "f.other_nationalities.more"},
		// A US person gives a US taxpayer identification number (31 CFR
		// 1020.220); the rule is the domain's, the hint says when.
		field{Path: p("tax_id"), Kind: kindText, Label: "f." + party + "tax_id", Autocomplete: "off", Pattern: `[A-Za-z0-9 \-/.]{1,50}`, MaxLen: 50, Width: "kyc-w-20"},
	)
	if withContact {
		fs = append(fs,
			field{Path: p("email"), Kind: kindEmail, Label: "f.email", Autocomplete: "email", MaxLen: 254},
			field{Path: p("phone"), Kind: kindTel, Label: "f.phone", Autocomplete: "tel", Pattern: `\+[1-9][0-9]{7,14}`, MaxLen: 16, Width: "kyc-w-20"},
		)
	}
	return fs
}

func addressFields(prefix string, auto bool) []field {
	ac := func(s string) string {
		if auto {
			return s
		}
		return "off"
	}
	return []field{
		{Path: prefix + ".line1", Kind: kindText, Label: "f.address.line1", Required: true, Autocomplete: ac("address-line1"), MaxLen: 200},
		{Path: prefix + ".line2", Kind: kindText, Label: "f.address.line2", Autocomplete: ac("address-line2"), MaxLen: 200},
		{Path: prefix + ".city", Kind: kindText, Label: "f.address.city", Required: true, Autocomplete: ac("address-level2"), MaxLen: 100, Width: "kyc-w-30"},
		{Path: prefix + ".postal_code", Kind: kindText, Label: "f.address.postal_code", Autocomplete: ac("postal-code"), Pattern: `[\p{L}\p{N} \-]{1,20}`, MaxLen: 20, Width: "kyc-w-10"},
		{Path: prefix + ".region", Kind: kindText, Label: "f.address.region", Autocomplete: ac("address-level1"), MaxLen: 100, Width: "kyc-w-30"},
		{Path: prefix + ".country", Kind: kindCountry, Label: "f.address.country", Required: true, Autocomplete: ac("country")},
	}
}

var moneyFields = []field{
	{Path: "occupation", Kind: kindText, Label: "f.occupation", Autocomplete: "organization-title", MaxLen: 100},
	{Path: "pep_declared", Kind: kindYesNo, Label: "f.pep_declared"},
	{Path: "source_of_funds", Kind: kindTextarea, Label: "f.source_of_funds", MaxLen: 1000},
	{Path: "expected_monthly_volume.amount", Kind: kindAmount, Label: "f.expected_monthly_volume.amount", Width: "kyc-w-20"},
	{Path: "expected_monthly_volume.currency", Kind: kindCurrency, Label: "f.expected_monthly_volume.currency"},
}

var individualSteps = []step{
	{ID: "personal", Title: "step.personal", Fields: personFields("", true)},
	{ID: "address", Title: "step.address", Fields: addressFields("address", true)},
	{ID: "about", Title: "step.about", Fields: moneyFields},
	{ID: "document", Title: "step.document", Fields: []field{
		{Path: "document.type", Kind: kindRadios, Label: "f.document.type", Required: true, Options: []string{"passport", "id_card", "driving_licence", "residence_permit"}},
		{Path: "document.number", Kind: kindText, Label: "f.document.number", Required: true, Pattern: `[A-Za-z0-9 \-]{1,30}`, MaxLen: 40, Width: "kyc-w-20", Autocomplete: "off"},
		{Path: "document.issuing_country", Kind: kindCountry, Label: "f.document.issuing_country", Required: true},
		{Path: "document.expiry_date", Kind: kindDate, Label: "f.document.expiry_date", Required: true, DateMin: "today", Width: "kyc-w-date"},
		{Path: "document.mrz", Kind: kindMRZ, Label: "f.document.mrz", MaxLen: 200},
	}},
	{ID: "upload", Title: "step.upload", Special: "upload"},
	{ID: "review", Title: "step.review", Special: "review"},
}

var businessSteps = []step{
	{ID: "company", Title: "step.company", Fields: []field{
		{Path: "legal_name", Kind: kindText, Label: "f.legal_name", Required: true, Autocomplete: "organization", MaxLen: 200},
		{Path: "registration_number", Kind: kindText, Label: "f.registration_number", Required: true, Pattern: `[\p{L}\p{N} \-./]{1,50}`, MaxLen: 50, Width: "kyc-w-20"},
		{Path: "incorporation_country", Kind: kindCountry, Label: "f.incorporation_country", Required: true},
		{Path: "incorporation_date", Kind: kindDate, Label: "f.incorporation_date", Required: true, DateMax: "today", Width: "kyc-w-date"},
		{Path: "legal_form", Kind: kindText, Label: "f.legal_form", Required: true, MaxLen: 100, Width: "kyc-w-20"},
		{Path: "industry", Kind: kindText, Label: "f.industry", Required: true, Pattern: `[0-9]{2}(\.[0-9]{1,2})?|[0-9]{2,6}`, MaxLen: 6, Width: "kyc-w-10"},
		{Path: "website", Kind: kindURL, Label: "f.website", Autocomplete: "url", MaxLen: 200},
		{Path: "email", Kind: kindEmail, Label: "f.company_email", Autocomplete: "email", MaxLen: 254},
		{Path: "phone", Kind: kindTel, Label: "f.company_phone", Autocomplete: "tel", Pattern: `\+[1-9][0-9]{7,14}`, MaxLen: 16, Width: "kyc-w-20"},
	}},
	{ID: "address", Title: "step.company_address", Fields: addressFields("address", false)},
	{ID: "people", Title: "step.people", Special: "people"},
	{ID: "about", Title: "step.company_about", Fields: []field{
		{Path: "source_of_funds", Kind: kindTextarea, Label: "f.company_source_of_funds", MaxLen: 1000},
		{Path: "expected_monthly_volume.amount", Kind: kindAmount, Label: "f.expected_monthly_volume.amount", Width: "kyc-w-20"},
		{Path: "expected_monthly_volume.currency", Kind: kindCurrency, Label: "f.expected_monthly_volume.currency"},
	}},
	{ID: "upload", Title: "step.company_upload", Special: "upload"},
	{ID: "review", Title: "step.review", Special: "review"},
}

// relatedRoles are the roles a related person may hold.
var relatedRoles = []string{"ubo", "director", "signatory", "senior_managing_official", "shareholder"}

// personRowFields are the fields of one related party of the people step:
// its id (hidden), its kind, the person fields, the company fields, the
// share and the company it is held through, the home address and the
// identity document. The page shows the person or the company fields by
// kind (partGroup), and apply keeps only those of the chosen kind.
func personRowFields(i int) []field {
	prefix := fmt.Sprintf("related_persons[%d]", i)
	fs := []field{
		{Path: prefix + ".id", Kind: kindHidden},
		{Path: prefix + ".kind", Kind: kindRadios, Label: "f.party_kind", Required: true, Options: []string{string(domain.PartyPerson), string(domain.PartyCompany)}},
	}
	pf := personFields(prefix, false)
	for j := range pf {
		pf[j].Autocomplete = "off"
	}
	fs = append(fs, pf...)
	fs = append(fs,
		field{Path: prefix + ".legal_name", Kind: kindText, Label: "f.party.legal_name", Required: true, Autocomplete: "off", MaxLen: 200},
		field{Path: prefix + ".registration_number", Kind: kindText, Label: "f.party.registration_number", Required: true, Autocomplete: "off", Pattern: `[\p{L}\p{N} \-./]{1,50}`, MaxLen: 50, Width: "kyc-w-20"},
		field{Path: prefix + ".incorporation_country", Kind: kindCountry, Label: "f.party.incorporation_country", Required: true},
		field{Path: prefix + ".ownership_percent", Kind: kindText, Label: "f.ownership_percent", Pattern: `[0-9]{1,3}([.,][0-9]{1,2})?`, MaxLen: 6, Width: "kyc-w-10"},
		field{Path: prefix + ".owned_via", Kind: kindSelect, Label: "f.owned_via"},
	)
	fs = append(fs, addressFields(prefix+".address", false)...)
	return append(fs,
		field{Path: prefix + ".document.type", Kind: kindRadios, Label: "f.document.type", Options: []string{"passport", "id_card", "driving_licence", "residence_permit"}},
		field{Path: prefix + ".document.number", Kind: kindText, Label: "f.party.document.number", Pattern: `[A-Za-z0-9 \-]{1,30}`, MaxLen: 40, Width: "kyc-w-20", Autocomplete: "off"},
		field{Path: prefix + ".document.issuing_country", Kind: kindCountry, Label: "f.document.issuing_country"},
		field{Path: prefix + ".document.expiry_date", Kind: kindDate, Label: "f.document.expiry_date", DateMin: "today", Width: "kyc-w-date"},
	)
}

// Groups of a related party's fields on the people step.
const (
	groupID        = "id"
	groupKind      = "kind"
	groupPerson    = "person"
	groupCompany   = "company"
	groupOwnership = "ownership"
	groupAddress   = "address"
	groupDocument  = "document"
)

// partGroup says which group of a related party's row a field belongs to
// ("related_persons[0].address.city" → address).
func partGroup(path string) string {
	rest := path[strings.IndexByte(path, ']')+2:]
	head, _, _ := strings.Cut(rest, ".")
	switch head {
	case "id":
		return groupID
	case "kind":
		return groupKind
	case "legal_name", "registration_number", "incorporation_country":
		return groupCompany
	case "ownership_percent", "owned_via":
		return groupOwnership
	case "address":
		return groupAddress
	case "document":
		return groupDocument
	}
	return groupPerson
}

func stepsFor(t domain.CustomerType) []step {
	if t == domain.CustomerBusiness {
		return businessSteps
	}
	return individualSteps
}

func findStep(t domain.CustomerType, id string) (int, *step) {
	for i := range stepsFor(t) {
		if stepsFor(t)[i].ID == id {
			return i, &stepsFor(t)[i]
		}
	}
	return -1, nil
}

// stepOf returns the step that asks for a location ("" when none does).
func stepOf(t domain.CustomerType, loc string) string {
	if strings.HasPrefix(loc, "related_persons") {
		return "people"
	}
	best, bestLen := "", -1
	for _, s := range stepsFor(t) {
		for _, f := range s.Fields {
			if (loc == f.Path || strings.HasPrefix(f.Path, loc+".") || strings.HasPrefix(loc, f.Path+".")) && len(f.Path) > bestLen {
				best, bestLen = s.ID, len(f.Path)
			}
		}
	}
	return best
}

// fieldID is the HTML id of the input for a location.
func fieldID(loc string) string {
	r := strings.NewReplacer(".", "-", "[", "-", "]", "")
	return "f-" + r.Replace(loc)
}

// ---- reading and writing the data by path, through its JSON form ----

// subject returns the JSON object of the person or business.
func subject(d domain.CustomerData) map[string]any {
	var v any = d.Individual
	if d.Business != nil {
		v = d.Business
	}
	b, _ := json.Marshal(v)
	m := map[string]any{}
	_ = json.Unmarshal(b, &m)
	if m == nil {
		m = map[string]any{}
	}
	return m
}

// setSubject writes the JSON object back into d.
func setSubject(d *domain.CustomerData, t domain.CustomerType, m map[string]any) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if t == domain.CustomerBusiness {
		var bz domain.Business
		if err := json.Unmarshal(b, &bz); err != nil {
			return err
		}
		d.Business, d.Individual = &bz, nil
		return nil
	}
	var p domain.Person
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	d.Individual, d.Business = &p, nil
	return nil
}

var segRe = regexp.MustCompile(`^([a-z_0-9]+)(?:\[(\d+)\])?$`)

// getPath reads a value at a dotted path ("related_persons[0].address.city").
func getPath(m map[string]any, path string) any {
	var cur any = m
	for _, seg := range strings.Split(path, ".") {
		sm := segRe.FindStringSubmatch(seg)
		obj, ok := cur.(map[string]any)
		if sm == nil || !ok {
			return nil
		}
		cur = obj[sm[1]]
		if sm[2] != "" {
			arr, ok := cur.([]any)
			i, _ := strconv.Atoi(sm[2])
			if !ok || i >= len(arr) {
				return nil
			}
			cur = arr[i]
		}
	}
	return cur
}

// setPath writes a value at a dotted path, creating objects on the way.
func setPath(m map[string]any, path string, v any) {
	segs := strings.Split(path, ".")
	cur := m
	for i, seg := range segs {
		sm := segRe.FindStringSubmatch(seg)
		if sm == nil {
			return
		}
		last := i == len(segs)-1
		if sm[2] == "" {
			if last {
				cur[sm[1]] = v
				return
			}
			next, ok := cur[sm[1]].(map[string]any)
			if !ok {
				next = map[string]any{}
				cur[sm[1]] = next
			}
			cur = next
			continue
		}
		idx, _ := strconv.Atoi(sm[2])
		arr, _ := cur[sm[1]].([]any)
		for len(arr) <= idx {
			arr = append(arr, map[string]any{})
		}
		cur[sm[1]] = arr
		if last {
			arr[idx] = v
			return
		}
		next, ok := arr[idx].(map[string]any)
		if !ok {
			next = map[string]any{}
			arr[idx] = next
		}
		cur = next
	}
}

// display renders a stored value for a form input.
func displayValue(f field, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case float64:
		if f.Kind == kindAmount {
			return strconv.FormatFloat(x/100, 'f', -1, 64)
		}
		if x == 0 && strings.HasSuffix(f.Path, "ownership_percent") {
			return ""
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// parseValue turns a form value into the JSON value of a field; ok false
// means the value cannot be read at all (the message says how to fix it).
func parseValue(f field, s string) (v any, problem string) {
	s = strings.TrimSpace(s)
	switch f.Kind {
	case kindYesNo:
		switch s {
		case "yes":
			return true, ""
		case "no":
			return false, ""
		}
		return nil, ""
	case kindAmount:
		if s == "" {
			return nil, ""
		}
		n, err := strconv.ParseFloat(strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), ",", ""), 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) || n > 1e13 {
			return nil, "msg.amount_number"
		}
		return math.Round(n * 100), ""
	case kindMRZ:
		return strings.ToUpper(strings.ReplaceAll(s, "\r\n", "\n")), ""
	case kindCountry, kindCurrency:
		return strings.ToUpper(s), ""
	}
	if strings.HasSuffix(f.Path, "ownership_percent") {
		if s == "" {
			return float64(0), ""
		}
		n, err := strconv.ParseFloat(strings.TrimSuffix(strings.ReplaceAll(s, ",", "."), "%"), 64)
		if err != nil || math.IsNaN(n) {
			return nil, "msg.percent_number"
		}
		return n, ""
	}
	return s, ""
}
