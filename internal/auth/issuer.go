package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwt"

	"github.com/kyc-platform/kyc/internal/domain"
)

// Issuer issues short-lived access tokens: compact JWS (ES256) with the
// signing key's kid in the header and the claims iss, aud, sub (client id),
// scope (space separated), iat, nbf, exp and jti. Its TTL and clock are the
// KeyManager's.
type Issuer struct {
	km       *KeyManager
	issuer   string
	audience string
}

// NewIssuer returns an Issuer that signs with km's current key and sets
// iss to issuer (typically the public base URL) and aud to audience (the
// API's identifier, e.g. "<base URL>/api/v1").
func NewIssuer(km *KeyManager, issuer, audience string) *Issuer {
	return &Issuer{km: km, issuer: issuer, audience: audience}
}

// AccessToken is an issued token and what the token endpoint reports
// about it.
type AccessToken struct {
	// Token is the compact JWS.
	Token string
	// ID is the jti claim.
	ID string
	// KID is the signing key's id.
	KID string
	// Scopes granted, canonical order.
	Scopes []string
	// IssuedAt and ExpiresAt are the iat and exp claims.
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// ExpiresIn is the lifetime in whole seconds, for the expires_in field.
func (t AccessToken) ExpiresIn() int64 { return int64(t.ExpiresAt.Sub(t.IssuedAt) / time.Second) }

// Issue signs a token for clientID carrying scopes (which the caller has
// already checked against the client's grant).
func (i *Issuer) Issue(ctx context.Context, clientID string, scopes []string) (AccessToken, error) {
	return i.IssueGen(ctx, clientID, scopes, 0)
}

// secretGenClaim is the private claim naming the generation of the
// client's secret a token was obtained with (SecretGeneration); absent
// means 0, a client whose secret was never replaced.
const secretGenClaim = "kyc_sg"

// SecretGeneration identifies a client's current secret: 0 for the secret
// it was created with, the time of the last rotation (Unix microseconds)
// after. A token carries the generation it was obtained with, and the
// verifier refuses it once the client's generation moved on.
func SecretGeneration(rotatedAt *time.Time) int64 {
	if rotatedAt == nil {
		return 0
	}
	return rotatedAt.UnixMicro()
}

// IssueGen is Issue for a client whose secret is of generation gen
// (SecretGeneration).
func (i *Issuer) IssueGen(ctx context.Context, clientID string, scopes []string, gen int64) (AccessToken, error) {
	sk, err := i.km.signingKey(ctx)
	if err != nil {
		return AccessToken{}, err
	}
	// JWT NumericDates have second precision: truncate so that the values
	// returned here equal the ones in the token.
	now := i.km.now().Truncate(time.Second)
	exp := now.Add(i.km.ttl)
	jti := domain.NewID("tok", now)
	scopes = SplitScopes(FormatScopes(scopes))
	b := jwt.NewBuilder()
	if gen != 0 {
		b = b.Claim(secretGenClaim, gen)
	}
	tok, err := b.
		Issuer(i.issuer).
		Audience([]string{i.audience}).
		Subject(clientID).
		IssuedAt(now).
		NotBefore(now).
		Expiration(exp).
		JwtID(jti).
		Claim("scope", FormatScopes(scopes)).
		Build()
	if err != nil {
		return AccessToken{}, fmt.Errorf("auth: build token: %w", err)
	}
	signed, err := jwt.Sign(tok, jwt.WithKey(jwa.ES256(), sk.key))
	if err != nil {
		return AccessToken{}, fmt.Errorf("auth: sign token: %w", err)
	}
	return AccessToken{
		Token: string(signed), ID: jti, KID: sk.kid, Scopes: scopes,
		IssuedAt: now, ExpiresAt: exp,
	}, nil
}
