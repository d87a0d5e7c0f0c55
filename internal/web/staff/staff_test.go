package staff_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/app/inline"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/web"
	"github.com/kyc-platform/kyc/internal/web/staff"
)

// env is a running back office on one engine with users of every role and
// two customers with open cases.
type env struct {
	*kyctest.Bundle
	t     *testing.T
	Srv   *httptest.Server
	Users map[string]kyctest.StaffCred // by role; "analyst2" is a second analyst
	// HitCase has an open screening hit (Andrei Zakharov, standard risk);
	// PEPCase needs four eyes (declared PEP, high risk).
	HitCase, PEPCase domain.Case
	HitCustomer      *domain.Customer
}

// setup builds the fixture: no automatic approval, the OFAC fixture
// loaded, staff users of every role (analyst, mlro and admin enrolled in
// TOTP), and the two cases.
func setup(t *testing.T, engine string) *env {
	t.Helper()
	b := kyctest.New(t, kyctest.WithEngine(engine), kyctest.WithPolicy(func(p *app.Policy) {
		p.AutoApprove = nil
	}))
	e := &env{Bundle: b, t: t, Users: map[string]kyctest.StaffCred{}}
	for _, role := range []string{"analyst", "analyst2", "mlro", "auditor", "admin"} {
		r := strings.TrimSuffix(role, "2")
		e.Users[role] = kyctest.StaffUser(t, b, &kyctest.StaffUserOpts{
			Role: r, Email: role + "@bank.example", Password: "correct horse battery staple",
			Enrol: r == "mlro" || r == "admin" || role == "analyst",
		})
	}
	b.ImportOFAC()
	hit := person("Andrei", "Zakharov", "DE", false)
	pep := person("Maria", "Schmidt", "DE", true)
	e.HitCustomer = kyctest.SubmittedCustomer(t, b, &kyctest.CustomerOpts{Actor: kyctest.Operator, Data: &hit})
	e.HitCase = kyctest.OpenCase(t, b, e.HitCustomer.ID)
	e.PEPCase = kyctest.Case(t, b, &kyctest.CaseOpts{Customer: &kyctest.CustomerOpts{Actor: kyctest.Operator, Data: &pep, Evidence: true}})

	h, err := staffHandler(b.App, b.Clock)
	if err != nil {
		t.Fatal(err)
	}
	e.Srv = httptest.NewServer(h)
	t.Cleanup(e.Srv.Close)
	return e
}

func staffHandler(a *app.App, ck *inline.Clock) (http.Handler, error) {
	assets, err := web.NewAssets()
	if err != nil {
		return nil, err
	}
	cat, err := web.LoadCatalog()
	if err != nil {
		return nil, err
	}
	h, err := staff.New(staff.Deps{App: a, Assets: assets, Catalog: cat, Now: ck.Now, Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /static/{hash}/{name...}", assets)
	h.Register(mux)
	return mux, nil
}

func person(given, family, nat string, pep bool) domain.CustomerData {
	return domain.CustomerData{FaceToFace: true, Individual: &domain.Person{
		GivenNames: given, FamilyName: family, BirthDate: "1969-01-08", Nationality: nat,
		PlaceOfBirth: &domain.PlaceOfBirth{City: "Leipzig", Country: "DE"},
		Email:        strings.ToLower(given) + "@example.com", Phone: "+4915112345678",
		Address:    &domain.Address{Line1: "Hauptstraße 5", City: "Berlin", PostalCode: "10115", Country: "DE"},
		Occupation: "Engineer", PEPDeclared: pep, ExpectedMonthlyVolume: &domain.Money{Amount: 300000, Currency: "EUR"},
		SourceOfFunds: "Salary",
		Document:      &domain.IdentityDocument{Type: domain.DocIDCard, Number: "L01X00T47", IssuingCountry: "DE", ExpiryDate: "2031-01-01"},
	}}
}

// browser is a cookie-keeping HTTP client that does not follow redirects.
type browser struct {
	e *env
	c *http.Client
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type resp struct {
	Status   int
	Body     string
	Location string
	Header   http.Header
}

func (b *browser) do(req *http.Request) resp {
	b.e.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return resp{Status: res.StatusCode, Body: string(body), Location: res.Header.Get("Location"), Header: res.Header}
}

func (b *browser) get(path string) resp {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.e.Srv.URL+path, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values, hx bool) resp {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.e.Srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if hx {
		req.Header.Set("HX-Request", "true")
	}
	return b.do(req)
}

// signIn signs a fixture user in, with the code when the user has one.
func (e *env) signIn(role string) *browser {
	e.t.Helper()
	c := e.Users[role]
	b := e.browser()
	r := b.post("/staff/signin", url.Values{"email": {c.Email}, "password": {c.Password}}, false)
	if r.Status != http.StatusSeeOther {
		e.t.Fatalf("sign in %s: %d %s", role, r.Status, r.Body)
	}
	if r.Location == "/staff/signin/code" {
		r = b.post("/staff/signin/code", url.Values{"code": {e.NextTOTP(c.Secret)}}, false)
		if r.Status != http.StatusSeeOther || r.Location != "/staff/" {
			e.t.Fatalf("code %s: %d %s %s", role, r.Status, r.Location, r.Body)
		}
	}
	return b
}

func want(t *testing.T, r resp, status int, contains ...string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d; body:\n%s", r.Status, status, trim(r.Body))
	}
	for _, s := range contains {
		if !strings.Contains(r.Body, s) {
			t.Fatalf("body lacks %q:\n%s", s, trim(r.Body))
		}
	}
}

func trim(s string) string {
	if i := strings.Index(s, `<main`); i >= 0 {
		s = s[i:]
	}
	if len(s) > 4000 {
		return s[:4000] + "…"
	}
	return s
}

func engines(t *testing.T, fn func(t *testing.T, e *env)) {
	kyctest.Engines(t, func(t *testing.T, engine string) { fn(t, setup(t, engine)) })
}
