package app_test

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

func linkToken(t *testing.T, l app.AccessLink) string {
	t.Helper()
	if len(l.Token) != 43 { // 256 bits in base64url
		t.Fatalf("token %q is not 256 bits", l.Token)
	}
	return l.Token
}

func TestAccessLinkLifecycle(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		a := kyctest.Customer(t, h, nil)
		b := kyctest.Customer(t, h, nil)
		l, err := h.App.AccessLinks.Create(h.Ctx, kyctest.Client, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		tok := linkToken(t, l)
		// Another tenant cannot create a link; an applicant cannot either.
		if _, err := h.App.AccessLinks.Create(h.Ctx, kyctest.Outsider, a.ID); domain.ErrCode(err) != domain.ECodeNotFound {
			t.Fatalf("other tenant: %v", err)
		}
		appl := domain.Actor{Type: domain.ActorApplicant, ID: a.ID}
		if _, err := h.App.AccessLinks.Create(h.Ctx, appl, a.ID); domain.ErrCode(err) != domain.ECodeForbidden {
			t.Fatalf("applicant: %v", err)
		}
		s, err := h.App.AccessLinks.Open(h.Ctx, tok)
		if err != nil || s.CustomerID != a.ID || len(s.Token) < 22 {
			t.Fatalf("open: %+v %v", s, err)
		}
		if _, err := h.App.AccessLinks.Open(h.Ctx, tok); domain.ErrCode(err) != domain.ECodeNotFound {
			t.Fatalf("second open: %v", err)
		}
		got, err := h.App.AccessLinks.Session(h.Ctx, s.Token)
		if err != nil || got.CustomerID != a.ID {
			t.Fatalf("session: %+v %v", got, err)
		}
		// The session's actor sees its own customer and not another.
		if _, err := h.App.Customers.Get(h.Ctx, got.Actor(), a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := h.App.Customers.Get(h.Ctx, got.Actor(), b.ID); domain.ErrCode(err) != domain.ECodeNotFound {
			t.Fatalf("other customer: %v", err)
		}
		// Idle timeout.
		h.Advance(31 * time.Minute)
		if _, err := h.App.AccessLinks.Session(h.Ctx, s.Token); domain.ErrCode(err) != domain.ECodeUnauthorized {
			t.Fatalf("idle session: %v", err)
		}
		// An expired link cannot be opened.
		l2, err := h.App.AccessLinks.Create(h.Ctx, kyctest.Client, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		h.Advance(31 * time.Minute)
		if _, err := h.App.AccessLinks.Open(h.Ctx, l2.Token); domain.ErrCode(err) != domain.ECodeNotFound {
			t.Fatalf("expired link: %v", err)
		}
		if _, err := h.App.AccessLinks.Open(h.Ctx, "not-a-token"); domain.ErrCode(err) != domain.ECodeNotFound {
			t.Fatalf("malformed token: %v", err)
		}
	})
}

func TestApplicantSessionAbsoluteTimeoutAndEnd(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		s, err := h.App.AccessLinks.StartSelfService(h.Ctx, domain.CustomerIndividual)
		if err != nil {
			t.Fatal(err)
		}
		c, err := h.App.Customers.Get(h.Ctx, s.Actor(), s.CustomerID)
		if err != nil || c.Tenant != domain.DefaultTenant || c.Status != domain.StatusDraft {
			t.Fatalf("self-service customer %+v %v", c, err)
		}
		// Activity every 20 minutes keeps it alive until the absolute end (8h).
		for range 23 {
			h.Advance(20 * time.Minute)
			if _, err := h.App.AccessLinks.Session(h.Ctx, s.Token); err != nil {
				t.Fatalf("active session ended early: %v", err)
			}
		}
		h.Advance(21 * time.Minute)
		if _, err := h.App.AccessLinks.Session(h.Ctx, s.Token); domain.ErrCode(err) != domain.ECodeUnauthorized {
			t.Fatalf("session past its absolute end: %v", err)
		}
		s2, err := h.App.AccessLinks.StartSelfService(h.Ctx, domain.CustomerBusiness)
		if err != nil {
			t.Fatal(err)
		}
		if err := h.App.AccessLinks.End(h.Ctx, s2.Token); err != nil {
			t.Fatal(err)
		}
		if _, err := h.App.AccessLinks.Session(h.Ctx, s2.Token); domain.ErrCode(err) != domain.ECodeUnauthorized {
			t.Fatalf("ended session: %v", err)
		}
		if _, err := h.App.AccessLinks.StartSelfService(h.Ctx, "robot"); domain.ErrCode(err) != domain.ECodeInvalid {
			t.Fatalf("bad type: %v", err)
		}
	})
}

func TestApplicantSessionsArePurged(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		old, err := h.App.AccessLinks.StartSelfService(h.Ctx, domain.CustomerIndividual)
		if err != nil {
			t.Fatal(err)
		}
		h.Advance(7 * time.Hour)
		fresh, err := h.App.AccessLinks.StartSelfService(h.Ctx, domain.CustomerIndividual)
		if err != nil {
			t.Fatal(err)
		}
		h.Advance(90 * time.Minute) // past the first session's 8 h absolute end only
		n, err := h.App.AccessLinks.PurgeSessions(h.Ctx)
		if err != nil || n != 1 {
			t.Fatalf("purged %d sessions (%v), want 1", n, err)
		}
		if _, err := h.App.AccessLinks.Session(h.Ctx, old.Token); domain.ErrCode(err) != domain.ECodeUnauthorized {
			t.Fatalf("purged session still works: %v", err)
		}
		sum := sha256.Sum256([]byte(fresh.Token))
		if _, err := h.Store.AccessLinks().GetSession(h.Ctx, hex.EncodeToString(sum[:])); err != nil {
			t.Fatalf("the fresh session was purged: %v", err)
		}
	})
}
