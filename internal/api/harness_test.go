package api_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/api"
	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/health"
	"github.com/kyc-platform/kyc/internal/httpx"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/telemetry"
)

const (
	testIssuer   = "http://kyc.test"
	testAudience = "kyc-api"
	// testMaxBody is the configured JSON body limit of the test servers.
	testMaxBody = 64 << 10
)

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// env is one running API over a fresh database of one engine: the
// harness bundle (real time), plus the server and what it logs and counts.
type env struct {
	*kyctest.Bundle
	t       *testing.T
	keys    *auth.KeyManager
	logs    *syncBuffer
	srv     *httptest.Server
	metrics *telemetry.Metrics
}

// setup builds the handler the way cli.newHandler does: health, readiness,
// metrics, the token endpoint, the JWKS and the API, behind the request
// observer and the security headers, with a real vault, key manager,
// issuer, verifier, risk model and document verifier.
func setup(t testing.TB, engine string) *env {
	t.Helper()
	return setupWith(t, engine, nil)
}

// setupWith is setup serving on ln (nil: a new listener), with further
// harness options (an identity provider that must know the server's
// address before it starts).
func setupWith(t testing.TB, engine string, ln net.Listener, opts ...kyctest.Option) *env {
	t.Helper()
	return setupLimited(t, engine, ln, httpx.RateLimits{}, opts...)
}

// setupLimited is setupWith with the API's rate limits (setupWith's
// servers limit nothing).
func setupLimited(t testing.TB, engine string, ln net.Listener, limits httpx.RateLimits, opts ...kyctest.Option) *env {
	t.Helper()
	e := &env{logs: &syncBuffer{}, metrics: telemetry.NewMetrics()}
	if tt, ok := t.(*testing.T); ok {
		e.t = tt // the helpers below need a test; a fuzz target's setup has none
	}
	log := telemetry.NewLogger(e.logs, "json", "debug")
	e.Bundle = kyctest.New(t, append([]kyctest.Option{kyctest.WithEngine(engine), kyctest.WithRealTime(), kyctest.WithLogger(log), kyctest.WithMetrics(e.metrics)}, opts...)...)
	e.keys = auth.NewKeyManager(e.Store.Keys(), e.Vault, auth.WithTokenTTL(15*time.Minute))
	if err := e.keys.EnsureKey(e.Ctx); err != nil {
		t.Fatal(err)
	}

	mux := http.NewServeMux()
	health.Register(mux, e.Store, log)
	mux.Handle("GET /metrics", e.metrics.Handler())
	issuer := auth.NewIssuer(e.keys, testIssuer, testAudience)
	verifier := auth.NewVerifier(e.keys, e.Store.Clients(), testIssuer, testAudience)
	mux.Handle("POST /oauth/token", auth.TokenHandler(issuer, e.Store.Clients(), auth.WithLogger(log)))
	mux.Handle("GET /.well-known/jwks.json", auth.JWKSHandler(e.keys, log))
	api.Register(mux, api.Deps{App: e.App, Auth: verifier, Logger: log, Version: "test", MaxBodyBytes: testMaxBody, RateLimits: limits})
	e.srv = httptest.NewUnstartedServer(httpx.SecureHeaders(httpx.Observe(mux, log, e.metrics)))
	if ln != nil {
		e.srv.Listener.Close()
		e.srv.Listener = ln
	}
	e.srv.Start()
	t.Cleanup(e.srv.Close)
	return e
}

// engines runs fn as a parallel subtest on every engine.
func engines(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	kyctest.Engines(t, func(t *testing.T, engine string) { fn(t, setup(t, engine)) })
}

// client creates an API client of the tenant "acme" with the scopes and
// returns a token for it from POST /oauth/token.
func (e *env) client(scopes string) (id, token string) {
	e.t.Helper()
	return e.clientIn("acme", scopes)
}

// clientIn creates an API client of a tenant.
func (e *env) clientIn(tenant, scopes string) (id, token string) {
	e.t.Helper()
	nc, err := e.App.Clients.CreateInTenant(e.Ctx, kyctest.Operator, tenant, "test client", scopes)
	if err != nil {
		e.t.Fatalf("create client: %v", err)
	}
	return nc.ClientID, e.token(nc.ClientID, nc.ClientSecret)
}

func (e *env) token(id, secret string) string {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/oauth/token", strings.NewReader(url.Values{"grant_type": {"client_credentials"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var tr struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int64  `json:"expires_in"`
		Scope       string `json:"scope"`
	}
	if err := json.NewDecoder(res.Body).Decode(&tr); err != nil || res.StatusCode != http.StatusOK || tr.AccessToken == "" {
		e.t.Fatalf("token: status %d, %v, %+v", res.StatusCode, err, tr)
	}
	if tr.TokenType != "Bearer" || tr.ExpiresIn <= 0 || tr.Scope == "" {
		e.t.Fatalf("token response %+v", tr)
	}
	return tr.AccessToken
}

// response is a finished HTTP exchange.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r *response) String() string { return fmt.Sprintf("%d %s", r.Status, short(r.Body)) }

// short trims a body for failure messages.
func short(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

// req describes a request; Body is JSON-encoded unless it is a string or
// []byte (sent as is).
type req struct {
	Method, Path, Token string
	Body                any
	ContentType         string
	Header              map[string]string
}

func (e *env) do(r req) *response {
	e.t.Helper()
	var body io.Reader
	ct := r.ContentType
	switch b := r.Body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		body = bytes.NewReader(j)
	}
	if body != nil && ct == "" {
		ct = "application/json"
	}
	hr, err := http.NewRequest(r.Method, e.srv.URL+r.Path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if ct != "" {
		hr.Header.Set("Content-Type", ct)
	}
	if r.Token != "" {
		hr.Header.Set("Authorization", "Bearer "+r.Token)
	}
	for k, v := range r.Header {
		hr.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(hr)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return &response{Status: res.StatusCode, Header: res.Header, Body: b}
}

func (e *env) get(path, token string) *response {
	e.t.Helper()
	return e.do(req{Method: http.MethodGet, Path: path, Token: token})
}

func (e *env) post(path, token string, body any) *response {
	e.t.Helper()
	return e.do(req{Method: http.MethodPost, Path: path, Token: token, Body: body})
}

func (e *env) patch(path, token string, body any) *response {
	e.t.Helper()
	return e.do(req{Method: http.MethodPatch, Path: path, Token: token, Body: body, ContentType: "application/merge-patch+json"})
}

// want checks the status and decodes the JSON body into v (when not nil).
func want(t *testing.T, r *response, status int, v any) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, short(r.Body))
	}
	if v != nil {
		if err := json.Unmarshal(r.Body, v); err != nil {
			t.Fatalf("decode %s: %v", r.Body, err)
		}
	}
}

// problem is an RFC 9457 body.
type problem struct {
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Location string `json:"location"`
		Message  string `json:"message"`
	} `json:"errors"`
}

func (p problem) locations() []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Location)
	}
	return out
}

// wantProblem checks a problem+json response with the status, and that
// every location in locs is named in its errors list.
func wantProblem(t *testing.T, r *response, status int, locs ...string) problem {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, short(r.Body))
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("Content-Type %q, want application/problem+json (%s)", ct, short(r.Body))
	}
	var p problem
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatalf("decode problem %s: %v", r.Body, err)
	}
	if p.Status != status || p.Title == "" {
		t.Fatalf("problem %+v", p)
	}
	have := map[string]bool{}
	for _, l := range p.locations() {
		have[l] = true
	}
	for _, l := range locs {
		if !have[l] {
			t.Fatalf("errors %v do not name %s: %s", p.locations(), l, short(r.Body))
		}
	}
	return p
}

// individual returns the API body of a valid individual who passes every
// check at low risk.
func individual() map[string]any {
	return map[string]any{
		"type": "individual", "given_names": "Anna Maria", "family_name": "Eriksson", "birth_date": "1990-08-12",
		"place_of_birth": map[string]any{"city": "Uppsala", "country": "SE"}, "nationality": "SE", "email": "anna.eriksson@example.com", "phone": "+46701234567",
		"address":    map[string]any{"line1": "Storgatan 1", "city": "Stockholm", "postal_code": "11122", "country": "SE"},
		"occupation": "Teacher", "expected_monthly_volume": map[string]any{"amount": 300000, "currency": "EUR"},
		"source_of_funds": "Salary", "face_to_face": true,
		"document": map[string]any{"type": "id_card", "number": "AB1234567", "issuing_country": "SE", "expiry_date": "2030-01-01"},
	}
}

// personalValues are values of individual() that must never appear in logs.
var personalValues = []string{"Eriksson", "anna.eriksson@example.com", "+46701234567", "AB1234567", "1990-08-12", "Storgatan"}

// business returns the API body of a valid business.
func business() map[string]any {
	return map[string]any{
		"type": "business", "legal_name": "Nordic Widgets AB", "registration_number": "556677-8899",
		"incorporation_country": "SE", "incorporation_date": "2010-05-01", "legal_form": "AB", "industry": "62.01",
		"address": map[string]any{"line1": "Kungsgatan 5", "city": "Stockholm", "postal_code": "11143", "country": "SE"},
		"email":   "info@nordicwidgets.example", "expected_monthly_volume": map[string]any{"amount": 5000000, "currency": "SEK"},
		"source_of_funds": "Trading revenue",
		"related_persons": []any{map[string]any{
			"roles": []string{"ubo", "director"}, "ownership_percent": 60, "given_names": "Lars", "family_name": "Nilsson",
			"birth_date": "1975-03-04", "nationality": "SE",
			"address":  map[string]any{"line1": "Drottninggatan 2", "city": "Stockholm", "postal_code": "11151", "country": "SE"},
			"document": map[string]any{"type": "id_card", "number": "CD7654321", "issuing_country": "SE", "expiry_date": "2031-01-01"},
		}},
	}
}

// customer is the subset of the API customer tests look at.
type customer struct {
	ID           string          `json:"id"`
	Type         string          `json:"type"`
	Status       string          `json:"status"`
	RiskRating   string          `json:"risk_rating"`
	DueDiligence string          `json:"due_diligence"`
	GivenNames   string          `json:"given_names"`
	FamilyName   string          `json:"family_name"`
	Email        string          `json:"email"`
	Phone        string          `json:"phone"`
	Occupation   string          `json:"occupation"`
	LegalName    string          `json:"legal_name"`
	Address      *map[string]any `json:"address"`
	SubmittedAt  *time.Time      `json:"submitted_at"`
}

func (e *env) create(token string, body map[string]any) customer {
	e.t.Helper()
	var c customer
	want(e.t, e.post("/api/v1/customers", token, body), http.StatusCreated, &c)
	if c.ID == "" || c.Status != "draft" {
		e.t.Fatalf("created %+v", c)
	}
	return c
}

// submitAndRun submits through the API and runs the enqueued checks.
func (e *env) submitAndRun(token, id string) customer {
	e.t.Helper()
	want(e.t, e.post("/api/v1/customers/"+id+"/submit", token, nil), http.StatusAccepted, nil)
	if n := e.RunChecks(); n != 3 {
		e.t.Fatalf("want 3 checks enqueued, got %d", n)
	}
	var c customer
	want(e.t, e.get("/api/v1/customers/"+id, token), http.StatusOK, &c)
	return c
}

// sanctioned returns an individual matching OFAC SDN entry 35025.
func sanctioned() map[string]any {
	b := individual()
	b["given_names"], b["family_name"], b["birth_date"], b["nationality"] = "Andrey Georgiyevich", "Zakharov", "1969-01-08", "RU"
	b["phone"] = "+74951234567"
	b["address"] = map[string]any{"line1": "Tverskaya 1", "city": "Moscow", "postal_code": "125009", "country": "RU"}
	return b
}

// keys returns the JSON object keys of b.
func keys(t *testing.T, b []byte) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return m
}

func wantKeys(t *testing.T, obj map[string]json.RawMessage, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, ok := obj[n]; !ok {
			t.Fatalf("field %q missing from %v", n, obj)
		}
	}
}

var errInjected = errors.New("injected")
