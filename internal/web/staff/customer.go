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
	// CanClose shows the off-boarding form: an approved customer and an
	// actor who may change customers.
	CanClose   bool
	CloseError string
	Errs       map[string]string
	Form       struct{ Reason string }
	// Override is the risk-override section (risk_overrides.go).
	Override overrideView
}

func (h *Handler) customerPage(w http.ResponseWriter, r *http.Request, s app.Session) {
	h.renderCustomer(w, r, s, r.PathValue("id"), http.StatusOK, nil, "")
}

func (h *Handler) renderCustomer(w http.ResponseWriter, r *http.Request, s app.Session, id string, status int, errs map[string]string, reason string) {
	h.renderCustomerWith(w, r, s, id, status, errs, reason, nil)
}

func (h *Handler) renderCustomerWith(w http.ResponseWriter, r *http.Request, s app.Session, id string, status int, errs map[string]string, reason string, ov *overrideInput) {
	ctx, a := r.Context(), s.Actor()
	v := customerView{shell: h.shell(r, &s, "customers", ""), Sections: app.RevealSections, Errs: errs}
	v.Form.Reason = reason
	var err error
	if v.Customer, err = h.d.App.Customers.Get(ctx, a, id); err != nil {
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
	v.CanWrite = app.Authorize(a, app.PermCustomersWrite) == nil
	v.CanClose = v.CanWrite && v.Customer.Status == domain.StatusApproved
	if v.Errs == nil {
		v.Errs = map[string]string{}
	}
	if ov == nil {
		ov = &overrideInput{}
	}
	v.Override = h.loadOverrides(r, s, v.Customer, ov.errs, ov.rating, ov.reason)
	h.r.Render(w, r, status, "customer", "", v)
}

// closeCustomer ends the relationship (off-boarding) from the customer
// page; a bad reason or a customer that is not approved shows the page
// again with the message.
func (h *Handler) closeCustomer(w http.ResponseWriter, r *http.Request, s app.Session) {
	id := r.PathValue("id")
	in := app.CloseInput{Reason: r.PostFormValue("reason")}
	if _, err := h.d.App.Customers.Close(r.Context(), s.Actor(), id, in); err != nil {
		st := statusOf(err)
		if st != http.StatusUnprocessableEntity && st != http.StatusConflict {
			h.fail(w, r, &s, err)
			return
		}
		errs := map[string]string{}
		if st == http.StatusUnprocessableEntity {
			errs = fieldErrors(err)
		} else {
			errs["form"] = domain.ErrMessage(err)
		}
		h.renderCustomer(w, r, s, id, st, errs, in.Reason)
		return
	}
	redirect(w, r, "/staff/customers/"+id+"?done=closed")
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

// document shows a document inline (the preview: images in the page, a
// PDF in the browser's viewer in a same-origin frame), audited as a preview.
func (h *Handler) document(w http.ResponseWriter, r *http.Request, s app.Session) {
	h.serveDocument(w, r, s, app.DocumentPreview)
}

// documentDownload sends a document as an attachment, audited as a
// download.
func (h *Handler) documentDownload(w http.ResponseWriter, r *http.Request, s app.Session) {
	h.serveDocument(w, r, s, app.DocumentDownload)
}

func (h *Handler) serveDocument(w http.ResponseWriter, r *http.Request, s app.Session, purpose string) {
	d, err := h.d.App.Documents.Open(r.Context(), s.Actor(), r.PathValue("id"), purpose)
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	disposition := "inline"
	if purpose == app.DocumentDownload {
		disposition = "attachment"
	}
	w.Header().Set("Content-Type", d.ContentType)
	w.Header().Set("Content-Disposition", disposition+`; filename="`+d.ID+documentExt(d.ContentType)+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	// A PDF is shown by the browser's own viewer in a frame of the case
	// page (same origin only). Everything else, and every download, is
	// sandboxed; a PDF preview is not, because Chromium refuses to start
	// its PDF viewer in a document sandboxed by CSP (the frame shows a
	// blocked page). The viewer runs the PDF in its own process with no
	// reach into the case page, and only content sniffed as a PDF at
	// upload (polyglots refused) is stored as one.
	w.Header().Set("X-Frame-Options", "SAMEORIGIN")
	w.Header().Set("Content-Security-Policy", documentCSP(d.ContentType, purpose))
	_, _ = w.Write(d.Content)
}

// documentCSP is the Content-Security-Policy of a document's content.
func documentCSP(ctype, purpose string) string {
	if ctype == "application/pdf" && purpose == app.DocumentPreview {
		return "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
	}
	return "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox"
}

func documentExt(ctype string) string {
	switch ctype {
	case "image/jpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	case "application/pdf":
		return ".pdf"
	}
	return ""
}
