package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestCatalogIsComplete(t *testing.T) {
	t.Parallel()
	c, err := LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	if got := c.T("de", "error.summary"); got != "Es gibt ein Problem" {
		t.Fatalf("de error.summary = %q", got)
	}
	if got := c.T("de", "no.such.id"); got != "no.such.id" {
		t.Fatalf("unknown id renders %q", got)
	}
}

func TestLang(t *testing.T) {
	t.Parallel()
	c, _ := LoadCatalog()
	tests := []struct {
		url, header, cookie, want string
	}{
		{"/", "", "", "en"},
		{"/", "de-CH,de;q=0.9,en;q=0.8", "", "de"},
		{"/", "fr-FR,fr;q=0.9", "", "en"},
		{"/?lang=de", "en", "", "de"},
		{"/", "en", "de", "de"},
		{"/?lang=xx", "", "", "en"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(http.MethodGet, tt.url, nil)
		r.Header.Set("Accept-Language", tt.header)
		if tt.cookie != "" {
			r.AddCookie(&http.Cookie{Name: LangCookie, Value: tt.cookie})
		}
		if got := c.Lang(r); got != tt.want {
			t.Errorf("%s %q %q: got %s, want %s", tt.url, tt.header, tt.cookie, got, tt.want)
		}
	}
}

func TestAssetsHaveContentHashURLs(t *testing.T) {
	t.Parallel()
	a, err := NewAssets()
	if err != nil {
		t.Fatal(err)
	}
	u := a.URL("app.js")
	if !strings.HasPrefix(u, "/static/") || !strings.HasSuffix(u, "/app.js") {
		t.Fatalf("app.js URL %q", u)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /static/{hash}/{name...}", a)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, u, nil))
	if rec.Code != 200 || !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") {
		t.Fatalf("GET %s: %d %v", u, rec.Code, rec.Header())
	}
	rec = httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/static/000000000000/app.js", nil))
	if rec.Code != 404 {
		t.Fatalf("stale hash served: %d", rec.Code)
	}
}

func TestRendererFailsAtStartOnABadTemplate(t *testing.T) {
	t.Parallel()
	a, _ := NewAssets()
	c, _ := LoadCatalog()
	bad := fstest.MapFS{"page.html": {Data: []byte(`{{define "content"}}{{.Missing`)}}
	if _, err := NewRenderer(bad, a, c, nil, nil); err == nil {
		t.Fatal("a broken template was accepted")
	}
	good := fstest.MapFS{"hello.html": {Data: []byte(`{{define "content"}}<p>{{.L.T "error.summary"}}</p>{{end}}`)}}
	r, err := NewRenderer(good, a, c, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/?lang=de", nil)
	rec := httptest.NewRecorder()
	r.Render(rec, req, 200, "hello", "", struct{ Base }{Base{L: r.Localizer(req), Title: "Hallo", Path: "/"}})
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, "Es gibt ein Problem") || !strings.Contains(body, `lang="de"`) || strings.Contains(body, "<script>") {
		t.Fatalf("render: %d %s", rec.Code, body)
	}
}

func TestSecureHeadersAndCrossOrigin(t *testing.T) {
	t.Parallel()
	h := Secure(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Fatalf("CSP %q", csp)
	}
	req := httptest.NewRequest(http.MethodPost, "http://kyc.example/signin", nil)
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Fatalf("cross-origin POST got %d", rec.Code)
	}
}

func TestLimiter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := NewLimiter(2, time.Minute, func() time.Time { return now })
	l.Hit("a")
	l.Hit("a")
	if !l.Blocked("a") || l.Blocked("b") {
		t.Fatal("two hits should block a only")
	}
	now = now.Add(61 * time.Second)
	if l.Blocked("a") {
		t.Fatal("the window did not slide")
	}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "203.0.113.9:4711"
	if ClientIP(r) != "203.0.113.9" {
		t.Fatalf("ClientIP %q", ClientIP(r))
	}
}

func TestDocsHandlerUsesEmbeddedAssets(t *testing.T) {
	t.Parallel()
	a, _ := NewAssets()
	rec := httptest.NewRecorder()
	DocsHandler(a, "/openapi.json").ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/docs", nil))
	body := rec.Body.String()
	if !strings.Contains(body, `data-spec="/openapi.json"`) || !strings.Contains(body, a.URL("docs.js")) || strings.Contains(body, "https://") {
		t.Fatalf("docs page: %s", body)
	}
	if a.Has("vendor/swagger-ui-bundle.js") && !strings.Contains(body, a.URL("vendor/swagger-ui-bundle.js")) {
		t.Fatal("docs page does not load the embedded Swagger UI")
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Fatalf("docs CSP %q", csp)
	}
}
