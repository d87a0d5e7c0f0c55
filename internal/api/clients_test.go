package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store"
)

// Issue 12, item 8: a client disabled, deleted or given a new secret gets
// no tokens with what it had, and the tokens it holds are refused from the
// very next request (problem+json 401), on both engines.
func TestClientLifecycleRefusesTokens(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		nc, err := e.App.Clients.CreateInTenant(e.Ctx, kyctest.Operator, "acme", "core banking", "customers:read")
		if err != nil {
			t.Fatal(err)
		}
		tok := e.token(nc.ClientID, nc.ClientSecret)
		want(t, e.get("/api/v1/customers", tok), http.StatusOK, nil)

		refused := func(what, tok string) {
			t.Helper()
			r := e.get("/api/v1/customers", tok)
			if r.Status != http.StatusUnauthorized || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
				t.Fatalf("%s: %d %s %s", what, r.Status, r.Header.Get("Content-Type"), short(r.Body))
			}
		}
		tokenStatus := func(secret string) int {
			t.Helper()
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/oauth/token", strings.NewReader(url.Values{"grant_type": {"client_credentials"}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth(url.QueryEscape(nc.ClientID), url.QueryEscape(secret))
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}

		// Disabled: the token in hand is refused at once, and no new one.
		if _, err := e.App.Clients.SetDisabled(e.Ctx, kyctest.Operator, nc.ClientID, true); err != nil {
			t.Fatal(err)
		}
		refused("disabled client's token", tok)
		if s := tokenStatus(nc.ClientSecret); s != http.StatusUnauthorized {
			t.Fatalf("disabled client got a token: %d", s)
		}
		if _, err := e.App.Clients.SetDisabled(e.Ctx, kyctest.Operator, nc.ClientID, false); err != nil {
			t.Fatal(err)
		}
		want(t, e.get("/api/v1/customers", tok), http.StatusOK, nil)

		// New secret: the old secret and its token stop working, the new
		// secret's token works.
		rot, err := e.App.Clients.RotateSecret(e.Ctx, kyctest.Operator, nc.ClientID)
		if err != nil || rot.ClientSecret == "" || rot.ClientSecret == nc.ClientSecret {
			t.Fatalf("rotate: %+v %v", rot, err)
		}
		refused("token obtained with the replaced secret", tok)
		if s := tokenStatus(nc.ClientSecret); s != http.StatusUnauthorized {
			t.Fatalf("the replaced secret got a token: %d", s)
		}
		fresh := e.token(nc.ClientID, rot.ClientSecret)
		want(t, e.get("/api/v1/customers", fresh), http.StatusOK, nil)
		cs, err := e.App.Clients.List(e.Ctx, kyctest.Operator)
		if err != nil || len(cs) != 1 || cs[0].LastUsedAt == nil || cs[0].SecretRotatedAt == nil {
			t.Fatalf("list after use: %+v %v", cs, err)
		}

		// Deleted: gone from the list, its token refused, no new token.
		if err := e.App.Clients.Delete(e.Ctx, kyctest.Operator, nc.ClientID); err != nil {
			t.Fatal(err)
		}
		refused("deleted client's token", fresh)
		if s := tokenStatus(rot.ClientSecret); s != http.StatusUnauthorized {
			t.Fatalf("deleted client got a token: %d", s)
		}
		if cs, err := e.App.Clients.List(e.Ctx, kyctest.Operator); err != nil || len(cs) != 0 {
			t.Fatalf("deleted client still listed: %+v %v", cs, err)
		}
		// Every change is in the audit trail.
		e.SealAudit()
		evs, err := e.Store.Audit().List(e.Ctx, store.AuditFilter{EntityID: nc.ClientID})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, ev := range evs {
			actions = append(actions, string(ev.Action))
		}
		got := strings.Join(actions, " ")
		for _, a := range []string{"client.created", "client.disabled", "client.enabled", "client.secret_rotated", "client.deleted"} {
			if !strings.Contains(got, a) {
				t.Errorf("audit trail %q lacks %s", got, a)
			}
		}
	})
}
