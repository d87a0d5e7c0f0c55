package app_test

import (
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

func (h *harness) advance(d time.Duration) {
	h.clock.mu.Lock()
	h.clock.t = h.clock.t.Add(d)
	h.clock.mu.Unlock()
}

func (h *harness) totp(secret string) string {
	h.clock.mu.Lock()
	t := h.clock.t
	h.clock.mu.Unlock()
	code, err := auth.TOTPCode(secret, t)
	if err != nil {
		h.t.Fatal(err)
	}
	return code
}

func TestStaffSignIn(t *testing.T) {
	engines(t, func(t *testing.T, h *harness) {
		ctx := h.ctx
		nu, err := h.app.Users.Create(ctx, operatorA, app.CreateUserInput{Email: "Ana@Example.com", Role: "analyst"})
		if err != nil || nu.OneTimePassword == "" || !nu.User.MustChangePassword {
			t.Fatalf("create: %+v %v", nu, err)
		}
		_, err = h.app.Users.Create(ctx, operatorA, app.CreateUserInput{Email: "ana@example.com", Role: "analyst"})
		wantCode(t, err, domain.ECodeConflict)
		_, err = h.app.Users.Create(ctx, operatorA, app.CreateUserInput{Email: "x", Role: "boss", Password: "short"})
		wantCode(t, err, domain.ECodeInvalid)
		analyst := nu.User.Actor()
		_, err = h.app.Users.Create(ctx, analyst, app.CreateUserInput{Email: "b@example.com", Role: "admin"})
		wantCode(t, err, domain.ECodeForbidden)

		// One-time password: must be changed first.
		s, err := h.app.Users.SignIn(ctx, "ana@example.com ", nu.OneTimePassword)
		if err != nil || s.Stage != app.StagePassword || s.Token == "" {
			t.Fatalf("sign in: %+v %v", s, err)
		}
		_, err = h.app.Users.ChangePassword(ctx, s.Token, app.ChangePasswordInput{Current: nu.OneTimePassword, New: "short", Confirm: "other"})
		wantCode(t, err, domain.ECodeInvalid)
		s2, err := h.app.Users.ChangePassword(ctx, s.Token, app.ChangePasswordInput{Current: nu.OneTimePassword, New: "a long new password", Confirm: "a long new password"})
		if err != nil || s2.Stage != app.StageFull || s2.Token == s.Token {
			t.Fatalf("change: %+v %v", s2, err)
		}
		if _, err := h.app.Users.Session(ctx, s.Token); err == nil {
			t.Fatal("old token still valid after rotation")
		}
		// Idle timeout.
		h.advance(31 * time.Minute)
		_, err = h.app.Users.Session(ctx, s2.Token)
		wantCode(t, err, domain.ECodeUnauthorized)

		// Optional TOTP enrolment for an analyst, then sign in with a code.
		s3, err := h.app.Users.SignIn(ctx, "ana@example.com", "a long new password")
		if err != nil || s3.Stage != app.StageFull {
			t.Fatalf("sign in: %+v %v", s3, err)
		}
		enr, err := h.app.Users.BeginEnrolment(ctx, s3.Token)
		if err != nil || enr.Secret == "" {
			t.Fatal(err)
		}
		_, err = h.app.Users.ConfirmEnrolment(ctx, s3.Token, "000000")
		wantCode(t, err, domain.ECodeUnauthorized)
		if _, err = h.app.Users.ConfirmEnrolment(ctx, s3.Token, h.totp(enr.Secret)); err != nil {
			t.Fatal(err)
		}
		h.advance(31 * time.Second)
		s4, err := h.app.Users.SignIn(ctx, "ana@example.com", "a long new password")
		if err != nil || s4.Stage != app.StageTOTP {
			t.Fatalf("sign in with totp: %+v %v", s4, err)
		}
		code := h.totp(enr.Secret)
		s5, err := h.app.Users.VerifyTOTP(ctx, s4.Token, code)
		if err != nil || s5.Stage != app.StageFull {
			t.Fatalf("verify: %+v %v", s5, err)
		}
		// The same code cannot be used twice.
		s6, _ := h.app.Users.SignIn(ctx, "ana@example.com", "a long new password")
		_, err = h.app.Users.VerifyTOTP(ctx, s6.Token, code)
		wantCode(t, err, domain.ECodeUnauthorized)

		// Lock-out after five failures in a row (the replayed code was the
		// first), even with the right password then.
		for range 3 {
			_, err = h.app.Users.SignIn(ctx, "ana@example.com", "wrong password!")
			wantCode(t, err, domain.ECodeUnauthorized)
		}
		_, err = h.app.Users.SignIn(ctx, "ana@example.com", "wrong password!")
		wantCode(t, err, domain.ECodeRateLimited)
		_, err = h.app.Users.SignIn(ctx, "ana@example.com", "a long new password")
		wantCode(t, err, domain.ECodeRateLimited)
		if _, err := h.app.Users.Session(ctx, s5.Token); err == nil {
			t.Fatal("session survived the lock-out")
		}
		h.advance(16 * time.Minute)
		s7, err := h.app.Users.SignIn(ctx, "ana@example.com", "a long new password")
		if err != nil || s7.Stage != app.StageTOTP {
			t.Fatalf("after lock: %+v %v", s7, err)
		}
		_, err = h.app.Users.SignIn(ctx, "nobody@example.com", "whatever")
		wantCode(t, err, domain.ECodeUnauthorized)

		// An admin must enrol; disabling a user ends its sessions.
		adm, err := h.app.Users.Create(ctx, operatorA, app.CreateUserInput{Email: "root@example.com", Role: "admin", Password: "admin password 1"})
		if err != nil {
			t.Fatal(err)
		}
		as, _ := h.app.Users.SignIn(ctx, "root@example.com", "admin password 1")
		if as.Stage != app.StageEnrol {
			t.Fatalf("admin stage %s", as.Stage)
		}
		ae, _ := h.app.Users.BeginEnrolment(ctx, as.Token)
		af, err := h.app.Users.ConfirmEnrolment(ctx, as.Token, h.totp(ae.Secret))
		if err != nil || af.Stage != app.StageFull {
			t.Fatalf("admin enrol: %v", err)
		}
		users, err := h.app.Users.List(ctx, adm.User.Actor())
		if err != nil || len(users) != 2 || users[0].Email != "Ana@Example.com" {
			t.Fatalf("list: %+v %v", users, err)
		}
		_, err = h.app.Users.List(ctx, analyst)
		wantCode(t, err, domain.ECodeForbidden)
		wantCode(t, h.app.Users.SetDisabled(ctx, adm.User.Actor(), adm.User.ID, true), domain.ECodeConflict)
		if err := h.app.Users.SetDisabled(ctx, adm.User.Actor(), nu.User.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := h.app.Users.Session(ctx, s7.Token); err == nil {
			t.Fatal("session of a disabled user survived")
		}
		_, err = h.app.Users.SignIn(ctx, "ana@example.com", "a long new password")
		wantCode(t, err, domain.ECodeUnauthorized)

		evs, err := h.app.Audit.ListEvents(ctx, operatorA, store.AuditFilter{EntityType: "user", Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, e := range evs {
			seen[e.Action]++
		}
		for _, a := range []string{"user.created", "user.signed_in", "user.sign_in_failed", "user.locked", "user.totp_enrolled", "user.password_changed", "user.disabled"} {
			if seen[a] == 0 {
				t.Errorf("no %s event: %v", a, seen)
			}
		}
		if res, err := h.app.Audit.Verify(ctx, operatorA); err != nil || !res.OK {
			t.Fatalf("chain: %+v %v", res, err)
		}
	})
}

func TestBootstrapAdministrator(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, h *harness) {
		nu, created, err := h.app.Users.Bootstrap(h.ctx)
		if err != nil || !created || nu.OneTimePassword == "" || nu.User.Role != app.RoleAdmin {
			t.Fatalf("first bootstrap: %+v %v %v", nu, created, err)
		}
		s, err := h.app.Users.SignIn(h.ctx, app.BootstrapEmail, nu.OneTimePassword)
		if err != nil || s.Stage == "" {
			t.Fatalf("sign in with the one-time password: %+v %v", s, err)
		}
		if _, created, err := h.app.Users.Bootstrap(h.ctx); err != nil || created {
			t.Fatalf("second bootstrap created a user (%v)", err)
		}
	})
}
