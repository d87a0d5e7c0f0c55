package auth

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
)

// OAuth 2.0 error codes (RFC 6749 §5.2).
const (
	oauthInvalidRequest       = "invalid_request"
	oauthInvalidClient        = "invalid_client"
	oauthUnsupportedGrantType = "unsupported_grant_type"
	oauthInvalidScope         = "invalid_scope"
	oauthServerError          = "server_error"
)

// GrantClientCredentials is the only grant type the endpoint accepts.
const GrantClientCredentials = "client_credentials"

// maxTokenRequestBody bounds the form body of a token request.
const maxTokenRequestBody = 8 << 10

// Defaults of the failed-attempt throttle.
const (
	DefaultMaxFailures   = 10
	DefaultFailureWindow = 15 * time.Minute
	maxThrottleEntries   = 10000
)

// TokenHandlerOption configures TokenHandler.
type TokenHandlerOption func(*tokenHandler)

// WithLogger sets the logger of the token endpoint (default: discard).
// Client ids and outcomes are logged; secrets and tokens never are.
func WithLogger(l *slog.Logger) TokenHandlerOption {
	return func(h *tokenHandler) { h.log = l }
}

// WithFailureLimit sets the throttle: after max failed authentications of
// one client id from one source address within window, further wrong
// secrets for that id from that address are answered 429 with Retry-After
// until the window has passed. A correct secret is never refused: the
// throttle slows guessing from one place, it does not lock the real client
// out (issue 12 item 2). max <= 0 disables the throttle. Default 10 per 15
// minutes.
func WithFailureLimit(max int, window time.Duration) TokenHandlerOption {
	return func(h *tokenHandler) { h.maxFailures, h.window = max, window }
}

// OnIssued sets a callback run after each issued token (for metrics or an
// audit record); it receives the client id, scopes and token id.
func OnIssued(fn func(r *http.Request, clientID string, t AccessToken)) TokenHandlerOption {
	return func(h *tokenHandler) { h.onIssued = fn }
}

type tokenHandler struct {
	issuer      *Issuer
	clients     store.Clients
	log         *slog.Logger
	maxFailures int
	window      time.Duration
	onIssued    func(*http.Request, string, AccessToken)

	mu       sync.Mutex
	failures map[string]*failureCount
}

type failureCount struct {
	n     int
	first time.Time
}

// TokenHandler serves POST /oauth/token: the client-credentials grant of
// RFC 6749 §4.4. The client authenticates with HTTP Basic
// (client_secret_basic, id and secret form-urlencoded then base64 as §2.3.1
// says) or with client_id and client_secret form fields
// (client_secret_post), never both. The optional scope parameter (space
// separated) must be a subset of the client's scopes; without it the token
// carries all of them. Only application/x-www-form-urlencoded bodies are
// accepted. Success answers {"access_token","token_type":"Bearer",
// "expires_in","scope"}; errors follow §5.2. Both carry Cache-Control:
// no-store.
func TokenHandler(iss *Issuer, clients store.Clients, opts ...TokenHandlerOption) http.Handler {
	h := &tokenHandler{
		issuer:      iss,
		clients:     clients,
		log:         slog.New(slog.DiscardHandler),
		maxFailures: DefaultMaxFailures,
		window:      DefaultFailureWindow,
		failures:    map[string]*failureCount{},
	}
	for _, o := range opts {
		o(h)
	}
	return h
}

type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope"`
}

type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

func (h *tokenHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeOAuthError(w, http.StatusMethodNotAllowed, oauthInvalidRequest, "The token endpoint accepts POST only.")
		return
	}
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "application/x-www-form-urlencoded" {
		writeOAuthError(w, http.StatusBadRequest, oauthInvalidRequest, "The request body must be application/x-www-form-urlencoded.")
		return
	}
	// Credentials in the URL end up in logs and histories (ASVS 14.2.1).
	if q := r.URL.Query(); q.Has("client_secret") || q.Has("client_id") || q.Has("grant_type") {
		writeOAuthError(w, http.StatusBadRequest, oauthInvalidRequest, "Parameters must be sent in the request body, not the URL.")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxTokenRequestBody))
	if err != nil {
		writeOAuthError(w, http.StatusBadRequest, oauthInvalidRequest, "The request body is too large or unreadable.")
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		writeOAuthError(w, http.StatusBadRequest, oauthInvalidRequest, "The request body is not a valid form.")
		return
	}
	// RFC 6749 §3.2: parameters must not be repeated.
	for name, vs := range form {
		if len(vs) > 1 {
			writeOAuthError(w, http.StatusBadRequest, oauthInvalidRequest, "Parameter "+strconv.Quote(name)+" is repeated.")
			return
		}
	}

	grant := form.Get("grant_type")
	switch {
	case grant == "":
		writeOAuthError(w, http.StatusBadRequest, oauthInvalidRequest, "grant_type is required.")
		return
	case grant != GrantClientCredentials:
		writeOAuthError(w, http.StatusBadRequest, oauthUnsupportedGrantType, "Only the client_credentials grant is supported.")
		return
	}

	clientID, secret, ok := h.credentials(w, r, form)
	if !ok {
		return
	}
	if !looksLikeClientID(clientID) {
		h.invalidClient(w)
		return
	}
	now := h.issuer.km.now()
	// The secret is checked first (one SHA-256, cheap): the throttle only
	// answers failures, so a correct secret always gets its token.
	key := clientID + " " + sourceAddr(r)
	client, err := h.clients.Get(r.Context(), clientID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		VerifySecret(make([]byte, 32), secret) // same work as a known client
		h.failed(w, key, now)
		h.log.Info("oauth token: unknown client", "client_id", clientID)
		return
	case err != nil:
		h.log.Error("oauth token: look up client", "client_id", clientID, "err", err)
		writeOAuthError(w, http.StatusInternalServerError, oauthServerError, "")
		return
	}
	if !VerifySecret(client.SecretHash, secret) {
		h.log.Info("oauth token: wrong client secret", "client_id", clientID)
		h.failed(w, key, now)
		return
	}
	if client.Disabled {
		h.log.Info("oauth token: disabled client", "client_id", clientID)
		h.invalidClient(w)
		return
	}
	h.succeed(key)

	granted := SplitScopes(client.Scopes)
	scopes := granted
	if form.Has("scope") {
		requested := strings.Fields(form.Get("scope"))
		var bad []string
		for _, s := range requested {
			if !HasScope(granted, s) {
				bad = append(bad, s)
			}
		}
		if len(bad) > 0 {
			writeOAuthError(w, http.StatusBadRequest, oauthInvalidScope,
				"Scopes not granted to this client: "+strings.Join(bad, " ")+".")
			return
		}
		scopes = SplitScopes(strings.Join(requested, " "))
	}

	tok, err := h.issuer.IssueGen(r.Context(), clientID, scopes, SecretGeneration(client.SecretRotatedAt))
	if err != nil {
		h.log.Error("oauth token: issue", "client_id", clientID, "err", err)
		writeOAuthError(w, http.StatusInternalServerError, oauthServerError, "")
		return
	}
	h.log.Info("oauth token: issued", "client_id", clientID, "jti", tok.ID, "kid", tok.KID, "scope", FormatScopes(tok.Scopes))
	// Last use, for the operator's list of clients; a failure to note it
	// does not cost the client its token.
	if err := h.clients.Touch(r.Context(), clientID, now); err != nil {
		h.log.Warn("oauth token: note last use", "client_id", clientID, "err", err)
	}
	if h.onIssued != nil {
		h.onIssued(r, clientID, tok)
	}
	writeJSON(w, http.StatusOK, tokenResponse{
		AccessToken: tok.Token, TokenType: "Bearer",
		ExpiresIn: tok.ExpiresIn(), Scope: FormatScopes(tok.Scopes),
	})
}

// credentials extracts the client id and secret; on failure it has already
// written the error response.
func (h *tokenHandler) credentials(w http.ResponseWriter, r *http.Request, form url.Values) (id, secret string, ok bool) {
	formID, formSecret := form.Get("client_id"), form.Get("client_secret")
	authz := r.Header.Get("Authorization")
	if authz != "" {
		user, pass, isBasic := r.BasicAuth()
		if !isBasic {
			h.invalidClient(w)
			return "", "", false
		}
		if formSecret != "" {
			writeOAuthError(w, http.StatusBadRequest, oauthInvalidRequest, "Use one client authentication method, not both.")
			return "", "", false
		}
		// §2.3.1: both are application/x-www-form-urlencoded before base64.
		uid, err1 := url.QueryUnescape(user)
		pw, err2 := url.QueryUnescape(pass)
		if err1 != nil || err2 != nil || uid == "" {
			h.invalidClient(w)
			return "", "", false
		}
		if formID != "" && formID != uid {
			writeOAuthError(w, http.StatusBadRequest, oauthInvalidRequest, "client_id does not match the authenticated client.")
			return "", "", false
		}
		return uid, pw, true
	}
	if formID == "" || formSecret == "" {
		h.invalidClient(w)
		return "", "", false
	}
	return formID, formSecret, true
}

// invalidClient answers 401 invalid_client with a Basic challenge (§5.2).
func (h *tokenHandler) invalidClient(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Basic realm="kyc", charset="UTF-8"`)
	writeOAuthError(w, http.StatusUnauthorized, oauthInvalidClient, "Client authentication failed.")
}

// sourceAddr is the request's source address without the port (the client
// address behind trusted proxies: httpx.TrustedProxies rewrites RemoteAddr).
func sourceAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// failed counts a failed authentication of key and answers it: 401, or 429
// with Retry-After once key has failed too often within the window.
func (h *tokenHandler) failed(w http.ResponseWriter, key string, now time.Time) {
	h.fail(key, now)
	if wait := h.throttled(key, now); wait > 0 {
		h.log.Warn("oauth token: too many failed attempts", "client_id", key[:strings.IndexByte(key, ' ')])
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		writeOAuthError(w, http.StatusTooManyRequests, oauthInvalidClient, "Too many failed attempts; retry later.")
		return
	}
	h.invalidClient(w)
}

// throttled returns how long the key must wait, or 0.
func (h *tokenHandler) throttled(id string, now time.Time) time.Duration {
	if h.maxFailures <= 0 {
		return 0
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	f, ok := h.failures[id]
	if !ok {
		return 0
	}
	end := f.first.Add(h.window)
	if !now.Before(end) {
		delete(h.failures, id)
		return 0
	}
	if f.n > h.maxFailures {
		return end.Sub(now)
	}
	return 0
}

func (h *tokenHandler) fail(id string, now time.Time) {
	if h.maxFailures <= 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	f, ok := h.failures[id]
	if ok && !now.Before(f.first.Add(h.window)) {
		ok = false
	}
	if !ok {
		if len(h.failures) >= maxThrottleEntries {
			for k, v := range h.failures {
				if !now.Before(v.first.Add(h.window)) {
					delete(h.failures, k)
				}
			}
			if len(h.failures) >= maxThrottleEntries {
				return // full of live entries: stop tracking new ids
			}
		}
		f = &failureCount{first: now}
		h.failures[id] = f
	}
	f.n++
}

func (h *tokenHandler) succeed(id string) {
	h.mu.Lock()
	delete(h.failures, id)
	h.mu.Unlock()
}

func writeOAuthError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, oauthError{Error: code, Description: description})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// JWKSHandler serves GET /.well-known/jwks.json from km.
func JWKSHandler(km *KeyManager, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		b, err := km.JWKS(r.Context())
		if err != nil {
			log.Error("jwks", "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/jwk-set+json")
		w.Header().Set("Cache-Control", "public, max-age=60")
		_, _ = w.Write(b)
	})
}
