package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
)

func TestStatus(t *testing.T) {
	t.Parallel()
	tests := map[domain.ErrorCode]int{
		domain.ECodeInvalid: 422, domain.ECodeMalformed: 400, domain.ECodeNotFound: 404, domain.ECodeConflict: 409,
		domain.ECodeUnauthorized: 401, domain.ECodeForbidden: 403, domain.ECodeTooLarge: 413, domain.ECodeUnsupported: 415,
		domain.ECodeRateLimited: 429, domain.ECodeUnavailable: 503, domain.ECodeInternal: 500, "unknown": 500,
	}
	for code, want := range tests {
		if got := Status(code); got != want {
			t.Errorf("Status(%s) = %d, want %d", code, got, want)
		}
	}
}

func TestProblem(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	ctx := context.WithValue(context.Background(), requestIDKey, "req123456")

	v := &domain.Validation{}
	v.Add("birth_date", "Enter a date of birth in the past")
	v.Add("body.address.country", "Choose a country")
	p := Problem(ctx, log, v.Err())
	if p.Status != 422 || len(p.Errors) != 2 || p.Errors[0].Location != "body.birth_date" || p.Errors[1].Location != "body.address.country" {
		t.Fatalf("validation problem %+v", p)
	}
	// Anything that is not a domain error is a generic 500: the detail goes
	// to the log with the request id, never to the caller.
	p = Problem(ctx, log, errors.New("pq: relation customers: secret detail Anna"))
	if p.Status != 500 || strings.Contains(p.Detail, "secret") || !strings.Contains(p.Detail, "req123456") {
		t.Fatalf("internal problem %+v", p)
	}
	if !strings.Contains(logs.String(), "secret detail") || !strings.Contains(logs.String(), "req123456") {
		t.Fatalf("internal error not logged with its request id: %s", logs.String())
	}
}

type recorder struct {
	route string
	code  int
}

func (r *recorder) HTTPRequest(route, _ string, code int, _ time.Duration) {
	r.route, r.code = route, code
}

func TestObserve(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	m := &recorder{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
		if RequestID(r.Context()) == "" {
			t.Error("no request id in the context")
		}
		w.WriteHeader(http.StatusTeapot)
	})
	mux.HandleFunc("GET /panic", func(http.ResponseWriter, *http.Request) { panic("boom") })
	h := SecureHeaders(Observe(mux, slog.New(slog.NewJSONHandler(&logs, nil)), m))

	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/things/cus_123?email=anna@example.com", nil)
	req.Header.Set("X-Request-Id", "client-chosen-id-1")
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusTeapot || rec.Header().Get("X-Request-Id") != "client-chosen-id-1" || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("response %d %v", rec.Code, rec.Header())
	}
	if m.route != "/things/{id}" || m.code != http.StatusTeapot {
		t.Fatalf("metrics by route pattern: %+v", m)
	}
	if strings.Contains(logs.String(), "anna@example.com") || strings.Contains(logs.String(), "cus_123") {
		t.Fatalf("the access log holds the raw URL: %s", logs.String())
	}

	rec = httptest.NewRecorder()
	req = httptest.NewRequest(http.MethodGet, "/panic", nil)
	req.Header.Set("X-Request-Id", "bad id with spaces")
	h.ServeHTTP(rec, req)
	var p struct {
		Status int
		Detail string
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &p)
	if rec.Code != 500 || p.Status != 500 || rec.Header().Get("X-Request-Id") == "bad id with spaces" {
		t.Fatalf("panic: %d %s %v", rec.Code, rec.Body, rec.Header())
	}
}

// TestObserveSubRoutes: a request served by a sub-router mounted under a
// prefix behind middleware (the API under /api/v1/ behind its token check)
// is labelled with the sub-router's pattern, also when the middleware
// refuses it; an unknown path gets the one fixed label, never its raw path
// (issue 14, item 2); the access log says the same route and its duration
// in milliseconds.
func TestObserveSubRoutes(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	m := &recorder{}
	inner := http.NewServeMux()
	inner.HandleFunc("GET /api/v1/customers/{id}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	guard := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") == "" {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey(99), "actor")))
		})
	}
	outer := http.NewServeMux()
	outer.Handle("/api/v1/", SubRoutes(inner, guard(inner)))
	h := Observe(outer, slog.New(slog.NewJSONHandler(&logs, nil)), m)
	for _, c := range []struct {
		path, auth, route string
		code              int
	}{
		{"/api/v1/customers/cus_123", "Bearer x", "/api/v1/customers/{id}", http.StatusNoContent},
		{"/api/v1/customers/cus_456", "", "/api/v1/customers/{id}", http.StatusUnauthorized},
		{"/api/v1/no/such/thing/cus_789", "Bearer x", Unmatched, http.StatusNotFound},
		{"/wp-admin/cus_000", "", Unmatched, http.StatusNotFound},
	} {
		logs.Reset()
		req := httptest.NewRequest(http.MethodGet, c.path, nil)
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		h.ServeHTTP(httptest.NewRecorder(), req)
		if m.route != c.route || m.code != c.code {
			t.Errorf("%s: route %q code %d, want %q %d", c.path, m.route, m.code, c.route, c.code)
		}
		var line map[string]any
		if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
			t.Fatalf("%s: %v %s", c.path, err, logs.String())
		}
		if line["route"] != c.route || strings.Contains(logs.String(), "cus_") {
			t.Errorf("%s: access log %s", c.path, logs.String())
		}
		if _, ok := line["duration_ms"].(float64); !ok || line["duration"] != nil {
			t.Errorf("%s: no duration_ms: %s", c.path, logs.String())
		}
	}
}

// TestObserveProbesAtDebug: the liveness and readiness probes, sent every
// few seconds by load balancers, are logged at DEBUG, other requests at
// INFO (issue 14, item 4).
func TestObserveProbesAtDebug(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	for _, p := range []string{"GET /healthz", "GET /readyz", "GET /things"} {
		mux.HandleFunc(p, func(http.ResponseWriter, *http.Request) {})
	}
	for _, c := range []struct {
		path, level string
	}{{"/healthz", "DEBUG"}, {"/readyz", "DEBUG"}, {"/things", "INFO"}} {
		var logs bytes.Buffer
		h := Observe(mux, slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})), nil)
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, c.path, nil))
		var line map[string]any
		if err := json.Unmarshal(logs.Bytes(), &line); err != nil || line["level"] != c.level {
			t.Errorf("%s: %v %s", c.path, err, logs.String())
		}
		logs.Reset()
		Observe(mux, slog.New(slog.NewJSONHandler(&logs, nil)), nil).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, c.path, nil))
		if (c.level == "DEBUG") != (logs.Len() == 0) {
			t.Errorf("%s at the INFO level: %q", c.path, logs.String())
		}
	}
}

func TestRouteLabel(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                                Unmatched,
		"GET /api/v1/customers/{id}":      "/api/v1/customers/{id}",
		"/api/v1/":                        "/api/v1/",
		"POST example.com/things/{id...}": "/things/{id...}",
		"GET /{$}":                        "/{$}",
	} {
		if got := RouteLabel(in); got != want {
			t.Errorf("RouteLabel(%q) = %q, want %q", in, got, want)
		}
	}
}
