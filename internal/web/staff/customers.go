package staff

import (
	"net/http"
	"strings"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
)

// customersView is the customer list with its filters and search.
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
