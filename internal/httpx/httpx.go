// Package httpx holds the HTTP plumbing shared by the API and the web pages:
// the mapping from domain error codes to statuses and RFC 9457 problem
// bodies, and middleware for request ids, logging, metrics, panics and
// security headers. It is the only place that turns a domain.ErrorCode into
// an HTTP status.
package httpx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/health"
)

// Status maps a domain error code to an HTTP status.
func Status(code domain.ErrorCode) int {
	switch code {
	case domain.ECodeInvalid:
		return http.StatusUnprocessableEntity
	case domain.ECodeMalformed:
		return http.StatusBadRequest
	case domain.ECodeNotFound:
		return http.StatusNotFound
	case domain.ECodeConflict:
		return http.StatusConflict
	case domain.ECodeUnauthorized:
		return http.StatusUnauthorized
	case domain.ECodeForbidden:
		return http.StatusForbidden
	case domain.ECodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case domain.ECodeUnsupported:
		return http.StatusUnsupportedMediaType
	case domain.ECodeRateLimited:
		return http.StatusTooManyRequests
	case domain.ECodeUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Problem converts any error into an RFC 9457 problem. Domain errors keep
// their safe message and field list; an unreachable database (Unavailable)
// becomes a 503, anything else a generic 500, whose detail is logged (with
// the request id), never sent.
func Problem(ctx context.Context, log *slog.Logger, err error) *huma.ErrorModel {
	var se huma.StatusError
	if errors.As(err, &se) {
		if em, ok := se.(*huma.ErrorModel); ok {
			return em
		}
		return &huma.ErrorModel{Status: se.GetStatus(), Title: http.StatusText(se.GetStatus()), Detail: se.Error()}
	}
	code := domain.ErrCode(err)
	status := Status(code)
	if status == http.StatusInternalServerError && Unavailable(err) {
		// The database cannot be reached: retrying later may work.
		status = http.StatusServiceUnavailable
		if log != nil {
			log.WarnContext(ctx, "request failed: database unavailable", "request_id", RequestID(ctx), "err", err)
		}
		return &huma.ErrorModel{Status: status, Title: http.StatusText(status),
			Detail: "The service is temporarily unavailable; retry after the time in Retry-After. Quote request id " + RequestID(ctx) + " if it persists."}
	}
	p := &huma.ErrorModel{Status: status, Title: http.StatusText(status)}
	if status >= 500 {
		if log != nil {
			log.ErrorContext(ctx, "request failed", "request_id", RequestID(ctx), "err", err)
		}
		p.Detail = "An internal error occurred. Quote request id " + RequestID(ctx) + " when reporting it."
		return p
	}
	p.Detail = domain.ErrMessage(err)
	var de *domain.Error
	if errors.As(err, &de) {
		for _, f := range de.Fields {
			loc := f.Location
			if loc != "" && loc != "body" && !hasPrefix(loc, "body.", "path.", "query.", "header.") {
				loc = "body." + loc
			}
			p.Errors = append(p.Errors, &huma.ErrorDetail{Location: loc, Message: f.Message})
		}
	}
	return p
}

func hasPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if len(s) >= len(p) && s[:len(p)] == p {
			return true
		}
	}
	return false
}

// WriteProblem writes a problem+json response for plain net/http handlers.
func WriteProblem(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	p := Problem(r.Context(), log, err)
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	setRetryAfter(w.Header(), p.Status)
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

type ctxKey int

const requestIDKey ctxKey = 1

// RequestID returns the request id of ctx ("" outside a request).
func RequestID(ctx context.Context) string {
	s, _ := ctx.Value(requestIDKey).(string)
	return s
}

// statusRecorder captures the status code written.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// RequestRecorder receives per-request metrics.
type RequestRecorder interface {
	HTTPRequest(route, method string, code int, d time.Duration)
}

// Unmatched is the route label of a request no route pattern matched (an
// unknown path, a wrong method): one fixed value, so that scanners probing
// random paths cannot blow up the metrics' cardinality.
const Unmatched = "unmatched"

// routeSlot is where the handlers of one request note the route pattern
// that served it, for Observe to label its metrics and access log with:
// a sub-router's own match is invisible on the outer request, which the
// middleware in between copied (r.WithContext).
type routeSlot struct {
	pattern string
	set     bool
}

const routeSlotKey ctxKey = 2

// SubRoutes serves h, an http.Handler mounted under a prefix of the outer
// mux whose requests sub routes (say the API under /api/v1/ behind its
// authentication), and labels each request with the pattern of sub that
// matches it (or Unmatched), before h runs: a request refused by h's
// middleware (a 401) is still counted under its route.
func SubRoutes(sub *http.ServeMux, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		NoteRoute(r, sub)
		h.ServeHTTP(w, r)
	})
}

// NoteRoute labels r, within Observe, with the pattern of sub that matches
// it (Unmatched when none does).
func NoteRoute(r *http.Request, sub *http.ServeMux) {
	if s, ok := r.Context().Value(routeSlotKey).(*routeSlot); ok {
		_, s.pattern = sub.Handler(r)
		s.set = true
	}
}

// RouteLabel turns a ServeMux pattern into the route label of metrics and
// logs: the path pattern without its method ("GET /api/v1/customers/{id}"
// gives "/api/v1/customers/{id}"; the method is a label of its own), and
// Unmatched for no pattern.
func RouteLabel(pattern string) string {
	if pattern == "" {
		return Unmatched
	}
	if _, path, ok := strings.Cut(pattern, " "); ok {
		pattern = strings.TrimLeft(path, " \t")
	}
	if i := strings.IndexByte(pattern, '/'); i > 0 {
		pattern = pattern[i:] // a host in the pattern: the path only
	}
	return pattern
}

// quietRoutes are logged at DEBUG: the liveness and readiness probes a
// load balancer or orchestrator sends every few seconds.
var quietRoutes = map[string]bool{health.LivePath: true, health.ReadyPath: true}

// Observe wraps h with a request id (X-Request-Id, accepted from the caller
// when it is a short token, else generated), panic recovery, an access log
// line without query strings or bodies (duration in milliseconds,
// "duration_ms"; the health probes at DEBUG), and metrics by route pattern
// (the sub-router's pattern where one noted it, see SubRoutes).
func Observe(h http.Handler, log *slog.Logger, m RequestRecorder) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !validRequestID(id) {
			var b [12]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		slot := &routeSlot{}
		ctx := context.WithValue(context.WithValue(r.Context(), requestIDKey, id), routeSlotKey, slot)
		r = r.WithContext(ctx)
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				log.ErrorContext(ctx, "panic", "request_id", id, "panic", p, "stack", string(debug.Stack()))
				if rec.status == 0 {
					WriteProblem(rec, r, nil, errors.New("panic"))
				}
			}
			pattern := r.Pattern
			if slot.set {
				pattern = slot.pattern
			}
			route := RouteLabel(pattern)
			d := time.Since(start)
			if m != nil {
				m.HTTPRequest(route, r.Method, rec.status, d)
			}
			level := slog.LevelInfo
			if quietRoutes[route] {
				level = slog.LevelDebug
			}
			log.LogAttrs(ctx, level, "http request",
				slog.String("request_id", id), slog.String("method", r.Method), slog.String("route", route),
				slog.Int("status", rec.status), slog.Int64("bytes", rec.bytes), slog.Float64("duration_ms", Millis(d)))
		}()
		h.ServeHTTP(rec, r)
	})
}

// Millis is d in milliseconds with microsecond precision, the unit of every
// duration kyc logs (keys ending in _ms).
func Millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func validRequestID(s string) bool {
	if len(s) < 8 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// SecureHeaders sets conservative security headers on every response.
func SecureHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		if r.TLS != nil {
			hd.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		h.ServeHTTP(w, r)
	})
}

// HSTS adds Strict-Transport-Security to every response. SecureHeaders
// sends it only on connections kyc itself terminated with TLS; a deployment
// whose public URL is https sits behind a proxy that terminates TLS, so
// kyc serve wraps its handler in HSTS when KYC_BASE_URL is https (the
// proxy's http leg never reaches a browser).
func HSTS(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		h.ServeHTTP(w, r)
	})
}
