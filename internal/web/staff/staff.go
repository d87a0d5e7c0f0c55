// Package staff is the back office for compliance staff: sign-in with a
// second factor, the dashboard, the case queue and case pages, customers,
// lists, the audit trail and the admin pages. Pages are server-rendered with
// htmx for partial updates; every rule (roles, four-eyes, audit) lives in
// the app layer, which each handler calls with the signed-in user as actor.
package staff

import (
	"embed"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/httpx"
	"github.com/kyc-platform/kyc/internal/routes"
	"github.com/kyc-platform/kyc/internal/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

// Deps are what the back office needs.
type Deps struct {
	App     *app.App
	Assets  *web.Assets
	Catalog *web.Catalog
	Log     *slog.Logger
	// SecureCookies marks the session cookie Secure and gives it the
	// __Host- prefix (the service is reached over HTTPS).
	SecureCookies bool
	// Now is the clock (nil: time.Now); tests inject one.
	Now func() time.Time
}

// Handler serves the back office under /staff/.
type Handler struct {
	d       Deps
	r       *web.Renderer
	limiter *web.Limiter
}

// New parses the templates (failing on a bad one) and returns the handler.
func New(d Deps) (*Handler, error) {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	pages, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	r, err := web.NewRenderer(pages, d.Assets, d.Catalog, funcs(), d.Log)
	if err != nil {
		return nil, err
	}
	return &Handler{d: d, r: r, limiter: web.NewLimiter(20, 15*time.Minute, d.Now)}, nil
}

// CookieName is the session cookie's name: with the __Host- prefix over
// HTTPS (bound to this host, path / and Secure).
func (h *Handler) CookieName() string {
	if h.d.SecureCookies {
		return "__Host-kyc_staff"
	}
	return "kyc_staff"
}

// Register mounts the pages on mux, each wrapped in web.Secure (CSP,
// cross-origin protection of every POST).
func (h *Handler) Register(mux *http.ServeMux) {
	handle := func(pattern string, fn http.HandlerFunc) { mux.Handle(pattern, web.Secure(fn)) }
	handle("GET /staff/signin", h.signinPage)
	handle("POST /staff/signin", h.signin)
	handle("GET /staff/signin/code", h.step(app.StageTOTP, h.codePage))
	handle("POST /staff/signin/code", h.step(app.StageTOTP, h.code))
	handle("GET /staff/signin/enrol", h.step(app.StageEnrol, h.enrolPage))
	handle("POST /staff/signin/enrol", h.step(app.StageEnrol, h.enrol))
	handle("GET /staff/signin/enrol/qr.png", h.step(app.StageEnrol, h.enrolQR))
	handle("GET /staff/signin/password", h.step(app.StagePassword, h.passwordPage))
	handle("POST /staff/signin/password", h.step(app.StagePassword, h.password))
	handle("POST /staff/signout", h.signout)
	handle("GET /staff/sso", h.ssoStart)
	handle("GET "+routes.StaffSSOCallback, h.ssoCallback)

	handle("GET /staff/{$}", h.user(h.dashboard))
	handle("GET /staff/cases", h.user(h.queue))
	handle("POST /staff/cases/search", h.user(h.queueSearch))
	handle("GET /staff/cases/{id}", h.user(h.casePage))
	handle("POST /staff/cases/{id}/assign", h.user(h.assign))
	handle("POST /staff/cases/{id}/decision", h.user(h.decide))
	handle("POST /staff/hits/{id}/disposition", h.user(h.disposition))
	handle("POST /staff/alerts/{id}/disposition", h.user(h.alertDisposition))
	handle("POST /staff/cases/{id}/alert-closure", h.user(h.alertClosure))
	handle("POST /staff/cases/{id}/reports", h.user(h.createReport))
	handle("POST /staff/reports/{id}/file", h.user(h.fileReport))
	handle("GET /staff/reports/{id}/xml", h.user(h.reportXML))
	handle("GET /staff/customers", h.user(h.customers))
	handle("POST /staff/customers/search", h.user(h.customerSearch))
	handle("GET /staff/customers/{id}", h.user(h.customerPage))
	handle("POST /staff/customers/{id}/reveal", h.user(h.reveal))
	handle("POST /staff/customers/{id}/changes/reveal", h.user(h.revealChanges))
	handle("POST /staff/customers/{id}/close", h.user(h.closeCustomer))
	handle("POST /staff/customers/{id}/risk-overrides", h.user(h.requestOverride))
	handle("POST /staff/risk-overrides/{id}/decision", h.user(h.decideOverride))
	handle("GET /staff/documents/{id}", h.user(h.document))
	handle("GET /staff/documents/{id}/download", h.user(h.documentDownload))
	handle("GET /staff/lists", h.user(h.lists))
	handle("GET /staff/audit", h.user(h.audit))
	handle("POST /staff/audit/verify", h.user(h.verify))
	handle("GET /staff/account", h.user(h.account))
	handle("POST /staff/account/password", h.user(h.accountPassword))
	handle("GET /staff/account/totp", h.user(h.accountTOTP))
	handle("POST /staff/account/totp", h.user(h.accountTOTPConfirm))
	handle("GET /staff/account/totp/qr.png", h.user(h.enrolQRFull))
	handle("GET /staff/admin/users", h.user(h.adminUsers))
	handle("POST /staff/admin/users", h.user(h.adminCreateUser))
	handle("POST /staff/admin/users/{id}/disable", h.user(h.adminDisable(true)))
	handle("POST /staff/admin/users/{id}/enable", h.user(h.adminDisable(false)))
	handle("POST /staff/admin/users/{id}/reset-password", h.user(h.adminResetPassword))
	handle("GET /staff/admin/clients", h.user(h.adminClients))
	handle("POST /staff/admin/clients", h.user(h.adminCreateClient))
	handle("POST /staff/admin/clients/{id}/disable", h.user(h.adminClientDisable(true)))
	handle("POST /staff/admin/clients/{id}/enable", h.user(h.adminClientDisable(false)))
	handle("POST /staff/admin/clients/{id}/rotate-secret", h.user(h.adminClientRotate))
	handle("POST /staff/admin/clients/{id}/delete", h.user(h.adminClientDelete))
	handle("GET /staff/admin/webhooks", h.user(h.adminWebhooks))
	handle("POST /staff/admin/webhooks", h.user(h.adminCreateWebhook))
	handle("GET /staff/admin/webhooks/{id}", h.user(h.adminWebhook))
	handle("POST /staff/admin/webhooks/{id}/rotate-secret", h.user(h.adminRotateWebhook))
	handle("POST /staff/admin/webhooks/{id}/delete", h.user(h.adminDeleteWebhook))
	handle("POST /staff/admin/webhook-deliveries/{id}/retry", h.user(h.adminRetryDelivery))
	mux.Handle("GET /staff", http.RedirectHandler("/staff/", http.StatusSeeOther))
}

// ---- sessions ----

func (h *Handler) token(r *http.Request) string {
	c, err := r.Cookie(h.CookieName())
	if err != nil {
		return ""
	}
	return c.Value
}

func (h *Handler) setSession(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: h.CookieName(), Value: token, Path: "/", HttpOnly: true, Secure: h.d.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

func (h *Handler) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name: h.CookieName(), Value: "", Path: "/", HttpOnly: true, Secure: h.d.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1,
	})
}

// stagePath is where a session at a stage continues.
func stagePath(stage string) string {
	switch stage {
	case app.StageTOTP:
		return "/staff/signin/code"
	case app.StageEnrol:
		return "/staff/signin/enrol"
	case app.StagePassword:
		return "/staff/signin/password"
	}
	return "/staff/"
}

// redirect sends a browser (or htmx) to path.
func redirect(w http.ResponseWriter, r *http.Request, path string) {
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", path)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	http.Redirect(w, r, path, http.StatusSeeOther)
}

type userHandler func(w http.ResponseWriter, r *http.Request, s app.Session)

// user requires a fully signed-in session.
func (h *Handler) user(fn userHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, err := h.d.App.Users.Session(r.Context(), h.token(r))
		if err != nil {
			if domain.ErrCode(err) != domain.ECodeUnauthorized {
				h.serverError(w, r, err)
				return
			}
			h.clearSession(w)
			redirect(w, r, "/staff/signin")
			return
		}
		if s.Stage != app.StageFull {
			redirect(w, r, stagePath(s.Stage))
			return
		}
		fn(w, r, s)
	}
}

// step requires a session at a sign-in stage.
func (h *Handler) step(stage string, fn userHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, err := h.d.App.Users.Session(r.Context(), h.token(r))
		if err != nil {
			h.clearSession(w)
			redirect(w, r, "/staff/signin?expired=1")
			return
		}
		if s.Stage != stage {
			redirect(w, r, stagePath(s.Stage))
			return
		}
		fn(w, r, s)
	}
}

// ---- errors ----

func statusOf(err error) int { return httpx.Status(domain.ErrCode(err)) }

// fieldErrors turns a validation error into messages by field.
func fieldErrors(err error) map[string]string {
	out := map[string]string{}
	var e *domain.Error
	if errors.As(err, &e) {
		for _, f := range e.Fields {
			if _, dup := out[f.Location]; !dup {
				out[f.Location] = f.Message
			}
		}
	}
	return out
}

type errorPage struct {
	shell
	Status  int
	Heading string
	Message string
}

// fail renders an error page for err (403, 404, 409 …; 5xx is generic and
// logged).
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, s *app.Session, err error) {
	st := statusOf(err)
	if st >= 500 {
		h.serverError(w, r, err)
		return
	}
	v := errorPage{shell: h.shell(r, s, "", ""), Status: st, Message: domain.ErrMessage(err)}
	switch st {
	case http.StatusForbidden:
		v.Heading = v.L.T("staff.error.forbidden")
	case http.StatusNotFound:
		v.Heading = v.L.T("error.notfound")
		v.Message = v.L.T("error.notfound.body")
	default:
		v.Heading = v.L.T("error.title")
	}
	v.Title = v.Heading
	h.r.Render(w, r, st, "error", "", v)
}

func (h *Handler) serverError(w http.ResponseWriter, r *http.Request, err error) {
	h.d.Log.Error("staff page failed", "path", r.URL.Path, "err", err)
	status := http.StatusInternalServerError
	if httpx.Unavailable(err) {
		// The database cannot be reached: 503, try again shortly.
		status = http.StatusServiceUnavailable
		w.Header().Set("Retry-After", httpx.RetryAfterUnavailable)
	}
	v := errorPage{shell: h.shell(r, nil, "", ""), Status: status}
	v.Heading = v.L.T("error.title")
	v.Message = v.L.T("error.generic.body", w.Header().Get("X-Request-Id"))
	v.Title = v.Heading
	h.r.Render(w, r, status, "error", "", v)
}

// ---- view basics ----

// shell is embedded in every view: the layout, navigation and user.
type shell struct {
	web.Base
	Me     *app.User
	Active string
	Flash  string
	// Can* say which navigation entries the role may open (the app layer
	// enforces the same rules on every request).
	CanCases, CanAudit, CanAdmin, CanLists bool
}

func (h *Handler) shell(r *http.Request, s *app.Session, active, titleID string) shell {
	l := h.r.Localizer(r)
	sh := shell{Base: web.Base{L: l, Path: r.URL.Path, RequestID: r.Header.Get("X-Request-Id")}, Active: active}
	if titleID != "" {
		sh.Title = l.T(titleID)
	}
	if s != nil {
		u := s.User
		sh.Me = &u
		a := s.Actor()
		sh.CanCases = app.Authorize(a, app.PermCasesRead) == nil
		sh.CanAudit = app.Authorize(a, app.PermAuditRead) == nil
		sh.CanAdmin = app.Authorize(a, app.PermUsersWrite) == nil
		sh.CanLists = app.Authorize(a, app.PermListsRead) == nil
	}
	if f := r.URL.Query().Get("done"); f != "" && h.d.Catalog.Has("staff.flash."+f) {
		sh.Flash = l.T("staff.flash." + f)
	}
	return sh
}

func isHTMX(r *http.Request) bool { return r.Header.Get("HX-Request") == "true" }
