package api

import (
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/httpx"
)

// rateFamilies maps each operation's route pattern ("POST
// /api/v1/screenings") to the scope family that guards it ("screening"):
// the part before the colon of the scope in its security requirement.
// Operations without one (the signed identity callbacks) are not limited.
type rateFamilies struct {
	mux      *http.ServeMux
	families map[string]string
}

func newRateFamilies(oapi *huma.OpenAPI) *rateFamilies {
	rf := &rateFamilies{mux: http.NewServeMux(), families: map[string]string{}}
	for path, item := range oapi.Paths {
		for method, op := range map[string]*huma.Operation{
			http.MethodGet: item.Get, http.MethodPost: item.Post, http.MethodPut: item.Put,
			http.MethodPatch: item.Patch, http.MethodDelete: item.Delete,
		} {
			if op == nil || !strings.HasPrefix(path, "/api/v1/") {
				continue
			}
			family := ""
			for _, req := range op.Security {
				for _, scopes := range req {
					if len(scopes) > 0 {
						family, _, _ = strings.Cut(scopes[0], ":")
					}
				}
			}
			if family == "" {
				continue
			}
			pattern := method + " " + path
			rf.mux.Handle(pattern, http.NotFoundHandler())
			rf.families[pattern] = family
		}
	}
	return rf
}

// family returns the scope family of the operation r asks for ("" when
// none: an unknown path, or an operation no scope guards).
func (rf *rateFamilies) family(r *http.Request) string {
	_, pattern := rf.mux.Handler(r)
	return rf.families[pattern]
}

// rateLimit meters every request of an API client in the token bucket of
// its scope family (Deps.RateLimits, KYC_RATE_LIMIT). Each response of a
// limited operation carries RateLimit-Policy and RateLimit; a request
// over the limit is answered 429 with Retry-After, before anything else
// happens (an Idempotency-Key is not even reserved).
func (s *server) rateLimit(next http.Handler) http.Handler {
	if !s.RateLimits.Enabled() {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := actorFrom(r.Context())
		if actor.Type != domain.ActorClient {
			next.ServeHTTP(w, r)
			return
		}
		family := s.rates.family(r)
		policy, limited := s.RateLimits.For(family)
		if family == "" || !limited {
			next.ServeHTTP(w, r)
			return
		}
		res, err := s.App.RateLimits.Take(r.Context(), actor.String()+"/"+family, policy.Interval(), policy.Burst)
		if err != nil {
			httpx.WriteProblem(w, r, s.Logger, err)
			return
		}
		httpx.SetRateLimitHeaders(w.Header(), policy, httpx.RateState{
			Allowed: res.Allowed, Remaining: res.Remaining, Reset: res.Reset, RetryAfter: res.RetryAfter,
		})
		if !res.Allowed {
			httpx.WriteProblem(w, r, s.Logger, domain.Errorf(domain.ECodeRateLimited,
				"Too many %s requests from this client: %s. Retry after the time in Retry-After.", family, policy.String()))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// documentRateLimits adds the 429 answer, and the RateLimit-Policy and
// RateLimit headers of every answer, to each limited operation of the
// OpenAPI document (a 429 already documented is kept as it is).
func documentRateLimits(oapi *huma.OpenAPI, rf *rateFamilies) {
	str := &huma.Schema{Type: "string"}
	headers := map[string]*huma.Param{
		"RateLimit-Policy": {Description: "The client's quota of this operation's scope family (draft-ietf-httpapi-ratelimit-headers): q requests, refilled over w seconds", Schema: str},
		"RateLimit":        {Description: "What remains of the quota: r requests, whole again in t seconds", Schema: str},
	}
	for path, item := range oapi.Paths {
		for method, op := range map[string]*huma.Operation{
			http.MethodGet: item.Get, http.MethodPost: item.Post, http.MethodPut: item.Put,
			http.MethodPatch: item.Patch, http.MethodDelete: item.Delete,
		} {
			if op == nil || rf.families[method+" "+path] == "" {
				continue
			}
			for code, resp := range op.Responses {
				if resp == nil || resp.Ref != "" || code == "default" {
					continue
				}
				if resp.Headers == nil {
					resp.Headers = map[string]*huma.Param{}
				}
				for name, h := range headers {
					if _, ok := resp.Headers[name]; !ok {
						resp.Headers[name] = h
					}
				}
			}
			if _, ok := op.Responses["429"]; !ok {
				var content map[string]*huma.MediaType
				if r401 := op.Responses["401"]; r401 != nil {
					content = r401.Content // the same problem+json body
				}
				op.Responses["429"] = &huma.Response{
					Description: "Too Many Requests: the client's rate limit of this scope family is spent; retry after Retry-After seconds.",
					Headers: map[string]*huma.Param{
						"Retry-After":      {Description: "Seconds to wait before retrying", Schema: &huma.Schema{Type: "integer"}},
						"RateLimit-Policy": headers["RateLimit-Policy"],
						"RateLimit":        headers["RateLimit"],
					},
					Content: content,
				}
			}
		}
	}
}
