package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

type tokenReply struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope"`
	Error       string `json:"error"`
}

type tokenRequest struct {
	method      string
	contentType string
	query       string
	form        url.Values
	rawBody     string
	basicUser   string
	basicPass   string
	authz       string
}

func (b *bundle) post(t *testing.T, h http.Handler, req tokenRequest) (*httptest.ResponseRecorder, tokenReply) {
	t.Helper()
	return b.postFrom(t, h, req, "")
}

// postFrom posts from a source address ("" : httptest's 192.0.2.1:1234).
func (b *bundle) postFrom(t *testing.T, h http.Handler, req tokenRequest, addr string) (*httptest.ResponseRecorder, tokenReply) {
	t.Helper()
	body := req.rawBody
	if req.form != nil {
		body = req.form.Encode()
	}
	method := req.method
	if method == "" {
		method = http.MethodPost
	}
	r := httptest.NewRequest(method, "/oauth/token"+req.query, strings.NewReader(body))
	ct := req.contentType
	if ct == "" {
		ct = "application/x-www-form-urlencoded"
	}
	r.Header.Set("Content-Type", ct)
	if req.basicUser != "" {
		r.SetBasicAuth(url.QueryEscape(req.basicUser), url.QueryEscape(req.basicPass))
	}
	if req.authz != "" {
		r.Header.Set("Authorization", req.authz)
	}
	if addr != "" {
		r.RemoteAddr = addr
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	var reply tokenReply
	if err := json.Unmarshal(w.Body.Bytes(), &reply); err != nil {
		t.Fatalf("body %q: %v", w.Body.String(), err)
	}
	return w, reply
}

func TestTokenHandler(t *testing.T) {
	t.Parallel()
	b := setup(t)
	readOnlyID, readOnlySecret := b.addClient(t, "reader", []string{ScopeCustomersRead, ScopeCasesRead})
	disabledID, disabledSecret := b.addClient(t, "gone", AllScopes())
	b.clients.update(disabledID, func(c *store.ClientRecord) { c.Disabled = true })
	h := TokenHandler(b.issuer, b.clients, WithFailureLimit(0, 0))

	grant := func(kv ...string) url.Values {
		v := url.Values{"grant_type": {"client_credentials"}}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	tests := []struct {
		name       string
		req        tokenRequest
		wantStatus int
		wantError  string
		wantScope  string
		wantSub    string
	}{
		{"basic", tokenRequest{form: grant(), basicUser: readOnlyID, basicPass: readOnlySecret},
			200, "", "customers:read cases:read", readOnlyID},
		{"form post", tokenRequest{form: grant("client_id", readOnlyID, "client_secret", readOnlySecret)},
			200, "", "customers:read cases:read", readOnlyID},
		{"basic with matching client_id field", tokenRequest{form: grant("client_id", readOnlyID), basicUser: readOnlyID, basicPass: readOnlySecret},
			200, "", "customers:read cases:read", readOnlyID},
		{"scope subset", tokenRequest{form: grant("scope", "cases:read"), basicUser: readOnlyID, basicPass: readOnlySecret},
			200, "", "cases:read", readOnlyID},
		{"scope reordered", tokenRequest{form: grant("scope", "cases:read customers:read"), basicUser: readOnlyID, basicPass: readOnlySecret},
			200, "", "customers:read cases:read", readOnlyID},
		{"content type with charset", tokenRequest{contentType: "application/x-www-form-urlencoded; charset=utf-8", form: grant(), basicUser: b.clientID, basicPass: b.secret},
			200, "", FormatScopes(AllScopes()), b.clientID},
		{"scope not granted", tokenRequest{form: grant("scope", "cases:read audit:read"), basicUser: readOnlyID, basicPass: readOnlySecret},
			400, "invalid_scope", "", ""},
		{"unknown scope", tokenRequest{form: grant("scope", "root"), basicUser: readOnlyID, basicPass: readOnlySecret},
			400, "invalid_scope", "", ""},
		{"wrong secret basic", tokenRequest{form: grant(), basicUser: readOnlyID, basicPass: readOnlySecret + "x"},
			401, "invalid_client", "", ""},
		{"wrong secret form", tokenRequest{form: grant("client_id", readOnlyID, "client_secret", "kyc_cs_nope")},
			401, "invalid_client", "", ""},
		{"unknown client", tokenRequest{form: grant(), basicUser: "kyc_ci_unknown", basicPass: readOnlySecret},
			401, "invalid_client", "", ""},
		{"disabled client", tokenRequest{form: grant(), basicUser: disabledID, basicPass: disabledSecret},
			401, "invalid_client", "", ""},
		{"no credentials", tokenRequest{form: grant()}, 401, "invalid_client", "", ""},
		{"secret without id", tokenRequest{form: grant("client_secret", readOnlySecret)}, 401, "invalid_client", "", ""},
		{"bearer instead of basic", tokenRequest{form: grant(), authz: "Bearer abc"}, 401, "invalid_client", "", ""},
		{"both methods", tokenRequest{form: grant("client_id", readOnlyID, "client_secret", readOnlySecret), basicUser: readOnlyID, basicPass: readOnlySecret},
			400, "invalid_request", "", ""},
		{"mismatched client_id", tokenRequest{form: grant("client_id", b.clientID), basicUser: readOnlyID, basicPass: readOnlySecret},
			400, "invalid_request", "", ""},
		{"wrong grant type", tokenRequest{form: url.Values{"grant_type": {"password"}}, basicUser: readOnlyID, basicPass: readOnlySecret},
			400, "unsupported_grant_type", "", ""},
		{"authorization code grant", tokenRequest{form: url.Values{"grant_type": {"authorization_code"}, "code": {"x"}}, basicUser: readOnlyID, basicPass: readOnlySecret},
			400, "unsupported_grant_type", "", ""},
		{"missing grant type", tokenRequest{form: url.Values{}, basicUser: readOnlyID, basicPass: readOnlySecret},
			400, "invalid_request", "", ""},
		{"repeated parameter", tokenRequest{rawBody: "grant_type=client_credentials&grant_type=client_credentials", basicUser: readOnlyID, basicPass: readOnlySecret},
			400, "invalid_request", "", ""},
		{"json body", tokenRequest{contentType: "application/json", rawBody: `{"grant_type":"client_credentials"}`, basicUser: readOnlyID, basicPass: readOnlySecret},
			400, "invalid_request", "", ""},
		{"no content type", tokenRequest{contentType: "text/plain", form: grant(), basicUser: readOnlyID, basicPass: readOnlySecret},
			400, "invalid_request", "", ""},
		{"secret in query", tokenRequest{query: "?client_secret=" + readOnlySecret, form: grant("client_id", readOnlyID)},
			400, "invalid_request", "", ""},
		{"body too large", tokenRequest{rawBody: "grant_type=client_credentials&x=" + strings.Repeat("a", maxTokenRequestBody), basicUser: readOnlyID, basicPass: readOnlySecret},
			400, "invalid_request", "", ""},
		{"GET", tokenRequest{method: http.MethodGet, basicUser: readOnlyID, basicPass: readOnlySecret},
			405, "invalid_request", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w, reply := b.post(t, h, tt.req)
			if w.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tt.wantStatus, w.Body)
			}
			if got := w.Header().Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q", got)
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			if reply.Error != tt.wantError {
				t.Errorf("error = %q, want %q", reply.Error, tt.wantError)
			}
			if tt.wantStatus == 401 && !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Basic ") {
				t.Errorf("WWW-Authenticate = %q", w.Header().Get("WWW-Authenticate"))
			}
			if tt.wantStatus != 200 {
				if reply.AccessToken != "" {
					t.Error("token in an error response")
				}
				return
			}
			if reply.TokenType != "Bearer" || reply.ExpiresIn != int64(DefaultTokenTTL/time.Second) || reply.Scope != tt.wantScope {
				t.Errorf("reply = %+v", reply)
			}
			actor, err := b.verifier.Verify(context.Background(), reply.AccessToken)
			if err != nil {
				t.Fatal(err)
			}
			if actor.ID != tt.wantSub || FormatScopes(actor.Scopes) != tt.wantScope || actor.Type != domain.ActorClient {
				t.Errorf("actor = %+v", actor)
			}
		})
	}
}

// TestTokenHandlerThrottle: failed authentications are throttled per client
// id and source address, and a correct secret is never refused (issue 12
// item 2: ten wrong secrets from anywhere used to lock the real client out
// for 15 minutes). OWASP ASVS 5.0 V6.3.1 asks for protection against
// credential guessing that does not let an attacker lock a legitimate user
// out.
func TestTokenHandlerThrottle(t *testing.T) {
	t.Parallel()
	b := setup(t)
	h := TokenHandler(b.issuer, b.clients, WithFailureLimit(3, time.Minute))
	form := url.Values{"grant_type": {"client_credentials"}}
	bad := tokenRequest{form: form, basicUser: b.clientID, basicPass: "kyc_cs_wrong"}
	good := tokenRequest{form: form, basicUser: b.clientID, basicPass: b.secret}

	// A success resets the count.
	for range 2 {
		if w, _ := b.post(t, h, bad); w.Code != 401 {
			t.Fatalf("status %d", w.Code)
		}
	}
	if w, _ := b.post(t, h, good); w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	for range 3 {
		if w, _ := b.post(t, h, bad); w.Code != 401 {
			t.Fatalf("status %d", w.Code)
		}
	}
	// Throttled: further wrong secrets from this address get 429 with Retry-After …
	w, reply := b.post(t, h, bad)
	if w.Code != http.StatusTooManyRequests || reply.Error != "invalid_client" || w.Header().Get("Retry-After") == "" {
		t.Fatalf("throttled: status %d, %+v, Retry-After %q", w.Code, reply, w.Header().Get("Retry-After"))
	}
	// … the same wrong secret from another address is an ordinary 401 …
	if w, _ := b.postFrom(t, h, bad, "198.51.100.7:4000"); w.Code != 401 {
		t.Fatalf("another address: status %d", w.Code)
	}
	// … and the right secret is never refused, from anywhere.
	if w, _ := b.post(t, h, good); w.Code != 200 {
		t.Fatalf("the right secret while throttled: status %d", w.Code)
	}
	for range 5 {
		b.post(t, h, bad)
	}
	if w, _ := b.postFrom(t, h, good, "198.51.100.7:4000"); w.Code != 200 {
		t.Fatalf("the right secret from another address: status %d", w.Code)
	}
	// Other clients are not affected.
	otherID, otherSecret := b.addClient(t, "other", []string{ScopeListsRead})
	if w, _ := b.post(t, h, tokenRequest{form: form, basicUser: otherID, basicPass: otherSecret}); w.Code != 200 {
		t.Fatalf("other client: status %d", w.Code)
	}
	// Unknown client ids are throttled like wrong secrets.
	ghost := tokenRequest{form: form, basicUser: "kyc_ci_ghost", basicPass: "x"}
	for range 3 {
		b.post(t, h, ghost)
	}
	if w, _ := b.post(t, h, ghost); w.Code != http.StatusTooManyRequests {
		t.Fatalf("unknown client: status %d", w.Code)
	}
	b.clock.Advance(time.Minute)
	if w, _ := b.post(t, h, bad); w.Code != 401 {
		t.Fatalf("after the window: status %d", w.Code)
	}
}

func TestTokenHandlerNeverLogsSecrets(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var logs bytes.Buffer
	var issued []string
	h := TokenHandler(b.issuer, b.clients,
		WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		OnIssued(func(_ *http.Request, id string, tok AccessToken) { issued = append(issued, id) }))
	form := url.Values{"grant_type": {"client_credentials"}}
	_, ok := b.post(t, h, tokenRequest{form: form, basicUser: b.clientID, basicPass: b.secret})
	_, _ = b.post(t, h, tokenRequest{form: form, basicUser: b.clientID, basicPass: b.secret + "typo"})
	_, _ = b.post(t, h, tokenRequest{form: url.Values{"grant_type": {"client_credentials"}, "client_id": {b.clientID}, "client_secret": {"kyc_cs_other"}}})
	out := logs.String()
	for _, s := range []string{b.secret, "typo", "kyc_cs_other", ok.AccessToken} {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("log contains a secret or token %q:\n%s", s, out)
		}
	}
	if !strings.Contains(out, b.clientID) {
		t.Error("log does not name the client")
	}
	if !slices.Equal(issued, []string{b.clientID}) {
		t.Errorf("OnIssued calls = %v", issued)
	}
}

func TestJWKSHandler(t *testing.T) {
	t.Parallel()
	b := setup(t)
	h := JWKSHandler(b.km, nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/.well-known/jwks.json", nil))
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/jwk-set+json" {
		t.Fatalf("status %d, content type %q", w.Code, w.Header().Get("Content-Type"))
	}
	var doc struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil || len(doc.Keys) != 1 {
		t.Fatalf("JWKS %s: %v", w.Body, err)
	}
	w = httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/.well-known/jwks.json", nil))
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d", w.Code)
	}
}

func TestBearerToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header string
		want   string
		ok     bool
	}{
		{"Bearer abc.def.ghi", "abc.def.ghi", true},
		{"bearer abc", "abc", true},
		{"Basic abc", "", false},
		{"Bearer ", "", false},
		{"", "", false},
		{"Bearerabc", "", false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		if tt.header != "" {
			r.Header.Set("Authorization", tt.header)
		}
		got, ok := BearerToken(r)
		if got != tt.want || ok != tt.ok {
			t.Errorf("BearerToken(%q) = %q, %v", tt.header, got, ok)
		}
	}
}

func TestVerifyRequest(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := httptest.NewRequest(http.MethodGet, "/api/v1/customers", nil)
	_, err := b.verifier.VerifyRequest(r)
	wantUnauthorized(t, err)
	r.Header.Set("Authorization", "Bearer "+b.issue(t).Token)
	if actor, err := b.verifier.VerifyRequest(r); err != nil || actor.ID != b.clientID {
		t.Fatalf("actor %+v, err %v", actor, err)
	}
}
