// Package api serves the public REST API (/api/v1) described in PRODUCT.md
// section 3, with its OpenAPI 3.1 document from huma. Handlers translate
// between JSON and the app layer; authorization and rules live in app.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"hash/fnv"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/httpx"
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
	// DocsPage, when set, serves /docs (the composition root passes one
	// built on embedded assets, so the reference works offline); otherwise
	// huma's page, which loads its viewer from a CDN.
	DocsPage http.Handler
}

type server struct {
	Deps
	api huma.API
	// idemLocks serialise requests of one client with the same
	// Idempotency-Key within this process (striped by a hash of both), so
	// that concurrent repeats replay instead of all creating.
	idemLocks [64]sync.Mutex
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
	cfg := huma.DefaultConfig("kyc API", d.Version)
	cfg.CreateHooks = nil // no $schema links in bodies
	cfg.SchemasPath = ""
	cfg.Info.Description = "KYC/AML onboarding, screening, risk and case management. Authenticate with an OAuth 2.0 client-credentials token from POST /oauth/token."
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "oauth2", Flows: &huma.OAuthFlows{ClientCredentials: &huma.OAuthFlow{
			TokenURL: "/oauth/token",
			Scopes: map[string]string{
				"customers:read": "Read customers", "customers:write": "Create, edit and submit customers",
				"screening:read": "Screen names", "cases:read": "Read cases", "cases:write": "Decide cases and disposition hits",
				"audit:read": "Read the audit trail", "lists:read": "Read list snapshots",
			},
		}}},
	}
	cfg.RejectUnknownQueryParameters = true
	if d.DocsPage != nil {
		cfg.DocsPath = ""
	}
	inner := http.NewServeMux()
	hapi := humago.New(inner, cfg)
	s := &server{Deps: d, api: hapi}
	s.routes()
	// /api/v1 needs a valid token; everything else on inner (openapi, docs) is public.
	mux.Handle("/api/v1/", s.authenticate(s.idempotent(inner)))
	mux.Handle("GET /openapi.json", inner)
	mux.Handle("GET /openapi.yaml", inner)
	if d.DocsPage != nil {
		mux.Handle("GET /docs", d.DocsPage)
	} else {
		mux.Handle("GET /docs", inner)
	}
	return hapi
}

// authenticate verifies the bearer token of every /api/v1 request.
func (s *server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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

// idempotent honours the Idempotency-Key header on POST: a repeat of the
// same request by the same client gets the first response again; the same
// key with a different request is refused.
func (s *server) idempotent(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Idempotency-Key")
		if r.Method != http.MethodPost || key == "" {
			next.ServeHTTP(w, r)
			return
		}
		actor := actorFrom(r.Context())
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.MaxBodyBytes))
		if err != nil {
			httpx.WriteProblem(w, r, s.Logger, domain.Errorf(domain.ECodeTooLarge, "The request body is too large."))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		hash := app.RequestHash(r.Method, r.URL.Path, body)
		h := fnv.New32a()
		_, _ = io.WriteString(h, actor.String()+"\x00"+key)
		mu := &s.idemLocks[h.Sum32()%uint32(len(s.idemLocks))]
		mu.Lock()
		defer mu.Unlock()
		prev, err := s.App.Idem.Begin(r.Context(), actor.String(), key, hash)
		if err != nil {
			httpx.WriteProblem(w, r, s.Logger, err)
			return
		}
		if prev != nil {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Idempotent-Replayed", "true")
			w.WriteHeader(prev.Status)
			_, _ = w.Write(prev.Body)
			return
		}
		rec := &captureWriter{ResponseWriter: w}
		ctx := context.WithoutCancel(r.Context())
		completed := false
		defer func() {
			// A failed (or panicking) request releases the key so that the
			// client can retry it.
			if !completed {
				if err := s.App.Idem.Abandon(ctx, actor.String(), key); err != nil {
					s.Logger.Warn("releasing an idempotency key failed", "request_id", httpx.RequestID(r.Context()), "err", err)
				}
			}
		}()
		next.ServeHTTP(rec, r)
		if rec.status >= 200 && rec.status < 300 {
			if err := s.App.Idem.Finish(ctx, actor.String(), key, app.Response{Status: rec.status, Body: rec.buf.Bytes()}); err != nil {
				s.Logger.Warn("saving idempotent response failed", "request_id", httpx.RequestID(r.Context()), "err", err)
				return
			}
			completed = true
		}
	})
}

type captureWriter struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (c *captureWriter) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *captureWriter) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	c.buf.Write(b)
	return c.ResponseWriter.Write(b)
}

// register adds an operation with the configured body limit: huma's own
// default (1 MiB) would otherwise apply to JSON bodies, and no limit at all
// to raw bodies such as the merge patch.
func register[I, O any](s *server, op huma.Operation, h func(context.Context, *I) (*O, error)) {
	if op.MaxBodyBytes == 0 {
		op.MaxBodyBytes = s.MaxBodyBytes
	}
	huma.Register(s.api, op, h)
}

// fail converts an app error into the huma problem response.
func (s *server) fail(ctx context.Context, err error) error {
	return httpx.Problem(ctx, s.Logger, err)
}

func security(scope string) []map[string][]string {
	return []map[string][]string{{"bearer": {scope}}}
}

// errs lists the documented error statuses of an operation.
func errs(codes ...int) []int {
	return append([]int{http.StatusUnauthorized, http.StatusForbidden}, codes...)
}

// Page is a page of a list.
type Page[T any] struct {
	Data       []T    `json:"data"`
	NextCursor string `json:"next_cursor" doc:"Pass as cursor to get the next page; empty on the last page"`
}

// decodeStrict decodes JSON, rejecting unknown fields.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			return &domain.Error{Code: domain.ECodeInvalid, Message: "The request has invalid fields.", Fields: []domain.FieldError{{Location: "body." + jsonPath(ute.Field), Message: "Expected " + ute.Type.String() + "."}}}
		}
		msg := err.Error()
		if strings.HasPrefix(msg, "json: unknown field ") {
			f := strings.Trim(strings.TrimPrefix(msg, "json: unknown field "), `"`)
			return &domain.Error{Code: domain.ECodeInvalid, Message: "The request has invalid fields.", Fields: []domain.FieldError{{Location: "body." + f, Message: "Unknown field; it cannot be set here."}}}
		}
		return domain.Errorf(domain.ECodeMalformed, "The body is not valid JSON.")
	}
	return nil
}

// jsonPath drops the Go names of embedded structs (PersonFields) that
// encoding/json puts in an UnmarshalTypeError's field path, leaving the
// JSON names the client sent; ours are all lower case.
func jsonPath(field string) string {
	parts := strings.Split(field, ".")
	out := parts[:0]
	for _, p := range parts {
		if p != "" && p[0] >= 'A' && p[0] <= 'Z' {
			continue
		}
		out = append(out, p)
	}
	return strings.Join(out, ".")
}
