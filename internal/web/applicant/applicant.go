// Package applicant serves the hosted onboarding pages: an applicant opens
// an access link (or, when enabled, the public start page), then answers
// one question per page, uploads a document, checks the answers, sends the
// application and follows its status; when more information is requested,
// they answer it here. Every change goes through the app layer as the
// applicant actor, so an applicant can reach their own record only.
package applicant

import (
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/httpx"
	"github.com/kyc-platform/kyc/internal/routes"
	"github.com/kyc-platform/kyc/internal/web"
)

//go:embed pages/*.html
var pagesFS embed.FS

// Prefix is where the pages are mounted.
const Prefix = routes.Onboarding

// Deps are what the pages need.
type Deps struct {
	App     *app.App
	Assets  *web.Assets
	Catalog *web.Catalog
	Log     *slog.Logger
	// SelfService enables the public start page that creates a draft.
	SelfService bool
	// SecureCookies marks cookies Secure (when the public URL is https).
	SecureCookies bool
}

// Handler serves the pages.
type Handler struct {
	d   Deps
	r   *web.Renderer
	mux *http.ServeMux
	// starts limits the drafts the public start page creates per address.
	starts *web.Limiter
}

// Self-service drafts one address may start per hour.
const maxStartsPerHour = 10

// New parses the templates (failing on a bad one) and builds the routes.
func New(d Deps) (*Handler, error) {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	pages, err := fs.Sub(pagesFS, "pages")
	if err != nil {
		return nil, err
	}
	h := &Handler{d: d, mux: http.NewServeMux(), starts: web.NewLimiter(maxStartsPerHour, time.Hour, nil)}
	h.r, err = web.NewRenderer(pages, d.Assets, d.Catalog, template.FuncMap{
		"fieldID": fieldID,
		"countries": func(lang string) []countryOption {
			return countryOptions(lang)
		},
		"currencies": func() []string { return currencyCodes },
		"hasHint":    d.Catalog.Has,
		"kb":         func(n int64) string { return humanSize(n) },
	}, d.Log)
	if err != nil {
		return nil, err
	}
	h.routes()
	return h, nil
}

func (h *Handler) routes() {
	m := h.mux
	m.HandleFunc("GET "+Prefix+"/{$}", h.home)
	m.HandleFunc("GET "+Prefix, h.home)
	m.HandleFunc("POST "+Prefix+"/start", h.startSelfService)
	m.HandleFunc("GET "+routes.AccessLink+"{token}", h.openLink)
	m.HandleFunc("GET "+Prefix+"/step/{step}", h.session(h.stepPage))
	m.HandleFunc("POST "+Prefix+"/step/{step}", h.session(h.stepPost))
	m.HandleFunc("POST "+Prefix+"/validate/{step}", h.session(h.validateField))
	m.HandleFunc("POST "+Prefix+"/upload", h.session(h.upload))
	m.HandleFunc("GET "+Prefix+"/documents/{id}", h.session(h.document))
	m.HandleFunc("POST "+Prefix+"/submit", h.session(h.submit))
	m.HandleFunc("GET "+Prefix+"/status", h.session(h.status))
	m.HandleFunc("GET "+Prefix+"/status/panel", h.session(h.statusPanel))
	m.HandleFunc("GET "+Prefix+"/answer", h.session(h.answer))
	m.HandleFunc("POST "+Prefix+"/signout", h.signout)
	m.HandleFunc(Prefix+"/", func(w http.ResponseWriter, r *http.Request) { h.notFound(w, r) })
}

// ServeHTTP serves the pages behind the CSP, security headers and
// cross-origin protection, and remembers a language chosen with ?lang=.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	httpx.NoteRoute(r, h.mux) // metrics and logs by the page's pattern
	web.Secure(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if l := r.URL.Query().Get("lang"); l != "" && h.d.Catalog.Lang(r) == l {
			http.SetCookie(w, &http.Cookie{Name: web.LangCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
				HttpOnly: true, Secure: h.d.SecureCookies, SameSite: http.SameSiteLaxMode})
		}
		h.mux.ServeHTTP(w, r)
	})).ServeHTTP(w, r)
}

// ---- sessions ----

func (h *Handler) cookieName() string {
	if h.d.SecureCookies {
		return "__Host-kyc_applicant"
	}
	return "kyc_applicant"
}

func (h *Handler) setSession(w http.ResponseWriter, s app.ApplicantSession) {
	http.SetCookie(w, &http.Cookie{
		Name: h.cookieName(), Value: s.Token, Path: "/", Expires: s.ExpiresAt,
		HttpOnly: true, Secure: h.d.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

func (h *Handler) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: h.cookieName(), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: h.d.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// sess is the request's applicant session and customer.
type sess struct {
	actor domain.Actor
	cust  *domain.Customer
}

type sessHandler func(w http.ResponseWriter, r *http.Request, s sess)

// session resolves the session cookie and loads the applicant's customer;
// without a valid session it shows the "session ended" page.
func (h *Handler) session(next sessHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ck, err := r.Cookie(h.cookieName())
		if err != nil {
			h.ended(w, r)
			return
		}
		as, err := h.d.App.AccessLinks.Session(r.Context(), ck.Value)
		if err != nil {
			if domain.ErrCode(err) == domain.ECodeUnauthorized {
				h.clearSession(w)
				h.ended(w, r)
				return
			}
			h.fail(w, r, err)
			return
		}
		c, err := h.d.App.Customers.Get(r.Context(), as.Actor(), as.CustomerID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		next(w, r, sess{actor: as.Actor(), cust: c})
	}
}

// ---- pages without a session ----

func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	if ck, err := r.Cookie(h.cookieName()); err == nil {
		if as, err := h.d.App.AccessLinks.Session(r.Context(), ck.Value); err == nil {
			c, err := h.d.App.Customers.Get(r.Context(), as.Actor(), as.CustomerID)
			if err == nil {
				http.Redirect(w, r, h.resume(c), http.StatusSeeOther)
				return
			}
		}
	}
	v := h.page(r, "start.title")
	v.SelfService = h.d.SelfService
	h.r.Render(w, r, http.StatusOK, "start", "", v)
}

func (h *Handler) startSelfService(w http.ResponseWriter, r *http.Request) {
	if !h.d.SelfService {
		h.notFound(w, r)
		return
	}
	t := domain.CustomerType(r.PostFormValue("type"))
	if t != domain.CustomerIndividual && t != domain.CustomerBusiness {
		v := h.page(r, "start.title")
		v.SelfService = true
		v.addError(h, "type", "f-type-individual", "msg.choose_type")
		h.r.Render(w, r, http.StatusUnprocessableEntity, "start", "", v)
		return
	}
	if ip := web.ClientIP(r); h.starts.Blocked(ip) {
		v := h.page(r, "start.title")
		v.SelfService = true
		v.addError(h, "type", "f-type-individual", "msg.too_many_starts")
		h.r.Render(w, r, http.StatusTooManyRequests, "start", "", v)
		return
	} else {
		h.starts.Hit(ip)
	}
	s, err := h.d.App.AccessLinks.StartSelfService(r.Context(), t)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.setSession(w, s)
	http.Redirect(w, r, Prefix+"/step/"+stepsFor(t)[0].ID, http.StatusSeeOther)
}

// openLink exchanges an access link's token for a session cookie and
// redirects to a URL without the token.
func (h *Handler) openLink(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Referrer-Policy", "no-referrer")
	s, err := h.d.App.AccessLinks.Open(r.Context(), r.PathValue("token"))
	if err != nil {
		if domain.ErrCode(err) == domain.ECodeNotFound {
			v := h.page(r, "link.invalid.title")
			h.r.Render(w, r, http.StatusNotFound, "link_invalid", "", v)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.setSession(w, s)
	http.Redirect(w, r, Prefix+"/", http.StatusSeeOther)
}

func (h *Handler) signout(w http.ResponseWriter, r *http.Request) {
	if ck, err := r.Cookie(h.cookieName()); err == nil {
		_ = h.d.App.AccessLinks.End(r.Context(), ck.Value)
	}
	h.clearSession(w)
	v := h.page(r, "signout.title")
	h.r.Render(w, r, http.StatusOK, "signed_out", "", v)
}

func (h *Handler) ended(w http.ResponseWriter, r *http.Request) {
	v := h.page(r, "ended.title")
	v.SelfService = h.d.SelfService
	h.r.Render(w, r, http.StatusUnauthorized, "ended", "", v)
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	v := h.page(r, "error.notfound")
	h.r.Render(w, r, http.StatusNotFound, "error", "", v)
}

// fail maps an app error to a page: not found → 404, conflict → the status
// page, anything else → a generic 500 with the detail in the log only.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch domain.ErrCode(err) {
	case domain.ECodeNotFound, domain.ECodeForbidden:
		h.notFound(w, r)
		return
	case domain.ECodeConflict:
		http.Redirect(w, r, Prefix+"/status", http.StatusSeeOther)
		return
	}
	ref := domain.NewID("err", time.Now())
	h.d.Log.Error("applicant page failed", "ref", ref, "path", r.URL.Path, "err", err)
	v := h.page(r, "error.title")
	v.ErrorRef = ref
	status := http.StatusInternalServerError
	if httpx.Unavailable(err) {
		// The database cannot be reached: 503, try again shortly.
		status = http.StatusServiceUnavailable
		w.Header().Set("Retry-After", httpx.RetryAfterUnavailable)
	}
	h.r.Render(w, r, status, "error", "", v)
}

// resume is where an applicant continues: the first step with a missing
// answer while editable, otherwise the status page.
func (h *Handler) resume(c *domain.Customer) string {
	if !c.Status.Editable() {
		return Prefix + "/status"
	}
	if c.Status == domain.StatusInfoRequested {
		return Prefix + "/answer"
	}
	err := h.d.App.Customers.Check(c.Type, c.Data, true)
	var de *domain.Error
	if errors.As(err, &de) {
		for _, s := range stepsFor(c.Type) {
			for _, f := range de.Fields {
				if stepOf(c.Type, f.Location) == s.ID {
					return Prefix + "/step/" + s.ID
				}
			}
		}
	}
	return Prefix + "/step/upload"
}

// safeReturn keeps only the known "from" value for Change links.
func safeReturn(r *http.Request) string {
	if r.URL.Query().Get("from") == "review" || r.PostFormValue("from") == "review" {
		return "review"
	}
	return ""
}

func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}
