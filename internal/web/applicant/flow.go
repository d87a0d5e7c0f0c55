package applicant

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/kyc-platform/kyc/internal/app"
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

// formRows counts the related persons posted (rows are numbered 0..n-1).
func formRows(form map[string]string) int {
	n := 0
	for k := range form {
		if strings.HasPrefix(k, "related_persons[") {
			i, _ := strconv.Atoi(k[len("related_persons["):strings.IndexByte(k, ']')])
			if i+1 > n {
				n = i + 1
			}
		}
	}
	if n == 0 {
		n = 1
	}
	return n
}

func readPeople(r *http.Request) map[string]string {
	out := map[string]string{}
	n, _ := strconv.Atoi(r.PostFormValue("rows"))
	if n < 1 {
		n = 1
	}
	if n > 50 {
		n = 50
	}
	for i := 0; i < n; i++ {
		for _, f := range personRowFields(i) {
			out[f.Path] = r.PostFormValue(f.Path)
		}
		loc := fmt.Sprintf("related_persons[%d].roles", i)
		out[loc] = strings.Join(r.PostForm[loc], ",")
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

// editRows adds an empty row or removes row i, renumbering the rest.
func editRows(form map[string]string, action string) map[string]string {
	n := formRows(form)
	if action == "add" {
		form[fmt.Sprintf("related_persons[%d].given_names", n)] = ""
		return form
	}
	del, err := strconv.Atoi(strings.TrimPrefix(action, "remove-"))
	if err != nil || del < 0 || del >= n {
		return form
	}
	out := map[string]string{}
	for k, val := range form {
		i, _ := strconv.Atoi(k[len("related_persons["):strings.IndexByte(k, ']')])
		rest := k[strings.IndexByte(k, ']')+1:]
		if rest == ".owned_via" {
			// A share held through the removed company is now held
			// directly; references to later rows move up by one.
			if j, err := strconv.Atoi(strings.TrimPrefix(val, "#")); err == nil && strings.HasPrefix(val, "#") {
				switch {
				case j == del:
					val = ""
				case j > del:
					val = fmt.Sprintf("#%d", j-1)
				}
			}
		}
		switch {
		case i < del:
			out[k] = val
		case i > del:
			out[fmt.Sprintf("related_persons[%d]%s", i-1, rest)] = val
		}
	}
	if len(out) == 0 {
		out["related_persons[0].given_names"] = ""
	}
	return out
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

func (h *Handler) uploadKind(t domain.CustomerType) string {
	if t == domain.CustomerBusiness {
		return "company_registration"
	}
	return "identity_document"
}

func (h *Handler) fillDocuments(r *http.Request, s sess, v *view) {
	v.MaxUpload = app.SizeText(h.d.App.Documents.MaxBytes())
	docs, err := h.d.App.Documents.List(r.Context(), s.actor, s.cust.ID)
	if err != nil {
		h.d.Log.Warn("list documents", "err", err)
		return
	}
	for _, d := range docs {
		dv := docView{ID: d.ID, Kind: d.Kind, KindLabel: v.L.T("kind." + d.Kind), ContentType: d.ContentType, Size: d.Size,
			URL: Prefix + "/documents/" + d.ID, IsImage: strings.HasPrefix(d.ContentType, "image/"), IsPDF: d.ContentType == "application/pdf",
			Created: d.CreatedAt.UTC().Format("2006-01-02 15:04")}
		v.Documents = append(v.Documents, dv)
	}
	want := h.uploadKind(s.cust.Type)
	for i := len(v.Documents) - 1; i >= 0; i-- {
		if v.Documents[i].Kind == want {
			d := v.Documents[i]
			v.Latest = &d
			break
		}
	}
	for _, k := range []string{"identity_document", "proof_of_address", "source_of_funds", "source_of_wealth", "company_registration", "ownership_structure", "other"} {
		v.Kinds = append(v.Kinds, kindOption{Value: k, Label: v.L.T("kind." + k)})
	}
}

func (h *Handler) upload(w http.ResponseWriter, r *http.Request, s sess) {
	maxBytes := h.d.App.Documents.MaxBytes()
	r.Body = http.MaxBytesReader(w, r.Body, maxBytes+64<<10)
	back := Prefix + "/step/upload"
	if r.URL.Query().Get("from") == "answer" {
		back = Prefix + "/answer"
	}
	renderErr := func(msgID string, status int, args ...any) {
		if back == Prefix+"/answer" {
			v := h.answerView(r, s)
			v.Errors = []errorView{{Message: v.L.T(msgID, args...), Href: "#f-file"}}
			v.Fields = []fieldView{{ID: "f-file", Error: v.L.T(msgID, args...)}}
			h.r.Render(w, r, status, "answer", "", v)
			return
		}
		idx, st := findStep(s.cust.Type, "upload")
		v := h.flowView(r, s, idx, st)
		h.fillDocuments(r, s, v)
		v.Errors = []errorView{{Message: v.L.T(msgID, args...), Href: "#f-file"}}
		v.Fields = []fieldView{{ID: "f-file", Error: v.L.T(msgID, args...)}}
		h.r.Render(w, r, status, "upload", "", v)
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		renderErr("msg.file_too_large", http.StatusRequestEntityTooLarge, app.SizeText(maxBytes))
		return
	}
	defer func() {
		if r.MultipartForm != nil {
			_ = r.MultipartForm.RemoveAll()
		}
	}()
	var content []byte
	for _, name := range []string{"file", "photo"} {
		f, _, err := r.FormFile(name)
		if err != nil {
			continue
		}
		content, err = io.ReadAll(io.LimitReader(f, maxBytes+1))
		f.Close()
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if len(content) > 0 {
			break
		}
	}
	if len(content) == 0 {
		renderErr("msg.file_choose", http.StatusUnprocessableEntity)
		return
	}
	kind := h.uploadKind(s.cust.Type)
	if k := r.PostFormValue("kind"); k != "" && back == Prefix+"/answer" {
		kind = k
	}
	_, err := h.d.App.Documents.Upload(r.Context(), s.actor, s.cust.ID, kind, content)
	switch domain.ErrCode(err) {
	case "":
	case domain.ECodeTooLarge:
		renderErr("msg.file_too_large", http.StatusRequestEntityTooLarge, app.SizeText(maxBytes))
		return
	case domain.ECodeUnsupported:
		renderErr("msg.file_type", http.StatusUnsupportedMediaType)
		return
	case domain.ECodeInvalid:
		renderErr("msg.file_choose", http.StatusUnprocessableEntity)
		return
	default:
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, back+"#uploaded", http.StatusSeeOther)
}

// document serves an uploaded file of the session's customer (404 for any
// other), inline, with its type from the content.
func (h *Handler) document(w http.ResponseWriter, r *http.Request, s sess) {
	d, err := h.d.App.Documents.Get(r.Context(), s.actor, r.PathValue("id"))
	if err != nil || d.CustomerID != s.cust.ID {
		h.notFound(w, r)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", d.ContentType)
	hd.Set("Content-Disposition", "inline")
	hd.Set("Cache-Control", "private, no-store")
	// Only this origin's pages may frame it (PDF preview).
	hd.Set("X-Frame-Options", "SAMEORIGIN")
	hd.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; plugin-types application/pdf; frame-ancestors 'self'")
	_, _ = w.Write(d.Content)
}

// ---- the people step: related persons and companies ----

// fillPeople builds the rows of the people step from the posted form (when
// showing problems) or the stored data, and returns the id of the first
// input. The owned_via choice lists the other company rows as "#<row>",
// which apply turns into their ids.
func (h *Handler) fillPeople(v *view, st *step, data map[string]any, form map[string]string, errs map[string]string, onPage map[string]bool) string {
	first := ""
	n := 1
	if rp, ok := data["related_persons"].([]any); ok && len(rp) > 0 {
		n = len(rp)
	}
	if form != nil {
		n = formRows(form)
	}
	stored := func(path string) string {
		return displayValue(field{Path: path}, getPath(data, path))
	}
	raw := func(f field) string {
		if form != nil {
			return form[f.Path]
		}
		return displayValue(f, getPath(data, f.Path))
	}
	// Row index of each stored id, for owned_via.
	rowOf := map[string]int{}
	kinds := make([]string, n)
	names := make([]string, n)
	for i := 0; i < n; i++ {
		p := fmt.Sprintf("related_persons[%d]", i)
		if form != nil {
			kinds[i], names[i] = form[p+".kind"], form[p+".legal_name"]
		} else {
			kinds[i], names[i] = stored(p+".kind"), stored(p+".legal_name")
			if id := stored(p + ".id"); id != "" {
				rowOf[id] = i
			}
		}
		if kinds[i] != string(domain.PartyCompany) {
			kinds[i] = string(domain.PartyPerson)
		}
	}
	total := 0.0
	for i := 0; i < n; i++ {
		prefix := fmt.Sprintf("related_persons[%d]", i)
		pv := personView{Index: i, Company: kinds[i] == string(domain.PartyCompany)}
		direct := raw(field{Path: prefix + ".owned_via"}) == ""
		for _, f := range personRowFields(i) {
			val := raw(f)
			switch {
			case strings.HasSuffix(f.Path, ".kind"):
				val = kinds[i]
			case strings.HasSuffix(f.Path, ".owned_via") && form == nil && val != "":
				if j, ok := rowOf[val]; ok {
					val = fmt.Sprintf("#%d", j)
				}
			}
			if f.Kind == kindHidden {
				pv.ID, pv.IDPath = val, f.Path
				continue
			}
			fv := h.fieldView(v.L, st.ID, f, val, errs[f.Path], v.Today)
			onPage[f.Path] = true
			switch partGroup(f.Path) {
			case groupKind:
				pv.Kind = fv
			case groupPerson:
				pv.Person = append(pv.Person, fv)
			case groupCompany:
				pv.CompanyFields = append(pv.CompanyFields, fv)
			case groupOwnership:
				if f.Kind == kindSelect {
					fv.Options = append(fv.Options, optionView{Value: "", Label: v.L.T("people.owned_via.direct"), Checked: val == ""})
					for j := 0; j < n; j++ {
						if j == i || kinds[j] != string(domain.PartyCompany) {
							continue
						}
						label := v.L.T("people.company", j+1)
						if names[j] != "" {
							label += ": " + names[j]
						}
						ref := fmt.Sprintf("#%d", j)
						fv.Options = append(fv.Options, optionView{Value: ref, Label: label, Checked: val == ref})
					}
				} else if direct {
					p, _ := strconv.ParseFloat(strings.ReplaceAll(val, ",", "."), 64)
					total += p
				}
				pv.Ownership = append(pv.Ownership, fv)
			case groupAddress:
				pv.Address = append(pv.Address, fv)
			case groupDocument:
				pv.Document = append(pv.Document, fv)
			}
			if first == "" {
				first = fv.ID
			}
		}
		roles := map[string]bool{}
		if form != nil {
			for _, rl := range strings.Split(form[prefix+".roles"], ",") {
				roles[rl] = true
			}
		} else if arr, ok := getPath(data, prefix+".roles").([]any); ok {
			for _, rl := range arr {
				roles[fmt.Sprint(rl)] = true
			}
		}
		rolesLoc := prefix + ".roles"
		onPage[rolesLoc] = true
		for _, rl := range relatedRoles {
			pv.Roles = append(pv.Roles, optionView{Value: rl, Label: v.L.T("role." + rl), Checked: roles[rl], ID: fieldID(rolesLoc) + "-" + rl})
		}
		pv.Roles[0].ID = fieldID(rolesLoc)
		if e := errs[rolesLoc]; e != "" {
			pv.Error = h.msgAt(v.L, rolesLoc, e)
		}
		for loc, e := range errs {
			if strings.HasPrefix(loc, rolesLoc+"[") && pv.Error == "" {
				pv.Error = h.msgAt(v.L, rolesLoc, e)
			}
		}
		v.People = append(v.People, pv)
	}
	v.OwnerTotal = strconv.FormatFloat(total, 'f', -1, 64)
	return first
}

// personPaths and companyPaths are the fields of a related party that
// belong to one kind only; apply drops those of the other kind, so that
// what a person typed before switching a row's kind is not kept.
var (
	personPaths  = []string{"given_names", "family_name", "birth_date", "nationality", "address", "document", "roles"}
	companyPaths = []string{"legal_name", "registration_number", "incorporation_country"}
)

// applyPeople finishes the related parties that apply wrote from the form:
// each row keeps the fields of its kind, gets an id (the one it had, or a
// new one that stays), and an owned_via naming a row ("#2") becomes that
// row's id.
func applyPeople(m map[string]any) {
	rows, _ := m["related_persons"].([]any)
	for _, r := range rows {
		o, ok := r.(map[string]any)
		if !ok {
			continue
		}
		drop := companyPaths
		if o["kind"] == string(domain.PartyCompany) {
			drop = personPaths
		}
		for _, k := range drop {
			delete(o, k)
		}
		if id, _ := o["id"].(string); id == "" {
			delete(o, "id")
		}
	}
}

// resolveOwnedVia turns the "#<row>" references of the people step into
// the ids of those rows, after every row has an id.
func resolveOwnedVia(prev []domain.RelatedPerson, rps []domain.RelatedPerson) {
	domain.AssignPartyIDs(prev, rps)
	for i := range rps {
		ref, ok := strings.CutPrefix(rps[i].OwnedVia, "#")
		if !ok {
			continue
		}
		j, err := strconv.Atoi(ref)
		if err != nil || j < 0 || j >= len(rps) {
			rps[i].OwnedVia = ""
			continue
		}
		rps[i].OwnedVia = rps[j].ID
	}
}
