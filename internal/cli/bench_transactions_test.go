package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/config"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// BenchmarkTransactionPost measures single POST /api/v1/transactions
// requests from one client through the real HTTP handler (token check,
// validation, idempotency, every default rule over the stored history,
// alerts into cases, audit) on each engine, one after another, and
// reports the p50 and p99 latency (issue 9 target: p99 under 10 ms) and
// requests/s. 20 submitted customers share the transactions; one in ten
// is a cash deposit that raises alerts.
//
//	go test ./internal/cli -run '^$' -bench TransactionPost -benchtime 2000x
func BenchmarkTransactionPost(b *testing.B) {
	for _, engine := range testdb.Engines() {
		b.Run(engine, func(b *testing.B) {
			if engine == testdb.Postgres && os.Getenv(testdb.EnvPostgresURL) == "" {
				b.Skip("PostgreSQL benchmark needs KYC_TEST_POSTGRES_URL")
			}
			benchTransactionPost(b, engine)
		})
	}
}

func benchTransactionPost(b *testing.B, engine string) {
	ctx := context.Background()
	cfg := config.Default()
	cfg.DataDir = b.TempDir()
	cfg.LogLevel = "error"
	if engine == testdb.Postgres {
		cfg.DatabaseURL = testdb.PostgresURL(b)
	}
	sys, err := buildSystem(ctx, cfg, io.Discard, true, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer sys.Close()
	if err := sys.keys.EnsureKey(ctx); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(nil)
	h, err := newHandler(sys, srv.URL, true)
	if err != nil {
		b.Fatal(err)
	}
	srv.Config.Handler = h
	defer srv.Close()
	bench := domain.Actor{Type: domain.ActorSystem, ID: "bench"}
	cl, err := sys.app.Clients.Create(ctx, bench, "bench", "all")
	if err != nil {
		b.Fatal(err)
	}
	client := domain.Actor{Type: domain.ActorClient, ID: cl.ClientID, Tenant: cl.Tenant, Scopes: cl.Scopes}
	var ids []string
	for range 20 {
		c, err := sys.app.Customers.Create(ctx, client, app.CreateCustomerInput{Type: domain.CustomerIndividual, Data: kyctest.Individual()})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := sys.app.Customers.Submit(ctx, client, c.ID); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	token := benchToken(b, srv.URL, cl.ClientID, cl.ClientSecret)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	at := time.Now().UTC().Add(time.Second)
	bodies := make([][]byte, b.N)
	for i := range bodies {
		channel, amount := "card", 500+(i*7919)%45_000
		if i%10 == 9 {
			channel, amount = "cash", 1_000_000+i
		}
		bodies[i], _ = json.Marshal(map[string]any{
			"external_id": fmt.Sprintf("post-%d", i), "customer_id": ids[i%len(ids)], "amount": amount, "currency": "EUR",
			"direction": []string{"in", "out"}[i%2], "channel": channel, "occurred_at": at.Add(time.Duration(i) * time.Millisecond),
			"counterparty": map[string]any{"name": fmt.Sprintf("Merchant %d", i%300), "country": "DE"},
		})
	}
	lat := make([]time.Duration, b.N)
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		t0 := time.Now()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/transactions", bytes.NewReader(bodies[i]))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			b.Fatalf("POST %d: %d %s", i, resp.StatusCode, out)
		}
		lat[i] = time.Since(t0)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds())/1000, "p99-ms")
}
