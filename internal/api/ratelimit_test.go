package api_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/httpx"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store/postgres"
	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// testLimits: three requests at once of the customers family, then one an
// hour (nothing refills during a test); every other family 100 at once.
func testLimits() httpx.RateLimits {
	return httpx.RateLimits{
		Default:  httpx.RatePolicy{Family: httpx.DefaultFamily, Rate: 1, Per: time.Hour, Burst: 100},
		Families: map[string]httpx.RatePolicy{"customers": {Family: "customers", Rate: 1, Per: time.Hour, Burst: 3}},
	}
}

// wantRate checks the RateLimit fields (draft-ietf-httpapi-ratelimit-headers)
// of a response: the policy of the family and the requests remaining.
func wantRate(t *testing.T, r *response, policy string, remaining int) {
	t.Helper()
	if got := r.Header.Get("RateLimit-Policy"); got != policy {
		t.Fatalf("RateLimit-Policy %q, want %q (%s)", got, policy, r)
	}
	name, _, _ := strings.Cut(policy, ";")
	got := r.Header.Get("RateLimit")
	want := name + ";r=" + strconv.Itoa(remaining) + ";t="
	if !strings.HasPrefix(got, want) || len(got) == len(want) {
		t.Fatalf("RateLimit %q, want %s… (%s)", got, want, r)
	}
}

// API clients are limited per scope family in token buckets: a burst is
// served, the next request is answered 429 problem+json with Retry-After,
// every response of a limited operation carries RateLimit-Policy and
// RateLimit, and one client's spending leaves another client and another
// family alone (issue 12, item 3; draft-ietf-httpapi-ratelimit-headers-09;
// RFC 6585, section 4 for 429; RFC 9110, section 10.2.3 for Retry-After).
func TestRateLimitBurstThen429(t *testing.T) {
	t.Parallel()
	kyctest.Engines(t, func(t *testing.T, engine string) {
		e := setupLimited(t, engine, nil, testLimits())
		_, a := e.client("customers:read cases:read")
		_, b := e.client("customers:read")
		const policy = `"customers";q=3;w=10800`
		for i := range 3 {
			r := e.get("/api/v1/customers", a)
			want(t, r, http.StatusOK, nil)
			wantRate(t, r, policy, 2-i)
		}
		r := e.get("/api/v1/customers", a)
		p := wantProblem(t, r, http.StatusTooManyRequests)
		wantRate(t, r, policy, 0)
		ra, err := strconv.Atoi(r.Header.Get("Retry-After"))
		if err != nil || ra < 3500 || ra > 3600 {
			t.Fatalf("Retry-After %q, want about an hour", r.Header.Get("Retry-After"))
		}
		if p.Detail == "" {
			t.Fatal("429 without a detail")
		}
		// Refused before anything ran: a POST over the limit with an
		// Idempotency-Key reserves nothing and creates nothing.
		wantProblem(t, e.do(req{Method: http.MethodPost, Path: "/api/v1/customers", Token: a, Body: individual(), Header: map[string]string{"Idempotency-Key": "over"}}), http.StatusTooManyRequests)
		// Another client has its own bucket.
		rb := e.get("/api/v1/customers", b)
		want(t, rb, http.StatusOK, nil)
		wantRate(t, rb, policy, 2)
		// Another family of the same client has its own bucket (the
		// default policy, named after the family).
		rc := e.get("/api/v1/cases", a)
		want(t, rc, http.StatusOK, nil)
		wantRate(t, rc, `"cases";q=100;w=360000`, 99)
		// Responses outside /api/v1 operations carry no RateLimit fields.
		if h := e.get("/openapi.json", "").Header.Get("RateLimit"); h != "" {
			t.Fatalf("RateLimit %q on /openapi.json", h)
		}
	})
}

// Two kyc serve replicas on one PostgreSQL database share each client's
// buckets: what one admitted, the other counts (issue 12, item 3).
func TestRateLimitSharedAcrossReplicas(t *testing.T) {
	t.Parallel()
	url := testdb.PostgresURL(t)
	ctx := context.Background()
	open := func() *postgres.DB {
		db, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		return db
	}
	st1 := open()
	if err := st1.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	st2 := open()
	one := setupLimited(t, testdb.Postgres, nil, testLimits(), kyctest.WithStore(st1))
	two := setupLimited(t, testdb.Postgres, nil, testLimits(), kyctest.WithStore(st2), kyctest.WithVault(one.Vault))
	_, tok := one.client("customers:read")
	const policy = `"customers";q=3;w=10800`
	wantRate(t, one.get("/api/v1/customers", tok), policy, 2)
	wantRate(t, two.get("/api/v1/customers", tok), policy, 1)
	wantRate(t, one.get("/api/v1/customers", tok), policy, 0)
	wantProblem(t, two.get("/api/v1/customers", tok), http.StatusTooManyRequests)
	wantProblem(t, one.get("/api/v1/customers", tok), http.StatusTooManyRequests)
}

// The OpenAPI document says which answers carry the RateLimit fields and
// documents 429 on every limited operation.
func TestRateLimitOpenAPI(t *testing.T) {
	t.Parallel()
	e := setup(t, testdb.SQLite)
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Headers map[string]any `json:"headers"`
				Content map[string]any `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}
	want(t, e.get("/openapi.json", ""), http.StatusOK, &doc)
	for path, ops := range map[string]string{"/api/v1/customers": "get", "/api/v1/screenings": "post", "/api/v1/cases/{id}": "get"} {
		op := doc.Paths[path][ops]
		r429, ok := op.Responses["429"]
		if !ok {
			t.Fatalf("%s %s: no 429", ops, path)
		}
		if r429.Headers["Retry-After"] == nil || r429.Headers["RateLimit"] == nil || r429.Content["application/problem+json"] == nil {
			t.Fatalf("%s %s: 429 %+v", ops, path, r429)
		}
		for code, resp := range op.Responses {
			if resp.Headers["RateLimit-Policy"] == nil {
				t.Fatalf("%s %s: %s without RateLimit-Policy", ops, path, code)
			}
		}
	}
}
