package staff

import (
	"net/http"
	"strings"

	"github.com/kyc-platform/kyc/internal/app"
)

// adminUsersView is the admin page of staff users.
type adminUsersView struct {
	shell
	Users   []app.User
	Roles   []string
	Errs    map[string]string
	Form    struct{ Email, Role string }
	Created *app.NewUser
	Reset   string // one-time password after a reset
	ResetOf string
}

func (h *Handler) renderUsers(w http.ResponseWriter, r *http.Request, s app.Session, status int, v adminUsersView) {
	users, err := h.d.App.Users.List(r.Context(), s.Actor())
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	v.shell = h.shell(r, &s, "admin", "staff.admin.users.title")
	v.Users, v.Roles = users, app.Roles
	if v.Errs == nil {
		v.Errs = map[string]string{}
	}
	h.r.Render(w, r, status, "admin_users", "", v)
}

func (h *Handler) adminUsers(w http.ResponseWriter, r *http.Request, s app.Session) {
	h.renderUsers(w, r, s, http.StatusOK, adminUsersView{})
}

func (h *Handler) adminCreateUser(w http.ResponseWriter, r *http.Request, s app.Session) {
	var v adminUsersView
	v.Form.Email, v.Form.Role = strings.TrimSpace(r.PostFormValue("email")), r.PostFormValue("role")
	nu, err := h.d.App.Users.Create(r.Context(), s.Actor(), app.CreateUserInput{Email: v.Form.Email, Role: v.Form.Role})
	if err != nil {
		st := statusOf(err)
		if st != http.StatusUnprocessableEntity && st != http.StatusConflict {
			h.fail(w, r, &s, err)
			return
		}
		v.Errs = fieldErrors(err)
		h.renderUsers(w, r, s, st, v)
		return
	}
	// The one-time password is shown once, on this response only.
	v.Created = &nu
	v.Form.Email, v.Form.Role = "", ""
	h.renderUsers(w, r, s, http.StatusCreated, v)
}

func (h *Handler) adminDisable(disabled bool) userHandler {
	return func(w http.ResponseWriter, r *http.Request, s app.Session) {
		if err := h.d.App.Users.SetDisabled(r.Context(), s.Actor(), r.PathValue("id"), disabled); err != nil {
			h.fail(w, r, &s, err)
			return
		}
		done := "user_enabled"
		if disabled {
			done = "user_disabled"
		}
		redirect(w, r, "/staff/admin/users?done="+done)
	}
}

func (h *Handler) adminResetPassword(w http.ResponseWriter, r *http.Request, s app.Session) {
	pw, err := h.d.App.Users.ResetPassword(r.Context(), s.Actor(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	h.renderUsers(w, r, s, http.StatusOK, adminUsersView{Reset: pw, ResetOf: r.PathValue("id")})
}
