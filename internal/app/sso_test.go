package app_test

import (
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// idpUser is a person at the in-process OpenID provider (mockoidc). The
// override fields forge what a misbehaving or hostile provider, or a token
// minted for another sign-in, would carry.
type idpUser struct {
	sub, email string
	groups     []string
	amr        []string
	acr        string
	nonce      *string  // replaces the sign-in's nonce
	aud        []string // replaces the audience (this client)
	azp        string
	exp        time.Time // replaces the expiry
}

type idpClaims struct {
	*mockoidc.IDTokenClaims
	Email  string   `json:"email,omitempty"`
	Groups []string `json:"groups,omitempty"`
	AMR    []string `json:"amr,omitempty"`
	ACR    string   `json:"acr,omitempty"`
	AZP    string   `json:"azp,omitempty"`
}

func (u *idpUser) ID() string { return u.sub }

func (u *idpUser) Userinfo([]string) ([]byte, error) {
	return json.Marshal(map[string]any{"sub": u.sub, "email": u.email})
}

func (u *idpUser) Claims(_ []string, c *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	if u.nonce != nil {
		c.Nonce = *u.nonce
	}
	if u.aud != nil {
		c.Audience = u.aud
	}
	if !u.exp.IsZero() {
		c.ExpiresAt = jwt.NewNumericDate(u.exp)
	}
	return &idpClaims{IDTokenClaims: c, Email: u.email, Groups: u.groups, AMR: u.amr, ACR: u.acr, AZP: u.azp}, nil
}

// ssoEnv is a bundle with single sign-on against a running mockoidc.
type ssoEnv struct {
	*kyctest.Bundle
	idp *mockoidc.MockOIDC
}

var roleMap = []app.RoleMapping{{Value: "kyc-mlro", Role: "mlro"}, {Value: "kyc-analyst", Role: "analyst"}, {Value: "kyc-admin", Role: "admin"}}

func startIdP(t *testing.T) *mockoidc.MockOIDC {
	t.Helper()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	return m
}

func relyingParty(t *testing.T, issuer, clientID, secret string) *auth.OIDC {
	t.Helper()
	rp, err := auth.NewOIDC(auth.OIDCConfig{Issuer: issuer, ClientID: clientID, ClientSecret: secret,
		RedirectURL: "http://kyc.test/staff/sso/callback", Scopes: []string{"email", "groups"}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return rp
}

// onEachEngineSSO runs fn on both engines, each with its own provider and
// the configuration edited by cfg.
func onEachEngineSSO(t *testing.T, cfg func(*app.SSOConfig), fn func(t *testing.T, e *ssoEnv)) {
	kyctest.Engines(t, func(t *testing.T, engine string) {
		m := startIdP(t)
		c := app.SSOConfig{Provider: relyingParty(t, m.Issuer(), m.ClientID, m.ClientSecret), RoleMap: roleMap, LocalSignIn: app.LocalSignInAdmins}
		if cfg != nil {
			cfg(&c)
		}
		fn(t, &ssoEnv{Bundle: kyctest.New(t, kyctest.WithEngine(engine), kyctest.WithSSO(c)), idp: m})
	})
}

// authorize plays the browser at the provider: it opens the authorization
// URL (mockoidc signs the queued user in at once) and returns the callback
// parameters the provider redirects to.
func authorize(t *testing.T, authURL string) url.Values {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 10 * time.Second}
	res, err := c.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc, err := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusFound || err != nil {
		t.Fatalf("authorize: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if !strings.HasPrefix(loc.String(), "http://kyc.test/staff/sso/callback?") {
		t.Fatalf("redirected to %q", loc)
	}
	return loc.Query()
}

// signIn runs a whole single sign-on of u.
func (e *ssoEnv) signIn(t *testing.T, u *idpUser) (app.Session, error) {
	t.Helper()
	e.idp.QueueUser(u)
	st, err := e.App.Users.BeginSSO(e.Ctx)
	if err != nil {
		t.Fatalf("begin: %v", err)
	}
	q := authorize(t, st.URL)
	return e.App.Users.FinishSSO(e.Ctx, app.SSOCallback{Flow: st.Flow, State: q.Get("state"), Code: q.Get("code")})
}

// refusals are the reasons of the audited refused sign-ins, in order.
func (e *ssoEnv) refusals(t *testing.T) []string {
	t.Helper()
	e.SealAudit()
	evs, err := e.App.Audit.ListEvents(e.Ctx, kyctest.Operator, app.AuditQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ev := range evs {
		if ev.Action != string(domain.EventUserSignInFailed) {
			continue
		}
		var m map[string]string
		_ = json.Unmarshal([]byte(ev.Meta), &m)
		out = append(out, m["reason"])
	}
	return out
}

func (e *ssoEnv) wantRefused(t *testing.T, err error, code domain.ErrorCode, reason string) {
	t.Helper()
	kyctest.WantCode(t, err, code)
	r := e.refusals(t)
	if len(r) == 0 || r[len(r)-1] != reason {
		t.Fatalf("audited refusals %v, want the last to be %q", r, reason)
	}
	users, err := e.App.Users.List(e.Ctx, kyctest.Operator)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Email == "new.person@bank.example" {
			t.Fatalf("a refused sign-in provisioned a user: %+v", u)
		}
	}
}

func (e *ssoEnv) actions(t *testing.T, entityID string) []string {
	t.Helper()
	e.SealAudit()
	evs, err := e.App.Audit.ListEvents(e.Ctx, kyctest.Operator, app.AuditQuery{EntityType: domain.EntityUser, EntityID: entityID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Action+" "+ev.Meta)
	}
	return out
}

// TestSSOProvisionsByIssuerAndSubject: the first single sign-on creates
// the staff user with the mapped role; later ones find the same user by
// issuer and subject and bring role and address up to date from the
// provider; a provider account is never joined to an existing kyc account
// by e-mail address (OpenID Connect Core 1.0 §5.7: only iss and sub
// identify the person; e-mail addresses can be reassigned or chosen).
func TestSSOProvisionsByIssuerAndSubject(t *testing.T) {
	onEachEngineSSO(t, nil, func(t *testing.T, e *ssoEnv) {
		s, err := e.signIn(t, &idpUser{sub: "emp-1001", email: "Ana.Silva@bank.example", groups: []string{"staff", "kyc-analyst"}})
		if err != nil || s.Stage != app.StageFull || s.User.Role != app.RoleAnalyst || s.Token == "" {
			t.Fatalf("first sign-in: %+v %v", s, err)
		}
		if got, err := e.App.Users.Session(e.Ctx, s.Token); err != nil || got.User.ID != s.User.ID || got.Stage != app.StageFull {
			t.Fatalf("session: %+v %v", got, err)
		}
		acts := strings.Join(e.actions(t, s.User.ID), "\n")
		for _, want := range []string{`user.created {"issuer":"` + e.idp.Issuer() + `","role":"analyst","source":"oidc"}`, `user.signed_in {"method":"oidc","stage":"full"}`} {
			if !strings.Contains(acts, want) {
				t.Errorf("audit lacks %s:\n%s", want, acts)
			}
		}
		if strings.Contains(acts, "emp-1001") || strings.Contains(strings.ToLower(acts), "ana.silva") {
			t.Errorf("the audit trail holds the subject or the address:\n%s", acts)
		}

		// The same subject with a new address and group: the same user,
		// updated. As an MLRO without a trusted provider factor, the local
		// authenticator app is due.
		s2, err := e.signIn(t, &idpUser{sub: "emp-1001", email: "ana.costa@bank.example", groups: []string{"kyc-mlro", "kyc-analyst"}})
		if err != nil || s2.User.ID != s.User.ID || s2.User.Role != app.RoleMLRO || s2.User.Email != "ana.costa@bank.example" || s2.Stage != app.StageEnrol {
			t.Fatalf("second sign-in: %+v %v", s2, err)
		}
		if acts := strings.Join(e.actions(t, s.User.ID), "\n"); !strings.Contains(acts, `user.updated {"email_changed":"true","role_from":"analyst","role_to":"mlro","source":"oidc"}`) {
			t.Errorf("no audited update:\n%s", acts)
		}

		// Another subject claiming the address of an existing local account
		// gets neither that account nor a new one.
		local := kyctest.StaffUser(t, e.Bundle, &kyctest.StaffUserOpts{Role: app.RoleAdmin, Email: "admin@bank.example"})
		_, err = e.signIn(t, &idpUser{sub: "attacker-7", email: "ADMIN@bank.example", groups: []string{"kyc-analyst"}})
		e.wantRefused(t, err, domain.ECodeConflict, "email_taken")
		if acts := e.actions(t, local.User.ID); len(acts) != 1 {
			t.Fatalf("the local account was touched: %v", acts)
		}
		// And the address of another SSO user cannot be taken over either.
		_, err = e.signIn(t, &idpUser{sub: "emp-2002", email: "ana.costa@bank.example", groups: []string{"kyc-analyst"}})
		e.wantRefused(t, err, domain.ECodeConflict, "email_taken")

		// A provisioned user has no local password, and none to change.
		_, err = e.App.Users.SignIn(e.Ctx, "ana.costa@bank.example", "")
		kyctest.WantCode(t, err, domain.ECodeUnauthorized)
		_, err = e.App.Users.ChangePassword(e.Ctx, s.Token, app.ChangePasswordInput{Current: "x", New: "a long new password", Confirm: "a long new password"})
		kyctest.WantCode(t, err, domain.ECodeConflict)
	})
}

// TestSSOStateMismatchRefused: the callback's state must be the one of the
// sign-in this browser started (RFC 6749 §10.12, OpenID Connect Core 1.0
// §3.1.2.7): a forged or crossed callback is refused and audited, and so
// is a flow that is missing, forged, or older than its 10 minutes.
func TestSSOStateMismatchRefused(t *testing.T) {
	onEachEngineSSO(t, nil, func(t *testing.T, e *ssoEnv) {
		u := &idpUser{sub: "emp-1", email: "new.person@bank.example", groups: []string{"kyc-analyst"}}
		e.idp.QueueUser(u)
		st, err := e.App.Users.BeginSSO(e.Ctx)
		if err != nil {
			t.Fatal(err)
		}
		q := authorize(t, st.URL)
		_, err = e.App.Users.FinishSSO(e.Ctx, app.SSOCallback{Flow: st.Flow, State: q.Get("state") + "x", Code: q.Get("code")})
		e.wantRefused(t, err, domain.ECodeUnauthorized, "state_mismatch")

		// The flow of another sign-in (the attacker's own, say).
		other, err := e.App.Users.BeginSSO(e.Ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.App.Users.FinishSSO(e.Ctx, app.SSOCallback{Flow: other.Flow, State: q.Get("state"), Code: q.Get("code")})
		e.wantRefused(t, err, domain.ECodeUnauthorized, "state_mismatch")
		_, err = e.App.Users.FinishSSO(e.Ctx, app.SSOCallback{State: q.Get("state"), Code: q.Get("code")})
		e.wantRefused(t, err, domain.ECodeUnauthorized, "flow_missing")
		forged := st.Flow[:len(st.Flow)-4] + "AAAA"
		_, err = e.App.Users.FinishSSO(e.Ctx, app.SSOCallback{Flow: forged, State: q.Get("state"), Code: q.Get("code")})
		e.wantRefused(t, err, domain.ECodeUnauthorized, "flow_invalid")

		e.Clock.Advance(11 * time.Minute)
		_, err = e.App.Users.FinishSSO(e.Ctx, app.SSOCallback{Flow: st.Flow, State: q.Get("state"), Code: q.Get("code")})
		e.wantRefused(t, err, domain.ECodeUnauthorized, "flow_expired")

		// The provider's own refusal.
		fresh, _ := e.App.Users.BeginSSO(e.Ctx)
		_, err = e.App.Users.FinishSSO(e.Ctx, app.SSOCallback{Flow: fresh.Flow, State: stateOf(t, fresh.URL), Error: "access_denied"})
		e.wantRefused(t, err, domain.ECodeUnauthorized, "idp_error:access_denied")
		_, err = e.App.Users.FinishSSO(e.Ctx, app.SSOCallback{Flow: fresh.Flow, State: stateOf(t, fresh.URL), Error: "<script>"})
		e.wantRefused(t, err, domain.ECodeUnauthorized, "idp_error:other")
	})
}

func stateOf(t *testing.T, authURL string) string {
	t.Helper()
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("state")
}

// TestSSOAuthorizationRequest: the request carries state, nonce and an
// S256 PKCE challenge (RFC 7636 §4.3; OAuth 2.0 Security BCP, RFC 9700
// §2.1.1), fresh for every sign-in.
func TestSSOAuthorizationRequest(t *testing.T) {
	onEachEngineSSO(t, nil, func(t *testing.T, e *ssoEnv) {
		a, err := e.App.Users.BeginSSO(e.Ctx)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := e.App.Users.BeginSSO(e.Ctx)
		ua, _ := url.Parse(a.URL)
		ub, _ := url.Parse(b.URL)
		qa, qb := ua.Query(), ub.Query()
		if qa.Get("code_challenge_method") != "S256" || len(qa.Get("code_challenge")) < 43 || qa.Get("nonce") == "" || qa.Get("state") == "" {
			t.Fatalf("authorization request: %v", qa)
		}
		for _, k := range []string{"state", "nonce", "code_challenge"} {
			if qa.Get(k) == qb.Get(k) {
				t.Errorf("%s repeats between sign-ins", k)
			}
		}
		if strings.Contains(a.Flow, qa.Get("state")) || strings.Contains(a.Flow, qa.Get("nonce")) {
			t.Error("the flow cookie shows the state or nonce in clear")
		}
		if !strings.Contains(qa.Get("scope"), "openid") || qa.Get("redirect_uri") != "http://kyc.test/staff/sso/callback" {
			t.Errorf("scope %q redirect %q", qa.Get("scope"), qa.Get("redirect_uri"))
		}
	})
}

// TestSSONonceMismatchRefused: an ID token whose nonce is not the one of
// this sign-in — replayed from another sign-in — is refused (OpenID Connect
// Core 1.0 §3.1.3.7, rule 11).
func TestSSONonceMismatchRefused(t *testing.T) {
	onEachEngineSSO(t, nil, func(t *testing.T, e *ssoEnv) {
		other := "nonce-of-another-sign-in"
		_, err := e.signIn(t, &idpUser{sub: "emp-1", email: "new.person@bank.example", groups: []string{"kyc-analyst"}, nonce: &other})
		e.wantRefused(t, err, domain.ECodeUnauthorized, auth.OIDCNonceMismatch)
	})
}

// TestSSOWrongAudienceRefused: an ID token issued to another client is
// refused, and so is one with several audiences whose authorized party is
// not kyc (OpenID Connect Core 1.0 §3.1.3.7, rules 3 to 5).
func TestSSOWrongAudienceRefused(t *testing.T) {
	onEachEngineSSO(t, nil, func(t *testing.T, e *ssoEnv) {
		_, err := e.signIn(t, &idpUser{sub: "emp-1", email: "new.person@bank.example", groups: []string{"kyc-analyst"}, aud: []string{"another-app"}})
		e.wantRefused(t, err, domain.ECodeUnauthorized, auth.OIDCWrongAudience)
		_, err = e.signIn(t, &idpUser{sub: "emp-1", email: "new.person@bank.example", groups: []string{"kyc-analyst"}, aud: []string{e.idp.ClientID, "another-app"}, azp: "another-app"})
		e.wantRefused(t, err, domain.ECodeUnauthorized, auth.OIDCWrongAudience)
		// With the authorized party kyc, several audiences are fine.
		s, err := e.signIn(t, &idpUser{sub: "emp-1", email: "new.person@bank.example", groups: []string{"kyc-analyst"}, aud: []string{e.idp.ClientID, "another-app"}, azp: e.idp.ClientID})
		if err != nil || s.Stage != app.StageFull {
			t.Fatalf("azp kyc: %+v %v", s, err)
		}
	})
}

// TestSSOExpiredTokenRefused: an ID token past its exp is refused (OpenID
// Connect Core 1.0 §3.1.3.7, rule 9).
func TestSSOExpiredTokenRefused(t *testing.T) {
	onEachEngineSSO(t, nil, func(t *testing.T, e *ssoEnv) {
		_, err := e.signIn(t, &idpUser{sub: "emp-1", email: "new.person@bank.example", groups: []string{"kyc-analyst"}, exp: time.Now().Add(-time.Minute)})
		e.wantRefused(t, err, domain.ECodeUnauthorized, auth.OIDCExpired)
	})
}

// TestSSOUnmappedRoleRefused: a person the provider signs in but whose role
// claim maps to no kyc role gets no account and a clear refusal
// (PRODUCT.md §5: "a user without a mapped role is refused").
func TestSSOUnmappedRoleRefused(t *testing.T) {
	onEachEngineSSO(t, nil, func(t *testing.T, e *ssoEnv) {
		_, err := e.signIn(t, &idpUser{sub: "emp-1", email: "new.person@bank.example", groups: []string{"engineering", "kyc-analysts"}})
		e.wantRefused(t, err, domain.ECodeForbidden, "unmapped_role")
		if !strings.Contains(domain.ErrMessage(err), "no role in kyc") {
			t.Errorf("message %q", domain.ErrMessage(err))
		}
		_, err = e.signIn(t, &idpUser{sub: "emp-1", email: "new.person@bank.example"})
		e.wantRefused(t, err, domain.ECodeForbidden, "unmapped_role")
		// A user who lost every mapped group is refused too, and stays as
		// it was.
		s, err := e.signIn(t, &idpUser{sub: "emp-9", email: "leaver@bank.example", groups: []string{"kyc-analyst"}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.signIn(t, &idpUser{sub: "emp-9", email: "leaver@bank.example", groups: []string{"alumni"}})
		e.wantRefused(t, err, domain.ECodeForbidden, "unmapped_role")
		_ = s
		// No address, no account.
		_, err = e.signIn(t, &idpUser{sub: "emp-3", groups: []string{"kyc-analyst"}})
		e.wantRefused(t, err, domain.ECodeForbidden, "email_missing")
	})
}

// TestSSODisabledUserRefused: disabling a provisioned user in kyc holds
// even though the provider still signs them in.
func TestSSODisabledUserRefused(t *testing.T) {
	onEachEngineSSO(t, nil, func(t *testing.T, e *ssoEnv) {
		s, err := e.signIn(t, &idpUser{sub: "emp-5", email: "eve@bank.example", groups: []string{"kyc-analyst"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.App.Users.SetDisabled(e.Ctx, kyctest.Operator, s.User.ID, true); err != nil {
			t.Fatal(err)
		}
		_, err = e.signIn(t, &idpUser{sub: "emp-5", email: "eve@bank.example", groups: []string{"kyc-analyst"}})
		e.wantRefused(t, err, domain.ECodeForbidden, "disabled")
	})
}

// TestSSOCodeReplayRefused: an authorization code is good once (RFC 6749
// §4.1.2): the same callback a second time signs nobody in.
func TestSSOCodeReplayRefused(t *testing.T) {
	onEachEngineSSO(t, nil, func(t *testing.T, e *ssoEnv) {
		e.idp.QueueUser(&idpUser{sub: "emp-1", email: "ana@bank.example", groups: []string{"kyc-analyst"}})
		st, _ := e.App.Users.BeginSSO(e.Ctx)
		q := authorize(t, st.URL)
		cb := app.SSOCallback{Flow: st.Flow, State: q.Get("state"), Code: q.Get("code")}
		if _, err := e.App.Users.FinishSSO(e.Ctx, cb); err != nil {
			t.Fatal(err)
		}
		_, err := e.App.Users.FinishSSO(e.Ctx, cb)
		e.wantRefused(t, err, domain.ECodeUnauthorized, auth.OIDCExchange)
	})
}

// TestSSOSecondFactor: the provider's second factor counts only when its
// amr or acr value is trusted; otherwise the local TOTP is due as after a
// password (PRODUCT.md §8: TOTP required for admin and mlro).
func TestSSOSecondFactor(t *testing.T) {
	onEachEngineSSO(t, func(c *app.SSOConfig) {
		c.TrustAMR, c.TrustACR = []string{"mfa", "hwk"}, []string{"urn:bank:loa:high"}
	}, func(t *testing.T, e *ssoEnv) {
		s, err := e.signIn(t, &idpUser{sub: "m-1", email: "mlro@bank.example", groups: []string{"kyc-mlro"}, amr: []string{"pwd", "mfa"}})
		if err != nil || s.Stage != app.StageFull || s.User.Role != app.RoleMLRO {
			t.Fatalf("trusted amr: %+v %v", s, err)
		}
		if acts := strings.Join(e.actions(t, s.User.ID), "\n"); !strings.Contains(acts, `"method":"oidc+idp_mfa"`) {
			t.Errorf("the sign-in does not say the provider's factor counted:\n%s", acts)
		}
		s, err = e.signIn(t, &idpUser{sub: "m-1", email: "mlro@bank.example", groups: []string{"kyc-mlro"}, acr: "urn:bank:loa:high"})
		if err != nil || s.Stage != app.StageFull {
			t.Fatalf("trusted acr: %+v %v", s, err)
		}
		s, err = e.signIn(t, &idpUser{sub: "m-1", email: "mlro@bank.example", groups: []string{"kyc-mlro"}, amr: []string{"pwd"}, acr: "urn:bank:loa:low"})
		if err != nil || s.Stage != app.StageEnrol {
			t.Fatalf("untrusted factor: want the enrolment of the local authenticator, got %+v %v", s, err)
		}
		// Enrolled: the code is asked.
		enr, err := e.App.Users.BeginEnrolment(e.Ctx, s.Token)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.App.Users.ConfirmEnrolment(e.Ctx, s.Token, e.NextTOTP(enr.Secret)); err != nil {
			t.Fatal(err)
		}
		s, err = e.signIn(t, &idpUser{sub: "m-1", email: "mlro@bank.example", groups: []string{"kyc-mlro"}, amr: []string{"pwd"}})
		if err != nil || s.Stage != app.StageTOTP {
			t.Fatalf("enrolled, untrusted factor: %+v %v", s, err)
		}
		full, err := e.App.Users.VerifyTOTP(e.Ctx, s.Token, e.NextTOTP(enr.Secret))
		if err != nil || full.Stage != app.StageFull {
			t.Fatalf("code: %+v %v", full, err)
		}
		// The audit names what was proved: the provider's sign-in and the
		// local code, at the enrolment and at the later sign-in — never a
		// password this user does not have.
		if full.Method != "oidc+totp" {
			t.Errorf("session method %q, want oidc+totp", full.Method)
		}
		acts := strings.Join(e.actions(t, s.User.ID), "\n")
		if n := strings.Count(acts, `user.signed_in {"method":"oidc+totp","stage":"full"}`); n != 2 || strings.Contains(acts, "password") {
			t.Errorf("want two sign-ins by oidc+totp (enrolment, code) and no password method, got %d:\n%s", n, acts)
		}
	})
}

// TestSSOUntrustedAMR: without trusted values, an asserted amr changes
// nothing: the local TOTP is due (PRODUCT.md §8).
func TestSSOUntrustedAMR(t *testing.T) {
	onEachEngineSSO(t, nil, func(t *testing.T, e *ssoEnv) {
		s, err := e.signIn(t, &idpUser{sub: "m-1", email: "mlro@bank.example", groups: []string{"kyc-mlro"}, amr: []string{"mfa"}})
		if err != nil || s.Stage != app.StageEnrol {
			t.Fatalf("untrusted provider: %+v %v", s, err)
		}
	})
}

// TestSSOIdPDownLocalBreakGlass: a provider that cannot be reached gives a
// clear, audited refusal; the local break-glass administrator still signs
// in with a password, while other local accounts are told to use single
// sign-on (KYC_OIDC_LOCAL_LOGIN=admins).
func TestSSOIdPDownLocalBreakGlass(t *testing.T) {
	kyctest.Engines(t, func(t *testing.T, engine string) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		down := "http://" + ln.Addr().String()
		ln.Close()
		cfg := app.SSOConfig{Provider: relyingParty(t, down, "kyc", "secret"), RoleMap: roleMap, LocalSignIn: app.LocalSignInAdmins}
		h := kyctest.New(t, kyctest.WithEngine(engine), kyctest.WithSSO(cfg))
		e := &ssoEnv{Bundle: h}
		_, err = h.App.Users.BeginSSO(h.Ctx)
		e.wantRefused(t, err, domain.ECodeUnavailable, auth.OIDCUnavailable)
		if !strings.Contains(domain.ErrMessage(err), "cannot be reached") || !strings.Contains(domain.ErrMessage(err), "break-glass") {
			t.Errorf("message %q", domain.ErrMessage(err))
		}
		admin := kyctest.StaffUser(t, h, &kyctest.StaffUserOpts{Role: app.RoleAdmin, Email: "breakglass@bank.example"})
		analyst := kyctest.StaffUser(t, h, &kyctest.StaffUserOpts{Role: app.RoleAnalyst, Email: "analyst@bank.example"})
		s, err := h.App.Users.SignIn(h.Ctx, admin.Email, admin.Password)
		if err != nil || s.Token == "" {
			t.Fatalf("break-glass admin: %+v %v", s, err)
		}
		_, err = h.App.Users.SignIn(h.Ctx, analyst.Email, analyst.Password)
		e.wantRefused(t, err, domain.ECodeForbidden, "local_sign_in_off")
		// A wrong password of the analyst is still just a wrong password.
		_, err = h.App.Users.SignIn(h.Ctx, analyst.Email, "not the password at all")
		e.wantRefused(t, err, domain.ECodeUnauthorized, "password")
	})
}

// TestSSOLocalSignInNoneAndIdPDownAtCallback: with KYC_OIDC_LOCAL_LOGIN=none
// no password signs in, and a provider that goes down between the start of
// a sign-in and its callback gives the same clear, audited refusal.
func TestSSOLocalSignInNoneAndIdPDownAtCallback(t *testing.T) {
	kyctest.Engines(t, func(t *testing.T, engine string) {
		m := startIdP(t)
		cfg := app.SSOConfig{Provider: relyingParty(t, m.Issuer(), m.ClientID, m.ClientSecret), RoleMap: roleMap, LocalSignIn: app.LocalSignInNone}
		h := kyctest.New(t, kyctest.WithEngine(engine), kyctest.WithSSO(cfg))
		e := &ssoEnv{Bundle: h, idp: m}
		admin := kyctest.StaffUser(t, h, &kyctest.StaffUserOpts{Role: app.RoleAdmin, Email: "breakglass@bank.example"})
		_, err := h.App.Users.SignIn(h.Ctx, admin.Email, admin.Password)
		e.wantRefused(t, err, domain.ECodeForbidden, "local_sign_in_off")

		// The provider goes down between the start and the callback.
		m.QueueUser(&idpUser{sub: "emp-1", email: "new.person@bank.example", groups: []string{"kyc-analyst"}})
		st, err := h.App.Users.BeginSSO(h.Ctx)
		if err != nil {
			t.Fatal(err)
		}
		q := authorize(t, st.URL)
		if err := m.Shutdown(); err != nil {
			t.Fatal(err)
		}
		_, err = h.App.Users.FinishSSO(h.Ctx, app.SSOCallback{Flow: st.Flow, State: q.Get("state"), Code: q.Get("code")})
		e.wantRefused(t, err, domain.ECodeUnavailable, auth.OIDCUnavailable)
	})
}

// TestParseRoleMap: KYC_OIDC_ROLE_MAP names kyc roles only, each value
// once.
func TestParseRoleMap(t *testing.T) {
	got, err := app.ParseRoleMap(" kyc-mlro=mlro, kyc-analyst = analyst ,")
	if err != nil || len(got) != 2 || got[0] != (app.RoleMapping{Value: "kyc-mlro", Role: "mlro"}) || got[1] != (app.RoleMapping{Value: "kyc-analyst", Role: "analyst"}) {
		t.Fatalf("%+v %v", got, err)
	}
	for _, bad := range []string{"", "kyc-boss=boss", "kyc-mlro", "=mlro", "a=mlro,a=analyst"} {
		if _, err := app.ParseRoleMap(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
