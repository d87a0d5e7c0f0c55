package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// This file holds the sign-in of staff users and their server-side
// sessions: password, the authenticator code, lock-out after repeated
// failures, session expiry and sign-out.
//
// Every identity source goes through the same two steps: account finds the
// staff user of an e-mail address and refuses an unknown, disabled or locked
// one; once the source has proved who the user is, admit starts the session
// at the next stage. Password sign-in (SignIn) proves the password in
// between; a second source (OpenID Connect) calls the same two functions with
// its own proof.

// Sign-in stages of a staff session: a session is usable for work only at
// StageFull; the others allow just the next sign-in step.
const (
	StagePassword = "password" // must change the one-time password
	StageTOTP     = "totp"     // must enter the code of the authenticator app
	StageEnrol    = "enrol"    // must enrol an authenticator app (admin, mlro)
	StageFull     = "full"
)

// StaffPolicy holds the sign-in and session settings of the back office.
type StaffPolicy struct {
	// MaxFailures failed sign-ins (password or code) in a row lock the
	// account for LockFor.
	MaxFailures int
	LockFor     time.Duration
	// SessionIdle ends a session after this long without a request;
	// SessionMax ends it this long after sign-in, whatever the activity.
	SessionIdle time.Duration
	SessionMax  time.Duration
	// StepTimeout bounds a half-finished sign-in (code, enrolment,
	// password change).
	StepTimeout time.Duration
	// Issuer names the service in authenticator apps.
	Issuer string
}

// DefaultStaffPolicy: 5 failures lock for 15 minutes; sessions end after 30
// minutes idle or 12 hours.
var DefaultStaffPolicy = StaffPolicy{
	MaxFailures: 5, LockFor: 15 * time.Minute, SessionIdle: 30 * time.Minute, SessionMax: 12 * time.Hour,
	StepTimeout: 10 * time.Minute, Issuer: "kyc",
}

// Session is a staff session. Token is set only when a new session token
// was issued (at sign-in and at every stage change: the token rotates).
type Session struct {
	Token string
	Stage string
	// Method is how the user proved who they are so far, as audited:
	// "password", "oidc", "oidc+idp_mfa", "password+totp", "oidc+totp".
	Method    string
	User      User
	ExpiresAt time.Time
}

// Actor is the actor of the session's user.
func (s Session) Actor() domain.Actor { return s.User.Actor() }

// Sign-in errors: deliberately the same for an unknown address, a wrong
// password, a disabled and a locked account. A distinct "locked" answer
// told anyone who tried ten passwords that the address belongs to a staff
// user (hardening item 11; OWASP ASVS 2.2.1 and the Authentication Cheat
// Sheet: the same response whether or not the account exists or is
// locked); the message says that lock-outs happen, for every address.
var (
	errSignIn  = domain.Errorf(domain.ECodeUnauthorized, "The e-mail address or password is not right. After repeated failures an account is locked for a while: try again later or ask an administrator.")
	errLocked  = errSignIn
	errCode    = domain.Errorf(domain.ECodeUnauthorized, "The code is not right. Enter the 6-digit code your authenticator app shows now.")
	errSession = domain.Errorf(domain.ECodeUnauthorized, "Your session has ended. Sign in again.")
)

func staffTokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func newStaffToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// webActor is the actor of sign-in events before a user is known.
var webActor = domain.SystemActor("web-signin")

// account is the first step of every sign-in, whatever proves the
// identity: it finds the staff user of an e-mail address and refuses an
// unknown, disabled or locked account with an audited failure that does not
// count towards the lock-out. Unknown and disabled accounts get the same
// error as a wrong password. refused runs before each refusal: password
// sign-in spends the time of a password check there, so that a refusal takes
// as long as a wrong password.
func (s *Users) account(ctx context.Context, email string, refused func()) (store.UserRecord, error) {
	rec, err := s.d.Store.Users().GetByEmailIndex(ctx, s.d.Crypt.BlindIndex("email", strings.TrimSpace(email)))
	if errors.Is(err, store.ErrNotFound) {
		refused()
		return store.UserRecord{}, s.recordFailure(ctx, webActor, "", "unknown_account", errSignIn)
	}
	if err != nil {
		return store.UserRecord{}, err
	}
	actor := domain.Actor{Type: domain.ActorUser, ID: rec.ID, Role: rec.Role}
	if rec.Disabled {
		refused()
		return store.UserRecord{}, s.recordFailure(ctx, actor, rec.ID, "disabled", errSignIn)
	}
	if rec.LockedUntil != nil && rec.LockedUntil.After(s.d.now()) {
		refused()
		return store.UserRecord{}, s.recordFailure(ctx, actor, rec.ID, "locked", errLocked)
	}
	return rec, nil
}

// signInStage is the stage a password sign-in of rec continues at: the
// change of a one-time password, the authenticator code, the enrolment of an
// authenticator app (required for admin and mlro), or a full session.
func signInStage(rec store.UserRecord) string {
	switch {
	case rec.MustChangePassword:
		return StagePassword
	case rec.TOTPEnrolled:
		return StageTOTP
	case RequiresTOTP(rec.Role):
		return StageEnrol
	}
	return StageFull
}

// admit is the second step of every sign-in: once an identity source has
// proved who the account's user is (method names the proof, e.g.
// "password"), it clears the failure count and starts a session at stage. A
// user who reaches StageFull is recorded as signed in.
func (s *Users) admit(ctx context.Context, rec store.UserRecord, stage, method string) (Session, error) {
	now := s.d.now()
	var out Session
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		rec.FailedAttempts, rec.LockedUntil, rec.UpdatedAt = 0, nil, now
		if stage == StageFull {
			rec.LastSignInAt = &now
		}
		if err := tx.Users().Update(ctx, rec); err != nil {
			return err
		}
		var err error
		out, err = s.startSession(ctx, tx, rec, stage, method)
		return err
	})
	return out, err
}

// SignIn checks an e-mail address and password and starts a session at the
// next sign-in stage.
//
// With single sign-on on, KYC_OIDC_LOCAL_LOGIN says who may still use a
// password: everyone, admins only (the break-glass account) or nobody. A
// user of another role is told to use single sign-on only after the right
// password, so the answer tells a guesser nothing. An account without a
// local password (provisioned by single sign-on) is refused like a wrong
// password, without counting towards the lock-out.
func (s *Users) SignIn(ctx context.Context, email, password string) (Session, error) {
	policy := s.LocalSignIn()
	if policy == LocalSignInNone {
		return Session{}, s.recordFailure(ctx, webActor, "", "local_sign_in_off", errLocalOff)
	}
	rec, err := s.account(ctx, email, func() { auth.BurnPasswordTime(password) })
	if err != nil {
		return Session{}, err
	}
	actor := domain.Actor{Type: domain.ActorUser, ID: rec.ID, Role: rec.Role}
	if rec.PasswordHash == "" {
		auth.BurnPasswordTime(password)
		return Session{}, s.recordFailure(ctx, actor, rec.ID, "no_local_password", errSignIn)
	}
	ok, err := auth.VerifyPassword(rec.PasswordHash, password)
	if err != nil {
		return Session{}, err
	}
	if !ok {
		return Session{}, s.fail(ctx, rec, "password", errSignIn)
	}
	if policy == LocalSignInAdmins && rec.Role != RoleAdmin {
		return Session{}, s.recordFailure(ctx, actor, rec.ID, "local_sign_in_off", errUseSSO)
	}
	return s.admit(ctx, rec, signInStage(rec), "password")
}

// startSession issues a new session token at stage and audits a completed
// sign-in.
func (s *Users) startSession(ctx context.Context, tx store.Tx, rec store.UserRecord, stage, method string) (Session, error) {
	now := s.d.now()
	token := newStaffToken()
	exp := now.Add(s.Policy.StepTimeout)
	if stage == StageFull {
		exp = now.Add(s.Policy.SessionMax)
	}
	if err := tx.Sessions().Create(ctx, store.SessionRecord{IDHash: staffTokenHash(token), UserID: rec.ID, Stage: stage, Method: method, CreatedAt: now, LastSeenAt: now, ExpiresAt: exp}); err != nil {
		return Session{}, err
	}
	u, err := s.userOut(rec)
	if err != nil {
		return Session{}, err
	}
	actor := u.Actor()
	action := domain.EventUserSignInStep
	if stage == StageFull {
		action = domain.EventUserSignedIn
	}
	if err := s.audit.record(ctx, tx, auditEntry{Actor: actor, Action: action, EntityID: rec.ID,
		Meta: map[string]string{"method": method, "stage": stage}}); err != nil {
		return Session{}, err
	}
	return Session{Token: token, Stage: stage, Method: method, User: u, ExpiresAt: exp}, nil
}

// fail counts a failed password or code, locks the account after
// MaxFailures in a row, and audits both.
func (s *Users) fail(ctx context.Context, rec store.UserRecord, reason string, e error) error {
	actor := domain.Actor{Type: domain.ActorUser, ID: rec.ID, Role: rec.Role}
	locked := false
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		now := s.d.now()
		n, err := tx.Users().AddFailure(ctx, rec.ID, now)
		if err != nil {
			return err
		}
		if err := s.audit.record(ctx, tx, auditEntry{Actor: actor, Action: domain.EventUserSignInFailed, EntityID: rec.ID,
			Meta: map[string]string{"reason": reason, "failures": fmt.Sprint(n)}}); err != nil {
			return err
		}
		if int(n) < s.Policy.MaxFailures {
			return nil
		}
		locked = true
		until := now.Add(s.Policy.LockFor)
		if err := tx.Users().Lock(ctx, rec.ID, until, now); err != nil {
			return err
		}
		if _, err := tx.Sessions().DeleteForUser(ctx, rec.ID); err != nil {
			return err
		}
		return s.audit.record(ctx, tx, auditEntry{Actor: webActor, Action: domain.EventUserLocked, EntityID: rec.ID,
			Meta: map[string]string{"until": until.Format(time.RFC3339), "failures": fmt.Sprint(n)}})
	})
	if err != nil {
		return err
	}
	if locked {
		return errLocked
	}
	return e
}

// recordFailure audits a refused sign-in that does not count towards the
// lock-out (unknown account, disabled, already locked).
func (s *Users) recordFailure(ctx context.Context, actor domain.Actor, userID, reason string, e error) error {
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		return s.audit.record(ctx, tx, auditEntry{Actor: actor, Action: domain.EventUserSignInFailed, EntityID: userID,
			Meta: map[string]string{"reason": reason}})
	})
	if err != nil {
		return err
	}
	return e
}

// Session returns the session of a token, ending it when it is idle, past
// its absolute end, or its user is disabled. It records the activity.
func (s *Users) Session(ctx context.Context, token string) (Session, error) {
	if token == "" {
		return Session{}, errSession
	}
	h := staffTokenHash(token)
	sess, err := s.d.Store.Sessions().Get(ctx, h)
	if errors.Is(err, store.ErrNotFound) {
		return Session{}, errSession
	}
	if err != nil {
		return Session{}, err
	}
	now := s.d.now()
	if now.After(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) > s.Policy.SessionIdle {
		_ = s.d.Store.Sessions().Delete(ctx, h)
		return Session{}, errSession
	}
	rec, err := s.d.Store.Users().Get(ctx, sess.UserID)
	if err != nil {
		return Session{}, errSession
	}
	if rec.Disabled {
		_, _ = s.d.Store.Sessions().DeleteForUser(ctx, rec.ID)
		return Session{}, errSession
	}
	if now.Sub(sess.LastSeenAt) > 30*time.Second {
		if err := s.d.Store.Sessions().Touch(ctx, h, now); err != nil {
			return Session{}, errSession
		}
	}
	u, err := s.userOut(rec)
	if err != nil {
		return Session{}, err
	}
	return Session{Stage: sess.Stage, Method: sess.Method, User: u, ExpiresAt: sess.ExpiresAt}, nil
}

// advance checks that the token's session is at one of stages and returns
// its session and user record.
func (s *Users) advance(ctx context.Context, token string, stages ...string) (Session, store.UserRecord, error) {
	sess, err := s.Session(ctx, token)
	if err != nil {
		return Session{}, store.UserRecord{}, err
	}
	if !contains(stages, sess.Stage) {
		return Session{}, store.UserRecord{}, domain.Errorf(domain.ECodeForbidden, "This step of the sign-in is not open.")
	}
	rec, err := s.d.Store.Users().Get(ctx, sess.User.ID)
	if err != nil {
		return Session{}, store.UserRecord{}, err
	}
	if rec.LockedUntil != nil && rec.LockedUntil.After(s.d.now()) {
		return Session{}, store.UserRecord{}, errLocked
	}
	return sess, rec, nil
}

// rotate ends the old session token and starts the next stage.
func (s *Users) rotate(ctx context.Context, tx store.Tx, oldToken string, rec store.UserRecord, stage, method string) (Session, error) {
	if err := tx.Sessions().Delete(ctx, staffTokenHash(oldToken)); err != nil {
		return Session{}, err
	}
	if stage == StageFull {
		now := s.d.now()
		rec.LastSignInAt, rec.UpdatedAt = &now, now
		if err := tx.Users().Update(ctx, rec); err != nil {
			return Session{}, err
		}
	}
	return s.startSession(ctx, tx, rec, stage, method)
}

func (s *Users) checkCode(ctx context.Context, rec store.UserRecord, code string) error {
	if rec.TOTPSecret == nil {
		return domain.Errorf(domain.ECodeConflict, "No authenticator app is set up for this account.")
	}
	secret, err := s.d.Crypt.Open(rec.TOTPSecret, userTOTPAAD(rec.ID))
	if err != nil {
		return fmt.Errorf("decrypt totp secret: %w", err)
	}
	step, ok := auth.CheckTOTP(string(secret), code, s.d.now())
	if ok {
		// A code is good once: a replayed (observed) code is refused.
		if ok, err = s.d.Store.Users().ClaimTOTPStep(ctx, rec.ID, step); err != nil {
			return err
		}
	}
	if !ok {
		return s.fail(ctx, rec, "totp", errCode)
	}
	return nil
}

// VerifyTOTP completes a sign-in with the authenticator code.
func (s *Users) VerifyTOTP(ctx context.Context, token, code string) (Session, error) {
	sess, rec, err := s.advance(ctx, token, StageTOTP)
	if err != nil {
		return Session{}, err
	}
	if err := s.checkCode(ctx, rec, code); err != nil {
		return Session{}, err
	}
	var out Session
	err = s.d.Store.InTx(ctx, func(tx store.Tx) error {
		rec, err = tx.Users().Get(ctx, rec.ID)
		if err != nil {
			return err
		}
		rec.FailedAttempts = 0
		out, err = s.rotate(ctx, tx, token, rec, StageFull, withTOTP(sess.Method))
		return err
	})
	return out, err
}

// withTOTP is the sign-in method once the authenticator code is proved on
// top of what the session proved so far: "oidc+totp" after a single
// sign-on, "password+totp" after a password (or a password change, or a
// session stored before the method was kept).
func withTOTP(method string) string {
	if first, _, _ := strings.Cut(method, "+"); first == "oidc" {
		return "oidc+totp"
	}
	return "password+totp"
}

// SignOut ends a session.
func (s *Users) SignOut(ctx context.Context, token string) error {
	sess, err := s.Session(ctx, token)
	if err != nil {
		return nil // already gone
	}
	return s.d.Store.InTx(ctx, func(tx store.Tx) error {
		if err := tx.Sessions().Delete(ctx, staffTokenHash(token)); err != nil {
			return err
		}
		return s.audit.record(ctx, tx, auditEntry{Actor: sess.Actor(), Action: domain.EventUserSignedOut, EntityID: sess.User.ID})
	})
}

// PurgeSessions removes ended sessions (a periodic clean-up).
func (s *Users) PurgeSessions(ctx context.Context) (int64, error) {
	now := s.d.now()
	return s.d.Store.Sessions().DeleteExpired(ctx, now, now.Add(-s.Policy.SessionIdle))
}
