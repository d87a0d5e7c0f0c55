package staff_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/risk"
	"github.com/kyc-platform/kyc/internal/screening/lists"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/store/testdb"
	"github.com/kyc-platform/kyc/internal/vault"
	"github.com/kyc-platform/kyc/internal/verify"
	"github.com/kyc-platform/kyc/internal/verify/phone"
	"github.com/kyc-platform/kyc/internal/web"
	"github.com/kyc-platform/kyc/internal/web/staff"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type queue struct {
	mu  sync.Mutex
	ids []string
}

func (q *queue) EnqueueChecks(_ context.Context, _ store.Tx, ids []string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.ids = append(q.ids, ids...)
	return nil
}

// cred is a staff user of the fixture.
type cred struct {
	Email, Password, Secret string
	User                    app.User
}

// env is a running back office on one engine with users of every role and
// two customers with open cases.
type env struct {
	t     *testing.T
	App   *app.App
	Clock *clock
	Srv   *httptest.Server
	Users map[string]cred // by role; "analyst2" is a second analyst
	// HitCase has an open screening hit (Andrei Zakharov, standard risk);
	// PEPCase needs four eyes (declared PEP, high risk).
	HitCase, PEPCase domain.Case
	HitCustomer      *domain.Customer
}

var operator = domain.SystemActor("cli:test")

func setup(t *testing.T, engine string) *env {
	t.Helper()
	st := testdb.Open(t, engine)
	v, err := vault.LoadOrCreate(vault.GenerateKey(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	model, err := risk.Default()
	if err != nil {
		t.Fatal(err)
	}
	ck := &clock{t: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	q := &queue{}
	a := app.New(app.Deps{
		Store: st, Crypt: v, Enqueue: q, Identity: verify.NewDocument(verify.DocumentOptions{MinAge: 18}), Risk: model,
		Policy: app.Policy{MinAge: 18, CaseSLA: 5 * 24 * time.Hour, HitSLA: 24 * time.Hour, PhoneCheck: phone.Validate},
		Now:    ck.Now,
	})
	e := &env{t: t, App: a, Clock: ck, Users: map[string]cred{}}
	ctx := context.Background()
	for _, role := range []string{"analyst", "analyst2", "mlro", "auditor", "admin"} {
		r := strings.TrimSuffix(role, "2")
		c := cred{Email: role + "@bank.example", Password: "correct horse " + role}
		nu, err := a.Users.Create(ctx, operator, app.CreateUserInput{Email: c.Email, Role: r, Password: c.Password})
		if err != nil {
			t.Fatal(err)
		}
		c.User = nu.User
		if r == "mlro" || r == "admin" || role == "analyst" {
			s, err := a.Users.SignIn(ctx, c.Email, c.Password)
			if err != nil {
				t.Fatal(err)
			}
			enr, err := a.Users.BeginEnrolment(ctx, s.Token)
			if err != nil {
				t.Fatal(err)
			}
			c.Secret = enr.Secret
			if _, err := a.Users.ConfirmEnrolment(ctx, s.Token, e.code(c.Secret)); err != nil {
				t.Fatal(err)
			}
		}
		e.Users[role] = c
	}
	// Lists and customers.
	var files []lists.File
	for _, n := range []string{"sdn.csv", "alt.csv", "add.csv"} {
		f, err := os.Open(filepath.Join("..", "..", "app", "testdata", "ofac", n))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		files = append(files, lists.File{Name: n, R: f})
	}
	if _, err := a.Screening.Import(ctx, operator, "ofac_sdn", files); err != nil {
		t.Fatal(err)
	}
	hit := person("Andrei", "Zakharov", "DE", false)
	pep := person("Maria", "Schmidt", "DE", true)
	e.HitCustomer = e.onboard(q, hit)
	e.HitCase = e.caseOf(e.HitCustomer.ID)
	e.PEPCase = e.caseOf(e.onboard(q, pep).ID)

	h, err := staffHandler(a, ck)
	if err != nil {
		t.Fatal(err)
	}
	e.Srv = httptest.NewServer(h)
	t.Cleanup(e.Srv.Close)
	return e
}

func staffHandler(a *app.App, ck *clock) (http.Handler, error) {
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
		Email: strings.ToLower(given) + "@example.com", Phone: "+4915112345678",
		Address:    &domain.Address{Line1: "Hauptstraße 5", City: "Berlin", PostalCode: "10115", Country: "DE"},
		Occupation: "Engineer", PEPDeclared: pep, ExpectedMonthlyVolume: &domain.Money{Amount: 300000, Currency: "EUR"},
		SourceOfFunds: "Salary",
		Document:      &domain.IdentityDocument{Type: domain.DocIDCard, Number: "L01X00T47", IssuingCountry: "DE", ExpiryDate: "2031-01-01"},
	}}
}

func (e *env) onboard(q *queue, d domain.CustomerData) *domain.Customer {
	e.t.Helper()
	ctx := context.Background()
	c, err := e.App.Customers.Create(ctx, operator, app.CreateCustomerInput{Type: domain.CustomerIndividual, Data: d})
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.App.Customers.Submit(ctx, operator, c.ID); err != nil {
		e.t.Fatal(err)
	}
	q.mu.Lock()
	ids := q.ids
	q.ids = nil
	q.mu.Unlock()
	for _, id := range ids {
		if err := e.App.Checks.Run(ctx, id, 1); err != nil {
			e.t.Fatal(err)
		}
	}
	c, err = e.App.Customers.Get(ctx, operator, c.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *env) caseOf(customerID string) domain.Case {
	e.t.Helper()
	cs, _, err := e.App.Cases.List(context.Background(), operator, app.ListCasesInput{CustomerID: customerID})
	if err != nil || len(cs) != 1 {
		e.t.Fatalf("cases of %s: %d %v", customerID, len(cs), err)
	}
	return cs[0]
}

// code returns the current TOTP code, one time step after the last one so
// that no code is refused as replayed.
func (e *env) code(secret string) string {
	e.Clock.Advance(30 * time.Second)
	c, err := auth.TOTPCode(secret, e.Clock.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return c
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
		r = b.post("/staff/signin/code", url.Values{"code": {e.code(c.Secret)}}, false)
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
	for _, eng := range testdb.Engines() {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			fn(t, setup(t, eng))
		})
	}
}
