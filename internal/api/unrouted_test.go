package api_test

import (
	"net/http"
	"testing"
)

// TestUnroutedRequestsAnswerProblems: under /api/v1 a path no operation
// serves answers 404 and a known path asked with another method 405 (with
// Allow), both as RFC 9457 problem+json like every other API error
// (PRODUCT.md section 3), not net/http's text/plain.
func TestUnroutedRequestsAnswerProblems(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("all")
		for _, path := range []string{"/api/v1/nope", "/api/v1/customers/x/nope", "/api/v1/"} {
			r := e.get(path, tok)
			wantProblem(t, r, http.StatusNotFound)
		}
		r := e.do(req{Method: http.MethodPut, Path: "/api/v1/customers", Token: tok, Body: map[string]any{}})
		wantProblem(t, r, http.StatusMethodNotAllowed)
		if got := r.Header.Get("Allow"); got != "GET, POST" {
			t.Errorf("PUT /api/v1/customers: Allow %q, want %q", got, "GET, POST")
		}
		r = e.do(req{Method: http.MethodDelete, Path: "/api/v1/customers/cus_x", Token: tok})
		wantProblem(t, r, http.StatusMethodNotAllowed)
		if got := r.Header.Get("Allow"); got != "GET, PATCH" {
			t.Errorf("DELETE /api/v1/customers/{id}: Allow %q, want %q", got, "GET, PATCH")
		}
		// Without a token the answer stays 401: the routes are not probed
		// for anonymous callers.
		wantProblem(t, e.get("/api/v1/nope", ""), http.StatusUnauthorized)
	})
}
