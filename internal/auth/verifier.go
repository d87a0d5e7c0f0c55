package auth

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jws"
	"github.com/lestrrat-go/jwx/v3/jwt"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// maxTokenSize bounds the bearer tokens the verifier parses; ours are
// about 600 bytes.
const maxTokenSize = 4096

// DefaultClientCacheTTL is how long the verifier trusts a client lookup by
// default when nothing tells it of changes: not at all. A client disabled,
// deleted or given a new secret (by the admin pages, kyc client or another
// replica) has its tokens refused from the very next request; the lookup
// is one primary-key read. WithClientCacheTTL trades that promptness for
// fewer reads. While Watch runs (PostgreSQL), lookups are cached and each
// change drops the client's entry as soon as it is reported.
const DefaultClientCacheTTL = 0

// watchedClientMaxAge bounds how long a lookup is trusted even while
// changes are watched: a safety net, not the mechanism.
const watchedClientMaxAge = time.Minute

// maxClientCache bounds the client cache.
const maxClientCache = 10000

// Messages of the unauthorized errors; safe to show.
const (
	msgMissingToken  = "A bearer access token is required."
	msgInvalidToken  = "The access token is invalid."
	msgExpiredToken  = "The access token has expired."
	msgRevokedClient = "The access token's client is unknown or disabled."
	msgStaleSecret   = "The access token was issued before the client's secret was replaced; request a new one."
)

// Verifier checks bearer tokens issued by an Issuer over the same key
// store: compact JWS only, algorithm ES256 only (alg "none", HS*, RS* and
// every other value are refused before any key is touched), a known kid,
// the signature, exp/nbf/iat with the KeyManager's leeway, iss, aud, and
// that the client still exists and is enabled. It is safe for concurrent
// use.
type Verifier struct {
	km       *KeyManager
	clients  store.Clients
	issuer   string
	audience string
	cacheTTL time.Duration

	mu    sync.Mutex
	cache map[string]clientEntry
	// watched is true while a ClientWatcher reports every change to the
	// clients (Watch); epoch counts the changes reported (and the starts
	// and ends of watching), moved under mu.
	watched atomic.Bool
	epoch   atomic.Uint64

	// verified remembers tokens whose signature and claims were checked,
	// keyed by the token's SHA-256, until they expire: an ECDSA
	// verification costs more than the rest of a typical request. The
	// client is still looked up (through its short cache) on every use.
	tmu      sync.Mutex
	verified map[[32]byte]verifiedToken
}

type verifiedToken struct {
	sub, scope string
	gen        int64 // the client's secret generation it was obtained with
	exp        time.Time
}

// maxVerifiedTokens bounds the verified-token cache.
const maxVerifiedTokens = 20000

type clientEntry struct {
	rec   store.ClientRecord
	found bool
	at    time.Time
}

// VerifierOption configures NewVerifier.
type VerifierOption func(*Verifier)

// WithClientCacheTTL sets how long client lookups are cached (default 10
// 0, the default, disables the cache).
func WithClientCacheTTL(d time.Duration) VerifierOption {
	return func(v *Verifier) { v.cacheTTL = d }
}

// NewVerifier returns a Verifier accepting tokens with this issuer and
// audience, signed by keys of km, for clients in clients.
func NewVerifier(km *KeyManager, clients store.Clients, issuer, audience string, opts ...VerifierOption) *Verifier {
	v := &Verifier{
		km: km, clients: clients, issuer: issuer, audience: audience,
		cacheTTL: DefaultClientCacheTTL, cache: map[string]clientEntry{},
		verified: map[[32]byte]verifiedToken{},
	}
	for _, o := range opts {
		o(v)
	}
	return v
}

// BearerToken extracts the token of an "Authorization: Bearer …" header.
func BearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// VerifyRequest verifies the bearer token of r; see Verify.
func (v *Verifier) VerifyRequest(r *http.Request) (domain.Actor, error) {
	tok, ok := BearerToken(r)
	if !ok {
		return domain.Actor{}, domain.Errorf(domain.ECodeUnauthorized, msgMissingToken)
	}
	return v.Verify(r.Context(), tok)
}

// Verify checks a bearer token and returns the client actor with the
// token's scopes (narrowed to the client's current scopes). Token problems
// give an ECodeUnauthorized *domain.Error with a message safe to show;
// store failures give a plain error.
func (v *Verifier) Verify(ctx context.Context, token string) (domain.Actor, error) {
	invalid := domain.Errorf(domain.ECodeUnauthorized, msgInvalidToken)
	if token == "" {
		return domain.Actor{}, domain.Errorf(domain.ECodeUnauthorized, msgMissingToken)
	}
	if len(token) > maxTokenSize || strings.Count(token, ".") != 2 || !isCompactJWS(token) {
		return domain.Actor{}, invalid
	}
	h := sha256.Sum256([]byte(token))
	v.tmu.Lock()
	vt, hit := v.verified[h]
	v.tmu.Unlock()
	if hit && v.km.now().Before(vt.exp) {
		return v.actor(ctx, vt.sub, vt.scope, vt.gen)
	}
	msg, err := jws.ParseString(token)
	if err != nil || len(msg.Signatures()) != 1 {
		return domain.Actor{}, invalid
	}
	hdr := msg.Signatures()[0].ProtectedHeaders()
	// Algorithm allow-list, on the header as sent (jwx by default verifies
	// with the caller's algorithm without comparing it to the header).
	if alg, ok := hdr.Algorithm(); !ok || alg.String() != Algorithm {
		return domain.Actor{}, invalid
	}
	if typ, ok := hdr.Type(); ok && !strings.EqualFold(typ, "JWT") && !strings.EqualFold(typ, "at+jwt") {
		return domain.Actor{}, invalid
	}
	if crit, ok := hdr.Critical(); ok && len(crit) > 0 {
		return domain.Actor{}, invalid
	}
	kid, ok := hdr.KeyID()
	if !ok || kid == "" {
		return domain.Actor{}, invalid
	}
	key, err := v.km.verificationKey(ctx, kid)
	if errors.Is(err, errUnknownKey) {
		return domain.Actor{}, invalid
	}
	if err != nil {
		return domain.Actor{}, err
	}
	km := v.km
	tok, err := jwt.ParseString(token,
		jwt.WithKey(jwa.ES256(), key),
		jwt.WithValidate(true),
		jwt.WithClock(jwt.ClockFunc(km.now)),
		jwt.WithAcceptableSkew(km.leeway),
		jwt.WithIssuer(v.issuer),
		jwt.WithAudience(v.audience),
		jwt.WithRequiredClaim(jwt.ExpirationKey),
		jwt.WithRequiredClaim(jwt.IssuedAtKey),
		jwt.WithRequiredClaim(jwt.SubjectKey),
		// A token living longer than the TTL would outlive its key's
		// retention in the JWKS.
		jwt.WithMaxDelta(km.ttl, jwt.ExpirationKey, jwt.IssuedAtKey),
	)
	if err != nil {
		if errors.Is(err, jwt.TokenExpiredError()) {
			return domain.Actor{}, domain.Errorf(domain.ECodeUnauthorized, msgExpiredToken)
		}
		return domain.Actor{}, invalid
	}
	sub, _ := tok.Subject()
	if !looksLikeClientID(sub) {
		return domain.Actor{}, invalid
	}
	var scope string
	if tok.Has("scope") {
		if err := tok.Get("scope", &scope); err != nil {
			return domain.Actor{}, invalid
		}
	}
	var gen int64
	if tok.Has(secretGenClaim) {
		var f float64 // JSON numbers decode as float64
		if err := tok.Get(secretGenClaim, &f); err != nil {
			return domain.Actor{}, invalid
		}
		gen = int64(f)
	}
	if exp, ok := tok.Expiration(); ok {
		v.remember(h, verifiedToken{sub: sub, scope: scope, gen: gen, exp: exp})
	}
	return v.actor(ctx, sub, scope, gen)
}

// remember caches a verified token until it expires.
func (v *Verifier) remember(h [32]byte, vt verifiedToken) {
	v.tmu.Lock()
	defer v.tmu.Unlock()
	if len(v.verified) >= maxVerifiedTokens {
		now := v.km.now()
		for k, e := range v.verified {
			if !now.Before(e.exp) {
				delete(v.verified, k)
			}
		}
		if len(v.verified) >= maxVerifiedTokens {
			clear(v.verified)
		}
	}
	v.verified[h] = vt
}

// actor checks that the token's client still exists and is enabled, and
// that the token was not issued before the client's secret was replaced,
// and returns it with the token's scopes narrowed to the client's current
// ones.
func (v *Verifier) actor(ctx context.Context, sub, scope string, gen int64) (domain.Actor, error) {
	client, found, err := v.client(ctx, sub)
	if err != nil {
		return domain.Actor{}, err
	}
	if !found || client.Disabled {
		return domain.Actor{}, domain.Errorf(domain.ECodeUnauthorized, msgRevokedClient)
	}
	// The token must have been obtained with the client's current secret.
	if gen != SecretGeneration(client.SecretRotatedAt) {
		return domain.Actor{}, domain.Errorf(domain.ECodeUnauthorized, msgStaleSecret)
	}
	scopes := intersect(SplitScopes(scope), SplitScopes(client.Scopes))
	tenant := client.Tenant
	if tenant == "" {
		tenant = domain.DefaultTenant
	}
	return domain.Actor{Type: domain.ActorClient, ID: sub, Scopes: scopes, Tenant: tenant}, nil
}

// client looks the client up, through the cache when it may be trusted:
// while a watcher reports every change (Watch), or for cacheTTL when one
// was set. A lookup is stored only if no change was reported while it
// was read (the epoch), so a read that raced a change is never kept.
func (v *Verifier) client(ctx context.Context, id string) (store.ClientRecord, bool, error) {
	now := v.km.now()
	ttl := v.cacheTTL
	if v.watched.Load() {
		ttl = max(ttl, watchedClientMaxAge)
	}
	if ttl > 0 {
		v.mu.Lock()
		e, ok := v.cache[id]
		v.mu.Unlock()
		if ok && now.Sub(e.at) < ttl && !now.Before(e.at) {
			return e.rec, e.found, nil
		}
	}
	epoch := v.epoch.Load()
	rec, err := v.clients.Get(ctx, id)
	found := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return store.ClientRecord{}, false, fmt.Errorf("auth: look up client: %w", err)
	}
	if ttl > 0 {
		v.mu.Lock()
		if len(v.cache) >= maxClientCache {
			for k, e := range v.cache {
				if now.Sub(e.at) >= ttl {
					delete(v.cache, k)
				}
			}
		}
		if len(v.cache) < maxClientCache && v.epoch.Load() == epoch {
			rec.SecretHash = nil // not needed here
			v.cache[id] = clientEntry{rec: rec, found: found, at: now}
		}
		v.mu.Unlock()
	}
	return rec, found, nil
}

// isCompactJWS reports whether s uses only the base64url alphabet and dots,
// so that decoders' leniency (white space, padding) cannot make two
// different strings the same token.
func isCompactJWS(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}
