package staff

import (
	"net/http"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
)

// Risk overrides on the customer page: an analyst (or mlro) requests one
// with a reason; a staff mlro other than the requester approves or rejects
// it (four-eyes, RISK_MODEL.md). The app layer enforces every rule; the
// page only shows what it may offer.

// overrideView is the risk-override part of the customer page.
type overrideView struct {
	// List is every override of the customer, newest first, with reasons.
	List []domain.RiskOverride
	// CanRequest shows the request form: an actor with cases:write and a
	// customer under due diligence with a computed rating.
	CanRequest bool
	// CanDecide: the actor is an mlro (each pending override still says
	// whether this mlro requested it: Me).
	CanDecide bool
	Me        string
	Errs      map[string]string
	Form      struct{ Rating, Reason string }
}

// Mine reports whether the viewer requested the override.
func (v overrideView) Mine(o domain.RiskOverride) bool { return o.RequestedBy == v.Me }

func (h *Handler) loadOverrides(r *http.Request, s app.Session, c *domain.Customer, errs map[string]string, rating, reason string) overrideView {
	a := s.Actor()
	v := overrideView{Me: a.String(), Errs: errs}
	if v.Errs == nil {
		v.Errs = map[string]string{}
	}
	v.Form.Rating, v.Form.Reason = rating, reason
	v.List, _ = h.d.App.RiskOverrides.List(r.Context(), a, c.ID)
	switch c.Status {
	case domain.StatusSubmitted, domain.StatusInReview, domain.StatusInfoRequested, domain.StatusApproved:
		v.CanRequest = c.RiskRating != "" && app.Authorize(a, app.PermCasesWrite) == nil
	}
	v.CanDecide = a.Type == domain.ActorUser && a.Role == app.RoleMLRO
	return v
}

// requestOverride records a request from the customer page; a refused
// one shows the page again with the messages by field.
func (h *Handler) requestOverride(w http.ResponseWriter, r *http.Request, s app.Session) {
	id := r.PathValue("id")
	in := app.RequestOverrideInput{Rating: domain.RiskRating(r.PostFormValue("rating")), Reason: r.PostFormValue("reason")}
	if _, err := h.d.App.RiskOverrides.Request(r.Context(), s.Actor(), id, in); err != nil {
		h.overrideFailed(w, r, s, id, err, string(in.Rating), in.Reason)
		return
	}
	redirect(w, r, "/staff/customers/"+id+"?done=override_requested#override")
}

// decideOverride approves or rejects a pending override.
func (h *Handler) decideOverride(w http.ResponseWriter, r *http.Request, s app.Session) {
	customerID := r.PostFormValue("customer_id")
	approve := r.PostFormValue("decision") == "approve"
	o, err := h.d.App.RiskOverrides.Decide(r.Context(), s.Actor(), r.PathValue("id"), app.DecideOverrideInput{Approve: approve, Note: r.PostFormValue("note")})
	if err != nil {
		if customerID == "" {
			h.fail(w, r, &s, err)
			return
		}
		h.overrideFailed(w, r, s, customerID, err, "", "")
		return
	}
	done := "override_rejected"
	if approve {
		done = "override_approved"
	}
	redirect(w, r, "/staff/customers/"+o.CustomerID+"?done="+done+"#override")
}

// overrideFailed shows the customer page with the refusal: field messages
// for 422, the reason in a sentence for 403 and 409.
func (h *Handler) overrideFailed(w http.ResponseWriter, r *http.Request, s app.Session, customerID string, err error, rating, reason string) {
	st := statusOf(err)
	if st != http.StatusUnprocessableEntity && st != http.StatusConflict && st != http.StatusForbidden {
		h.fail(w, r, &s, err)
		return
	}
	errs := map[string]string{}
	if st == http.StatusUnprocessableEntity {
		errs = fieldErrors(err)
	} else {
		errs["form"] = domain.ErrMessage(err)
	}
	h.renderCustomerWith(w, r, s, customerID, st, nil, "", &overrideInput{errs: errs, rating: rating, reason: reason})
}

// overrideInput is what a refused override form showed.
type overrideInput struct {
	errs           map[string]string
	rating, reason string
}
