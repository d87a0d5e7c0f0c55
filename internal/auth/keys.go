package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/vault"
)

// Algorithm is the only JWS algorithm kyc signs with and accepts.
const Algorithm = "ES256"

// Defaults of the KeyManager options.
const (
	DefaultTokenTTL        = 15 * time.Minute
	DefaultLeeway          = 30 * time.Second
	DefaultRefreshInterval = time.Second
	// DefaultSignerCacheTTL is how long a replica keeps signing with the key
	// it loaded before it looks for a newer one in the store.
	DefaultSignerCacheTTL = 30 * time.Second
	// DefaultKeyCacheTTL is how long the public keys are served from memory
	// before the store is read again (JWKS, removal of deleted keys).
	DefaultKeyCacheTTL = time.Minute
)

// KeyManager owns the token-signing keys: it creates, rotates and prunes
// them in store.Keys (private halves wrapped with the vault), hands the
// current signing key to the Issuer, public keys by kid to the Verifier and
// the JWKS to the HTTP layer. It caches keys in memory and is safe for
// concurrent use; several replicas may share one store.
type KeyManager struct {
	keys  store.Keys
	vault *vault.Vault

	now             func() time.Time
	ttl             time.Duration
	leeway          time.Duration
	refreshInterval time.Duration
	signerTTL       time.Duration
	cacheTTL        time.Duration

	refreshMu sync.Mutex // serialises store reads

	mu          sync.RWMutex
	public      map[string]publicKey // by kid, only keys still usable
	loadedAt    time.Time            // zero before the first load
	lastAttempt time.Time            // last refresh attempt (rate limit)
	signer      *signingKey
	signerAt    time.Time
}

type publicKey struct {
	key       jwk.Key
	retiredAt *time.Time
}

type signingKey struct {
	kid string
	key jwk.Key // private, with kid and alg set
}

// KeyManagerOption configures NewKeyManager.
type KeyManagerOption func(*KeyManager)

// WithClock sets the clock used by the KeyManager and by the Issuer,
// Verifier and token endpoint built on it. Default time.Now.
func WithClock(now func() time.Time) KeyManagerOption {
	return func(m *KeyManager) { m.now = now }
}

// WithTokenTTL sets the lifetime of issued access tokens (default 15
// minutes). The retention of retired keys depends on it.
func WithTokenTTL(d time.Duration) KeyManagerOption {
	return func(m *KeyManager) { m.ttl = d }
}

// WithLeeway sets the clock skew tolerated on exp, nbf and iat (default 30
// seconds).
func WithLeeway(d time.Duration) KeyManagerOption {
	return func(m *KeyManager) { m.leeway = d }
}

// WithRefreshInterval sets the minimum time between two store reads caused
// by tokens with an unknown kid (default one second), so that garbage
// tokens cannot hammer the database.
func WithRefreshInterval(d time.Duration) KeyManagerOption {
	return func(m *KeyManager) { m.refreshInterval = d }
}

// WithSignerCacheTTL sets how long the current signing key is used before
// the store is checked for a newer one (default 30 seconds). It bounds how
// long a replica keeps signing with a key another replica retired, and is
// added to the retention of retired keys.
func WithSignerCacheTTL(d time.Duration) KeyManagerOption {
	return func(m *KeyManager) { m.signerTTL = d }
}

// NewKeyManager returns a KeyManager over keys, wrapping private keys with
// v. It does not touch the store; call EnsureKey at start-up.
func NewKeyManager(keys store.Keys, v *vault.Vault, opts ...KeyManagerOption) *KeyManager {
	m := &KeyManager{
		keys:            keys,
		vault:           v,
		now:             time.Now,
		ttl:             DefaultTokenTTL,
		leeway:          DefaultLeeway,
		refreshInterval: DefaultRefreshInterval,
		signerTTL:       DefaultSignerCacheTTL,
		cacheTTL:        DefaultKeyCacheTTL,
		public:          map[string]publicKey{},
	}
	for _, o := range opts {
		o(m)
	}
	return m
}

// TokenTTL returns the lifetime of issued tokens.
func (m *KeyManager) TokenTTL() time.Duration { return m.ttl }

// Leeway returns the tolerated clock skew.
func (m *KeyManager) Leeway() time.Duration { return m.leeway }

// Now returns the current time of the injected clock.
func (m *KeyManager) Now() time.Time { return m.now() }

// Retention is how long a retired key stays published and accepted after
// its retirement: every token it signed has expired by then (token TTL +
// leeway + the signer cache TTL, during which another replica may still
// sign with it).
func (m *KeyManager) Retention() time.Duration { return m.ttl + m.leeway + m.signerTTL }

// EnsureKey creates a signing key when the store has no active one, and
// deletes retired keys past their retention. Call it at start-up.
func (m *KeyManager) EnsureKey(ctx context.Context) error {
	recs, err := m.keys.List(ctx)
	if err != nil {
		return fmt.Errorf("auth: list signing keys: %w", err)
	}
	if _, ok := currentRecord(recs); !ok {
		if _, err := m.createKey(ctx); err != nil {
			return err
		}
	}
	if _, err := m.Prune(ctx); err != nil {
		return err
	}
	return m.refresh(ctx)
}

// Rotate creates a new signing key and retires every other active key from
// signing. Retired public keys stay in the JWKS for Retention, then Prune
// (called here and by EnsureKey) deletes them. It returns the new kid.
func (m *KeyManager) Rotate(ctx context.Context) (string, error) {
	recs, err := m.keys.List(ctx)
	if err != nil {
		return "", fmt.Errorf("auth: list signing keys: %w", err)
	}
	kid, err := m.createKey(ctx)
	if err != nil {
		return "", err
	}
	now := m.now()
	for _, r := range recs {
		if r.RetiredAt == nil {
			if err := m.keys.Retire(ctx, r.KID, now); err != nil {
				return "", fmt.Errorf("auth: retire signing key %s: %w", r.KID, err)
			}
		}
	}
	if _, err := m.Prune(ctx); err != nil {
		return "", err
	}
	return kid, m.refresh(ctx)
}

// Prune deletes retired keys whose retention has passed and returns how
// many it deleted.
func (m *KeyManager) Prune(ctx context.Context) (int, error) {
	recs, err := m.keys.List(ctx)
	if err != nil {
		return 0, fmt.Errorf("auth: list signing keys: %w", err)
	}
	now := m.now()
	n := 0
	for _, r := range recs {
		if m.expired(r.RetiredAt, now) {
			if err := m.keys.Delete(ctx, r.KID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return n, fmt.Errorf("auth: delete signing key %s: %w", r.KID, err)
			}
			n++
		}
	}
	return n, nil
}

// JWKS returns the JSON Web Key Set of every public key that may still
// verify a token: the active key(s) and retired keys within their
// retention. Serve it at /.well-known/jwks.json.
func (m *KeyManager) JWKS(ctx context.Context) ([]byte, error) {
	if err := m.refreshIfStale(ctx); err != nil {
		return nil, err
	}
	now := m.now()
	m.mu.RLock()
	kids := make([]string, 0, len(m.public))
	for kid, pk := range m.public {
		if !m.expired(pk.retiredAt, now) {
			kids = append(kids, kid)
		}
	}
	slices.Sort(kids)
	set := jwk.NewSet()
	for _, kid := range kids {
		if err := set.AddKey(m.public[kid].key); err != nil {
			m.mu.RUnlock()
			return nil, fmt.Errorf("auth: build JWKS: %w", err)
		}
	}
	m.mu.RUnlock()
	return json.Marshal(set)
}

// expired reports whether a key retired at retiredAt is past retention.
func (m *KeyManager) expired(retiredAt *time.Time, now time.Time) bool {
	return retiredAt != nil && !now.Before(retiredAt.Add(m.Retention()))
}

// currentRecord returns the newest key that is not retired.
func currentRecord(recs []store.KeyRecord) (store.KeyRecord, bool) {
	var best store.KeyRecord
	found := false
	for _, r := range recs {
		if r.RetiredAt != nil || r.Alg != Algorithm {
			continue
		}
		if !found || r.CreatedAt.After(best.CreatedAt) ||
			(r.CreatedAt.Equal(best.CreatedAt) && r.KID > best.KID) {
			best, found = r, true
		}
	}
	return best, found
}

// createKey generates an ES256 key, stores it and returns its kid.
func (m *KeyManager) createKey(ctx context.Context) (string, error) {
	now := m.now()
	kid := domain.NewID("key", now)
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", fmt.Errorf("auth: generate signing key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return "", fmt.Errorf("auth: encode signing key: %w", err)
	}
	wrapped, err := m.vault.Wrap(kid, der)
	if err != nil {
		return "", fmt.Errorf("auth: wrap signing key: %w", err)
	}
	pub, err := publicJWK(&priv.PublicKey, kid)
	if err != nil {
		return "", err
	}
	pubJSON, err := json.Marshal(pub)
	if err != nil {
		return "", fmt.Errorf("auth: encode public key: %w", err)
	}
	rec := store.KeyRecord{KID: kid, Alg: Algorithm, Private: wrapped, Public: pubJSON, CreatedAt: now}
	if err := m.keys.Create(ctx, rec); err != nil {
		return "", fmt.Errorf("auth: store signing key: %w", err)
	}
	return kid, nil
}

func publicJWK(pub *ecdsa.PublicKey, kid string) (jwk.Key, error) {
	k, err := jwk.Import(pub)
	if err != nil {
		return nil, fmt.Errorf("auth: import public key: %w", err)
	}
	for name, v := range map[string]any{jwk.KeyIDKey: kid, jwk.AlgorithmKey: jwa.ES256(), jwk.KeyUsageKey: "sig"} {
		if err := k.Set(name, v); err != nil {
			return nil, fmt.Errorf("auth: set %s: %w", name, err)
		}
	}
	return k, nil
}

// refreshIfStale reloads the keys when the cache is older than the cache
// TTL.
func (m *KeyManager) refreshIfStale(ctx context.Context) error {
	now := m.now()
	m.mu.RLock()
	stale := m.loadedAt.IsZero() || now.Sub(m.loadedAt) >= m.cacheTTL
	// While the store is failing, retry at most once per refresh interval.
	backoff := !m.loadedAt.IsZero() && now.Sub(m.lastAttempt) < m.refreshInterval
	m.mu.RUnlock()
	if stale && backoff {
		return nil
	}
	if !stale {
		return nil
	}
	return m.refresh(ctx)
}

// refresh reloads every key from the store into the cache.
func (m *KeyManager) refresh(ctx context.Context) error {
	m.refreshMu.Lock()
	defer m.refreshMu.Unlock()
	return m.refreshLocked(ctx)
}

// refreshLocked does the work of refresh; the caller holds refreshMu.
func (m *KeyManager) refreshLocked(ctx context.Context) error {
	m.mu.Lock()
	m.lastAttempt = m.now()
	m.mu.Unlock()

	recs, err := m.keys.List(ctx)
	if err != nil {
		return fmt.Errorf("auth: list signing keys: %w", err)
	}
	now := m.now()
	public := make(map[string]publicKey, len(recs))
	for _, r := range recs {
		if r.Alg != Algorithm || m.expired(r.RetiredAt, now) {
			continue
		}
		k, err := jwk.ParseKey(r.Public)
		if err != nil {
			return fmt.Errorf("auth: parse public key %s: %w", r.KID, err)
		}
		if kid, _ := k.KeyID(); kid != r.KID {
			return fmt.Errorf("auth: public key %s carries kid %q", r.KID, kid)
		}
		public[r.KID] = publicKey{key: k, retiredAt: r.RetiredAt}
	}

	var signer *signingKey
	if cur, ok := currentRecord(recs); ok {
		m.mu.RLock()
		old := m.signer
		m.mu.RUnlock()
		if old != nil && old.kid == cur.KID {
			signer = old
		} else if signer, err = m.unwrap(cur); err != nil {
			return err
		}
	}

	m.mu.Lock()
	m.public = public
	m.loadedAt = now
	m.signer = signer
	m.signerAt = now
	m.mu.Unlock()
	return nil
}

func (m *KeyManager) unwrap(r store.KeyRecord) (*signingKey, error) {
	der, err := m.vault.Unwrap(r.KID, r.Private)
	if err != nil {
		return nil, fmt.Errorf("auth: unwrap signing key %s (wrong master key?): %w", r.KID, err)
	}
	raw, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("auth: parse signing key %s: %w", r.KID, err)
	}
	priv, ok := raw.(*ecdsa.PrivateKey)
	if !ok || priv.Curve != elliptic.P256() {
		return nil, fmt.Errorf("auth: signing key %s is not a P-256 key", r.KID)
	}
	k, err := jwk.Import(priv)
	if err != nil {
		return nil, fmt.Errorf("auth: import signing key %s: %w", r.KID, err)
	}
	if err := k.Set(jwk.KeyIDKey, r.KID); err != nil {
		return nil, err
	}
	if err := k.Set(jwk.AlgorithmKey, jwa.ES256()); err != nil {
		return nil, err
	}
	return &signingKey{kid: r.KID, key: k}, nil
}

// signingKey returns the key to sign with, reloading it when the cached one
// is older than the signer cache TTL and creating the first key when the
// store has none.
func (m *KeyManager) signingKey(ctx context.Context) (*signingKey, error) {
	m.mu.RLock()
	s, at := m.signer, m.signerAt
	m.mu.RUnlock()
	if s != nil && m.now().Sub(at) < m.signerTTL {
		return s, nil
	}
	if err := m.refresh(ctx); err != nil {
		if s != nil {
			return s, nil // keep signing with the known key while the store is down
		}
		return nil, err
	}
	m.mu.RLock()
	s = m.signer
	m.mu.RUnlock()
	if s == nil {
		if err := m.EnsureKey(ctx); err != nil {
			return nil, err
		}
		m.mu.RLock()
		s = m.signer
		m.mu.RUnlock()
		if s == nil {
			return nil, errors.New("auth: no signing key")
		}
	}
	return s, nil
}

// errUnknownKey means no usable public key has the token's kid.
var errUnknownKey = errors.New("auth: unknown signing key")

// verificationKey returns the public key with this kid. On a miss it
// reloads the store, at most once per refresh interval, so that keys
// created by another replica's rotation are found.
func (m *KeyManager) verificationKey(ctx context.Context, kid string) (jwk.Key, error) {
	_ = m.refreshIfStale(ctx) // a failed periodic reload keeps the old keys
	now := m.now()
	m.mu.RLock()
	pk, ok := m.public[kid]
	last := m.lastAttempt
	m.mu.RUnlock()
	if ok {
		if m.expired(pk.retiredAt, now) {
			return nil, errUnknownKey
		}
		return pk.key, nil
	}
	if now.Sub(last) < m.refreshInterval {
		return nil, errUnknownKey
	}
	if err := m.refreshRateLimited(ctx); err != nil {
		return nil, err
	}
	m.mu.RLock()
	pk, ok = m.public[kid]
	m.mu.RUnlock()
	if !ok || m.expired(pk.retiredAt, now) {
		return nil, errUnknownKey
	}
	return pk.key, nil
}

// refreshRateLimited reloads unless another goroutine did within the
// refresh interval (checked again under the refresh lock).
func (m *KeyManager) refreshRateLimited(ctx context.Context) error {
	m.refreshMu.Lock()
	defer m.refreshMu.Unlock()
	m.mu.RLock()
	recent := m.now().Sub(m.lastAttempt) < m.refreshInterval
	m.mu.RUnlock()
	if recent {
		return nil
	}
	return m.refreshLocked(ctx)
}
