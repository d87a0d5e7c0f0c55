package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/routes"
	"github.com/kyc-platform/kyc/internal/store"
)

type accessLinkBody struct {
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expires_at"`
}

func TestAccessLinks(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("customers:read customers:write")
		c := e.create(tok, individual())

		var l accessLinkBody
		r := e.post("/api/v1/customers/"+c.ID+"/access-links", tok, nil)
		want(t, r, http.StatusCreated, &l)
		u, err := url.Parse(l.URL)
		if err != nil || !u.IsAbs() || !strings.HasPrefix(u.Path, routes.AccessLink) || u.RawQuery != "" || u.Fragment != "" {
			t.Fatalf("url %q is not an absolute link to the onboarding pages", l.URL)
		}
		token := strings.TrimPrefix(u.Path, routes.AccessLink)
		if len(token) < 22 { // ≥ 128 bits in base64url
			t.Fatalf("token %q too short", token)
		}
		if d := time.Until(l.ExpiresAt); d < 25*time.Minute || d > 31*time.Minute {
			t.Fatalf("expires_at %s is not about 30 minutes away", l.ExpiresAt)
		}
		// Only the hash is stored.
		if _, err := e.Store.AccessLinks().GetByHash(e.Ctx, token); err != store.ErrNotFound {
			t.Fatalf("the token itself is stored: %v", err)
		}
		// A second link gives a different token.
		var l2 accessLinkBody
		want(t, e.post("/api/v1/customers/"+c.ID+"/access-links", tok, nil), http.StatusCreated, &l2)
		if l2.URL == l.URL {
			t.Fatal("two links share a token")
		}
		// The link opens a session for this customer, once.
		sess, err := e.App.AccessLinks.Open(e.Ctx, token)
		if err != nil || sess.CustomerID != c.ID {
			t.Fatalf("open: %+v %v", sess, err)
		}
		if _, err := e.App.AccessLinks.Open(e.Ctx, token); domain.ErrCode(err) != domain.ECodeNotFound {
			t.Fatalf("second open: %v", err)
		}
		// Creation and use are audited, without the token.
		var ev struct {
			Data []struct {
				Action string `json:"action"`
			} `json:"data"`
		}
		_, audTok := e.client("audit:read")
		e.SealAudit()
		want(t, e.get("/api/v1/audit-events?entity_type=customer&entity_id="+c.ID, audTok), http.StatusOK, &ev)
		actions := map[string]int{}
		for _, x := range ev.Data {
			actions[x.Action]++
		}
		if actions["access_link.created"] != 2 || actions["access_link.used"] != 1 {
			t.Fatalf("audit actions %v", actions)
		}
		if strings.Contains(e.logs.String(), token) {
			t.Fatal("the token is in the logs")
		}
	})
}

func TestAccessLinksRefused(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("customers:read customers:write")
		_, readTok := e.client("customers:read")
		_, otherTok := e.clientIn("globex", "customers:read customers:write")
		c := e.create(tok, individual())

		wantProblem(t, e.post("/api/v1/customers/"+c.ID+"/access-links", readTok, nil), http.StatusForbidden)
		wantProblem(t, e.post("/api/v1/customers/"+c.ID+"/access-links", otherTok, nil), http.StatusNotFound)
		wantProblem(t, e.post("/api/v1/customers/cus_unknown/access-links", tok, nil), http.StatusNotFound)
		wantProblem(t, e.post("/api/v1/customers/"+c.ID+"/access-links", "", nil), http.StatusUnauthorized)

		// Once submitted, the customer is no longer editable: 409.
		e.submitAndRun(tok, c.ID)
		wantProblem(t, e.post("/api/v1/customers/"+c.ID+"/access-links", tok, nil), http.StatusConflict)
	})
}
