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
	// Rotated is a client's new secret, shown once after rotate-secret.
	Rotated *app.NewClient
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

// adminClientDisable disables or re-enables an API client (admin only,
// audited by app.Clients).
func (h *Handler) adminClientDisable(disabled bool) userHandler {
	return func(w http.ResponseWriter, r *http.Request, s app.Session) {
		if _, err := h.d.App.Clients.SetDisabled(r.Context(), s.Actor(), r.PathValue("id"), disabled); err != nil {
			h.fail(w, r, &s, err)
			return
		}
		done := "client_enabled"
		if disabled {
			done = "client_disabled"
		}
		redirect(w, r, "/staff/admin/clients?done="+done)
	}
}

// adminClientRotate gives a client a new secret and shows it once: the
// page is the answer to the POST, never a URL holding the secret.
func (h *Handler) adminClientRotate(w http.ResponseWriter, r *http.Request, s app.Session) {
	nc, err := h.d.App.Clients.RotateSecret(r.Context(), s.Actor(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	h.renderClients(w, r, s, http.StatusOK, adminClientsView{Rotated: &nc})
}

func (h *Handler) adminClientDelete(w http.ResponseWriter, r *http.Request, s app.Session) {
	if err := h.d.App.Clients.Delete(r.Context(), s.Actor(), r.PathValue("id")); err != nil {
		h.fail(w, r, &s, err)
		return
	}
	redirect(w, r, "/staff/admin/clients?done=client_deleted")
}
