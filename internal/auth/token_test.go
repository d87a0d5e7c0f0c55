package auth

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jwt"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/vault"
)

func decodeSegment(t *testing.T, seg string) map[string]any {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func wantUnauthorized(t *testing.T, err error) {
	t.Helper()
	if domain.ErrCode(err) != domain.ECodeUnauthorized {
		t.Fatalf("err = %v, want an unauthorized *domain.Error", err)
	}
}

func TestIssueVerifyRoundTrip(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tok := b.issue(t, ScopeCasesRead, ScopeCustomersRead)

	parts := strings.Split(tok.Token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWS: %q", tok.Token)
	}
	hdr := decodeSegment(t, parts[0])
	if hdr["alg"] != "ES256" || hdr["kid"] != tok.KID || hdr["typ"] != "JWT" {
		t.Errorf("header = %v", hdr)
	}
	claims := decodeSegment(t, parts[1])
	now := b.clock.Now()
	want := map[string]any{
		"iss": testIssuer, "sub": b.clientID, "scope": "customers:read cases:read",
		"iat": float64(now.Unix()), "nbf": float64(now.Unix()),
		"exp": float64(now.Add(DefaultTokenTTL).Unix()), "jti": tok.ID,
	}
	for k, v := range want {
		if claims[k] != v {
			t.Errorf("claim %s = %v, want %v", k, claims[k], v)
		}
	}
	if aud := claims["aud"]; aud != testAudience && !slices.Equal(toStrings(aud), []string{testAudience}) {
		t.Errorf("aud = %v", aud)
	}
	if tok.ExpiresIn() != int64(DefaultTokenTTL/time.Second) {
		t.Errorf("ExpiresIn = %d", tok.ExpiresIn())
	}

	actor, err := b.verifier.Verify(context.Background(), tok.Token)
	if err != nil {
		t.Fatal(err)
	}
	wantActor := domain.Actor{Type: domain.ActorClient, ID: b.clientID, Scopes: []string{ScopeCustomersRead, ScopeCasesRead}}
	if actor.Type != wantActor.Type || actor.ID != wantActor.ID || !slices.Equal(actor.Scopes, wantActor.Scopes) {
		t.Errorf("actor = %+v, want %+v", actor, wantActor)
	}
	// Still valid just before exp + leeway, with a new jti each time.
	b.clock.Advance(DefaultTokenTTL + DefaultLeeway - time.Second)
	if _, err := b.verifier.Verify(context.Background(), tok.Token); err != nil {
		t.Errorf("within leeway: %v", err)
	}
	if b.issue(t).ID == tok.ID {
		t.Error("jti reused")
	}
}

func toStrings(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

// forge builds a compact JWS by hand with any header and signature.
func forge(header, claims map[string]any, sign func(input []byte) []byte) string {
	h, _ := json.Marshal(header)
	c, _ := json.Marshal(claims)
	input := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c)
	return input + "." + base64.RawURLEncoding.EncodeToString(sign([]byte(input)))
}

func hs256(key []byte) func([]byte) []byte {
	return func(in []byte) []byte {
		m := hmac.New(sha256.New, key)
		m.Write(in)
		return m.Sum(nil)
	}
}

func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	good := b.issue(t)
	parts := strings.Split(good.Token, ".")
	claims := decodeSegment(t, parts[1])
	now := b.clock.Now()

	// The public key in the forms an attacker would try as an HMAC secret.
	jwks, err := b.km.JWKS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	set, err := jwk.Parse(jwks)
	if err != nil {
		t.Fatal(err)
	}
	pubJWK, _ := set.LookupKeyID(good.KID)
	pubJSON, _ := json.Marshal(pubJWK)
	var rawPub ecdsa.PublicKey
	if err := jwk.Export(pubJWK, &rawPub); err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&rawPub)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})

	// A key the server does not know, claiming the server's kid.
	otherPriv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	otherJWK, _ := jwk.Import(otherPriv)
	_ = otherJWK.Set(jwk.KeyIDKey, good.KID)

	withClaims := func(mut func(map[string]any)) map[string]any {
		c := map[string]any{}
		for k, v := range claims {
			c[k] = v
		}
		mut(c)
		return c
	}
	signOther := func(c map[string]any) string {
		tk := jwt.New()
		for k, v := range c {
			if err := tk.Set(k, v); err != nil {
				t.Fatal(err)
			}
		}
		s, err := jwt.Sign(tk, jwt.WithKey(jwa.ES256(), otherJWK))
		if err != nil {
			t.Fatal(err)
		}
		return string(s)
	}
	flip := func(s string, i int) string {
		bs := []byte(s)
		if bs[i] == 'A' {
			bs[i] = 'B'
		} else {
			bs[i] = 'A'
		}
		return string(bs)
	}

	otherAud := NewVerifier(b.km, b.clients, testIssuer, "https://other.example.com")
	otherIss := NewVerifier(b.km, b.clients, "https://evil.example.com", testAudience)

	tests := []struct {
		name  string
		v     *Verifier
		token string
	}{
		{"empty", nil, ""},
		{"garbage", nil, "not.a.token"},
		{"two segments", nil, parts[0] + "." + parts[1]},
		{"too long", nil, good.Token + strings.Repeat("A", maxTokenSize)},
		{"json serialization", nil, `{"payload":"` + parts[1] + `","signatures":[]}`},
		{"alg none", nil, forge(map[string]any{"alg": "none", "kid": good.KID, "typ": "JWT"}, claims, func([]byte) []byte { return nil })},
		{"alg None", nil, forge(map[string]any{"alg": "None", "kid": good.KID}, claims, func([]byte) []byte { return nil })},
		{"HS256 with JWK JSON as secret", nil, forge(map[string]any{"alg": "HS256", "kid": good.KID, "typ": "JWT"}, claims, hs256(pubJSON))},
		{"HS256 with PEM as secret", nil, forge(map[string]any{"alg": "HS256", "kid": good.KID, "typ": "JWT"}, claims, hs256(pubPEM))},
		{"HS256 with DER as secret", nil, forge(map[string]any{"alg": "HS256", "kid": good.KID, "typ": "JWT"}, claims, hs256(der))},
		{"RS256 header", nil, forge(map[string]any{"alg": "RS256", "kid": good.KID}, claims, hs256(pubJSON))},
		{"ES384 header with real signature", nil, strings.Replace(good.Token, parts[0],
			base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"ES384","kid":"`+good.KID+`","typ":"JWT"}`)), 1)},
		{"no kid", nil, forge(map[string]any{"alg": "ES256"}, claims, func([]byte) []byte { return make([]byte, 64) })},
		{"unknown kid", nil, forge(map[string]any{"alg": "ES256", "kid": "key_nope"}, claims, func([]byte) []byte { return make([]byte, 64) })},
		{"crit header", nil, forge(map[string]any{"alg": "ES256", "kid": good.KID, "crit": []string{"x"}, "x": 1}, claims, func([]byte) []byte { return make([]byte, 64) })},
		{"foreign key with our kid", nil, signOther(claims)},
		{"tampered payload", nil, parts[0] + "." + base64.RawURLEncoding.EncodeToString(mustJSON(withClaims(func(c map[string]any) { c["scope"] = "audit:read" }))) + "." + parts[2]},
		{"flipped signature", nil, flip(good.Token, len(good.Token)-10)},
		{"wrong audience", otherAud, good.Token},
		{"wrong issuer", otherIss, good.Token},
		// Signed by a valid key but with bad claims: use the real signer.
		{"lifetime beyond TTL", nil, b.signRaw(t, withClaims(func(c map[string]any) { c["exp"] = now.Add(24 * time.Hour).Unix() }))},
		{"missing exp", nil, b.signRaw(t, withClaims(func(c map[string]any) { delete(c, "exp") }))},
		{"missing sub", nil, b.signRaw(t, withClaims(func(c map[string]any) { delete(c, "sub") }))},
		{"not yet valid", nil, b.signRaw(t, withClaims(func(c map[string]any) {
			c["nbf"] = now.Add(5 * time.Minute).Unix()
		}))},
		{"issued in the future", nil, b.signRaw(t, withClaims(func(c map[string]any) {
			c["iat"] = now.Add(5 * time.Minute).Unix()
			c["nbf"] = now.Add(5 * time.Minute).Unix()
			c["exp"] = now.Add(10 * time.Minute).Unix()
		}))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := tt.v
			if v == nil {
				v = b.verifier
			}
			actor, err := v.Verify(ctx, tt.token)
			wantUnauthorized(t, err)
			if actor.ID != "" {
				t.Errorf("actor returned with error: %+v", actor)
			}
		})
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// signRaw signs arbitrary claims with the server's current key, to test
// claim validation independently of the signature.
func (b *bundle) signRaw(t *testing.T, claims map[string]any) string {
	t.Helper()
	sk, err := b.km.signingKey(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tk := jwt.New()
	for k, v := range claims {
		if err := tk.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	s, err := jwt.Sign(tk, jwt.WithKey(jwa.ES256(), sk.key))
	if err != nil {
		t.Fatal(err)
	}
	return string(s)
}

func TestVerifyExpired(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tok := b.issue(t)
	b.clock.Advance(DefaultTokenTTL + DefaultLeeway + time.Second)
	_, err := b.verifier.Verify(context.Background(), tok.Token)
	wantUnauthorized(t, err)
	if !strings.Contains(domain.ErrMessage(err), "expired") {
		t.Errorf("message = %q", domain.ErrMessage(err))
	}
}

func TestVerifyChecksClient(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	tok := b.issue(t)
	if _, err := b.verifier.Verify(ctx, tok.Token); err != nil {
		t.Fatal(err)
	}

	// Narrowed scopes apply from the next request on.
	b.clients.update(b.clientID, func(c *store.ClientRecord) { c.Scopes = ScopeCasesRead + " " + ScopeAuditRead })
	actor, err := b.verifier.Verify(ctx, tok.Token)
	if err != nil || !slices.Equal(actor.Scopes, []string{ScopeCasesRead, ScopeAuditRead}) {
		t.Fatalf("actor = %+v, err = %v", actor, err)
	}

	// A disabled client's tokens stop working at the next request (issue
	// 12, item 8), not after a cache's lifetime.
	b.clients.update(b.clientID, func(c *store.ClientRecord) { c.Disabled = true })
	_, err = b.verifier.Verify(ctx, tok.Token)
	wantUnauthorized(t, err)

	// With a client cache (WithClientCacheTTL), within its lifetime.
	cached := NewVerifier(b.km, b.clients, testIssuer, testAudience, WithClientCacheTTL(10*time.Second))
	b.clients.update(b.clientID, func(c *store.ClientRecord) { c.Disabled = false })
	if _, err := cached.Verify(ctx, tok.Token); err != nil {
		t.Fatal(err)
	}
	b.clients.update(b.clientID, func(c *store.ClientRecord) { c.Disabled = true })
	if _, err := cached.Verify(ctx, tok.Token); err != nil {
		t.Fatalf("cached lookup should still pass: %v", err)
	}
	b.clock.Advance(10 * time.Second)
	_, err = cached.Verify(ctx, tok.Token)
	wantUnauthorized(t, err)

	// Unknown client.
	other, err := b.issuer.Issue(ctx, "kyc_ci_ghost", AllScopes())
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.verifier.Verify(ctx, other.Token)
	wantUnauthorized(t, err)
}

func TestRotationKeepsOldKeyUntilExpiry(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	old := b.issue(t)

	newKID, err := b.km.Rotate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if newKID == old.KID {
		t.Fatal("rotation kept the kid")
	}
	fresh := b.issue(t)
	if fresh.KID != newKID {
		t.Errorf("new token kid = %s, want %s", fresh.KID, newKID)
	}
	if got := jwksKIDs(t, b.km); !slices.Equal(got, sorted(old.KID, newKID)) {
		t.Errorf("JWKS after rotation = %v", got)
	}
	for _, tok := range []AccessToken{old, fresh} {
		if _, err := b.verifier.Verify(ctx, tok.Token); err != nil {
			t.Errorf("token of %s: %v", tok.KID, err)
		}
	}

	// Just before the retention ends, the old key is still published.
	b.clock.Advance(b.km.Retention() - time.Second)
	if got := jwksKIDs(t, b.km); !slices.Contains(got, old.KID) {
		t.Errorf("old key left the JWKS early: %v", got)
	}
	// Then it goes, from the JWKS and, on Prune, from the store.
	b.clock.Advance(time.Second)
	if got := jwksKIDs(t, b.km); !slices.Equal(got, []string{newKID}) {
		t.Errorf("JWKS after retention = %v", got)
	}
	n, err := b.km.Prune(ctx)
	if err != nil || n != 1 {
		t.Fatalf("Prune = %d, %v", n, err)
	}
	recs, _ := b.keys.List(ctx)
	if len(recs) != 1 || recs[0].KID != newKID {
		t.Errorf("store after prune = %v", recs)
	}
	// A (long expired) token of the old key is refused as invalid.
	_, err = b.verifier.Verify(ctx, old.Token)
	wantUnauthorized(t, err)
}

func jwksKIDs(t *testing.T, km *KeyManager) []string {
	t.Helper()
	raw, err := km.JWKS(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var kids []string
	for _, k := range doc.Keys {
		if _, ok := k["d"]; ok {
			t.Fatal("JWKS contains a private key")
		}
		if k["alg"] != "ES256" || k["use"] != "sig" || k["kty"] != "EC" || k["crv"] != "P-256" {
			t.Errorf("JWK = %v", k)
		}
		kids = append(kids, k["kid"].(string))
	}
	slices.Sort(kids)
	return kids
}

func sorted(s ...string) []string { slices.Sort(s); return s }

func TestUnknownKidRefreshAfterOtherReplicaRotates(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()

	// Replica B verifies; it has loaded the keys once.
	kmB := b.newReplica()
	if err := kmB.EnsureKey(ctx); err != nil {
		t.Fatal(err)
	}
	verB := NewVerifier(kmB, b.clients, testIssuer, testAudience)
	if _, err := verB.Verify(ctx, b.issue(t).Token); err != nil {
		t.Fatal(err)
	}

	// Replica A rotates and signs with the new key.
	if _, err := b.km.Rotate(ctx); err != nil {
		t.Fatal(err)
	}
	tok := b.issue(t)

	// Within the refresh interval B does not hit the store again…
	before := b.keys.listCalls()
	for range 20 {
		_, err := verB.Verify(ctx, tok.Token)
		wantUnauthorized(t, err)
	}
	if got := b.keys.listCalls() - before; got != 0 {
		t.Errorf("store read %d times within the refresh interval", got)
	}
	// …after it, one unknown kid triggers one reload and the token passes.
	b.clock.Advance(DefaultRefreshInterval)
	if _, err := verB.Verify(ctx, tok.Token); err != nil {
		t.Fatalf("after refresh: %v", err)
	}
	if got := b.keys.listCalls() - before; got != 1 {
		t.Errorf("store read %d times, want 1", got)
	}
	// Garbage kids are rate-limited too.
	before = b.keys.listCalls()
	for i := range 50 {
		tk := forge(map[string]any{"alg": "ES256", "kid": "key_" + string(rune('a'+i%26))}, map[string]any{"sub": "x"},
			func([]byte) []byte { return make([]byte, 64) })
		_, _ = verB.Verify(ctx, tk)
	}
	if got := b.keys.listCalls() - before; got > 1 {
		t.Errorf("unknown kids caused %d store reads", got)
	}
}

func TestOtherReplicaPicksUpNewSigningKey(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	kmB := b.newReplica()
	issB := NewIssuer(kmB, testIssuer, testAudience)
	first, err := issB.Issue(ctx, b.clientID, nil)
	if err != nil {
		t.Fatal(err)
	}
	newKID, err := b.km.Rotate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b.clock.Advance(DefaultSignerCacheTTL)
	second, err := issB.Issue(ctx, b.clientID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if first.KID == newKID || second.KID != newKID {
		t.Errorf("replica signed with %s then %s; new key %s", first.KID, second.KID, newKID)
	}
}

func TestPrivateKeysEncryptedAtRest(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	recs, _ := b.keys.List(ctx)
	if len(recs) != 1 {
		t.Fatalf("%d keys after EnsureKey", len(recs))
	}
	r := recs[0]
	if r.Alg != "ES256" || r.RetiredAt != nil {
		t.Errorf("record = %+v", r)
	}
	if _, err := x509.ParsePKCS8PrivateKey(r.Private); err == nil {
		t.Fatal("private key stored in clear")
	}
	if bytes.Contains(r.Public, []byte(`"d"`)) {
		t.Fatal("public JWK contains the private part")
	}
	if _, err := b.vault.Unwrap(r.KID, r.Private); err != nil {
		t.Fatalf("vault cannot unwrap: %v", err)
	}
	// EnsureKey is idempotent.
	if err := b.km.EnsureKey(ctx); err != nil {
		t.Fatal(err)
	}
	if recs, _ := b.keys.List(ctx); len(recs) != 1 {
		t.Errorf("%d keys after a second EnsureKey", len(recs))
	}
	// Another master key cannot sign.
	wrong, _ := vault.New(bytes.Repeat([]byte{1}, vault.KeySize))
	km := NewKeyManager(b.keys, wrong, WithClock(b.clock.Now))
	_, err := NewIssuer(km, testIssuer, testAudience).Issue(ctx, b.clientID, nil)
	if err == nil || !errors.Is(err, vault.ErrDecrypt) {
		t.Errorf("issue with the wrong master key: %v", err)
	}
}

func TestIssueCreatesFirstKeyLazily(t *testing.T) {
	t.Parallel()
	b := setup(t)
	keys := newFakeKeys()
	km := NewKeyManager(keys, b.vault, WithClock(b.clock.Now), WithTokenTTL(5*time.Minute))
	tok, err := NewIssuer(km, testIssuer, testAudience).Issue(context.Background(), b.clientID, []string{ScopeListsRead})
	if err != nil {
		t.Fatal(err)
	}
	if tok.ExpiresIn() != 300 {
		t.Errorf("ExpiresIn = %d", tok.ExpiresIn())
	}
	if _, err := NewVerifier(km, b.clients, testIssuer, testAudience).Verify(context.Background(), tok.Token); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkVerify(b *testing.B) {
	bb := setup(b)
	tok := bb.issue(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := bb.verifier.Verify(ctx, tok.Token); err != nil {
			b.Fatal(err)
		}
	}
}

// A secret is replaced because it may have leaked: the tokens obtained
// with it stop working together with it, even within the same second
// (issue 12, item 8), while a token obtained with the new secret works.
func TestVerifyRefusesTokensIssuedBeforeSecretRotation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	h := TokenHandler(b.issuer, b.clients, WithFailureLimit(0, 0))
	id, secret := b.addClient(t, "rotating", AllScopes())
	tokenFor := func(secret string) string {
		t.Helper()
		w, reply := b.post(t, h, tokenRequest{form: url.Values{"grant_type": {"client_credentials"}}, basicUser: id, basicPass: secret})
		if w.Code != 200 {
			t.Fatalf("token: %d %s", w.Code, w.Body.String())
		}
		return reply.AccessToken
	}
	old := tokenFor(secret)
	if _, err := b.verifier.Verify(ctx, old); err != nil {
		t.Fatal(err)
	}
	newSecret := NewSecret()
	if err := b.clients.RotateSecret(ctx, id, HashSecret(newSecret), b.clock.Now()); err != nil {
		t.Fatal(err)
	}
	_, err := b.verifier.Verify(ctx, old)
	wantUnauthorized(t, err)
	if !strings.Contains(domain.ErrMessage(err), "secret was replaced") {
		t.Errorf("message = %q", domain.ErrMessage(err))
	}
	if w, _ := b.post(t, h, tokenRequest{form: url.Values{"grant_type": {"client_credentials"}}, basicUser: id, basicPass: secret}); w.Code != 401 {
		t.Errorf("the old secret still gets a token: %d", w.Code)
	}
	fresh := tokenFor(newSecret)
	if _, err := b.verifier.Verify(ctx, fresh); err != nil {
		t.Fatalf("token issued after the rotation, in the same second: %v", err)
	}
}
