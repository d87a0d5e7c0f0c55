package api_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestHealthReadinessMetrics(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		var h struct{ Status string }
		want(t, e.get("/healthz", ""), http.StatusOK, &h)
		if h.Status != "ok" {
			t.Fatalf("healthz %+v", h)
		}
		var ready struct {
			Status string
			Checks map[string]string
		}
		want(t, e.get("/readyz", ""), http.StatusOK, &ready)
		if ready.Status != "ready" || ready.Checks["database"] != "ok" || ready.Checks["migrations"] != "ok" {
			t.Fatalf("readyz %+v", ready)
		}
		_, tok := e.client("customers:read")
		want(t, e.get("/api/v1/customers", tok), http.StatusOK, nil)
		wantProblem(t, e.get("/api/v1/customers", ""), http.StatusUnauthorized)
		r := e.get("/metrics", "")
		want(t, r, http.StatusOK, nil)
		body := string(r.Body)
		for _, s := range []string{"kyc_http_requests_total", `route="/api/v1/customers"`, `code="401"`, `code="200"`, "kyc_http_request_duration_seconds"} {
			if !strings.Contains(body, s) {
				t.Fatalf("metrics lack %s", s)
			}
		}
		// Labelled by the operation's pattern, a 401 too; an unknown path
		// under /api/v1 by the one fixed label (issue 14, item 2).
		wantProblem(t, e.get("/api/v1/customers/cus_unknown0001", ""), http.StatusUnauthorized)
		want(t, e.get("/api/v1/no-such-thing/cus_unknown0002", tok), http.StatusNotFound, nil)
		r = e.get("/metrics", "")
		body = string(r.Body)
		for _, s := range []string{`kyc_http_requests_total{code="401",method="GET",route="/api/v1/customers/{id}"} 1`, `route="unmatched"`} {
			if !strings.Contains(body, s) {
				t.Fatalf("metrics lack %s", s)
			}
		}
		if strings.Contains(body, `route="/api/v1/"`) {
			t.Fatal("API requests still counted under the mount point")
		}
		if strings.Contains(body, "cus_") {
			t.Fatal("metrics are labelled with raw paths")
		}
	})
}

func TestOpenAPIAndDocs(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	r := e.get("/openapi.json", "")
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	want(t, r, http.StatusOK, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Fatalf("openapi %q", doc.OpenAPI)
	}
	for path, methods := range map[string][]string{
		"/api/v1/customers":             {"get", "post"},
		"/api/v1/customers/{id}":        {"get", "patch"},
		"/api/v1/customers/{id}/submit": {"post"},
		"/api/v1/customers/{id}/checks": {"get"},
		"/api/v1/customers/{id}/risk":   {"get"},
		"/api/v1/cases":                 {"get"},
		"/api/v1/cases/{id}":            {"get"},
		"/api/v1/cases/{id}/decisions":  {"post"},
		"/api/v1/screening-hits/{id}":   {"patch"},
		"/api/v1/screenings":            {"post"},
		"/api/v1/lists":                 {"get"},
		"/api/v1/audit-events":          {"get"},
	} {
		for _, m := range methods {
			if _, ok := doc.Paths[path][m]; !ok {
				t.Errorf("OpenAPI lacks %s %s", strings.ToUpper(m), path)
			}
		}
	}
	for path := range doc.Paths {
		if !strings.HasPrefix(path, "/api/v1/") && path != "/oauth/token" {
			t.Errorf("unexpected path %s", path)
		}
	}
	// The merge patch is documented with its media type; the hidden
	// Content-Type parameter is not.
	patch := string(doc.Paths["/api/v1/customers/{id}"]["patch"])
	if !strings.Contains(patch, "application/merge-patch+json") || strings.Contains(patch, `"name":"Content-Type"`) {
		t.Fatalf("PATCH operation %s", short([]byte(patch)))
	}
	want(t, e.get("/docs", ""), http.StatusOK, nil)
	want(t, e.get("/openapi.yaml", ""), http.StatusOK, nil)
}

func TestJWKSAndTokenEndpoint(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		r := e.get("/.well-known/jwks.json", "")
		var set struct {
			Keys []map[string]any `json:"keys"`
		}
		want(t, r, http.StatusOK, &set)
		if len(set.Keys) == 0 {
			t.Fatalf("jwks %s", short(r.Body))
		}
		for _, k := range set.Keys {
			if k["kty"] != "EC" || k["crv"] != "P-256" || k["kid"] == "" || k["d"] != nil {
				t.Fatalf("jwk %v", k)
			}
		}
		// Wrong credentials: 401 invalid_client with a challenge, no token.
		id, _ := e.client("customers:read")
		form := "grant_type=client_credentials&client_id=" + id + "&client_secret=wrong"
		r = e.do(req{Method: http.MethodPost, Path: "/oauth/token", Body: form, ContentType: "application/x-www-form-urlencoded"})
		if r.Status != http.StatusUnauthorized || !strings.Contains(string(r.Body), "invalid_client") || r.Header.Get("WWW-Authenticate") == "" {
			t.Fatalf("wrong secret: %s", r)
		}
		r = e.do(req{Method: http.MethodPost, Path: "/oauth/token", Body: "grant_type=password", ContentType: "application/x-www-form-urlencoded"})
		if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "unsupported_grant_type") {
			t.Fatalf("password grant: %s", r)
		}
	})
}

func TestSecurityHeadersAndRequestID(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	_, tok := e.client("customers:read")
	r := e.do(req{Method: http.MethodGet, Path: "/api/v1/customers", Token: tok, Header: map[string]string{"X-Request-Id": "req-12345678"}})
	want(t, r, http.StatusOK, nil)
	if r.Header.Get("X-Request-Id") != "req-12345678" || r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("X-Frame-Options") != "DENY" {
		t.Fatalf("headers %v", r.Header)
	}
	// A request id that is not a short token is replaced.
	r = e.do(req{Method: http.MethodGet, Path: "/healthz", Header: map[string]string{"X-Request-Id": "bad id\twith spaces"}})
	if id := r.Header.Get("X-Request-Id"); id == "" || strings.ContainsAny(id, " \t") {
		t.Fatalf("request id %q", id)
	}
}

// An unexpected error answers a generic 500 that quotes the request id and
// carries neither the error nor personal data; the detail goes to the log.
func TestInternalErrorIsGeneric(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("customers:read customers:write")
		c := e.create(tok, individual())
		e.Queue.Fail(errors.New("queue rejected customer Eriksson anna.eriksson@example.com: " + errInjected.Error()))
		r := e.do(req{Method: http.MethodPost, Path: "/api/v1/customers/" + c.ID + "/submit", Token: tok, Header: map[string]string{"X-Request-Id": "req-500-abcdef"}})
		p := wantProblem(t, r, http.StatusInternalServerError)
		if !strings.Contains(p.Detail, "req-500-abcdef") || len(p.Errors) != 0 {
			t.Fatalf("500 body %s", short(r.Body))
		}
		for _, s := range append([]string{"injected", "queue", "enqueue"}, personalValues...) {
			if strings.Contains(string(r.Body), s) {
				t.Fatalf("500 body leaks %q: %s", s, short(r.Body))
			}
		}
		if !strings.Contains(e.logs.String(), "req-500-abcdef") || !strings.Contains(e.logs.String(), "injected") {
			t.Fatal("the error detail is not logged with the request id")
		}
		// Nothing was half-written.
		var got customer
		want(t, e.get("/api/v1/customers/"+c.ID, tok), http.StatusOK, &got)
		if got.Status != "draft" {
			t.Fatalf("status %s after a failed submit", got.Status)
		}
	})
}

// A whole onboarding through the API leaves no personal data in the logs,
// and error bodies never echo another customer's data.
func TestNoPersonalDataInLogs(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		e.ImportOFAC()
		_, tok := e.client("all")
		c := e.create(tok, individual())
		q := "/api/v1/customers?email=anna.eriksson@example.com"
		want(t, e.get(q, tok), http.StatusOK, nil)
		want(t, e.patch("/api/v1/customers/"+c.ID, tok, map[string]any{"occupation": "Nurse"}), http.StatusOK, nil)
		wantProblem(t, e.patch("/api/v1/customers/"+c.ID, tok, map[string]any{"email": "Eriksson-at-example"}), http.StatusUnprocessableEntity, "body.email")
		e.submitAndRun(tok, c.ID)
		want(t, e.get("/api/v1/customers/"+c.ID+"/checks", tok), http.StatusOK, nil)
		want(t, e.get("/api/v1/customers/"+c.ID+"/risk", tok), http.StatusOK, nil)
		want(t, e.post("/api/v1/screenings", tok, map[string]any{"name": "Anna Maria Eriksson", "birth_date": "1990-08-12"}), http.StatusOK, nil)
		want(t, e.get("/api/v1/audit-events", tok), http.StatusOK, nil)
		logs := e.logs.String()
		if !strings.Contains(logs, `"msg":"http request"`) {
			t.Fatal("no access log")
		}
		for _, v := range append(personalValues, "anna.eriksson%40example.com", "Anna Maria") {
			if strings.Contains(logs, v) {
				t.Fatalf("log contains personal data %q", v)
			}
		}
	})
}
