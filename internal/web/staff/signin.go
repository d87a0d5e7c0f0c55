package staff

import (
	"net/http"
	"strings"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/web"
)

// signinView is the sign-in, code, enrolment and password-change pages.
type signinView struct {
	shell
	Email   string
	Error   string
	Errs    map[string]string
	Secret  string // enrolment: the secret for typing in by hand
	QRURL   string
	Expired bool
	// SSO shows "Sign in with SSO"; Local is who may use a password
	// (app.LocalSignIn*).
	SSO   bool
	Local string
}

func (h *Handler) signinPage(w http.ResponseWriter, r *http.Request) {
	if s, err := h.d.App.Users.Session(r.Context(), h.token(r)); err == nil {
		redirect(w, r, stagePath(s.Stage))
		return
	}
	v := signinView{shell: h.shell(r, nil, "", "staff.signin.title"), Expired: r.URL.Query().Get("expired") != ""}
	h.ssoView(&v)
	h.r.Render(w, r, http.StatusOK, "signin", "", v)
}

func (h *Handler) signin(w http.ResponseWriter, r *http.Request) {
	v := signinView{shell: h.shell(r, nil, "", "staff.signin.title"), Email: strings.TrimSpace(r.PostFormValue("email")), Errs: map[string]string{}}
	h.ssoView(&v)
	ip := web.ClientIP(r)
	if h.limiter.Blocked(ip) {
		v.Error = v.L.T("staff.signin.throttled")
		h.r.Render(w, r, http.StatusTooManyRequests, "signin", "", v)
		return
	}
	pw := r.PostFormValue("password")
	if v.Email == "" {
		v.Errs["email"] = v.L.T("staff.signin.email.missing")
	}
	if pw == "" {
		v.Errs["password"] = v.L.T("staff.signin.password.missing")
	}
	if len(v.Errs) > 0 {
		h.r.Render(w, r, http.StatusUnprocessableEntity, "signin", "", v)
		return
	}
	s, err := h.d.App.Users.SignIn(r.Context(), v.Email, pw)
	if err != nil {
		st := statusOf(err)
		if st >= 500 {
			h.serverError(w, r, err)
			return
		}
		h.limiter.Hit(ip)
		v.Error = domain.ErrMessage(err)
		if st == http.StatusUnauthorized {
			v.Error = v.L.T("staff.signin.wrong")
		}
		h.r.Render(w, r, st, "signin", "", v)
		return
	}
	// A new session id at every step of the sign-in (no fixation).
	h.setSession(w, s.Token)
	redirect(w, r, stagePath(s.Stage))
}

// ssoView tells the sign-in page about single sign-on.
func (h *Handler) ssoView(v *signinView) {
	v.SSO, v.Local = h.d.App.Users.SSOEnabled(), h.d.App.Users.LocalSignIn()
}

func (h *Handler) codePage(w http.ResponseWriter, r *http.Request, s app.Session) {
	h.r.Render(w, r, http.StatusOK, "code", "", signinView{shell: h.shell(r, nil, "", "staff.code.title")})
}

func (h *Handler) code(w http.ResponseWriter, r *http.Request, s app.Session) {
	v := signinView{shell: h.shell(r, nil, "", "staff.code.title"), Errs: map[string]string{}}
	ip := web.ClientIP(r)
	if h.limiter.Blocked(ip) {
		v.Errs["code"] = v.L.T("staff.signin.throttled")
		h.r.Render(w, r, http.StatusTooManyRequests, "code", "", v)
		return
	}
	ns, err := h.d.App.Users.VerifyTOTP(r.Context(), h.token(r), r.PostFormValue("code"))
	if err != nil {
		st := statusOf(err)
		if st >= 500 {
			h.serverError(w, r, err)
			return
		}
		h.limiter.Hit(ip)
		if st == http.StatusTooManyRequests {
			h.clearSession(w)
			v.Error = domain.ErrMessage(err)
			h.r.Render(w, r, st, "signin", "", v)
			return
		}
		v.Errs["code"] = v.L.T("staff.code.wrong")
		h.r.Render(w, r, http.StatusUnprocessableEntity, "code", "", v)
		return
	}
	h.setSession(w, ns.Token)
	redirect(w, r, stagePath(ns.Stage))
}

func (h *Handler) passwordPage(w http.ResponseWriter, r *http.Request, s app.Session) {
	h.r.Render(w, r, http.StatusOK, "password", "", signinView{shell: h.shell(r, nil, "", "staff.password.title")})
}

func (h *Handler) password(w http.ResponseWriter, r *http.Request, s app.Session) {
	ns, err := h.d.App.Users.ChangePassword(r.Context(), h.token(r), app.ChangePasswordInput{
		Current: r.PostFormValue("current_password"), New: r.PostFormValue("new_password"), Confirm: r.PostFormValue("confirm_password"),
	})
	if err != nil {
		st := statusOf(err)
		if st == http.StatusUnprocessableEntity {
			v := signinView{shell: h.shell(r, nil, "", "staff.password.title"), Errs: fieldErrors(err)}
			h.r.Render(w, r, st, "password", "", v)
			return
		}
		h.clearSession(w)
		h.fail(w, r, nil, err)
		return
	}
	h.setSession(w, ns.Token)
	redirect(w, r, stagePath(ns.Stage))
}

func (h *Handler) signout(w http.ResponseWriter, r *http.Request) {
	if err := h.d.App.Users.SignOut(r.Context(), h.token(r)); err != nil {
		h.d.Log.Warn("sign-out", "err", err)
	}
	h.clearSession(w)
	redirect(w, r, "/staff/signin")
}
