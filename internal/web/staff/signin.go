package staff

import (
	"github.com/kyc-platform/kyc/internal/web"
	"net/http"
	"strings"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/domain"
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
}

func (h *Handler) signinPage(w http.ResponseWriter, r *http.Request) {
	if s, err := h.d.App.Users.Session(r.Context(), h.token(r)); err == nil {
		redirect(w, r, stagePath(s.Stage))
		return
	}
	v := signinView{shell: h.shell(r, nil, "", "staff.signin.title"), Expired: r.URL.Query().Get("expired") != ""}
	h.r.Render(w, r, http.StatusOK, "signin", "", v)
}

func (h *Handler) signin(w http.ResponseWriter, r *http.Request) {
	v := signinView{shell: h.shell(r, nil, "", "staff.signin.title"), Email: strings.TrimSpace(r.PostFormValue("email")), Errs: map[string]string{}}
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

func (h *Handler) enrolView(r *http.Request, s app.Session, qr string) (signinView, error) {
	v := signinView{shell: h.shell(r, nil, "", "staff.enrol.title"), Errs: map[string]string{}, QRURL: qr}
	e, err := h.d.App.Users.BeginEnrolment(r.Context(), h.token(r))
	if err != nil {
		return v, err
	}
	v.Secret = e.Secret
	return v, nil
}

func (h *Handler) enrolPage(w http.ResponseWriter, r *http.Request, s app.Session) {
	v, err := h.enrolView(r, s, "/staff/signin/enrol/qr.png")
	if err != nil {
		h.fail(w, r, nil, err)
		return
	}
	h.r.Render(w, r, http.StatusOK, "enrol", "", v)
}

func (h *Handler) enrol(w http.ResponseWriter, r *http.Request, s app.Session) {
	ns, err := h.d.App.Users.ConfirmEnrolment(r.Context(), h.token(r), r.PostFormValue("code"))
	if err != nil {
		if statusOf(err) >= 500 {
			h.serverError(w, r, err)
			return
		}
		v, verr := h.enrolView(r, s, "/staff/signin/enrol/qr.png")
		if verr != nil {
			h.clearSession(w)
			redirect(w, r, "/staff/signin?expired=1")
			return
		}
		v.Errs["code"] = v.L.T("staff.code.wrong")
		h.r.Render(w, r, http.StatusUnprocessableEntity, "enrol", "", v)
		return
	}
	h.setSession(w, ns.Token)
	redirect(w, r, stagePath(ns.Stage))
}

func (h *Handler) enrolQR(w http.ResponseWriter, r *http.Request, s app.Session) {
	e, err := h.d.App.Users.BeginEnrolment(r.Context(), h.token(r))
	if err != nil {
		h.fail(w, r, nil, err)
		return
	}
	png, err := auth.TOTPQRCode(e.URL, 240)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(png)
}

func (h *Handler) enrolQRFull(w http.ResponseWriter, r *http.Request, s app.Session) {
	h.enrolQR(w, r, s)
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

// ---- account (own password and authenticator app) ----

type accountView struct {
	shell
	Errs   map[string]string
	Secret string
	QRURL  string
}

func (h *Handler) account(w http.ResponseWriter, r *http.Request, s app.Session) {
	h.r.Render(w, r, http.StatusOK, "account", "", accountView{shell: h.shell(r, &s, "account", "staff.account.title"), Errs: map[string]string{}})
}

func (h *Handler) accountPassword(w http.ResponseWriter, r *http.Request, s app.Session) {
	ns, err := h.d.App.Users.ChangePassword(r.Context(), h.token(r), app.ChangePasswordInput{
		Current: r.PostFormValue("current_password"), New: r.PostFormValue("new_password"), Confirm: r.PostFormValue("confirm_password"),
	})
	if err != nil {
		if statusOf(err) == http.StatusUnprocessableEntity {
			h.r.Render(w, r, http.StatusUnprocessableEntity, "account", "", accountView{shell: h.shell(r, &s, "account", "staff.account.title"), Errs: fieldErrors(err)})
			return
		}
		h.fail(w, r, &s, err)
		return
	}
	h.setSession(w, ns.Token)
	redirect(w, r, "/staff/account?done=password")
}

func (h *Handler) accountTOTP(w http.ResponseWriter, r *http.Request, s app.Session) {
	v := accountView{shell: h.shell(r, &s, "account", "staff.enrol.title"), Errs: map[string]string{}, QRURL: "/staff/account/totp/qr.png"}
	e, err := h.d.App.Users.BeginEnrolment(r.Context(), h.token(r))
	if err != nil {
		h.fail(w, r, &s, err)
		return
	}
	v.Secret = e.Secret
	h.r.Render(w, r, http.StatusOK, "account_totp", "", v)
}

func (h *Handler) accountTOTPConfirm(w http.ResponseWriter, r *http.Request, s app.Session) {
	ns, err := h.d.App.Users.ConfirmEnrolment(r.Context(), h.token(r), r.PostFormValue("code"))
	if err != nil {
		if domain.ErrCode(err) == domain.ECodeUnauthorized {
			v := accountView{shell: h.shell(r, &s, "account", "staff.enrol.title"), Errs: map[string]string{"code": h.r.Localizer(r).T("staff.code.wrong")}, QRURL: "/staff/account/totp/qr.png"}
			if e, err := h.d.App.Users.BeginEnrolment(r.Context(), h.token(r)); err == nil {
				v.Secret = e.Secret
			}
			h.r.Render(w, r, http.StatusUnprocessableEntity, "account_totp", "", v)
			return
		}
		h.fail(w, r, &s, err)
		return
	}
	h.setSession(w, ns.Token)
	redirect(w, r, "/staff/account?done=totp")
}
