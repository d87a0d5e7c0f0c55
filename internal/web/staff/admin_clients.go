package staff

import (
	"net/http"
	"strings"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/auth"
)

// adminClientsView is the admin page of API clients.
type adminClientsView struct {
	shell
	Clients []app.ClientInfo
	Errs    map[string]string
	Form    struct{ Name, Tenant, Scopes string }
	Created *app.NewClient
	// ScopeChoices are the registered API scopes, offered as checkboxes.
	ScopeChoices []auth.ScopeInfo
}

func (h *Handler) renderClients(w http.ResponseWriter, r *http.Request, s app.Session, status int, v adminClientsView) {
	cs, err := h.d.App.Clients.List(r.Context(), s.Actor())
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	v.shell = h.shell(r, &s, "admin", "staff.admin.clients.title")
	v.Clients = cs
	v.ScopeChoices = auth.Scopes()
	if v.Errs == nil {
		v.Errs = map[string]string{}
	}
	h.r.Render(w, r, status, "admin_clients", "", v)
}

func (h *Handler) adminClients(w http.ResponseWriter, r *http.Request, s app.Session) {
	h.renderClients(w, r, s, http.StatusOK, adminClientsView{})
}

func (h *Handler) adminCreateClient(w http.ResponseWriter, r *http.Request, s app.Session) {
	var v adminClientsView
	v.Form.Name, v.Form.Tenant, v.Form.Scopes = r.PostFormValue("name"), strings.TrimSpace(r.PostFormValue("tenant")), strings.Join(r.PostForm["scopes"], " ")
	nc, err := h.d.App.Clients.CreateInTenant(r.Context(), s.Actor(), v.Form.Tenant, v.Form.Name, v.Form.Scopes)
	if err != nil {
		st := statusOf(err)
		if st != http.StatusUnprocessableEntity {
			h.fail(w, r, &s, err)
			return
		}
		v.Errs = fieldErrors(err)
		h.renderClients(w, r, s, st, v)
		return
	}
	v.Created = &nc
	v.Form.Name, v.Form.Tenant, v.Form.Scopes = "", "", ""
	h.renderClients(w, r, s, http.StatusCreated, v)
}
