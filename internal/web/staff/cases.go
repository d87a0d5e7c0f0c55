package staff

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/screening"
	"github.com/kyc-platform/kyc/internal/store"
)

// ---- dashboard ----

type dashboardView struct {
	shell
	D app.Dashboard
	// Chart data for Chart.js, as JSON in data-* attributes (no inline
	// script under the CSP); the same numbers are in the tables beside.
	OpenLabels, StatusLabels, RiskLabels     []string
	OpenSeries, DecisionSeries, StatusSeries string
	RiskSeries                               string
}

type series struct {
	Label string  `json:"label"`
	Data  []int64 `json:"data"`
}

func seriesJSON(s ...series) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func (h *Handler) dashboard(w http.ResponseWriter, r *http.Request, s app.Session) {
	a := s.Actor()
	if app.Authorize(a, app.PermCasesRead) != nil {
		// Admins have no case work: their start page is the user list.
		redirect(w, r, "/staff/admin/users")
		return
	}
	d, err := h.d.App.Backoffice.Dashboard(r.Context(), a, 12)
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	v := dashboardView{shell: h.shell(r, &s, "dashboard", "staff.nav.dashboard"), D: d}
	l := v.L
	var ages []series
	for b, label := range d.AgeBuckets {
		sr := series{Label: label}
		for _, k := range d.OpenByKind {
			sr.Data = append(sr.Data, k.Counts[b])
		}
		ages = append(ages, sr)
	}
	for _, k := range d.OpenByKind {
		v.OpenLabels = append(v.OpenLabels, l.T("staff.kind."+string(k.Kind)))
	}
	v.OpenSeries = seriesJSON(ages...)
	v.DecisionSeries = seriesJSON(series{Label: l.T("staff.dash.approved"), Data: d.Approvals}, series{Label: l.T("staff.dash.rejected"), Data: d.Rejects})
	st := series{Label: l.T("staff.dash.axis.customers")}
	for _, c := range d.ByStatus {
		v.StatusLabels = append(v.StatusLabels, l.T("staff.cstatus."+c.Label))
		st.Data = append(st.Data, c.N)
	}
	v.StatusSeries = seriesJSON(st)
	rk := series{Label: l.T("staff.dash.axis.customers")}
	for _, c := range d.ByRisk {
		label := c.Label
		if label == "" {
			label = l.T("staff.risk.unrated")
		}
		v.RiskLabels = append(v.RiskLabels, label)
		rk.Data = append(rk.Data, c.N)
	}
	v.RiskSeries = seriesJSON(rk)
	h.r.Render(w, r, http.StatusOK, "dashboard", "", v)
}

// ---- queue ----

type queueView struct {
	shell
	F       app.QueueInput
	P       app.QueuePage
	Search  bool // results of a name search (the name is not in the URL)
	MeActor string
	Errs    map[string]string
	Who     map[string]string
	Kinds   []string
	Risks   []string
}

var caseKinds = []string{"onboarding", "screening_hit", "periodic_review", "list_update", "transaction_alert"}
var riskRatings = []string{"low", "medium", "high", "prohibited"}

func (h *Handler) queueInput(r *http.Request, s app.Session) app.QueueInput {
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	in := app.QueueInput{Kind: q.Get("kind"), Status: q.Get("status"), Assignee: q.Get("assignee"), Risk: q.Get("risk"), Sort: q.Get("sort"), Page: page}
	if in.Assignee == "me" {
		in.Assignee = s.Actor().String()
	}
	return in
}

func (h *Handler) renderQueue(w http.ResponseWriter, r *http.Request, s app.Session, in app.QueueInput, search bool) {
	v := queueView{shell: h.shell(r, &s, "cases", "staff.nav.cases"), F: in, Search: search, MeActor: s.Actor().String(), Kinds: caseKinds, Risks: riskRatings}
	p, err := h.d.App.Backoffice.Queue(r.Context(), s.Actor(), in)
	if err != nil {
		if statusOf(err) == http.StatusUnprocessableEntity {
			v.Errs = fieldErrors(err)
			h.r.Render(w, r, http.StatusUnprocessableEntity, "queue", "", v)
			return
		}
		h.fail(w, r, &s, err)
		return
	}
	v.P = p
	v.Who, _ = h.d.App.Users.Directory(r.Context(), s.Actor())
	if v.F.Assignee == v.MeActor {
		v.F.Assignee = "me"
	}
	block := ""
	if isHTMX(r) && r.Header.Get("HX-Target") == "queue-results" {
		block = "results"
	}
	h.r.Render(w, r, http.StatusOK, "queue", block, v)
}

func (h *Handler) queue(w http.ResponseWriter, r *http.Request, s app.Session) {
	h.renderQueue(w, r, s, h.queueInput(r, s), false)
}

// queueSearch finds cases by the customer's exact name, posted so that the
// name never appears in a URL or an access log.
func (h *Handler) queueSearch(w http.ResponseWriter, r *http.Request, s app.Session) {
	in := app.QueueInput{Name: strings.TrimSpace(r.PostFormValue("name")), Status: "all", PerPage: 100}
	if in.Name == "" {
		redirect(w, r, "/staff/cases")
		return
	}
	h.renderQueue(w, r, s, in, true)
}

func (h *Handler) assign(w http.ResponseWriter, r *http.Request, s app.Session) {
	id := r.PathValue("id")
	to := ""
	if r.PostFormValue("to") == "me" {
		to = s.Actor().String()
	}
	if _, err := h.d.App.Cases.Assign(r.Context(), s.Actor(), id, to); err != nil {
		h.fail(w, r, &s, err)
		return
	}
	back := r.PostFormValue("back")
	if back != "queue" {
		redirect(w, r, "/staff/cases/"+id+"?done=assigned")
		return
	}
	redirect(w, r, "/staff/cases?done=assigned")
}

// ---- case page ----

type hitView struct {
	Hit      domain.ScreeningHit
	Expl     screening.Explanation
	Query    []string // the customer's matched tokens
	Matched  []string // the list's matched tokens
	Snapshot *store.SnapshotRecord
	Errs     map[string]string
	Form     struct{ Disposition, Reason string }
	Who      string
	CanWrite bool
	Closed   bool
	CaseID   string
}

type caseView struct {
	shell
	Case      domain.Case
	Customer  *domain.Customer
	Checks    []domain.Check
	Hits      []hitView
	OpenHits  int
	Risk      *domain.RiskAssessment
	Decisions []domain.Decision
	Events    []domain.AuditEvent
	Documents []app.Document
	Who       map[string]string
	// Decision form.
	CanWrite     bool
	CanAudit     bool
	IsPending    bool
	PendingMine  bool // the signed-in user gave the first approval
	NeedsMLRO    bool // the second approval of EDD must come from an MLRO
	FourEyesNext bool // approving now sends the case to a second approver
	Errs         map[string]string
	Form         struct{ Decision, Reason string }
	Masked       map[string]bool
	Sections     []string
}

func (h *Handler) loadCase(r *http.Request, s app.Session, id string) (caseView, error) {
	ctx, a := r.Context(), s.Actor()
	v := caseView{shell: h.shell(r, &s, "cases", ""), Errs: map[string]string{}}
	var err error
	if v.Case, err = h.d.App.Cases.Get(ctx, a, id); err != nil {
		return v, err
	}
	if v.Customer, err = h.d.App.Customers.Get(ctx, a, v.Case.CustomerID); err != nil {
		return v, err
	}
	v.Title = v.Customer.DisplayName()
	if v.Checks, err = h.d.App.Customers.ListChecks(ctx, a, v.Customer.ID); err != nil {
		return v, err
	}
	if risk, err := h.d.App.Customers.LatestRisk(ctx, a, v.Customer.ID); err == nil {
		v.Risk = &risk
	}
	hits, err := h.d.App.Cases.Hits(ctx, a, id)
	if err != nil {
		return v, err
	}
	snaps, _ := h.d.App.Screening.Snapshots(ctx, a)
	v.Who, _ = h.d.App.Users.Directory(ctx, a)
	v.CanWrite = app.Authorize(a, app.PermCasesWrite) == nil
	for _, hit := range hits {
		hv := h.hitView(hit, snaps, v.Who, v.CanWrite, v.Case.Status == domain.CaseClosed)
		hv.CaseID = id
		if hit.Disposition == domain.DispositionOpen {
			v.OpenHits++
		}
		v.Hits = append(v.Hits, hv)
	}
	if v.Decisions, err = h.d.App.Cases.Decisions(ctx, a, id); err != nil {
		return v, err
	}
	v.Documents, _ = h.d.App.Documents.List(ctx, a, v.Customer.ID)
	v.CanAudit = app.Authorize(a, app.PermAuditRead) == nil
	if v.CanAudit {
		ce, _ := h.d.App.Audit.ListEvents(ctx, a, store.AuditFilter{EntityType: "case", EntityID: id, Limit: 200})
		cu, _ := h.d.App.Audit.ListEvents(ctx, a, store.AuditFilter{EntityType: "customer", EntityID: v.Customer.ID, Limit: 200})
		v.Events = mergeEvents(ce, cu)
	}
	v.IsPending = v.Case.Status == domain.CasePendingSecondApproval
	v.PendingMine = v.IsPending && v.Case.PendingBy == a.String()
	edd := v.Customer.DueDiligence == domain.DDEnhanced
	v.NeedsMLRO = v.IsPending && edd && a.Role != app.RoleMLRO
	v.FourEyesNext = !v.IsPending && (edd || v.Customer.RiskRating == domain.RiskHigh)
	v.Sections = app.RevealSections
	return v, nil
}

func mergeEvents(a, b []domain.AuditEvent) []domain.AuditEvent {
	out := make([]domain.AuditEvent, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		if j >= len(b) || (i < len(a) && a[i].Seq < b[j].Seq) {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	// Newest first.
	for l, r := 0, len(out)-1; l < r; l, r = l+1, r-1 {
		out[l], out[r] = out[r], out[l]
	}
	return out
}

func (h *Handler) hitView(hit domain.ScreeningHit, snaps []store.SnapshotRecord, who map[string]string, canWrite, closed bool) hitView {
	hv := hitView{Hit: hit, Errs: map[string]string{}, Who: who[hit.DisposedBy], CanWrite: canWrite, Closed: closed}
	_ = json.Unmarshal([]byte(hit.Explanation), &hv.Expl)
	for _, t := range hv.Expl.Tokens {
		if t.Query != "" && t.Matched != "" {
			hv.Query = append(hv.Query, t.Query)
			hv.Matched = append(hv.Matched, t.Matched)
		}
	}
	for i := range snaps {
		if snaps[i].Source == hit.List && snaps[i].Active {
			hv.Snapshot = &snaps[i]
		}
	}
	return hv
}

func (h *Handler) casePage(w http.ResponseWriter, r *http.Request, s app.Session) {
	v, err := h.loadCase(r, s, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	h.r.Render(w, r, http.StatusOK, "case", "", v)
}

func (h *Handler) decide(w http.ResponseWriter, r *http.Request, s app.Session) {
	id := r.PathValue("id")
	in := app.DecideInput{Decision: domain.DecisionKind(r.PostFormValue("decision")), Reason: r.PostFormValue("reason")}
	res, err := h.d.App.Cases.Decide(r.Context(), s.Actor(), id, in)
	if err != nil {
		st := statusOf(err)
		if (st != http.StatusUnprocessableEntity && st != http.StatusConflict && st != http.StatusForbidden) || app.Authorize(s.Actor(), app.PermCasesWrite) != nil {
			h.fail(w, r, &s, err)
			return
		}
		v, lerr := h.loadCase(r, s, id)
		if lerr != nil {
			h.fail(w, r, &s, lerr)
			return
		}
		v.Form.Decision, v.Form.Reason = string(in.Decision), in.Reason
		if st == http.StatusUnprocessableEntity {
			v.Errs = fieldErrors(err)
		} else {
			v.Errs["form"] = domain.ErrMessage(err)
		}
		h.r.Render(w, r, st, "case", "", v)
		return
	}
	done := "decided"
	if res.AwaitingSecondApproval {
		done = "first_approval"
	}
	redirect(w, r, "/staff/cases/"+id+"?done="+done)
}

func (h *Handler) disposition(w http.ResponseWriter, r *http.Request, s app.Session) {
	ctx, a := r.Context(), s.Actor()
	id := r.PathValue("id")
	in := app.DispositionInput{Disposition: domain.Disposition(r.PostFormValue("disposition")), Reason: r.PostFormValue("reason")}
	hit, err := h.d.App.Cases.DispositionHit(ctx, a, id, in)
	status := http.StatusOK
	var hv hitView
	snaps, _ := h.d.App.Screening.Snapshots(ctx, a)
	who, _ := h.d.App.Users.Directory(ctx, a)
	if err != nil {
		st := statusOf(err)
		if st != http.StatusUnprocessableEntity && st != http.StatusConflict {
			h.fail(w, r, &s, err)
			return
		}
		cur, gerr := h.d.App.Cases.Hit(ctx, a, id)
		if gerr != nil {
			h.fail(w, r, &s, gerr)
			return
		}
		hv = h.hitView(cur, snaps, who, true, false)
		hv.Form.Disposition, hv.Form.Reason = string(in.Disposition), in.Reason
		if st == http.StatusUnprocessableEntity {
			hv.Errs = fieldErrors(err)
		} else {
			hv.Errs["form"] = domain.ErrMessage(err)
		}
		status = st
	} else {
		hv = h.hitView(hit, snaps, who, true, false)
	}
	if !isHTMX(r) {
		if err != nil {
			h.fail(w, r, &s, err)
			return
		}
		redirect(w, r, "/staff/cases/"+url.PathEscape(r.PostFormValue("case_id"))+"?done=disposition#hit-"+hit.ID)
		return
	}
	hv.CaseID = r.PostFormValue("case_id")
	v := struct {
		shell
		H hitView
	}{h.shell(r, &s, "cases", ""), hv}
	h.r.Render(w, r, status, "case", "hit-fragment", v)
}
