package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/config"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/httpx"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/store/storetest"
	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// BenchmarkOnboarding measures the whole API path of an onboarding on each
// engine: POST /api/v1/customers then POST …/submit through the real HTTP
// handler, and the three checks and the decision policy run by River
// workers, until every check of every customer is done. It reports
// customers/s (end to end, checks included) and the p50/p99 latency of the
// create+submit requests, with 1 and 16 concurrent clients; beside it, the
// raw insert rate of the same engine in the same run, the ceiling. The API
// runs also report the audit sealing lag (p50, p99 of sealed − appended),
// and the CPU spent per customer: by this process (the server and the load
// generator together, "proc-cpu-ms/op") and, when PostgreSQL runs on this
// machine, by the benchmark's own PostgreSQL sessions ("pg-cpu-ms/op") —
// the figures to compare runs by on a machine that is busy with other work.
//
//	make bench   (or: go test ./internal/cli -run '^$' -bench Onboarding -benchtime 400x)
func BenchmarkOnboarding(b *testing.B) {
	for _, engine := range testdb.Engines() {
		b.Run(engine, func(b *testing.B) {
			if engine == "postgres" && os.Getenv(testdb.EnvPostgresURL) == "" {
				b.Skip("PostgreSQL benchmark needs KYC_TEST_POSTGRES_URL")
			}
			b.Run("raw-insert", func(b *testing.B) {
				storetest.BenchmarkRawInsert(b, func(b *testing.B) store.Store { return testdb.Open(b, engine) })
			})
			for _, clients := range []int{1, 16} {
				b.Run(fmt.Sprintf("api-create/clients=%d", clients), func(b *testing.B) {
					benchOnboarding(b, engine, clients, false)
				})
				b.Run(fmt.Sprintf("api/clients=%d", clients), func(b *testing.B) {
					benchOnboarding(b, engine, clients, true)
				})
			}
		})
	}
}

// benchRateLimits is the KYC_RATE_LIMIT of the benchmarks' servers: the
// API's rate limiter runs, as it does in production, with a limit no run
// reaches (a client given a high one); KYC_BENCH_RATE_LIMIT (the same
// syntax) replaces it, "off" leaves the limiter out.
func benchRateLimits() string {
	if l := os.Getenv("KYC_BENCH_RATE_LIMIT"); l != "" {
		return l
	}
	return "default:100000/s burst 100000"
}

// benchOnboarding runs b.N onboardings; with submit false it measures
// POST /api/v1/customers alone, the figure to set beside the raw insert rate.
func benchOnboarding(b *testing.B, engine string, clients int, submit bool) {
	ctx := context.Background()
	cfg := config.Default()
	cfg.DataDir = b.TempDir()
	cfg.LogLevel = "error"
	cfg.Addr = "127.0.0.1:0"
	rl, err := httpx.ParseRateLimits(benchRateLimits(), httpx.DefaultRateLimits(), auth.ScopeFamilies())
	if err != nil {
		b.Fatal(err)
	}
	cfg.RateLimits = rl
	appName := ""
	if engine == "postgres" {
		u, err := url.Parse(testdb.PostgresURL(b))
		if err != nil {
			b.Fatal(err)
		}
		q := u.Query()
		appName = fmt.Sprintf("kyc-bench-%d", time.Now().UnixNano())
		q.Set("application_name", appName)
		u.RawQuery = q.Encode()
		cfg.DatabaseURL = u.String()
	}
	sys, err := buildSystem(ctx, cfg, io.Discard, true, cfg.Workers)
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
	if err := sys.runner.Start(ctx); err != nil {
		b.Fatal(err)
	}
	defer sys.runner.Stop(context.Background())

	// A loaded list, so that clean customers are screened and approved
	// automatically (with none, each would go to a person).
	if _, err := sys.app.Screening.Import(ctx, domain.Actor{Type: domain.ActorSystem, ID: "bench"}, "ofac_sdn", kyctest.OFACFiles(), false); err != nil {
		b.Fatal(err)
	}
	cl, err := sys.app.Clients.Create(ctx, domain.Actor{Type: domain.ActorSystem, ID: "bench"}, "bench", "all")
	if err != nil {
		b.Fatal(err)
	}
	token := benchToken(b, srv.URL, cl.ClientID, cl.ClientSecret)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	body, _ := json.Marshal(map[string]any{
		"type": "individual", "given_names": "Anna Maria", "family_name": "Eriksson", "birth_date": "1990-08-12",
		"place_of_birth": map[string]any{"city": "Göteborg", "country": "SE"}, "nationality": "SE", "email": "anna@example.com", "phone": "+46701234567", "occupation": "Teacher",
		"source_of_funds": "Salary", "face_to_face": true,
		"address":                 map[string]any{"line1": "Storgatan 1", "city": "Stockholm", "postal_code": "11122", "country": "SE"},
		"expected_monthly_volume": map[string]any{"amount": 300000, "currency": "EUR"},
		"document":                map[string]any{"type": "id_card", "number": "AB1234567", "issuing_country": "SE", "expiry_date": "2031-05-01"},
	})
	do := func(method, path string, payload []byte) []byte {
		req, _ := http.NewRequest(method, srv.URL+path, bytes.NewReader(payload))
		req.Header.Set("Authorization", "Bearer "+token)
		if payload != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := hc.Do(req)
		if err != nil {
			b.Error(err)
			return nil
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 300 {
			b.Errorf("%s %s: %d %s", method, path, resp.StatusCode, out)
		}
		return out
	}

	head, err := sys.store.Audit().Head(ctx)
	if err != nil {
		b.Fatal(err)
	}
	lat := make([]time.Duration, b.N)
	var next atomic.Int64
	var wg sync.WaitGroup
	cpu0 := benchCPU(ctx, sys, appName)
	b.ResetTimer()
	start := time.Now()
	for range clients {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) || b.Failed() {
					return
				}
				t0 := time.Now()
				var c struct{ ID string }
				_ = json.Unmarshal(do(http.MethodPost, "/api/v1/customers", body), &c)
				if submit {
					do(http.MethodPost, "/api/v1/customers/"+c.ID+"/submit", nil)
				}
				lat[i] = time.Since(t0)
			}
		})
	}
	wg.Wait()
	apiDone := time.Since(start)
	if !submit {
		b.StopTimer()
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		b.ReportMetric(float64(b.N)/apiDone.Seconds(), "customers/s")
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds())/1000, "p99-ms")
		reportCPU(b, benchCPU(ctx, sys, appName), cpu0)
		reportSealLag(b, sys, head.Seq)
		return
	}
	// Wait until the workers have run every check and the policy decided.
	waitDecided(ctx, b, sys.store.DB(), start)
	elapsed := time.Since(start)
	b.StopTimer()
	reportCPU(b, benchCPU(ctx, sys, appName), cpu0)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "customers/s")
	b.ReportMetric(float64(b.N)/apiDone.Seconds(), "api-customers/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds())/1000, "p99-ms")
	reportSealLag(b, sys, head.Seq)
}

// waitDecided returns once no customer is left submitted (every check run
// and the policy decided). It polls every 25 ms: the count is a scan of
// customers in the benchmark's own PostgreSQL sessions, and at 5 ms it was
// ~5% of PostgreSQL's time in the 16-client run (pg_stat_statements) for a
// finishing time 20 ms sharper, 0.2% of a run.
func waitDecided(ctx context.Context, b *testing.B, db *sql.DB, start time.Time) {
	b.Helper()
	for {
		var pending int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM customers WHERE status = 'submitted'`).Scan(&pending); err != nil {
			b.Fatal(err)
		}
		if pending == 0 {
			return
		}
		if time.Since(start) > 10*time.Minute {
			b.Fatalf("%d customers still waiting for checks", pending)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// benchCPUTicks is CPU time in clock ticks (1/100 s) of this process and
// of the PostgreSQL sessions named appName (-1 when they cannot be read:
// SQLite, or PostgreSQL on another machine).
type benchCPUTicks struct{ proc, pg float64 }

func benchCPU(ctx context.Context, sys *system, appName string) benchCPUTicks {
	c := benchCPUTicks{proc: procTicks("self"), pg: -1}
	if appName == "" {
		return c
	}
	rows, err := sys.store.DB().QueryContext(ctx, `SELECT pid FROM pg_stat_activity WHERE application_name = $1`, appName)
	if err != nil {
		return c
	}
	defer rows.Close()
	for rows.Next() {
		var pid int
		if rows.Scan(&pid) != nil {
			continue
		}
		if _, err := os.Stat(fmt.Sprintf("/proc/%d/stat", pid)); err != nil {
			return benchCPUTicks{proc: c.proc, pg: -1}
		}
		c.pg = max(c.pg, 0) + procTicks(fmt.Sprint(pid))
	}
	return c
}

// reportCPU reports the CPU milliseconds per operation between two
// snapshots. A PostgreSQL session that ended during the run is not
// counted (the pool keeps its connections, so none should).
func reportCPU(b *testing.B, after, before benchCPUTicks) {
	b.ReportMetric((after.proc-before.proc)*10/float64(b.N), "proc-cpu-ms/op")
	if after.pg >= 0 && before.pg >= 0 {
		b.ReportMetric((after.pg-before.pg)*10/float64(b.N), "pg-cpu-ms/op")
	}
}

// reportSealLag waits for the sealer to chain what the run wrote and
// reports the p50 and p99 of sealed_at − occurred_at over the events
// after seq: from the audit append (a little before the commit) to the
// seal.
func reportSealLag(b *testing.B, sys *system, after int64) {
	b.Helper()
	ctx := context.Background()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(10 * time.Millisecond) {
		p, err := sys.store.Audit().PendingStats(ctx, "")
		if err != nil {
			b.Fatal(err)
		}
		if p.Count == 0 {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d audit events still unsealed a minute after the run", p.Count)
		}
	}
	var lags []time.Duration
	for {
		evs, err := sys.store.Audit().List(ctx, store.AuditFilter{AfterSeq: after, Limit: 5000})
		if err != nil {
			b.Fatal(err)
		}
		for _, e := range evs {
			lags = append(lags, e.SealedAt.Sub(e.OccurredAt))
		}
		if len(evs) < 5000 {
			break
		}
		after = evs[len(evs)-1].Seq
	}
	if len(lags) == 0 {
		return
	}
	sort.Slice(lags, func(i, j int) bool { return lags[i] < lags[j] })
	b.ReportMetric(float64(lags[len(lags)/2].Microseconds())/1000, "seal-lag-p50-ms")
	b.ReportMetric(float64(lags[min(len(lags)-1, len(lags)*99/100)].Microseconds())/1000, "seal-lag-p99-ms")
}

func benchToken(b *testing.B, base, id, secret string) string {
	form := url.Values{"grant_type": {"client_credentials"}}
	req, _ := http.NewRequest(http.MethodPost, base+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		b.Fatalf("token: %d %v", resp.StatusCode, err)
	}
	return tok.AccessToken
}
