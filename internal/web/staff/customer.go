package staff

import (
	"net/http"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
)

// customerView is the customer page.
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
