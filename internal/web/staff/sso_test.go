package staff_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/web/webtest"
)

// ssoSite is a running back office with single sign-on against an
// in-process OpenID provider (mockoidc, which signs the queued user in at
// once), or against an address where nothing answers when idp is nil.
type ssoSite struct {
	*env
	idp *mockoidc.MockOIDC
}

func ssoSetup(t *testing.T, engine string, idpUp bool) *ssoSite {
	t.Helper()
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	s := &ssoSite{}
	issuer, clientID, secret := "", "kyc", "secret"
	if idpUp {
		m, err := mockoidc.Run()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = m.Shutdown() })
		s.idp, issuer, clientID, secret = m, m.Issuer(), m.ClientID, m.ClientSecret
	} else {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		issuer = "http://" + ln.Addr().String()
		ln.Close()
	}
	rp, err := auth.NewOIDC(auth.OIDCConfig{Issuer: issuer, ClientID: clientID, ClientSecret: secret,
		RedirectURL: srv.URL + "/staff/sso/callback", Scopes: []string{"email", "groups"}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	b := kyctest.New(t, kyctest.WithEngine(engine), kyctest.WithSSO(app.SSOConfig{
		Provider: rp, LocalSignIn: app.LocalSignInAdmins,
		RoleMap: []app.RoleMapping{{Value: "kyc-mlro", Role: "mlro"}, {Value: "kyc-analyst", Role: "analyst"}},
	}))
	s.env = &env{Bundle: b, t: t, Srv: srv, Users: map[string]kyctest.StaffCred{}}
	for _, role := range []string{"admin", "analyst"} {
		s.Users[role] = kyctest.StaffUser(t, b, &kyctest.StaffUserOpts{Role: role, Email: role + "@bank.example", Password: "correct horse battery staple", Enrol: role == "admin"})
	}
	if h, err = staffHandler(b.App, b.Clock); err != nil {
		t.Fatal(err)
	}
	return s
}

func cookieOf(r resp, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// atIdP follows the redirect to the provider and returns where it sends
// the browser back.
func atIdP(t *testing.T, b *browser, location string) *url.URL {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, location, nil)
	r := b.do(req)
	if r.Status != http.StatusFound {
		t.Fatalf("provider: %d %s", r.Status, r.Body)
	}
	back, err := url.Parse(r.Location)
	if err != nil {
		t.Fatal(err)
	}
	return back
}

// TestSSOPages: "Sign in with SSO" sends the browser to the provider with a
// sealed, HttpOnly, SameSite=Lax flow cookie; the callback signs the person
// in with the mapped role and clears the cookie; a callback with another
// state shows a clear page and signs nobody in.
func TestSSOPages(t *testing.T) {
	kyctest.Engines(t, func(t *testing.T, engine string) {
		s := ssoSetup(t, engine, true)
		b := s.browser()
		want(t, b.get("/staff/signin"), http.StatusOK, `href="/staff/sso"`, "Sign in with SSO", "break-glass")

		s.idp.QueueUser(&mockoidc.MockUser{Subject: "emp-42", Email: "new.analyst@bank.example", EmailVerified: true, Groups: []string{"kyc-analyst"}})
		r := b.get("/staff/sso")
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, s.idp.Issuer()) {
			t.Fatalf("start: %d %q", r.Status, r.Location)
		}
		c := cookieOf(r, "kyc_sso")
		if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.MaxAge <= 0 || c.MaxAge > 600 {
			t.Fatalf("flow cookie %+v", c)
		}
		back := atIdP(t, b, r.Location)
		if back.Path != "/staff/sso/callback" {
			t.Fatalf("back to %s", back)
		}
		r = b.get(back.RequestURI())
		if r.Status != http.StatusSeeOther || r.Location != "/staff/" {
			t.Fatalf("callback: %d %q %s", r.Status, r.Location, trim(r.Body))
		}
		if c := cookieOf(r, "kyc_sso"); c == nil || c.MaxAge >= 0 {
			t.Fatalf("the flow cookie was not cleared: %+v", c)
		}
		want(t, b.get("/staff/"), http.StatusOK, `data-testid="role"`, "Analyst")
		// The same callback again: the flow is gone.
		want(t, b.get(back.RequestURI()), http.StatusUnauthorized, "Single sign-on failed", "Start again")

		// Another browser: a callback whose state is not the one it started.
		b2 := s.browser()
		s.idp.QueueUser(&mockoidc.MockUser{Subject: "emp-43", Email: "other@bank.example", Groups: []string{"kyc-analyst"}})
		r = b2.get("/staff/sso")
		back = atIdP(t, b2, r.Location)
		q := back.Query()
		q.Set("state", "forged-"+q.Get("state"))
		back.RawQuery = q.Encode()
		r = b2.get(back.RequestURI())
		want(t, r, http.StatusUnauthorized, "Single sign-on failed", "Sign in with SSO", "Back to the sign-in page")
		if strings.Contains(r.Body, q.Get("code")) {
			t.Error("the error page repeats the code")
		}
		if r := b2.get("/staff/"); r.Status != http.StatusSeeOther {
			t.Fatalf("signed in after a forged callback: %d", r.Status)
		}

		// A person without a mapped role gets a clear page, no account.
		b3 := s.browser()
		s.idp.QueueUser(&mockoidc.MockUser{Subject: "emp-44", Email: "dev@bank.example", Groups: []string{"engineering"}})
		r = b3.get("/staff/sso")
		back = atIdP(t, b3, r.Location)
		want(t, b3.get(back.RequestURI()), http.StatusForbidden, "no role in kyc")

		// Local sign-in of a non-admin is refused with a pointer to SSO.
		want(t, b3.post("/staff/signin", url.Values{"email": {"analyst@bank.example"}, "password": {"correct horse battery staple"}}, false),
			http.StatusForbidden, "signs in with single sign-on")

		// The admin page of users says who signs in by single sign-on: the
		// user the provider created, not the local accounts.
		page := s.signIn("admin").get("/staff/admin/users")
		want(t, page, http.StatusOK, "<th scope=\"col\">Sign-in</th>")
		row := func(email string) string {
			i := strings.Index(page.Body, "<td>"+email+"</td>")
			if i < 0 {
				t.Fatalf("no row of %s: %s", email, trim(page.Body))
			}
			start := strings.LastIndex(page.Body[:i], "<tr>")
			end := strings.Index(page.Body[i:], "</tr>")
			return page.Body[start : i+end]
		}
		if r := row("new.analyst@bank.example"); !strings.Contains(r, `data-testid="sso"`) || !strings.Contains(r, "Single sign-on") {
			t.Errorf("the SSO user's row has no single sign-on badge: %s", r)
		}
		for _, local := range []string{"admin@bank.example", "analyst@bank.example"} {
			if r := row(local); strings.Contains(r, `data-testid="sso"`) || !strings.Contains(r, "Password") {
				t.Errorf("the local user %s is shown as signing in by SSO: %s", local, r)
			}
		}
	})
}

// TestSSOIdPDownPage: with the provider down, "Sign in with SSO" shows a
// clear error page (503) and the break-glass administrator still signs in
// with the local password and code.
func TestSSOIdPDownPage(t *testing.T) {
	kyctest.Engines(t, func(t *testing.T, engine string) {
		s := ssoSetup(t, engine, false)
		b := s.browser()
		want(t, b.get("/staff/sso"), http.StatusServiceUnavailable, "Single sign-on failed", "cannot be reached", "break-glass")
		a := s.signIn("admin")
		want(t, a.get("/staff/admin/users"), http.StatusOK, "admin@bank.example")
	})
}

// TestBrowserSSO drives single sign-on in Chromium: "Sign in with SSO" on
// the sign-in page, through the provider (mockoidc approves at once), to
// the dashboard with the role mapped from the provider's group.
func TestBrowserSSO(t *testing.T) {
	br := webtest.Browser(t)
	s := ssoSetup(t, "sqlite", true)
	br.Desktop(t)
	s.idp.QueueUser(&mockoidc.MockUser{Subject: "emp-77", Email: "maria.mlro@bank.example", EmailVerified: true, Groups: []string{"staff", "kyc-analyst"}})
	br.Do(t, chromedp.Navigate(s.Srv.URL+"/staff/signin"), chromedp.WaitVisible(css("#sso")))
	br.Screenshot(t, "staff-signin-sso")
	br.Do(t, chromedp.Click(css("#sso")))
	br.WaitText(t, "[data-testid=role]", "Analyst", 15*time.Second)
	if loc := br.Location(t); !strings.HasSuffix(loc, "/staff/") {
		t.Fatalf("landed on %s", loc)
	}
	if got := br.Text(t, "[data-testid=role]"); got != "Analyst" {
		t.Fatalf("role badge %q", got)
	}
}
