package cli

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/config"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/routes"
)

// TestAccessLinkURLOpensTheHostedPage checks what the composition root
// wires since app knows no routes: the API builds an access link from the
// configured public base URL (KYC_BASE_URL) and the path the hosted
// applicant pages serve, and that path, on this server, opens the session.
func TestAccessLinkURLOpensTheHostedPage(t *testing.T) {
	ctx := context.Background()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.LogLevel = "error"
	cfg.Addr = "127.0.0.1:0"
	cfg.BaseURL = "https://kyc.example/"
	sys, err := buildSystem(ctx, cfg, io.Discard, true, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer sys.Close()
	if err := sys.keys.EnsureKey(ctx); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(nil)
	defer srv.Close()
	h, err := newHandler(sys, srv.URL, true)
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = h
	cl, err := sys.app.Clients.Create(ctx, domain.SystemActor("test"), "test", "customers:read customers:write")
	if err != nil {
		t.Fatal(err)
	}
	token := clientToken(t, srv.URL, cl.ClientID, cl.ClientSecret)
	call := func(path, body string, out any) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusCreated || json.Unmarshal(b, out) != nil {
			t.Fatalf("POST %s: %d %s", path, resp.StatusCode, b)
		}
	}
	var c struct{ ID string }
	call("/api/v1/customers", `{"type":"individual","given_names":"Anna","family_name":"Eriksson"}`, &c)
	var l struct{ URL string }
	call("/api/v1/customers/"+c.ID+"/access-links", "", &l)
	tok, ok := strings.CutPrefix(l.URL, "https://kyc.example"+routes.AccessLink)
	if !ok || len(tok) != 43 {
		t.Fatalf("url %q is not the base URL, the access-link path and a 256-bit token", l.URL)
	}
	u, _ := url.Parse(l.URL)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(srv.URL + u.Path)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) == 0 {
		t.Fatalf("opening the link: %d, cookies %v; want a redirect that starts a session", resp.StatusCode, resp.Cookies())
	}
}

// clientToken gets an API token with the client-credentials grant.
func clientToken(t *testing.T, base, id, secret string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}}
	req, _ := http.NewRequest(http.MethodPost, base+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.AccessToken == "" {
		t.Fatalf("token: %d %v", resp.StatusCode, err)
	}
	return out.AccessToken
}
