package auth

// This file holds the protocol side of staff single sign-on with OpenID
// Connect (OpenID Connect Core 1.0, authorization code flow, §3.1): issuer
// discovery, the authorization request with state, nonce and a PKCE
// challenge (RFC 7636, S256), the code exchange and the verification of
// the ID token (signature, issuer, audience, authorized party, expiry and
// nonce). Who the person is in kyc — the staff user, the role, whether a
// second factor is still due — is decided by the app layer's sign-in use
// case; the staff pages only redirect.

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// OIDCConfig configures the relying party.
type OIDCConfig struct {
	// Issuer is the identity provider's issuer URL; its discovery document
	// is at Issuer + "/.well-known/openid-configuration".
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is the callback address registered at the provider.
	RedirectURL string
	// Scopes are asked for besides "openid" (default: email, profile).
	Scopes []string
	// RoleClaim names the ID-token claim holding the user's groups or
	// roles (a string or an array of strings; default "groups"); a dotted
	// name reaches into an object ("realm_access.roles").
	RoleClaim string
	// Timeout bounds every request to the provider (default 10s).
	Timeout time.Duration
	// Now is the clock for the token's expiry (default time.Now).
	Now func() time.Time
	// Client is the HTTP client for the provider (default: one with
	// Timeout).
	Client *http.Client
}

// OIDCIdentity is what a verified ID token says about the person.
type OIDCIdentity struct {
	Issuer        string
	Subject       string
	Email         string
	EmailVerified bool
	// Roles are the values of the role claim.
	Roles []string
	// AMR are the authentication methods (RFC 8176) and ACR the
	// authentication context class the provider asserts.
	AMR []string
	ACR string
}

// OIDC refusal reasons (OIDCError.Reason); the app layer audits them.
const (
	OIDCUnavailable   = "idp_unavailable"   // discovery, keys or token endpoint unreachable or failing
	OIDCExchange      = "code_exchange"     // the provider refused the code (expired, reused, wrong verifier)
	OIDCWrongAudience = "wrong_audience"    // the token was issued to another client
	OIDCWrongIssuer   = "wrong_issuer"      // the token names another issuer
	OIDCExpired       = "token_expired"     // the token's exp has passed
	OIDCNonceMismatch = "nonce_mismatch"    // the token's nonce is not the one of this sign-in
	OIDCTokenInvalid  = "token_invalid"     // bad signature, missing ID token, malformed claims
	OIDCClaimsInvalid = "claims_unreadable" // the claims could not be read
)

// OIDCError is a failed sign-in step. Reason is one of the OIDC*
// constants; Err is the underlying error (for logs, never for the user:
// it may hold token content).
type OIDCError struct {
	Reason string
	Err    error
}

func (e *OIDCError) Error() string { return "oidc: " + e.Reason + ": " + e.Err.Error() }
func (e *OIDCError) Unwrap() error { return e.Err }

// OIDCReason returns the reason of an *OIDCError in err's chain, or "".
func OIDCReason(err error) string {
	var e *OIDCError
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

// OIDC is an OpenID Connect relying party. Discovery happens at the first
// sign-in and is retried at the next one while the provider is down, so a
// provider that is unreachable when kyc starts does not stop it (local
// break-glass sign-in keeps working). Safe for concurrent use.
type OIDC struct {
	cfg OIDCConfig

	mu       sync.Mutex
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
	oauth    oauth2.Config
}

// NewOIDC returns a relying party for cfg; it contacts the provider only
// when a sign-in starts.
func NewOIDC(cfg OIDCConfig) (*OIDC, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" || cfg.RedirectURL == "" {
		return nil, errors.New("oidc: issuer, client id and redirect URL are required")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: cfg.Timeout}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.RoleClaim == "" {
		cfg.RoleClaim = "groups"
	}
	if cfg.Scopes == nil {
		cfg.Scopes = []string{"email", "profile"}
	}
	return &OIDC{cfg: cfg}, nil
}

// Issuer is the configured issuer URL.
func (o *OIDC) Issuer() string { return o.cfg.Issuer }

func (o *OIDC) clientCtx(ctx context.Context) context.Context {
	ctx = oidc.ClientContext(ctx, o.cfg.Client)
	return context.WithValue(ctx, oauth2.HTTPClient, o.cfg.Client)
}

// discover fetches the discovery document once it is reachable.
func (o *OIDC) discover(ctx context.Context) (*oidc.IDTokenVerifier, oauth2.Config, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.verifier, o.oauth, nil
	}
	ctx, cancel := context.WithTimeout(ctx, o.cfg.Timeout)
	defer cancel()
	p, err := oidc.NewProvider(o.clientCtx(ctx), o.cfg.Issuer)
	if err != nil {
		return nil, oauth2.Config{}, &OIDCError{Reason: OIDCUnavailable, Err: err}
	}
	o.provider = p
	// The key set fetches with a background context and the same client.
	o.verifier = p.VerifierContext(oidc.ClientContext(context.Background(), o.cfg.Client), &oidc.Config{ClientID: o.cfg.ClientID, Now: o.cfg.Now})
	o.oauth = oauth2.Config{
		ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, RedirectURL: o.cfg.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: append([]string{oidc.ScopeOpenID}, o.cfg.Scopes...),
	}
	return o.verifier, o.oauth, nil
}

// NewPKCEVerifier returns a fresh PKCE code verifier (RFC 7636 §4.1).
func NewPKCEVerifier() string { return oauth2.GenerateVerifier() }

// AuthCodeURL is the provider's authorization URL for a sign-in with state,
// nonce and the S256 challenge of verifier. It fails with
// OIDCUnavailable when the provider cannot be discovered.
func (o *OIDC) AuthCodeURL(ctx context.Context, state, nonce, verifier string) (string, error) {
	_, oc, err := o.discover(ctx)
	if err != nil {
		return "", err
	}
	return oc.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), nil
}

// Exchange redeems code with the PKCE verifier, verifies the ID token and
// checks that its nonce is nonce. Every failure is an *OIDCError.
func (o *OIDC) Exchange(ctx context.Context, code, verifier, nonce string) (OIDCIdentity, error) {
	v, oc, err := o.discover(ctx)
	if err != nil {
		return OIDCIdentity{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, o.cfg.Timeout)
	defer cancel()
	tok, err := oc.Exchange(o.clientCtx(ctx), code, oauth2.VerifierOption(verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode < 500 {
			return OIDCIdentity{}, &OIDCError{Reason: OIDCExchange, Err: fmt.Errorf("token endpoint: %s", re.ErrorCode)}
		}
		return OIDCIdentity{}, &OIDCError{Reason: OIDCUnavailable, Err: err}
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return OIDCIdentity{}, &OIDCError{Reason: OIDCTokenInvalid, Err: errors.New("no id_token in the token response")}
	}
	return o.verify(o.clientCtx(ctx), v, raw, nonce)
}

func (o *OIDC) verify(ctx context.Context, v *oidc.IDTokenVerifier, raw, nonce string) (OIDCIdentity, error) {
	idt, err := v.Verify(ctx, raw)
	if err != nil {
		var exp *oidc.TokenExpiredError
		reason := OIDCTokenInvalid
		switch msg := err.Error(); {
		case errors.As(err, &exp):
			reason = OIDCExpired
		case strings.Contains(msg, "expected audience"):
			reason = OIDCWrongAudience
		case strings.Contains(msg, "issued by a different provider"):
			reason = OIDCWrongIssuer
		case strings.Contains(msg, "fetching keys"):
			reason = OIDCUnavailable
		}
		return OIDCIdentity{}, &OIDCError{Reason: reason, Err: err}
	}
	// The nonce binds the token to this browser's sign-in (OIDC Core
	// §3.1.3.7 rule 11): a token minted for another sign-in is refused.
	if nonce == "" || subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return OIDCIdentity{}, &OIDCError{Reason: OIDCNonceMismatch, Err: errors.New("the ID token's nonce is not this sign-in's")}
	}
	var claims map[string]json.RawMessage
	if err := idt.Claims(&claims); err != nil {
		return OIDCIdentity{}, &OIDCError{Reason: OIDCClaimsInvalid, Err: err}
	}
	// With several audiences the authorized party must be this client
	// (OIDC Core §3.1.3.7 rules 4 and 5).
	if len(idt.Audience) > 1 {
		var azp string
		_ = json.Unmarshal(claims["azp"], &azp)
		if azp != o.cfg.ClientID {
			return OIDCIdentity{}, &OIDCError{Reason: OIDCWrongAudience, Err: errors.New("several audiences and azp is not this client")}
		}
	}
	if idt.Subject == "" {
		return OIDCIdentity{}, &OIDCError{Reason: OIDCTokenInvalid, Err: errors.New("no sub claim")}
	}
	out := OIDCIdentity{Issuer: idt.Issuer, Subject: idt.Subject}
	_ = json.Unmarshal(claims["email"], &out.Email)
	_ = json.Unmarshal(claims["email_verified"], &out.EmailVerified)
	_ = json.Unmarshal(claims["acr"], &out.ACR)
	out.AMR = stringsClaim(claims["amr"])
	out.Roles = stringsClaim(claimAt(claims, o.cfg.RoleClaim))
	return out, nil
}

// claimAt is the claim name, or, when the token has no such top-level claim
// and name has dots, the member at that path ("realm_access.roles").
func claimAt(claims map[string]json.RawMessage, name string) json.RawMessage {
	if v, ok := claims[name]; ok || !strings.Contains(name, ".") {
		return v
	}
	cur := claims
	parts := strings.Split(name, ".")
	for i, p := range parts {
		v, ok := cur[p]
		if !ok {
			return nil
		}
		if i == len(parts)-1 {
			return v
		}
		cur = nil
		if json.Unmarshal(v, &cur) != nil {
			return nil
		}
	}
	return nil
}

// stringsClaim reads a claim that is a string or an array of strings;
// anything else gives nothing.
func stringsClaim(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		if one == "" {
			return nil
		}
		return []string{one}
	}
	var many []any
	if json.Unmarshal(raw, &many) != nil {
		return nil
	}
	var out []string
	for _, v := range many {
		if s, ok := v.(string); ok && s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
