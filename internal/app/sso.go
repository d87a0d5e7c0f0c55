package app

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// This file holds staff single sign-on with OpenID Connect (PRODUCT.md §5,
// issue 11 item 5): the start of a sign-in (state, nonce and PKCE verifier,
// sealed for a short-lived cookie), the callback (the flow checked, the code
// exchanged and the ID token verified by the SSOProvider, auth/oidc.go), the
// role from the identity provider's claim, and the staff user provisioned or
// updated by issuer and subject — never by e-mail address alone — in the same
// transaction that starts the session. Sessions are those of local users;
// the second factor is the provider's when its amr/acr is trusted, else the
// local TOTP as for a password sign-in. Every sign-in and every refusal is
// audited.

// SSOProvider is the OpenID Connect relying party (*auth.OIDC).
type SSOProvider interface {
	Issuer() string
	AuthCodeURL(ctx context.Context, state, nonce, verifier string) (string, error)
	Exchange(ctx context.Context, code, verifier, nonce string) (auth.OIDCIdentity, error)
}

// Local sign-in policies when single sign-on is on (SSOConfig.LocalSignIn).
const (
	LocalSignInAll    = "all"    // every local account may use its password
	LocalSignInAdmins = "admins" // only admins (the break-glass account)
	LocalSignInNone   = "none"   // nobody: single sign-on only
)

// RoleMapping maps one value of the provider's role claim to a kyc role.
type RoleMapping struct {
	Value string
	Role  string
}

// SSOConfig configures single sign-on; the zero value turns it off.
type SSOConfig struct {
	Provider SSOProvider
	// RoleMap is ordered: the first mapping whose value the user's claim
	// holds gives the role (KYC_OIDC_ROLE_MAP).
	RoleMap []RoleMapping
	// TrustAMR and TrustACR are the amr values (RFC 8176) and acr values
	// that count as a second factor done at the provider; empty: the local
	// TOTP is asked as for a password sign-in.
	TrustAMR []string
	TrustACR []string
	// LocalSignIn says who may still sign in with a local password ("":
	// LocalSignInAll).
	LocalSignIn string
	// FlowTTL bounds the time between the start of a sign-in and the
	// callback (zero: 10 minutes).
	FlowTTL time.Duration
}

// ParseRoleMap reads KYC_OIDC_ROLE_MAP: comma-separated value=role pairs,
// e.g. "kyc-mlro=mlro,kyc-analyst=analyst". Each role must be a kyc role;
// a value may appear once.
func ParseRoleMap(s string) ([]RoleMapping, error) {
	var out []RoleMapping
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		v, r, ok := strings.Cut(part, "=")
		v, r = strings.TrimSpace(v), strings.TrimSpace(r)
		if !ok || v == "" || r == "" {
			return nil, fmt.Errorf("%q is not value=role", part)
		}
		if !contains(Roles, r) {
			return nil, fmt.Errorf("%q: %q is not a role (analyst, mlro, auditor, admin)", part, r)
		}
		if slices.ContainsFunc(out, func(m RoleMapping) bool { return m.Value == v }) {
			return nil, fmt.Errorf("%q is mapped twice", v)
		}
		out = append(out, RoleMapping{Value: v, Role: r})
	}
	if len(out) == 0 {
		return nil, errors.New("map at least one value of the role claim to a role, e.g. kyc-analyst=analyst")
	}
	return out, nil
}

// role is the kyc role of the claim's values, "" when none is mapped.
func (c SSOConfig) role(values []string) string {
	for _, m := range c.RoleMap {
		if slices.Contains(values, m.Value) {
			return m.Role
		}
	}
	return ""
}

// idpMFA reports whether the provider asserts a trusted second factor.
func (c SSOConfig) idpMFA(id auth.OIDCIdentity) bool {
	for _, a := range id.AMR {
		if slices.Contains(c.TrustAMR, a) {
			return true
		}
	}
	return id.ACR != "" && slices.Contains(c.TrustACR, id.ACR)
}

func (c SSOConfig) flowTTL() time.Duration {
	if c.FlowTTL > 0 {
		return c.FlowTTL
	}
	return 10 * time.Minute
}

// SSOEnabled reports whether single sign-on is configured.
func (s *Users) SSOEnabled() bool { return s.d.SSO.Provider != nil }

// LocalSignIn is who may sign in with a local password: LocalSignInAll
// without single sign-on.
func (s *Users) LocalSignIn() string {
	if s.d.SSO.Provider == nil || s.d.SSO.LocalSignIn == "" {
		return LocalSignInAll
	}
	return s.d.SSO.LocalSignIn
}

// SSOStart is a started sign-in: the browser goes to URL, and Flow (sealed:
// the state, the nonce and the PKCE verifier) is kept in a short-lived
// HttpOnly cookie for TTL, until the callback.
type SSOStart struct {
	URL  string
	Flow string
	TTL  time.Duration
}

// ssoFlow is what the flow cookie holds.
type ssoFlow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Expires  int64  `json:"e"`
}

var ssoFlowAAD = []byte("staff-sso-flow:v1")

// SSO errors: what the person is told. None names the provider's detail
// (it goes to the audit trail as a reason and to the log).
var (
	errSSOOff         = domain.Errorf(domain.ECodeNotFound, "Single sign-on is not set up.")
	errSSOUnavailable = domain.Errorf(domain.ECodeUnavailable, "The identity provider cannot be reached just now, so single sign-on is not possible. Try again in a few minutes. If it stays down, an administrator can still sign in with the local break-glass account.")
	errSSOFlow        = domain.Errorf(domain.ECodeUnauthorized, "This sign-in was not started here, took longer than 10 minutes or was already used. Start again with \"Sign in with SSO\".")
	errSSOToken       = domain.Errorf(domain.ECodeUnauthorized, "The identity provider's answer could not be verified, so you are not signed in. Start again; if this keeps happening, tell your administrator.")
	errSSODenied      = domain.Errorf(domain.ECodeUnauthorized, "The identity provider did not sign you in. Start again, or ask your administrator if you expected access.")
	errSSONoRole      = domain.Errorf(domain.ECodeForbidden, "Your account at the identity provider has no role in kyc, so you cannot sign in. Ask your administrator to add you to a group that is mapped to a kyc role.")
	errSSONoEmail     = domain.Errorf(domain.ECodeForbidden, "The identity provider did not send an e-mail address for your account, which kyc needs. Ask your administrator to release the email claim to kyc.")
	errSSOEmailTaken  = domain.Errorf(domain.ECodeConflict, "Another kyc account already uses your e-mail address, and kyc does not join accounts by e-mail address. Ask an administrator to disable or change the other account.")
	errSSOBlocked     = domain.Errorf(domain.ECodeForbidden, "Your kyc account is disabled or locked. Ask an administrator.")
	errLocalOff       = domain.Errorf(domain.ECodeForbidden, "Sign-in with a password is turned off. Use \"Sign in with SSO\".")
	errUseSSO         = domain.Errorf(domain.ECodeForbidden, "This account signs in with single sign-on. Use \"Sign in with SSO\".")
)

// ssoRefusal is a refused SSO sign-in: the audited reason and what the
// person is told.
type ssoRefusal struct {
	reason string
	user   store.UserRecord // zero when no kyc user is known
	err    error
}

func (e *ssoRefusal) Error() string { return "sso refused: " + e.reason }

// refuseSSO audits a refused single sign-on and returns what the person is
// told.
func (s *Users) refuseSSO(ctx context.Context, r *ssoRefusal, cause error) error {
	if cause != nil {
		s.d.log().Warn("single sign-on refused", "reason", r.reason, "err", cause)
	}
	actor, id := webActor, ""
	if r.user.ID != "" {
		actor, id = domain.Actor{Type: domain.ActorUser, ID: r.user.ID, Role: r.user.Role}, r.user.ID
	}
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		return s.audit.record(ctx, tx, auditEntry{Actor: actor, Action: domain.EventUserSignInFailed, EntityID: id,
			Meta: map[string]string{"method": "oidc", "reason": r.reason}})
	})
	if err != nil {
		return err
	}
	return r.err
}

// BeginSSO starts a single sign-on: a fresh state, nonce and PKCE
// verifier, sealed for the flow cookie, and the provider's authorization
// URL. A provider that cannot be reached is refused (audited) with a clear
// error; local sign-in is unaffected.
func (s *Users) BeginSSO(ctx context.Context) (SSOStart, error) {
	cfg := s.d.SSO
	if cfg.Provider == nil {
		return SSOStart{}, errSSOOff
	}
	ttl := cfg.flowTTL()
	exp := s.d.now().Add(ttl)
	f := ssoFlow{State: newStaffToken(), Nonce: newStaffToken(), Verifier: auth.NewPKCEVerifier(), Expires: exp.Unix()}
	u, err := cfg.Provider.AuthCodeURL(ctx, f.State, f.Nonce, f.Verifier)
	if err != nil {
		return SSOStart{}, s.refuseSSO(ctx, &ssoRefusal{reason: auth.OIDCUnavailable, err: errSSOUnavailable}, err)
	}
	b, err := json.Marshal(f)
	if err != nil {
		return SSOStart{}, err
	}
	sealed, err := s.d.Crypt.Seal(b, ssoFlowAAD)
	if err != nil {
		return SSOStart{}, err
	}
	return SSOStart{URL: u, Flow: base64.RawURLEncoding.EncodeToString(sealed), TTL: ttl}, nil
}

// SSOCallback is what the browser brings back: the flow cookie, and the
// provider's state, code or error parameters.
type SSOCallback struct {
	Flow  string
	State string
	Code  string
	// Error is the provider's error code (e.g. access_denied).
	Error string
}

// openFlow opens and checks the flow cookie against the returned state.
func (s *Users) openFlow(in SSOCallback) (ssoFlow, *ssoRefusal) {
	raw, err := base64.RawURLEncoding.DecodeString(in.Flow)
	if in.Flow == "" || err != nil {
		return ssoFlow{}, &ssoRefusal{reason: "flow_missing", err: errSSOFlow}
	}
	b, err := s.d.Crypt.Open(raw, ssoFlowAAD)
	if err != nil {
		return ssoFlow{}, &ssoRefusal{reason: "flow_invalid", err: errSSOFlow}
	}
	var f ssoFlow
	if err := json.Unmarshal(b, &f); err != nil || f.State == "" || f.Nonce == "" || f.Verifier == "" {
		return ssoFlow{}, &ssoRefusal{reason: "flow_invalid", err: errSSOFlow}
	}
	if s.d.now().Unix() > f.Expires {
		return ssoFlow{}, &ssoRefusal{reason: "flow_expired", err: errSSOFlow}
	}
	// The state binds the answer to the browser that started the sign-in
	// (RFC 6749 §10.12, OIDC Core §3.1.2.7): another one is a forged or
	// crossed callback.
	if subtle.ConstantTimeCompare([]byte(in.State), []byte(f.State)) != 1 {
		return ssoFlow{}, &ssoRefusal{reason: "state_mismatch", err: errSSOFlow}
	}
	return f, nil
}

// providerErrorCode keeps an error code from the provider for the audit
// trail only if it looks like one (RFC 6749 §4.1.2.1: a short ASCII
// token), so that nothing a URL carried lands there verbatim.
func providerErrorCode(s string) string {
	if len(s) == 0 || len(s) > 40 {
		return "other"
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && r != '_' {
			return "other"
		}
	}
	return s
}

// FinishSSO completes a single sign-on from the provider's callback: it
// checks the flow and its state, has the provider exchange the code and
// verify the ID token (audience, issuer, expiry, signature, nonce), maps the
// role, and in one transaction provisions or updates the staff user found
// by issuer and subject and starts the session — at StageFull when the
// provider's second factor is trusted or none is due, else at the TOTP step
// or the enrolment of an authenticator app, as after a password.
func (s *Users) FinishSSO(ctx context.Context, in SSOCallback) (Session, error) {
	cfg := s.d.SSO
	if cfg.Provider == nil {
		return Session{}, errSSOOff
	}
	f, ref := s.openFlow(in)
	if ref != nil {
		return Session{}, s.refuseSSO(ctx, ref, nil)
	}
	if in.Error != "" {
		return Session{}, s.refuseSSO(ctx, &ssoRefusal{reason: "idp_error:" + providerErrorCode(in.Error), err: errSSODenied}, nil)
	}
	if in.Code == "" {
		return Session{}, s.refuseSSO(ctx, &ssoRefusal{reason: "code_missing", err: errSSOFlow}, nil)
	}
	id, err := cfg.Provider.Exchange(ctx, in.Code, f.Verifier, f.Nonce)
	if err != nil {
		reason := auth.OIDCReason(err)
		if reason == "" {
			return Session{}, err
		}
		e := errSSOToken
		if reason == auth.OIDCUnavailable {
			e = errSSOUnavailable
		}
		return Session{}, s.refuseSSO(ctx, &ssoRefusal{reason: reason, err: e}, err)
	}
	role := cfg.role(id.Roles)
	if role == "" {
		return Session{}, s.refuseSSO(ctx, &ssoRefusal{reason: "unmapped_role", err: errSSONoRole}, nil)
	}
	email := strings.TrimSpace(id.Email)
	if !domain.ValidEmail(email) {
		return Session{}, s.refuseSSO(ctx, &ssoRefusal{reason: "email_missing", err: errSSONoEmail}, nil)
	}
	mfa := cfg.idpMFA(id)
	subject := s.d.Crypt.BlindIndex("oidc-subject", hex.EncodeToString([]byte(id.Issuer+"\x00"+id.Subject)))
	var out Session
	err = s.d.Store.InTx(ctx, func(tx store.Tx) error {
		rec, err := s.provision(ctx, tx, subject, id.Issuer, email, role)
		if err != nil {
			return err
		}
		stage, method := StageFull, "oidc"
		switch {
		case mfa:
			method = "oidc+idp_mfa"
		case rec.TOTPEnrolled:
			stage = StageTOTP
		case RequiresTOTP(rec.Role):
			stage = StageEnrol
		}
		now := s.d.now()
		rec.FailedAttempts, rec.UpdatedAt = 0, now
		if stage == StageFull {
			rec.LastSignInAt = &now
		}
		if err := tx.Users().Update(ctx, rec); err != nil {
			return err
		}
		out, err = s.startSession(ctx, tx, rec, stage, method)
		return err
	})
	var r *ssoRefusal
	if errors.As(err, &r) {
		return Session{}, s.refuseSSO(ctx, r, nil)
	}
	return out, err
}

// provision finds the staff user linked to the provider's subject and
// brings its role and e-mail address up to date, or creates the user and
// the link; it audits either. A disabled or locked user is refused. An
// e-mail address another account uses is refused: accounts are never joined
// by address, which a provider may let its users choose.
func (s *Users) provision(ctx context.Context, tx store.Tx, subject, issuer, email, role string) (store.UserRecord, error) {
	now := s.d.now()
	emailIndex := s.d.Crypt.BlindIndex("email", email)
	link, err := tx.UserIdentities().GetBySubject(ctx, subject)
	if errors.Is(err, store.ErrNotFound) {
		rec := store.UserRecord{ID: domain.NewID("usr", now), EmailIndex: emailIndex, Role: role, CreatedAt: now, UpdatedAt: now}
		if rec.Email, err = s.d.Crypt.Seal([]byte(email), userEmailAAD(rec.ID)); err != nil {
			return store.UserRecord{}, err
		}
		if err := tx.Users().Create(ctx, rec); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return store.UserRecord{}, &ssoRefusal{reason: "email_taken", err: errSSOEmailTaken}
			}
			return store.UserRecord{}, err
		}
		if err := tx.UserIdentities().Create(ctx, store.UserIdentityRecord{SubjectIndex: subject, Issuer: issuer, UserID: rec.ID, CreatedAt: now, LastSignInAt: now}); err != nil {
			return store.UserRecord{}, err
		}
		return rec, s.audit.record(ctx, tx, auditEntry{Actor: webActor, Action: domain.EventUserCreated, EntityID: rec.ID,
			Meta: map[string]string{"role": role, "source": "oidc", "issuer": issuer}})
	}
	if err != nil {
		return store.UserRecord{}, err
	}
	rec, err := tx.Users().Get(ctx, link.UserID)
	if err != nil {
		return store.UserRecord{}, err
	}
	if rec.Disabled {
		return store.UserRecord{}, &ssoRefusal{reason: "disabled", user: rec, err: errSSOBlocked}
	}
	if rec.LockedUntil != nil && rec.LockedUntil.After(now) {
		return store.UserRecord{}, &ssoRefusal{reason: "locked", user: rec, err: errSSOBlocked}
	}
	meta := map[string]string{"source": "oidc"}
	if rec.EmailIndex != emailIndex {
		sealed, err := s.d.Crypt.Seal([]byte(email), userEmailAAD(rec.ID))
		if err != nil {
			return store.UserRecord{}, err
		}
		if err := tx.Users().UpdateEmail(ctx, rec.ID, emailIndex, sealed, now); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return store.UserRecord{}, &ssoRefusal{reason: "email_taken", user: rec, err: errSSOEmailTaken}
			}
			return store.UserRecord{}, err
		}
		rec.EmailIndex, rec.Email = emailIndex, sealed
		meta["email_changed"] = "true"
	}
	if rec.Role != role {
		meta["role_from"], meta["role_to"] = rec.Role, role
		rec.Role = role
	}
	if err := tx.UserIdentities().Touch(ctx, subject, now); err != nil {
		return store.UserRecord{}, err
	}
	if len(meta) == 1 {
		return rec, nil
	}
	return rec, s.audit.record(ctx, tx, auditEntry{Actor: webActor, Action: domain.EventUserUpdated, EntityID: rec.ID, Meta: meta})
}
