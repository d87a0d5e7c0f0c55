package staff

import (
	"net/http"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/auth"
)

// enrolView starts (or resumes) the authenticator enrolment at sign-in.
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
