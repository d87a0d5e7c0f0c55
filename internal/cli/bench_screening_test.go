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
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/config"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/screening/lists"
)

// sharedLists is the real list data beside the repository.
var sharedLists = filepath.Join("..", "..", "..", "shared", "data", "lists")

// BenchmarkScreeningAPI measures POST /api/v1/screenings through the whole
// HTTP stack (token verification included) on OFAC SDN + non-SDN + UN,
// with 1 and 8 concurrent clients: requests/s and p50/p99 latency.
//
//	go test ./internal/cli -run '^$' -bench ScreeningAPI -benchtime 5000x
func BenchmarkScreeningAPI(b *testing.B) {
	if _, err := os.Stat(filepath.Join(sharedLists, "us_ofac", "sdn.csv")); err != nil {
		b.Skipf("screening benchmark needs the list data in %s", sharedLists)
	}
	ctx := context.Background()
	cfg := config.Default()
	cfg.DataDir = b.TempDir()
	cfg.LogLevel = "error"
	sys, err := buildSystem(ctx, cfg, io.Discard, true, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer sys.Close()
	op := domain.Actor{Type: domain.ActorSystem, ID: "bench"}
	var names []string
	for _, imp := range []struct {
		source string
		files  []string
	}{
		{"ofac_sdn", []string{"us_ofac/sdn.csv", "us_ofac/alt.csv", "us_ofac/add.csv", "us_ofac/sdn_comments.csv"}},
		{"ofac_consolidated", []string{"us_non_sdn/cons_prim.csv", "us_non_sdn/cons_alt.csv", "us_non_sdn/cons_add.csv", "us_non_sdn/cons_comments.csv"}},
		{"un", []string{"un/UN_consolidated.xml"}},
	} {
		var files []lists.File
		for _, f := range imp.files {
			fh, err := os.Open(filepath.Join(sharedLists, f))
			if err != nil {
				b.Fatal(err)
			}
			defer fh.Close()
			files = append(files, lists.File{Name: filepath.Base(f), R: fh})
		}
		if _, err := sys.app.Screening.Import(ctx, op, imp.source, files, false); err != nil {
			b.Fatal(err)
		}
	}
	// Queries: every 10th listed primary name, and as many ordinary names.
	fh, _ := os.Open(filepath.Join(sharedLists, "us_ofac", "sdn.csv"))
	ents, err := lists.Parse("ofac_sdn", []lists.File{{Name: "sdn.csv", R: fh}})
	fh.Close()
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < len(ents); i += 10 {
		names = append(names, ents[i].Name)
	}
	for _, n := range []string{"Maria Garcia", "John Smith", "Wei Zhang", "Olena Kovalenko", "Ahmed Hassan", "Acme Trading Ltd", "Priya Sharma", "Lars Nilsson"} {
		for range len(names) / 16 {
			names = append(names, n)
		}
	}
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
	cl, err := sys.app.Clients.Create(ctx, op, "bench", "screening:read")
	if err != nil {
		b.Fatal(err)
	}
	token := benchToken(b, srv.URL, cl.ClientID, cl.ClientSecret)
	bodies := make([][]byte, len(names))
	for i, n := range names {
		bodies[i], _ = json.Marshal(map[string]string{"name": n})
	}
	for _, clients := range []int{1, 8} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
			lat := make([]time.Duration, b.N)
			var next atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for range clients {
				wg.Go(func() {
					for {
						i := next.Add(1) - 1
						if i >= int64(b.N) {
							return
						}
						req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/screenings", bytes.NewReader(bodies[int(i)%len(bodies)]))
						req.Header.Set("Authorization", "Bearer "+token)
						req.Header.Set("Content-Type", "application/json")
						t0 := time.Now()
						resp, err := hc.Do(req)
						if err != nil {
							b.Error(err)
							return
						}
						_, _ = io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						lat[i] = time.Since(t0)
						if resp.StatusCode != 200 {
							b.Errorf("status %d", resp.StatusCode)
							return
						}
					}
				})
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds())/1000, "p99-ms")
		})
	}
}
