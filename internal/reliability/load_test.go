package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// BenchmarkLoad is the load part of the suite: concurrent clients for a
// fixed time on a mix of creates (30%), submits of their own drafts (20%),
// reads (30%) and ad-hoc screenings (20%) against one `kyc serve`. Pass
// criterion: zero errors (every answer 2xx); it reports requests/s and the
// p50/p99 of each endpoint — a report, not a timed assertion.
//
//	go test ./internal/reliability -run '^$' -bench Load -benchtime 1x                          # 20 clients, 10 s
//	KYC_RELIABILITY_FULL=1 go test ./internal/reliability -run '^$' -bench Load -benchtime 1x   # 200 clients, 60 s
func BenchmarkLoad(b *testing.B) {
	for _, engine := range testdb.Engines() {
		b.Run(engine, func(b *testing.B) {
			if engine == testdb.Postgres && os.Getenv(testdb.EnvPostgresURL) == "" {
				b.Skip("needs PostgreSQL: set KYC_TEST_POSTGRES_URL")
			}
			clients, dur := sizes(20, 200), sizes(10*time.Second, 60*time.Second)
			d := newDeployment(b, engine)
			p := d.start("", nil)
			ctx := context.Background()
			c := d.client(p.base)
			if _, err := c.getToken(ctx); err != nil {
				b.Fatal(err)
			}
			var mu sync.Mutex
			lat := map[string][]time.Duration{}
			var errs []string
			note := func(ep string, took time.Duration, r response, want ...int) {
				ok := false
				for _, w := range want {
					ok = ok || r.status == w
				}
				mu.Lock()
				defer mu.Unlock()
				lat[ep] = append(lat[ep], took)
				if !ok {
					errs = append(errs, fmt.Sprintf("%s: %s", ep, r))
				}
			}
			names := []string{"Vladimir Putin", "Anna Eriksson", "Aerocaribbean Airlines", "Kim Jong Un", "Maria Garcia Lopez"}
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for w := range clients {
				wg.Go(func() {
					rng := rand.New(rand.NewPCG(uint64(w), 7))
					var drafts, mine []string
					for i := 0; time.Since(start) < dur; i++ {
						t0 := time.Now()
						switch x := rng.IntN(100); {
						case x < 30 || len(mine) == 0:
							r := c.do(ctx, http.MethodPost, "/api/v1/customers", customerBody(w*1_000_000+i), nil)
							note("POST /customers", time.Since(t0), r, http.StatusCreated)
							var cu struct {
								ID string `json:"id"`
							}
							if json.Unmarshal(r.body, &cu) == nil && cu.ID != "" {
								drafts, mine = append(drafts, cu.ID), append(mine, cu.ID)
							}
						case x < 50 && len(drafts) > 0:
							id := drafts[len(drafts)-1]
							drafts = drafts[:len(drafts)-1]
							note("POST /customers/{id}/submit", time.Since(t0), c.do(ctx, http.MethodPost, "/api/v1/customers/"+id+"/submit", nil, nil), http.StatusAccepted)
						case x < 80:
							id := mine[rng.IntN(len(mine))]
							note("GET /customers/{id}", time.Since(t0), c.do(ctx, http.MethodGet, "/api/v1/customers/"+id, nil, nil), http.StatusOK)
						default:
							note("POST /screenings", time.Since(t0), c.do(ctx, http.MethodPost, "/api/v1/screenings", map[string]any{"name": names[rng.IntN(len(names))]}, nil), http.StatusOK)
						}
					}
				})
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			total := 0
			eps := make([]string, 0, len(lat))
			for ep := range lat {
				eps = append(eps, ep)
			}
			sort.Strings(eps)
			var report strings.Builder
			for _, ep := range eps {
				ls := lat[ep]
				total += len(ls)
				sort.Slice(ls, func(i, j int) bool { return ls[i] < ls[j] })
				p50, p99 := ls[len(ls)/2], ls[min(len(ls)-1, len(ls)*99/100)]
				fmt.Fprintf(&report, "\n  %-30s %7d requests  p50 %7.1f ms  p99 %7.1f ms", ep, len(ls), ms(p50), ms(p99))
				key := strings.NewReplacer("POST ", "post", "GET ", "get", "/", "-", "{id}", "id").Replace(ep)
				b.ReportMetric(ms(p99), key+"-p99-ms")
			}
			b.ReportMetric(float64(total)/elapsed.Seconds(), "requests/s")
			b.Logf("%s, %d clients for %s: %d requests, %.0f/s, %d errors%s", engine, clients, dur, total, float64(total)/elapsed.Seconds(), len(errs), report.String())
			if len(errs) > 0 {
				b.Fatalf("%d errors under load, e.g.:\n%s", len(errs), strings.Join(errs[:min(len(errs), 10)], "\n"))
			}
		})
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
