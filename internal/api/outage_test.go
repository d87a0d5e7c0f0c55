package api_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/kyc-platform/kyc/internal/api"
	"github.com/kyc-platform/kyc/internal/httpx"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store/postgres"
	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// cutProxy forwards TCP connections to a server until it is cut: then it
// drops every open connection and refuses new ones, as a database that
// went away does, until it is restored.
type cutProxy struct {
	t      *testing.T
	ln     net.Listener
	target string
	mu     sync.Mutex
	cut    bool
	conns  map[net.Conn]struct{}
}

func newCutProxy(t *testing.T, target string) *cutProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{t: t, ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	t.Cleanup(func() { _ = ln.Close(); p.setCut(true) })
	go p.serve()
	return p
}

func (p *cutProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.cut {
			p.mu.Unlock()
			_ = c.Close()
			continue
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			p.mu.Unlock()
			_ = c.Close()
			continue
		}
		p.conns[c], p.conns[up] = struct{}{}, struct{}{}
		p.mu.Unlock()
		go func() { _, _ = io.Copy(up, c); _ = up.Close() }()
		go func() { _, _ = io.Copy(c, up); _ = c.Close() }()
	}
}

func (p *cutProxy) setCut(cut bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = cut
	if cut {
		for c := range p.conns {
			_ = c.Close()
		}
		clear(p.conns)
	}
}

// A database outage is answered 503 problem+json with Retry-After, not
// 500; the reservation of an Idempotency-Key whose request failed in the
// outage is released, so the client's retry after it is handled (not
// refused as still in progress); and kyc recovers when the database is
// back, without a restart (issue 12, item 10; RFC 9110, sections 15.6.4
// and 10.2.3).
func TestDatabaseOutage(t *testing.T) {
	t.Parallel()
	dbURL := testdb.PostgresURL(t)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	port := u.Port()
	if port == "" {
		port = "5432"
	}
	proxy := newCutProxy(t, net.JoinHostPort(u.Hostname(), port))
	u.Host = proxy.ln.Addr().String()
	ctx := context.Background()
	st, err := postgres.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	e := setupLimited(t, testdb.Postgres, nil, httpx.DefaultRateLimits(), kyctest.WithStore(st))
	_, tok := e.client("customers:read customers:write")
	e.create(tok, individual())

	wantUnavailable := func(r *response) {
		t.Helper()
		p := wantProblem(t, r, http.StatusServiceUnavailable)
		if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s <= 0 {
			t.Fatalf("Retry-After %q on a 503", r.Header.Get("Retry-After"))
		}
		if p.Detail == "" || len(p.Errors) != 0 {
			t.Fatalf("problem %+v", p)
		}
	}
	// The database goes away while a create holds its reservation.
	remove := api.SetBeforeHandlerHook("outage-1", func() { proxy.setCut(true) })
	wantUnavailable(e.do(req{Method: http.MethodPost, Path: "/api/v1/customers", Token: tok, Body: individual(), Header: map[string]string{"Idempotency-Key": "outage-1"}}))
	remove()
	// Everything answers 503 while it is away: reads, and the rate
	// limiter's shared buckets.
	wantUnavailable(e.get("/api/v1/customers", tok))
	wantUnavailable(e.post("/api/v1/customers", tok, individual()))
	// Back: no restart, the retry with the same key creates the customer.
	proxy.setCut(false)
	var c customer
	want(t, e.do(req{Method: http.MethodPost, Path: "/api/v1/customers", Token: tok, Body: individual(), Header: map[string]string{"Idempotency-Key": "outage-1"}}), http.StatusCreated, &c)
	var page struct{ Data []customer }
	want(t, e.get("/api/v1/customers", tok), http.StatusOK, &page)
	if len(page.Data) != 2 {
		t.Fatalf("%d customers after the outage, want 2 (one before, one retried)", len(page.Data))
	}
	if logs := e.logs.String(); !strings.Contains(logs, "database unavailable") {
		t.Fatal("the outage was not logged as such")
	}
}
