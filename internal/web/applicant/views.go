package applicant

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/web"
)

// view is the typed view of every applicant page.
type view struct {
	web.Base
	req         *http.Request
	SelfService bool
	SignedIn    bool
	ErrorRef    string
	Errors      []errorView
	// Flow
	Type       string
	StepID     string
	StepNo     int
	StepCount  int
	Heading    string
	BackURL    string
	From       string
	Fields     []fieldView
	People     []personView
	OwnerTotal string
	Documents  []docView
	Latest     *docView
	Review     []reviewSection
	Status     *statusView
	Request    *app.InfoRequest
	Kinds      []kindOption
	Today      string
	// MaxUpload is the document size limit, e.g. "10 MB".
	MaxUpload string
}

type errorView struct {
	Message string
	Href    string
}

type fieldView struct {
	field
	L        web.Localizer
	ID       string
	Value    string
	Error    string
	Hint     string
	Label    string
	Options  []optionView
	DateMax  string
	DateMin  string
	StepID   string
	Lang     string
	Inline   bool // validate on leaving the field (htmx)
	Required bool
}

type optionView struct {
	Value, Label string
	Checked      bool
	ID           string
}

// personView is one related party of the people step: a person or a
// company, its fields in groups (partGroup), and its roles.
type personView struct {
	Index int
	// ID is the party's id (a hidden input keeps it across edits).
	ID      string
	IDPath  string
	Company bool
	Kind    fieldView
	// Person, CompanyFields, Ownership, Address and Document are the
	// groups of fields; the page shows the person or the company ones.
	Person        []fieldView
	CompanyFields []fieldView
	Ownership     []fieldView
	Address       []fieldView
	Document      []fieldView
	Roles         []optionView
	Error         string
}

type docView struct {
	ID, Kind, KindLabel, ContentType, URL string
	Size                                  int64
	IsImage, IsPDF                        bool
	Created                               string
}

type reviewSection struct {
	Title  string
	StepID string
	Rows   []reviewRow
	Error  bool
}

type reviewRow struct {
	Label, Value, ChangeURL, ChangeLabel string
}

type kindOption struct {
	Value, Label string
}

func (h *Handler) page(r *http.Request, title string) *view {
	l := h.r.Localizer(r)
	return &view{Base: web.Base{L: l, Title: l.T(title), Path: r.URL.Path}, req: r}
}

// addError records a problem for the summary (message id or text).
func (v *view) addError(h *Handler, loc, id, msg string) {
	v.Errors = append(v.Errors, errorView{Message: h.msg(v.L, msg), Href: "#" + id})
}

// msg translates a catalogue id or a domain message: domain messages are
// looked up as "rule:<English text>" so they can be phrased for applicants
// and translated; an unknown one is shown as the domain wrote it.
func (h *Handler) msg(l web.Localizer, s string) string {
	return h.msgAt(l, "", s)
}

// msgAt is msg for a field location: a message about a related person of a
// business ("related_persons[1].birth_date") is phrased about that person
// ("Enter their date of birth"), not about the applicant.
func (h *Handler) msgAt(l web.Localizer, loc, s string) string {
	if strings.HasPrefix(loc, "related_persons[") {
		if id := "rule.person:" + s; h.d.Catalog.Has(id) {
			return l.T(id)
		}
	}
	if h.d.Catalog.Has(s) {
		return l.T(s)
	}
	if id := "rule:" + s; h.d.Catalog.Has(id) {
		return l.T(id)
	}
	// A rule that names what it is about in a closing parenthesis (`…
	// ("rp2": 30% effective)`) is phrased by its stem: the page shows it
	// beside that party already.
	if i := strings.LastIndex(s, " ("); i > 0 && strings.HasSuffix(s, ")") {
		if id := "rule:" + s[:i]; h.d.Catalog.Has(id) {
			return l.T(id)
		}
	}
	return s
}

// fieldErrors returns the field problems of a validation error by location.
func fieldErrors(err error) ([]domain.FieldError, bool) {
	var de *domain.Error
	if errors.As(err, &de) && de.Code == domain.ECodeInvalid {
		return de.Fields, true
	}
	return nil, false
}

// ---- countries and currencies ----

type countryOption struct{ Code, Name string }

var (
	countryMu    sync.Mutex
	countryCache = map[string][]countryOption{}
)

func countryOptions(lang string) []countryOption {
	countryMu.Lock()
	defer countryMu.Unlock()
	if c, ok := countryCache[lang]; ok {
		return c
	}
	var out []countryOption
	var namer display.Namer
	if lang == "de" {
		namer = display.German.Regions()
	}
	for _, c := range domain.Countries() {
		name := c.Name
		if namer != nil {
			if reg, err := language.ParseRegion(c.Code); err == nil {
				if n := namer.Name(reg); n != "" {
					name = n
				}
			}
		}
		out = append(out, countryOption{Code: c.Code, Name: name})
	}
	if lang == "de" {
		col := collate.New(language.German)
		sort.SliceStable(out, func(i, j int) bool { return col.CompareString(out[i].Name, out[j].Name) < 0 })
	}
	countryCache[lang] = out
	return out
}

func countryName(lang, code string) string {
	for _, c := range countryOptions(lang) {
		if c.Code == code {
			return c.Name
		}
	}
	return code
}

var currencyCodes = []string{"EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "JPY", "CAD", "AUD"}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// ---- building field views ----

func (h *Handler) fieldView(l web.Localizer, stepID string, f field, value string, errMsg string, today string) fieldView {
	fv := fieldView{field: f, L: l, ID: fieldID(f.Path), Value: value, Label: l.T(f.Label), StepID: stepID, Lang: l.Lang, Required: f.Required}
	if h.d.Catalog.Has(f.Label + ".hint") {
		fv.Hint = l.T(f.Label + ".hint")
	}
	if errMsg != "" {
		fv.Error = h.msgAt(l, f.Path, errMsg)
	}
	if f.DateMax == "today" {
		fv.DateMax = today
	}
	if f.DateMin == "today" {
		fv.DateMin = today
	}
	switch f.Kind {
	case kindRadios:
		for _, o := range f.Options {
			fv.Options = append(fv.Options, optionView{Value: o, Label: l.T(f.Label + "." + o), Checked: value == o, ID: fv.ID + "-" + o})
		}
		fv.Options[0].ID = fv.ID
	case kindYesNo:
		for _, o := range []string{"yes", "no"} {
			fv.Options = append(fv.Options, optionView{Value: o, Label: l.T("answer." + o), Checked: value == o, ID: fv.ID + "-" + o})
		}
		fv.Options[0].ID = fv.ID
	}
	// Inline checks on leaving a field: format problems only.
	switch f.Kind {
	case kindText, kindEmail, kindTel, kindDate, kindURL, kindMRZ, kindAmount:
		fv.Inline = true
	}
	return fv
}

// errorsByLoc indexes field problems by location.
func errorsByLoc(fe []domain.FieldError) map[string]string {
	m := map[string]string{}
	for _, f := range fe {
		if _, ok := m[f.Location]; !ok {
			m[f.Location] = f.Message
		}
	}
	return m
}

// summarise turns field problems into the error summary; a location the
// page has no input for links to the first input of its group.
func (h *Handler) summarise(v *view, t domain.CustomerType, fe []domain.FieldError, onPage map[string]bool, first string) {
	for _, f := range fe {
		id := fieldID(f.Location)
		href := "#" + id
		if !onPage[f.Location] {
			href = "#" + first
			for loc := range onPage {
				if strings.HasPrefix(loc, f.Location+".") && fieldID(loc) < id {
					id = fieldID(loc)
				}
			}
			if v.StepID == "" || v.StepID == "review" {
				if s := stepOf(t, f.Location); s != "" {
					href = Prefix + "/step/" + s + "?from=review#" + fieldID(f.Location)
				}
			}
		}
		v.Errors = append(v.Errors, errorView{Message: h.msgAt(v.L, f.Location, f.Message), Href: href})
	}
}
