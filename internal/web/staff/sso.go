package staff

import (
	"net/http"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
)

// Staff single sign-on with OpenID Connect: the pages only redirect. The
// app layer (app/sso.go) makes the state, nonce and PKCE verifier, which
// travel sealed in a short-lived HttpOnly cookie to the callback, and
// decides who the user is; the protocol is auth/oidc.go.

// ssoCookieName is the flow cookie's name (with the __Host- prefix over
// HTTPS).
func (h *Handler) ssoCookieName() string {
	if h.d.SecureCookies {
		return "__Host-kyc_sso"
	}
	return "kyc_sso"
}

// setFlow keeps the sealed flow until the callback. SameSite=Lax: the
// provider sends the browser back with a cross-site top-level GET, which
// Lax cookies accompany and Strict ones do not.
func (h *Handler) setFlow(w http.ResponseWriter, value string, maxAge time.Duration) {
	c := &http.Cookie{Name: h.ssoCookieName(), Value: value, Path: "/", HttpOnly: true, Secure: h.d.SecureCookies, SameSite: http.SameSiteLaxMode}
	if maxAge > 0 {
		c.MaxAge = int(maxAge / time.Second)
	} else {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

type ssoErrorView struct {
	shell
	Message string
}

func (h *Handler) ssoError(w http.ResponseWriter, r *http.Request, err error) {
	st := statusOf(err)
	if st >= 500 && st != http.StatusServiceUnavailable {
		h.serverError(w, r, err)
		return
	}
	v := ssoErrorView{shell: h.shell(r, nil, "", "staff.sso.failed"), Message: domain.ErrMessage(err)}
	h.r.Render(w, r, st, "sso_error", "", v)
}

// ssoStart sends the browser to the identity provider.
func (h *Handler) ssoStart(w http.ResponseWriter, r *http.Request) {
	if !h.d.App.Users.SSOEnabled() {
		h.fail(w, r, nil, domain.Errorf(domain.ECodeNotFound, "Single sign-on is not set up."))
		return
	}
	start, err := h.d.App.Users.BeginSSO(r.Context())
	if err != nil {
		h.ssoError(w, r, err)
		return
	}
	h.setFlow(w, start.Flow, start.TTL)
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, start.URL, http.StatusSeeOther)
}

// ssoCallback completes the sign-in where the provider sends the browser
// back. The flow cookie is single-use: it is cleared whatever happens.
func (h *Handler) ssoCallback(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if !h.d.App.Users.SSOEnabled() {
		h.fail(w, r, nil, domain.Errorf(domain.ECodeNotFound, "Single sign-on is not set up."))
		return
	}
	in := app.SSOCallback{State: r.URL.Query().Get("state"), Code: r.URL.Query().Get("code"), Error: r.URL.Query().Get("error")}
	if c, err := r.Cookie(h.ssoCookieName()); err == nil {
		in.Flow = c.Value
	}
	h.setFlow(w, "", 0)
	s, err := h.d.App.Users.FinishSSO(r.Context(), in)
	if err != nil {
		h.ssoError(w, r, err)
		return
	}
	h.setSession(w, s.Token)
	redirect(w, r, stagePath(s.Stage))
}
