package app

import (
	"context"
	"net/url"

	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// This file holds the sign-in steps that set an account up: enrolling an
// authenticator app (TOTP) and changing the password (required after a
// one-time password).

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
		if err := s.audit.record(ctx, tx, auditEntry{Actor: sess.Actor(), Action: domain.EventUserTOTPEnrolled, EntityID: rec.ID}); err != nil {
			return err
		}
		out, err = s.rotate(ctx, tx, token, rec, StageFull, withTOTP(sess.Method))
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
	if rec.PasswordHash == "" {
		// Provisioned by single sign-on: the password is the provider's.
		return Session{}, domain.Errorf(domain.ECodeConflict, "This account signs in with single sign-on and has no kyc password to change; change it at your identity provider.")
	}
	var v domain.Validation
	if in.Current == "" {
		v.Add("current_password", "Enter your current password.")
	}
	validatePassword(&v, "new_password", in.New, sess.User.Email)
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
	rec.PasswordHash, rec.MustChangePassword, rec.FailedAttempts, rec.UpdatedAt = hash, false, 0, s.d.now()
	next := StageFull
	if sess.Stage == StagePassword {
		next = signInStage(rec) // the sign-in goes on to the second factor
	}
	var out Session
	err = s.d.Store.InTx(ctx, func(tx store.Tx) error {
		if err := tx.Users().Update(ctx, rec); err != nil {
			return err
		}
		if _, err := tx.Sessions().DeleteForUser(ctx, rec.ID); err != nil {
			return err
		}
		if err := s.audit.record(ctx, tx, auditEntry{Actor: sess.Actor(), Action: domain.EventUserPasswordChanged, EntityID: rec.ID}); err != nil {
			return err
		}
		out, err = s.startSession(ctx, tx, rec, next, "password_change")
		return err
	})
	return out, err
}
