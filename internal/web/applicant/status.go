package applicant

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/kyc-platform/kyc/internal/domain"
)

// fillReview builds the "check your answers" sections, one per step.
func (h *Handler) fillReview(v *view, s sess) {
	l := v.L
	data := subject(s.cust.Data)
	fe, _ := fieldErrors(h.d.App.Customers.Check(s.cust.Type, s.cust.Data, true))
	bad := map[string]bool{}
	for _, f := range fe {
		bad[stepOf(s.cust.Type, f.Location)] = true
	}
	change := l.T("review.change")
	val := func(f field) string {
		raw := getPath(data, f.Path)
		sv := displayValue(f, raw)
		switch f.Kind {
		case kindCountry:
			if sv != "" {
				sv = countryName(l.Lang, sv)
			}
		case kindRadios:
			if sv != "" {
				sv = l.T(f.Label + "." + sv)
			}
		case kindYesNo:
			if sv != "" {
				sv = l.T("answer." + sv)
			}
		}
		if sv == "" {
			return l.T("review.not_given")
		}
		return sv
	}
	for _, st := range stepsFor(s.cust.Type) {
		if st.Special == "review" {
			continue
		}
		sec := reviewSection{Title: l.T(st.Title + ".short"), StepID: st.ID, Error: bad[st.ID]}
		url := Prefix + "/step/" + st.ID + "?from=review"
		switch st.Special {
		case "upload":
			h.fillDocuments(v.req, s, v)
			value := l.T("review.no_document")
			if v.Latest != nil {
				value = v.Latest.KindLabel + " (" + v.Latest.ContentType + ", " + humanSize(v.Latest.Size) + ")"
			}
			sec.Rows = append(sec.Rows, reviewRow{Label: l.T("review.document"), Value: value, ChangeURL: Prefix + "/step/upload?from=review", ChangeLabel: change + " " + strings.ToLower(l.T("review.document"))})
		case "people":
			rps, _ := data["related_persons"].([]any)
			for i := range rps {
				name := partyName(data, i)
				var roles []string
				if arr, ok := getPath(data, fmt.Sprintf("related_persons[%d].roles", i)).([]any); ok {
					for _, r := range arr {
						roles = append(roles, l.T("role."+fmt.Sprint(r)))
					}
				}
				pct := displayValue(field{Path: "ownership_percent"}, getPath(data, fmt.Sprintf("related_persons[%d].ownership_percent", i)))
				value := strings.Join(roles, ", ")
				if pct != "" {
					value += " · " + pct + " %"
					if via, _ := getPath(data, fmt.Sprintf("related_persons[%d].owned_via", i)).(string); via != "" {
						for j := range rps {
							if id, _ := getPath(data, fmt.Sprintf("related_persons[%d].id", j)).(string); id == via {
								value += " " + l.T("review.owned_via", partyName(data, j))
							}
						}
					}
				}
				value = strings.TrimPrefix(value, " · ")
				anchor := fmt.Sprintf("related_persons[%d].given_names", i)
				if getPath(data, fmt.Sprintf("related_persons[%d].kind", i)) == string(domain.PartyCompany) {
					anchor = fmt.Sprintf("related_persons[%d].legal_name", i)
				}
				sec.Rows = append(sec.Rows, reviewRow{Label: name, Value: value, ChangeURL: url + "#" + fieldID(anchor), ChangeLabel: change + " " + name})
			}
			if len(rps) == 0 {
				sec.Rows = append(sec.Rows, reviewRow{Label: l.T("step.people.short"), Value: l.T("review.not_given"), ChangeURL: url, ChangeLabel: change})
			}
		default:
			for _, f := range st.Fields {
				label := l.T(f.Label)
				sec.Rows = append(sec.Rows, reviewRow{Label: label, Value: val(f), ChangeURL: url + "#" + fieldID(f.Path), ChangeLabel: change + " " + strings.ToLower(label)})
			}
		}
		v.Review = append(v.Review, sec)
	}
}

// submit sends the application (the declaration must be confirmed).
func (h *Handler) submit(w http.ResponseWriter, r *http.Request, s sess) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if !s.cust.Status.Editable() {
		http.Redirect(w, r, Prefix+"/status", http.StatusSeeOther)
		return
	}
	idx, st := findStep(s.cust.Type, "review")
	fromAnswer := r.PostFormValue("from") == "answer"
	if r.PostFormValue("declaration") != "yes" {
		if fromAnswer {
			v := h.answerView(r, s)
			v.Errors = []errorView{{Message: v.L.T("msg.declaration"), Href: "#f-declaration"}}
			v.Fields = []fieldView{{ID: "f-declaration", Error: v.L.T("msg.declaration")}}
			h.r.Render(w, r, http.StatusUnprocessableEntity, "answer", "", v)
			return
		}
		v := h.flowView(r, s, idx, st)
		h.renderStep(w, r, s, v, st, nil, []domain.FieldError{{Location: "declaration", Message: "msg.declaration"}}, http.StatusUnprocessableEntity)
		return
	}
	if _, err := h.d.App.Customers.Submit(r.Context(), s.actor, s.cust.ID); err != nil {
		if fe, ok := fieldErrors(err); ok {
			v := h.flowView(r, s, idx, st)
			h.renderStep(w, r, s, v, st, nil, fe, http.StatusUnprocessableEntity)
			return
		}
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, Prefix+"/status", http.StatusSeeOther)
}

// statusView is what the status page and its self-updating panel show.
type statusView struct {
	Status  string
	Heading string
	Body    string
	Next    string
	Checks  []checkView
	Polling bool
	Answer  bool
	Ref     string
}

type checkView struct {
	Label, State, StateLabel string
}

func (h *Handler) statusData(r *http.Request, s sess, v *view) {
	l := v.L
	st := &statusView{Status: string(s.cust.Status), Ref: strings.ToUpper(s.cust.ID[len(s.cust.ID)-8:])}
	key := "status." + string(s.cust.Status)
	st.Heading, st.Body = l.T(key+".heading"), l.T(key+".body")
	if h.d.Catalog.Has(key + ".next") {
		st.Next = l.T(key + ".next")
	}
	if s.cust.Status == domain.StatusSubmitted || s.cust.Status == domain.StatusInReview {
		checks, err := h.d.App.Customers.ListChecks(r.Context(), s.actor, s.cust.ID)
		if err == nil {
			pending := false
			for _, c := range checks {
				state := "done"
				if c.Status == domain.CheckPending {
					state, pending = "pending", true
				}
				st.Checks = append(st.Checks, checkView{Label: l.T("check." + string(c.Type)), State: state, StateLabel: l.T("check.state." + state)})
			}
			st.Polling = pending || s.cust.Status == domain.StatusSubmitted
			if !pending && s.cust.Status == domain.StatusInReview {
				st.Polling = true // a person decides; keep looking, less often
			}
		}
	}
	st.Answer = s.cust.Status == domain.StatusInfoRequested
	v.Status = st
}

func (h *Handler) status(w http.ResponseWriter, r *http.Request, s sess) {
	v := h.page(r, "status.title")
	v.SignedIn = true
	v.Type = string(s.cust.Type)
	h.statusData(r, s, v)
	h.r.Render(w, r, http.StatusOK, "status", "", v)
}

// statusPanel is the fragment the status page polls (htmx); once nothing
// is pending it is returned without the polling trigger, which stops it.
func (h *Handler) statusPanel(w http.ResponseWriter, r *http.Request, s sess) {
	v := h.page(r, "status.title")
	h.statusData(r, s, v)
	h.r.Render(w, r, http.StatusOK, "status", "panel", v)
}

func (h *Handler) answerView(r *http.Request, s sess) *view {
	v := h.page(r, "answer.title")
	v.SignedIn = true
	v.Type = string(s.cust.Type)
	if req, err := h.d.App.AccessLinks.LatestInfoRequest(r.Context(), s.actor, s.cust.ID); err == nil {
		v.Request = &req
	}
	h.fillDocuments(r, s, v)
	for _, st := range stepsFor(s.cust.Type) {
		if st.Special == "" || st.Special == "people" {
			v.Review = append(v.Review, reviewSection{Title: v.L.T(st.Title + ".short"), StepID: st.ID})
		}
	}
	return v
}

// answer is the task page for a request for more information.
func (h *Handler) answer(w http.ResponseWriter, r *http.Request, s sess) {
	if s.cust.Status != domain.StatusInfoRequested {
		http.Redirect(w, r, Prefix+"/status", http.StatusSeeOther)
		return
	}
	h.r.Render(w, r, http.StatusOK, "answer", "", h.answerView(r, s))
}

// partyName is the name of related party i on the review page: a
// company's legal name, a person's given and family names.
func partyName(data map[string]any, i int) string {
	if getPath(data, fmt.Sprintf("related_persons[%d].kind", i)) == string(domain.PartyCompany) {
		return fmt.Sprint(getPath(data, fmt.Sprintf("related_persons[%d].legal_name", i)))
	}
	str := func(path string) string {
		s, _ := getPath(data, path).(string)
		return s
	}
	return strings.TrimSpace(str(fmt.Sprintf("related_persons[%d].given_names", i)) + " " + str(fmt.Sprintf("related_persons[%d].family_name", i)))
}
