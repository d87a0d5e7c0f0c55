package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// This file holds the administration of staff users: creating, listing,
// disabling them, resetting passwords, and the first administrator of a new
// installation. Signing in is in signin.go; enrolling an authenticator app
// and the first password change are in enrolment.go.

// PermUsersWrite lets an admin manage staff users (no API scope grants it).
const PermUsersWrite Permission = "users:write"

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
	// SSO: a provider account is linked to the user, who signs in by
	// single sign-on (OpenID Connect). Set by List only.
	SSO bool
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

// validatePassword checks a new staff password: 12 to 256 characters and
// not a common, breached, repetitive, sequential or context-specific one
// (auth.WeakPassword; OWASP ASVS 5.0 6.2.12, NIST SP 800-63B 3.1.1.2). The
// user's e-mail address gives the context words: its local part and its
// domain's first label.
func validatePassword(v *domain.Validation, field, pw, email string) {
	switch n := utf8.RuneCountInString(pw); {
	case n < 12:
		v.Add(field, "Use at least 12 characters.")
		return
	case n > 256:
		v.Add(field, "Use at most 256 characters.")
		return
	}
	local, domainPart, _ := strings.Cut(strings.ToLower(email), "@")
	label, _, _ := strings.Cut(domainPart, ".")
	if why := auth.WeakPassword(pw, local, label, "kyc-platform"); why != "" {
		v.Add(field, why)
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
		validatePassword(&v, "password", in.Password, in.Email)
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
		return s.audit.record(ctx, tx, auditEntry{Actor: actor, Action: domain.EventUserCreated, EntityID: rec.ID,
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
	sso, err := s.d.Store.UserIdentities().LinkedUsers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]User, 0, len(recs))
	for _, r := range recs {
		u, err := s.userOut(r)
		if err != nil {
			return nil, err
		}
		u.SSO = sso[u.ID]
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
		action := domain.EventUserEnabled
		if disabled {
			action = domain.EventUserDisabled
		}
		return s.audit.record(ctx, tx, auditEntry{Actor: actor, Action: action, EntityID: id,
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
		return s.audit.record(ctx, tx, auditEntry{Actor: actor, Action: domain.EventUserPasswordReset, EntityID: id})
	})
	return pw, err
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
