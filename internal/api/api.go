// Package api serves the public REST API (/api/v1, README section "API"),
// with its OpenAPI 3.1 document from huma. Handlers translate
// between JSON and the app layer; authorization and rules live in app.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/httpx"
	"github.com/kyc-platform/kyc/internal/routes"
)

// Authenticator turns a request's bearer token into an actor.
// *auth.Verifier implements it.
type Authenticator interface {
	VerifyRequest(r *http.Request) (domain.Actor, error)
}

// Deps are what the API needs.
type Deps struct {
	App    *app.App
	Auth   Authenticator
	Logger *slog.Logger
	// Version is shown in the OpenAPI document.
	Version string
	// MaxBodyBytes caps JSON bodies (413 above).
	MaxBodyBytes int64
	// PublicURL is the deployment's public base URL (KYC_BASE_URL), from
	// which the API builds the absolute links it hands out (access links to
	// the hosted onboarding pages); "" means http://localhost.
	PublicURL string
	// RateLimits are the per-client limits by scope family (the zero value
	// limits nothing).
	RateLimits httpx.RateLimits
	// DocsPage, when set, serves /docs (the composition root passes one
	// built on embedded assets, so the reference works offline); otherwise
	// huma's page, which loads its viewer from a CDN.
	DocsPage http.Handler
}

type server struct {
	Deps
	api huma.API
	// rates maps each operation to the scope family whose bucket it spends.
	rates *rateFamilies
	// idemLocks serialise requests of one client with the same
	// Idempotency-Key within this process (striped by a hash of both), so
	// that concurrent repeats replay instead of all creating.
	idemLocks [64]sync.Mutex
	// unreleased holds the reservations (client and key) of requests that
	// failed and whose release failed too (the database was down): the
	// next request with the key releases it first, so that a retry after
	// an outage is handled rather than refused as still in progress.
	unreleased sync.Map
}

type ctxKey int

const actorKey ctxKey = 1

func actorFrom(ctx context.Context) domain.Actor {
	a, _ := ctx.Value(actorKey).(domain.Actor)
	return a
}

// Register mounts the API, /openapi.json and /docs on mux.
func Register(mux *http.ServeMux, d Deps) huma.API {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.MaxBodyBytes <= 0 {
		d.MaxBodyBytes = 1 << 20
	}
	if d.PublicURL == "" {
		d.PublicURL = "http://localhost"
	}
	inner := http.NewServeMux()
	hapi := humago.New(inner, humaConfig(d))
	s := &server{Deps: d, api: hapi}
	s.routes()
	s.completeDocument()
	s.rates = newRateFamilies(hapi.OpenAPI())
	documentRateLimits(hapi.OpenAPI(), s.rates)
	// /api/v1 needs a valid token; everything else on inner (openapi, docs) is public.
	// Requests are labelled in metrics and logs by the operation's own
	// pattern (/api/v1/customers/{id}), not by this mount point.
	mux.Handle("/api/v1/", httpx.SubRoutes(inner, s.authenticate(s.rateLimit(s.idempotent(s.routed(inner))))))
	mux.Handle("GET /openapi.json", inner)
	mux.Handle("GET /openapi.yaml", inner)
	if d.DocsPage != nil {
		mux.Handle("GET /docs", d.DocsPage)
	} else {
		mux.Handle("GET /docs", inner)
	}
	return hapi
}

// humaConfig is the configuration of the API's huma instance.
func humaConfig(d Deps) huma.Config {
	cfg := huma.DefaultConfig("kyc API", d.Version)
	cfg.CreateHooks = nil // no $schema links in bodies
	cfg.SchemasPath = ""
	cfg.Info.Description = "KYC/AML onboarding, screening, risk and case management. Authenticate with an OAuth 2.0 client-credentials token from POST /oauth/token."
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "oauth2", Flows: &huma.OAuthFlows{ClientCredentials: &huma.OAuthFlow{
			TokenURL: "/oauth/token",
			Scopes:   scopeDescriptions(),
		}}},
	}
	cfg.RejectUnknownQueryParameters = true
	if d.DocsPage != nil {
		cfg.DocsPath = ""
	}
	return cfg
}

// authenticate verifies the bearer token of every /api/v1 request.
func (s *server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, routes.IdentityCallbacks) && r.Method == http.MethodPost {
			// An identity provider signs each message instead (app.Checks.Callback).
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), actorKey, domain.SystemActor("identity-callback"))))
			return
		}
		actor, err := s.Auth.VerifyRequest(r)
		if err != nil {
			if domain.ErrCode(err) == domain.ECodeUnauthorized {
				w.Header().Set("WWW-Authenticate", `Bearer realm="kyc", error="invalid_token"`)
			}
			httpx.WriteProblem(w, r, s.Logger, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), actorKey, actor)))
	})
}

// scopeDescriptions lists every registered scope with its description for
// the OpenAPI document.
func scopeDescriptions() map[string]string {
	out := map[string]string{}
	for _, sc := range auth.Scopes() {
		out[sc.Name] = sc.Description
	}
	return out
}

// routed answers a request that matches no operation with a problem, as
// every other /api/v1 error: 405 with Allow when the path exists under
// other methods, 404 otherwise (net/http would answer text/plain).
func (s *server) routed(inner *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := inner.Handler(r); pattern != "" {
			inner.ServeHTTP(w, r)
			return
		}
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := inner.Handler(probe); pattern != "" {
				allow = append(allow, m)
			}
		}
		if len(allow) == 0 {
			httpx.WriteProblem(w, r, s.Logger, domain.Errorf(domain.ECodeNotFound, "No operation of the API has this path; see /openapi.json."))
			return
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		httpx.WriteProblem(w, r, s.Logger, &huma.ErrorModel{Status: http.StatusMethodNotAllowed, Title: http.StatusText(http.StatusMethodNotAllowed),
			Detail: "This path does not accept this method; see the Allow header."})
	})
}
