package staff

import (
	"net/http"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
)

func (h *Handler) enrolQRFull(w http.ResponseWriter, r *http.Request, s app.Session) {
	h.enrolQR(w, r, s)
}

// accountView is the account page (own password) and the page that
// replaces the authenticator app.
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
