package staff

import (
	"net/http"
	"strings"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

type customersView struct {
	shell
	Status, Risk, Type, Cursor, Next string
	Items                            []*domain.Customer
	Search                           bool
	Errs                             map[string]string
	Statuses, Risks                  []string
}

var customerStatuses = []string{"draft", "submitted", "in_review", "info_requested", "approved", "rejected", "closed"}

func (h *Handler) renderCustomers(w http.ResponseWriter, r *http.Request, s app.Session, in app.ListCustomersInput, search bool) {
	v := customersView{shell: h.shell(r, &s, "customers", "staff.nav.customers"), Status: in.Status, Risk: in.RiskRating, Type: in.Type, Cursor: in.Cursor,
		Search: search, Statuses: customerStatuses, Risks: riskRatings}
	items, next, err := h.d.App.Customers.List(r.Context(), s.Actor(), in)
	if err != nil {
		if statusOf(err) == http.StatusUnprocessableEntity {
			v.Errs = fieldErrors(err)
			h.r.Render(w, r, http.StatusUnprocessableEntity, "customers", "", v)
			return
		}
		h.fail(w, r, &s, err)
		return
	}
	v.Items, v.Next = items, next
	h.r.Render(w, r, http.StatusOK, "customers", "", v)
}

func (h *Handler) customers(w http.ResponseWriter, r *http.Request, s app.Session) {
	q := r.URL.Query()
	h.renderCustomers(w, r, s, app.ListCustomersInput{Status: q.Get("status"), RiskRating: q.Get("risk"), Type: q.Get("type"), Cursor: q.Get("cursor"), Limit: 25}, false)
}

// customerSearch finds customers by exact e-mail address or name (blind
// indexes), posted so that neither appears in a URL.
func (h *Handler) customerSearch(w http.ResponseWriter, r *http.Request, s app.Session) {
	term := strings.TrimSpace(r.PostFormValue("q"))
	if term == "" {
		redirect(w, r, "/staff/customers")
		return
	}
	in := app.ListCustomersInput{Limit: 100}
	if strings.Contains(term, "@") {
		in.Email = term
	} else {
		in.Name = term
	}
	h.renderCustomers(w, r, s, in, true)
}

type customerView struct {
	shell
	Customer  *domain.Customer
	Checks    []domain.Check
	Risk      *domain.RiskAssessment
	Cases     []domain.Case
	Documents []app.Document
	Sections  []string
	CanWrite  bool
}

func (h *Handler) customerPage(w http.ResponseWriter, r *http.Request, s app.Session) {
	ctx, a := r.Context(), s.Actor()
	v := customerView{shell: h.shell(r, &s, "customers", ""), Sections: app.RevealSections}
	var err error
	if v.Customer, err = h.d.App.Customers.Get(ctx, a, r.PathValue("id")); err != nil {
		h.fail(w, r, &s, err)
		return
	}
	v.Title = v.Customer.DisplayName()
	v.Checks, _ = h.d.App.Customers.ListChecks(ctx, a, v.Customer.ID)
	if risk, err := h.d.App.Customers.LatestRisk(ctx, a, v.Customer.ID); err == nil {
		v.Risk = &risk
	}
	v.Cases, _, _ = h.d.App.Cases.List(ctx, a, app.ListCasesInput{CustomerID: v.Customer.ID, Limit: 50})
	v.Documents, _ = h.d.App.Documents.List(ctx, a, v.Customer.ID)
	h.r.Render(w, r, http.StatusOK, "customer", "", v)
}

// revealView is one section of a customer's data, masked or in full.
type revealView struct {
	shell
	C        *domain.Customer
	Section  string
	Revealed bool
}

// reveal shows one section in full (htmx swaps it in) and audits it.
func (h *Handler) reveal(w http.ResponseWriter, r *http.Request, s app.Session) {
	section := r.PostFormValue("section")
	c, err := h.d.App.Customers.Reveal(r.Context(), s.Actor(), r.PathValue("id"), section)
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	v := revealView{shell: h.shell(r, &s, "", ""), C: c, Section: section, Revealed: true}
	if !isHTMX(r) {
		redirect(w, r, "/staff/customers/"+c.ID)
		return
	}
	h.r.Render(w, r, http.StatusOK, "customer", "section", v)
}

func (h *Handler) document(w http.ResponseWriter, r *http.Request, s app.Session) {
	d, err := h.d.App.Documents.Get(r.Context(), s.Actor(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	w.Header().Set("Content-Type", d.ContentType)
	w.Header().Set("Content-Disposition", `inline; filename="`+d.ID+`"`)
	w.Header().Set("Cache-Control", "no-store")
	// A PDF is shown by the browser's own viewer; keep it sandboxed.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
	_, _ = w.Write(d.Content)
}

// ---- lists ----

type listsView struct {
	shell
	Snapshots []store.SnapshotRecord
}

func (h *Handler) lists(w http.ResponseWriter, r *http.Request, s app.Session) {
	snaps, err := h.d.App.Screening.Snapshots(r.Context(), s.Actor())
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	h.r.Render(w, r, http.StatusOK, "lists", "", listsView{shell: h.shell(r, &s, "lists", "staff.nav.lists"), Snapshots: snaps})
}

// ---- audit ----

type auditView struct {
	shell
	Events     []domain.AuditEvent
	EntityType string
	After      int64
	Next       int64
	Result     *app.VerifyResult
	Who        map[string]string
}

func (h *Handler) audit(w http.ResponseWriter, r *http.Request, s app.Session) {
	q := r.URL.Query()
	v := auditView{shell: h.shell(r, &s, "audit", "staff.nav.audit"), EntityType: q.Get("entity_type")}
	v.After = atoi64(q.Get("after"))
	evs, err := h.d.App.Audit.ListEvents(r.Context(), s.Actor(), store.AuditFilter{EntityType: v.EntityType, AfterSeq: v.After, Limit: 51})
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	if len(evs) > 50 {
		evs = evs[:50]
		v.Next = evs[49].Seq
	}
	v.Events = evs
	v.Who, _ = h.d.App.Users.Directory(r.Context(), s.Actor())
	h.r.Render(w, r, http.StatusOK, "audit", "", v)
}

func (h *Handler) verify(w http.ResponseWriter, r *http.Request, s app.Session) {
	res, err := h.d.App.Audit.Verify(r.Context(), s.Actor())
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	v := auditView{shell: h.shell(r, &s, "audit", "staff.nav.audit"), Result: &res}
	if isHTMX(r) {
		h.r.Render(w, r, http.StatusOK, "audit", "verify-result", v)
		return
	}
	evs, _ := h.d.App.Audit.ListEvents(r.Context(), s.Actor(), store.AuditFilter{Limit: 50})
	v.Events = evs
	h.r.Render(w, r, http.StatusOK, "audit", "", v)
}

func atoi64(s string) int64 {
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int64(c-'0')
	}
	return n
}
