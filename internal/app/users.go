package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// PermUsersWrite lets an admin manage staff users (no API scope grants it).
const PermUsersWrite Permission = "users:write"

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

// Users manages staff users and their sign-in: passwords (argon2id), TOTP
// second factor (required for admin and mlro), lock-out and server-side
// sessions. Every sign-in, failure, lock-out and change is audited.
type Users struct {
	d      *Deps
	audit  *AuditLog
	Policy StaffPolicy
}

// User is a staff user as the back office shows it.
type User struct {
	ID                 string
	Email              string
	Role               string
	MustChangePassword bool
	TOTPEnrolled       bool
	Disabled           bool
	LockedUntil        *time.Time
	CreatedAt          time.Time
	LastSignInAt       *time.Time
}

// Actor is the actor the user acts as.
func (u User) Actor() domain.Actor {
	return domain.Actor{Type: domain.ActorUser, ID: u.ID, Role: u.Role}
}

// Roles lists the staff roles.
var Roles = []string{RoleAnalyst, RoleMLRO, RoleAuditor, RoleAdmin}

// RequiresTOTP reports whether a role must use a second factor.
func RequiresTOTP(role string) bool { return role == RoleAdmin || role == RoleMLRO }

func userEmailAAD(id string) []byte { return []byte("user:" + id + ":email") }
func userTOTPAAD(id string) []byte  { return []byte("user:" + id + ":totp") }

func (s *Users) userOut(r store.UserRecord) (User, error) {
	email, err := s.d.Crypt.Open(r.Email, userEmailAAD(r.ID))
	if err != nil {
		return User{}, fmt.Errorf("decrypt user %s: %w", r.ID, err)
	}
	return User{
		ID: r.ID, Email: string(email), Role: r.Role, MustChangePassword: r.MustChangePassword,
		TOTPEnrolled: r.TOTPEnrolled, Disabled: r.Disabled, LockedUntil: r.LockedUntil,
		CreatedAt: r.CreatedAt, LastSignInAt: r.LastSignInAt,
	}, nil
}

// CreateUserInput is a new staff user. An empty Password generates a
// one-time password that must be changed at the first sign-in.
type CreateUserInput struct {
	Email    string
	Role     string
	Password string
}

// NewUser is a created user with its one-time password ("" when the
// password was given).
type NewUser struct {
	User            User
	OneTimePassword string
}

func validatePassword(v *domain.Validation, field, pw string) {
	switch n := utf8.RuneCountInString(pw); {
	case n < 12:
		v.Add(field, "Use at least 12 characters.")
	case n > 256:
		v.Add(field, "Use at most 256 characters.")
	}
}

// Create adds a staff user (admin users and the operator).
func (s *Users) Create(ctx context.Context, actor domain.Actor, in CreateUserInput) (NewUser, error) {
	if err := Authorize(actor, PermUsersWrite); err != nil {
		return NewUser{}, err
	}
	in.Email = strings.TrimSpace(in.Email)
	in.Role = strings.TrimSpace(in.Role)
	var v domain.Validation
	if !domain.ValidEmail(in.Email) {
		v.Add("email", "Enter an e-mail address like name@example.com.")
	}
	if !contains(Roles, in.Role) {
		v.Add("role", "Choose analyst, mlro, auditor or admin.")
	}
	oneTime := ""
	if in.Password == "" {
		oneTime = auth.GeneratePassword()
		in.Password = oneTime
	} else {
		validatePassword(&v, "password", in.Password)
	}
	if err := v.Err(); err != nil {
		return NewUser{}, err
	}
	hash, err := auth.HashPassword(in.Password)
	if err != nil {
		return NewUser{}, err
	}
	now := s.d.now()
	rec := store.UserRecord{
		ID: domain.NewID("usr", now), EmailIndex: s.d.Crypt.BlindIndex("email", in.Email), Role: in.Role,
		PasswordHash: hash, MustChangePassword: oneTime != "", CreatedAt: now, UpdatedAt: now,
	}
	if rec.Email, err = s.d.Crypt.Seal([]byte(in.Email), userEmailAAD(rec.ID)); err != nil {
		return NewUser{}, err
	}
	err = s.d.Store.InTx(ctx, func(tx store.Tx) error {
		if err := tx.Users().Create(ctx, rec); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return &domain.Error{Code: domain.ECodeConflict, Message: "A user with this e-mail address exists.",
					Fields: []domain.FieldError{{Location: "email", Message: "A user with this e-mail address exists."}}}
			}
			return err
		}
		return s.audit.record(ctx, tx, auditEntry{Actor: actor, Action: "user.created", EntityType: "user", EntityID: rec.ID,
			Meta: map[string]string{"role": rec.Role, "one_time_password": fmt.Sprint(oneTime != "")}})
	})
	if err != nil {
		return NewUser{}, err
	}
	u, err := s.userOut(rec)
	return NewUser{User: u, OneTimePassword: oneTime}, err
}

// List returns every staff user (admin).
func (s *Users) List(ctx context.Context, actor domain.Actor) ([]User, error) {
	if err := Authorize(actor, PermUsersWrite); err != nil {
		return nil, err
	}
	recs, err := s.d.Store.Users().List(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]User, 0, len(recs))
	for _, r := range recs {
		u, err := s.userOut(r)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// Directory maps actor strings ("user:usr_…") to e-mail addresses so that
// staff pages can say who did what; staff users only.
func (s *Users) Directory(ctx context.Context, actor domain.Actor) (map[string]string, error) {
	if actor.Type != domain.ActorUser {
		return nil, domain.Errorf(domain.ECodeForbidden, "Not allowed.")
	}
	recs, err := s.d.Store.Users().List(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(recs))
	for _, r := range recs {
		u, err := s.userOut(r)
		if err != nil {
			return nil, err
		}
		out[u.Actor().String()] = u.Email
	}
	return out, nil
}

// SetDisabled disables or re-enables a user (admin). Disabling ends every
// session of the user at once.
func (s *Users) SetDisabled(ctx context.Context, actor domain.Actor, id string, disabled bool) error {
	if err := Authorize(actor, PermUsersWrite); err != nil {
		return err
	}
	if disabled && actor.Type == domain.ActorUser && actor.ID == id {
		return domain.Errorf(domain.ECodeConflict, "You cannot disable your own account.")
	}
	return s.d.Store.InTx(ctx, func(tx store.Tx) error {
		rec, err := tx.Users().Get(ctx, id)
		if err != nil {
			return notFound(err, "User")
		}
		rec.Disabled, rec.UpdatedAt = disabled, s.d.now()
		if !disabled {
			rec.FailedAttempts, rec.LockedUntil = 0, nil
		}
		if err := tx.Users().Update(ctx, rec); err != nil {
			return err
		}
		ended := int64(0)
		if disabled {
			if ended, err = tx.Sessions().DeleteForUser(ctx, id); err != nil {
				return err
			}
		}
		action := "user.enabled"
		if disabled {
			action = "user.disabled"
		}
		return s.audit.record(ctx, tx, auditEntry{Actor: actor, Action: action, EntityType: "user", EntityID: id,
			Meta: map[string]string{"sessions_ended": fmt.Sprint(ended)}})
	})
}

// ResetPassword gives a user a new one-time password (admin) and ends the
// user's sessions.
func (s *Users) ResetPassword(ctx context.Context, actor domain.Actor, id string) (string, error) {
	if err := Authorize(actor, PermUsersWrite); err != nil {
		return "", err
	}
	pw := auth.GeneratePassword()
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return "", err
	}
	err = s.d.Store.InTx(ctx, func(tx store.Tx) error {
		rec, err := tx.Users().Get(ctx, id)
		if err != nil {
			return notFound(err, "User")
		}
		rec.PasswordHash, rec.MustChangePassword, rec.FailedAttempts, rec.LockedUntil, rec.UpdatedAt = hash, true, 0, nil, s.d.now()
		if err := tx.Users().Update(ctx, rec); err != nil {
			return err
		}
		if _, err := tx.Sessions().DeleteForUser(ctx, id); err != nil {
			return err
		}
		return s.audit.record(ctx, tx, auditEntry{Actor: actor, Action: "user.password_reset", EntityType: "user", EntityID: id})
	})
	return pw, err
}

// Session is a staff session. Token is set only when a new session token
// was issued (at sign-in and at every stage change: the token rotates).
type Session struct {
	Token     string
	Stage     string
	User      User
	ExpiresAt time.Time
}

// Actor is the actor of the session's user.
func (s Session) Actor() domain.Actor { return s.User.Actor() }

// Sign-in errors: deliberately the same for an unknown address, a wrong
// password and a disabled account.
var (
	errSignIn  = domain.Errorf(domain.ECodeUnauthorized, "The e-mail address or password is not right.")
	errLocked  = domain.Errorf(domain.ECodeRateLimited, "Too many failed attempts: the account is locked for a while. Try again later or ask an administrator.")
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

// SignIn checks an e-mail address and password and starts a session at the
// next sign-in stage.
func (s *Users) SignIn(ctx context.Context, email, password string) (Session, error) {
	now := s.d.now()
	rec, err := s.d.Store.Users().GetByEmailIndex(ctx, s.d.Crypt.BlindIndex("email", strings.TrimSpace(email)))
	if errors.Is(err, store.ErrNotFound) {
		auth.BurnPasswordTime(password)
		return Session{}, s.recordFailure(ctx, webActor, "", "unknown_account", errSignIn)
	}
	if err != nil {
		return Session{}, err
	}
	actor := domain.Actor{Type: domain.ActorUser, ID: rec.ID, Role: rec.Role}
	if rec.Disabled {
		auth.BurnPasswordTime(password)
		return Session{}, s.recordFailure(ctx, actor, rec.ID, "disabled", errSignIn)
	}
	if rec.LockedUntil != nil && rec.LockedUntil.After(now) {
		auth.BurnPasswordTime(password)
		return Session{}, s.recordFailure(ctx, actor, rec.ID, "locked", errLocked)
	}
	ok, err := auth.VerifyPassword(rec.PasswordHash, password)
	if err != nil {
		return Session{}, err
	}
	if !ok {
		return Session{}, s.fail(ctx, rec, "password", errSignIn)
	}
	stage := StageFull
	switch {
	case rec.MustChangePassword:
		stage = StagePassword
	case rec.TOTPEnrolled:
		stage = StageTOTP
	case RequiresTOTP(rec.Role):
		stage = StageEnrol
	}
	var out Session
	err = s.d.Store.InTx(ctx, func(tx store.Tx) error {
		rec.FailedAttempts, rec.LockedUntil, rec.UpdatedAt = 0, nil, now
		if stage == StageFull {
			rec.LastSignInAt = &now
		}
		if err := tx.Users().Update(ctx, rec); err != nil {
			return err
		}
		out, err = s.startSession(ctx, tx, rec, stage, "password")
		return err
	})
	return out, err
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
	if err := tx.Sessions().Create(ctx, store.SessionRecord{IDHash: staffTokenHash(token), UserID: rec.ID, Stage: stage, CreatedAt: now, LastSeenAt: now, ExpiresAt: exp}); err != nil {
		return Session{}, err
	}
	u, err := s.userOut(rec)
	if err != nil {
		return Session{}, err
	}
	actor := u.Actor()
	action := "user.sign_in_step"
	if stage == StageFull {
		action = "user.signed_in"
	}
	if err := s.audit.record(ctx, tx, auditEntry{Actor: actor, Action: action, EntityType: "user", EntityID: rec.ID,
		Meta: map[string]string{"method": method, "stage": stage}}); err != nil {
		return Session{}, err
	}
	return Session{Token: token, Stage: stage, User: u, ExpiresAt: exp}, nil
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
		if err := s.audit.record(ctx, tx, auditEntry{Actor: actor, Action: "user.sign_in_failed", EntityType: "user", EntityID: rec.ID,
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
		return s.audit.record(ctx, tx, auditEntry{Actor: webActor, Action: "user.locked", EntityType: "user", EntityID: rec.ID,
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
		return s.audit.record(ctx, tx, auditEntry{Actor: actor, Action: "user.sign_in_failed", EntityType: "user", EntityID: userID,
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
	return Session{Stage: sess.Stage, User: u, ExpiresAt: sess.ExpiresAt}, nil
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
	_, rec, err := s.advance(ctx, token, StageTOTP)
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
		out, err = s.rotate(ctx, tx, token, rec, StageFull, "password+totp")
		return err
	})
	return out, err
}

// Enrolment is an authenticator app being set up: the otpauth:// URL (shown
// as a QR code) and its secret for typing in by hand.
type Enrolment struct {
	URL    string
	Secret string
}

// BeginEnrolment creates (or returns the pending) TOTP secret of the
// session's user; during sign-in (admin, mlro) or later from the account
// page.
func (s *Users) BeginEnrolment(ctx context.Context, token string) (Enrolment, error) {
	_, rec, err := s.advance(ctx, token, StageEnrol, StageFull)
	if err != nil {
		return Enrolment{}, err
	}
	if rec.TOTPEnrolled {
		return Enrolment{}, domain.Errorf(domain.ECodeConflict, "An authenticator app is already set up.")
	}
	u, err := s.userOut(rec)
	if err != nil {
		return Enrolment{}, err
	}
	if rec.TOTPSecret != nil {
		secret, err := s.d.Crypt.Open(rec.TOTPSecret, userTOTPAAD(rec.ID))
		if err != nil {
			return Enrolment{}, err
		}
		return Enrolment{URL: totpURL(s.Policy.Issuer, u.Email, string(secret)), Secret: string(secret)}, nil
	}
	secret, url, err := auth.NewTOTPSecret(s.Policy.Issuer, u.Email)
	if err != nil {
		return Enrolment{}, err
	}
	if rec.TOTPSecret, err = s.d.Crypt.Seal([]byte(secret), userTOTPAAD(rec.ID)); err != nil {
		return Enrolment{}, err
	}
	rec.UpdatedAt = s.d.now()
	if err := s.d.Store.Users().Update(ctx, rec); err != nil {
		return Enrolment{}, err
	}
	return Enrolment{URL: url, Secret: secret}, nil
}

func totpURL(issuer, account, secret string) string {
	return "otpauth://totp/" + url.PathEscape(issuer) + ":" + url.PathEscape(account) +
		"?algorithm=SHA1&digits=6&issuer=" + url.QueryEscape(issuer) + "&period=30&secret=" + secret
}

// ConfirmEnrolment checks the first code of a new authenticator app and
// turns the second factor on.
func (s *Users) ConfirmEnrolment(ctx context.Context, token, code string) (Session, error) {
	sess, rec, err := s.advance(ctx, token, StageEnrol, StageFull)
	if err != nil {
		return Session{}, err
	}
	if rec.TOTPEnrolled {
		return Session{}, domain.Errorf(domain.ECodeConflict, "An authenticator app is already set up.")
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
		rec.TOTPEnrolled, rec.FailedAttempts, rec.UpdatedAt = true, 0, s.d.now()
		if err := tx.Users().Update(ctx, rec); err != nil {
			return err
		}
		if err := s.audit.record(ctx, tx, auditEntry{Actor: sess.Actor(), Action: "user.totp_enrolled", EntityType: "user", EntityID: rec.ID}); err != nil {
			return err
		}
		out, err = s.rotate(ctx, tx, token, rec, StageFull, "password+totp")
		return err
	})
	return out, err
}

// ChangePasswordInput is a password change.
type ChangePasswordInput struct {
	Current string
	New     string
	Confirm string
}

// ChangePassword replaces the password (required after a one-time password)
// and ends the user's other sessions.
func (s *Users) ChangePassword(ctx context.Context, token string, in ChangePasswordInput) (Session, error) {
	sess, rec, err := s.advance(ctx, token, StagePassword, StageFull)
	if err != nil {
		return Session{}, err
	}
	var v domain.Validation
	if in.Current == "" {
		v.Add("current_password", "Enter your current password.")
	}
	validatePassword(&v, "new_password", in.New)
	if in.New != "" && in.New == in.Current {
		v.Add("new_password", "Choose a password different from the current one.")
	}
	if in.Confirm != in.New {
		v.Add("confirm_password", "Enter the same new password twice.")
	}
	if err := v.Err(); err != nil {
		return Session{}, err
	}
	ok, err := auth.VerifyPassword(rec.PasswordHash, in.Current)
	if err != nil {
		return Session{}, err
	}
	if !ok {
		if err := s.fail(ctx, rec, "password_change", nil); err != nil {
			return Session{}, err
		}
		return Session{}, &domain.Error{Code: domain.ECodeInvalid, Message: "The request has invalid fields.",
			Fields: []domain.FieldError{{Location: "current_password", Message: "The current password is not right."}}}
	}
	hash, err := auth.HashPassword(in.New)
	if err != nil {
		return Session{}, err
	}
	next := StageFull
	if sess.Stage == StagePassword {
		switch {
		case rec.TOTPEnrolled:
			next = StageTOTP
		case RequiresTOTP(rec.Role):
			next = StageEnrol
		}
	}
	var out Session
	err = s.d.Store.InTx(ctx, func(tx store.Tx) error {
		rec.PasswordHash, rec.MustChangePassword, rec.FailedAttempts, rec.UpdatedAt = hash, false, 0, s.d.now()
		if err := tx.Users().Update(ctx, rec); err != nil {
			return err
		}
		if _, err := tx.Sessions().DeleteForUser(ctx, rec.ID); err != nil {
			return err
		}
		if err := s.audit.record(ctx, tx, auditEntry{Actor: sess.Actor(), Action: "user.password_changed", EntityType: "user", EntityID: rec.ID}); err != nil {
			return err
		}
		out, err = s.startSession(ctx, tx, rec, next, "password_change")
		return err
	})
	return out, err
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
		return s.audit.record(ctx, tx, auditEntry{Actor: sess.Actor(), Action: "user.signed_out", EntityType: "user", EntityID: sess.User.ID})
	})
}

// PurgeSessions removes ended sessions (a periodic clean-up).
func (s *Users) PurgeSessions(ctx context.Context) (int64, error) {
	now := s.d.now()
	return s.d.Store.Sessions().DeleteExpired(ctx, now, now.Add(-s.Policy.SessionIdle))
}

// BootstrapEmail is the first administrator created on a database with no
// staff user at all.
const BootstrapEmail = "admin@kyc.localhost"

// Bootstrap creates a first administrator with a one-time password when no
// staff user exists yet (a fresh installation), so that the back office can
// be opened at all; the password must be changed and TOTP enrolled at first
// sign-in. It returns created=false when there already are users (or a
// replica starting at the same time created the first one).
func (s *Users) Bootstrap(ctx context.Context) (NewUser, bool, error) {
	users, err := s.d.Store.Users().List(ctx)
	if err != nil || len(users) > 0 {
		return NewUser{}, false, err
	}
	nu, err := s.Create(ctx, domain.SystemActor("bootstrap"), CreateUserInput{Email: BootstrapEmail, Role: RoleAdmin})
	if domain.ErrCode(err) == domain.ECodeConflict {
		return NewUser{}, false, nil
	}
	return nu, err == nil, err
}
