package applicant

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/kyc-platform/kyc/internal/domain"
)

// maxFormBytes caps a step's form (the upload has its own limit).
const maxFormBytes = 256 << 10

func (h *Handler) flowView(r *http.Request, s sess, idx int, st *step) *view {
	v := h.page(r, st.Title)
	steps := stepsFor(s.cust.Type)
	v.SignedIn = true
	v.Type = string(s.cust.Type)
	v.StepID, v.StepNo, v.StepCount = st.ID, idx+1, len(steps)
	v.Heading = v.L.T(st.Title)
	v.From = safeReturn(r)
	v.Today = h.d.App.Customers.Today()
	if v.From == "review" {
		v.BackURL = Prefix + "/step/review"
	} else if idx > 0 {
		v.BackURL = Prefix + "/step/" + steps[idx-1].ID
	}
	if s.cust.Status == domain.StatusInfoRequested && v.From == "" {
		v.BackURL = Prefix + "/answer"
	}
	return v
}

func (h *Handler) lookupStep(w http.ResponseWriter, r *http.Request, s sess) (int, *step, bool) {
	idx, st := findStep(s.cust.Type, r.PathValue("step"))
	if st == nil {
		h.notFound(w, r)
		return 0, nil, false
	}
	if !s.cust.Status.Editable() {
		http.Redirect(w, r, Prefix+"/status", http.StatusSeeOther)
		return 0, nil, false
	}
	return idx, st, true
}

func (h *Handler) stepPage(w http.ResponseWriter, r *http.Request, s sess) {
	idx, st, ok := h.lookupStep(w, r, s)
	if !ok {
		return
	}
	v := h.flowView(r, s, idx, st)
	h.renderStep(w, r, s, v, st, nil, nil, http.StatusOK)
}

// renderStep renders a step with values from form (when re-showing what
// the person typed) or from the stored data, and problems fe.
func (h *Handler) renderStep(w http.ResponseWriter, r *http.Request, s sess, v *view, st *step, form map[string]string, fe []domain.FieldError, status int) {
	data := subject(s.cust.Data)
	errs := errorsByLoc(fe)
	value := func(f field) string {
		if form != nil {
			if val, ok := form[f.Path]; ok {
				return val
			}
		}
		return displayValue(f, getPath(data, f.Path))
	}
	onPage := map[string]bool{}
	first := ""
	switch st.Special {
	case "upload":
		h.fillDocuments(r, s, v)
		first = "f-file"
		onPage["file"] = true
	case "review":
		h.fillReview(v, s)
		first = "f-declaration"
		onPage["declaration"] = true
	case "people":
		first = h.fillPeople(v, st, data, form, errs, onPage)
	default:
		for _, f := range st.Fields {
			v.Fields = append(v.Fields, h.fieldView(v.L, st.ID, f, value(f), errs[f.Path], v.Today))
			onPage[f.Path] = true
			if first == "" {
				first = fieldID(f.Path)
			}
		}
	}
	// Problems of nested locations link to their first input ("roles[0]").
	var shown []domain.FieldError
	for _, f := range fe {
		loc := f.Location
		if i := strings.LastIndex(loc, ".roles["); i >= 0 {
			loc = loc[:i] + ".roles"
		}
		shown = append(shown, domain.FieldError{Location: loc, Message: f.Message})
	}
	h.summarise(v, s.cust.Type, shown, onPage, first)
	page := "step"
	if st.Special != "" {
		page = st.Special
	}
	h.r.Render(w, r, status, page, "", v)
}

// readForm reads the step's inputs: path → raw value.
func readForm(r *http.Request, st *step) map[string]string {
	out := map[string]string{}
	for _, f := range st.Fields {
		out[f.Path] = r.PostFormValue(f.Path)
	}
	return out
}

// apply writes form values into the data (the caller's copy).
func apply(t domain.CustomerType, d domain.CustomerData, fields []field, form map[string]string, people bool) (domain.CustomerData, []domain.FieldError, error) {
	m := subject(d)
	var prev []domain.RelatedPerson
	if d.Business != nil {
		prev = d.Business.RelatedPersons
	}
	var problems []domain.FieldError
	if people {
		delete(m, "related_persons")
		rows := formRows(form)
		for i := 0; i < rows; i++ {
			fields = append(fields, personRowFields(i)...)
			var roles []any
			for _, rl := range strings.Split(form[fmt.Sprintf("related_persons[%d].roles", i)], ",") {
				if rl != "" {
					roles = append(roles, rl)
				}
			}
			if roles == nil {
				roles = []any{}
			}
			setPath(m, fmt.Sprintf("related_persons[%d].roles", i), roles)
		}
	}
	for _, f := range fields {
		raw, ok := form[f.Path]
		if !ok {
			continue
		}
		val, problem := parseValue(f, raw)
		if problem != "" {
			problems = append(problems, domain.FieldError{Location: f.Path, Message: problem})
			continue
		}
		if val == nil && f.Kind == kindYesNo {
			continue
		}
		setPath(m, f.Path, val)
	}
	prune(m)
	if people {
		applyPeople(m)
	}
	if rps, ok := m["related_persons"].([]any); ok {
		for _, rp := range rps {
			if o, ok := rp.(map[string]any); ok {
				prune(o)
			}
		}
	}
	err := setSubject(&d, t, m)
	if err == nil && people && d.Business != nil {
		resolveOwnedVia(prev, d.Business.RelatedPersons)
	}
	return d, problems, err
}

// prune removes nested objects the person left empty, so that an untouched
// optional group (document, address, expected volume) stays absent.
func prune(m map[string]any) {
	for _, k := range []string{"address", "document", "expected_monthly_volume"} {
		o, ok := m[k].(map[string]any)
		if !ok {
			continue
		}
		empty := true
		for _, v := range o {
			switch x := v.(type) {
			case nil:
			case string:
				if x != "" {
					empty = false
				}
			case float64:
				if x != 0 {
					empty = false
				}
			default:
				empty = false
			}
		}
		if empty {
			delete(m, k)
		}
	}
}

func (h *Handler) stepPost(w http.ResponseWriter, r *http.Request, s sess) {
	idx, st, ok := h.lookupStep(w, r, s)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if st.Special == "upload" {
		h.next(w, r, s, idx)
		return
	}
	if st.Special == "review" {
		h.notFound(w, r)
		return
	}
	people := st.Special == "people"
	var form map[string]string
	if people {
		form = readPeople(r)
		if a := r.PostFormValue("action"); a == "add" || strings.HasPrefix(a, "remove-") {
			form = editRows(form, a)
		}
	} else {
		form = readForm(r, st)
	}
	v := h.flowView(r, s, idx, st)
	c, err := h.d.App.Customers.Update(r.Context(), s.actor, s.cust.ID, func(d domain.CustomerData) (domain.CustomerData, error) {
		nd, p, err := apply(s.cust.Type, d, st.Fields, form, people)
		if err != nil {
			return d, err
		}
		if len(p) > 0 {
			return d, &domain.Error{Code: domain.ECodeInvalid, Message: "invalid", Fields: p}
		}
		domain.NormalizeCustomer(&nd)
		return nd, nil
	})
	if err != nil {
		if fe, ok := fieldErrors(err); ok {
			h.renderStep(w, r, s, v, st, form, fe, http.StatusUnprocessableEntity)
			return
		}
		h.fail(w, r, err)
		return
	}
	s.cust = c
	// Adding or removing a row saves and shows the page again.
	if a := r.PostFormValue("action"); people && (a == "add" || strings.HasPrefix(a, "remove-")) {
		http.Redirect(w, r, withQuery(Prefix+"/step/people", queryFrom(v.From)), http.StatusSeeOther)
		return
	}
	// Saved; now the submission rules for this step's questions.
	if fe := h.stepProblems(s.cust, st); len(fe) > 0 {
		h.renderStep(w, r, s, v, st, nil, fe, http.StatusUnprocessableEntity)
		return
	}
	h.next(w, r, s, idx)
}

func queryFrom(from string) map[string][]string {
	if from == "" {
		return nil
	}
	return map[string][]string{"from": {from}}
}

// stepProblems are the submission rules' problems with this step's answers.
func (h *Handler) stepProblems(c *domain.Customer, st *step) []domain.FieldError {
	fe, _ := fieldErrors(h.d.App.Customers.Check(c.Type, c.Data, true))
	var out []domain.FieldError
	for _, f := range fe {
		if stepOf(c.Type, f.Location) == st.ID {
			out = append(out, f)
		}
	}
	return out
}

func (h *Handler) next(w http.ResponseWriter, r *http.Request, s sess, idx int) {
	steps := stepsFor(s.cust.Type)
	target := Prefix + "/step/review"
	if safeReturn(r) != "review" && idx+1 < len(steps) {
		target = Prefix + "/step/" + steps[idx+1].ID
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// validateField checks one field on leaving it (htmx) with the format rules
// only, and answers with that field's markup.
func (h *Handler) validateField(w http.ResponseWriter, r *http.Request, s sess) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	_, st := findStep(s.cust.Type, r.PathValue("step"))
	if st == nil {
		h.notFound(w, r)
		return
	}
	var f *field
	candidates := st.Fields
	if st.Special == "people" {
		for i := 0; i < 50; i++ {
			candidates = append(candidates, personRowFields(i)...)
		}
	}
	for i := range candidates {
		if _, ok := r.PostForm[candidates[i].Path]; ok {
			f = &candidates[i]
			break
		}
	}
	if f == nil {
		h.notFound(w, r)
		return
	}
	raw := r.PostFormValue(f.Path)
	l := h.r.Localizer(r)
	msg := ""
	if strings.TrimSpace(raw) != "" {
		d, problems, err := apply(s.cust.Type, s.cust.Data, []field{*f}, map[string]string{f.Path: raw}, false)
		switch {
		case err != nil:
		case len(problems) > 0:
			msg = problems[0].Message
		default:
			fe, _ := fieldErrors(h.d.App.Customers.Check(s.cust.Type, d, false))
			msg = errorsByLoc(fe)[f.Path]
		}
	}
	fv := h.fieldView(l, st.ID, *f, raw, msg, h.d.App.Customers.Today())
	h.r.Render(w, r, http.StatusOK, "step", "field", fv)
}

// ---- upload and documents ----

// ---- the people step: related persons and companies ----
