package cli

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store/testdb"
	"github.com/kyc-platform/kyc/internal/vault"
)

// BenchmarkReplicas drives 1, 2 and 3 `kyc serve` processes on one
// PostgreSQL database (each the default mode, API and workers; with
// KYC_BENCH_SPLIT=1 each replica is an API process plus a workers-only
// process, the README's scale-out recipe) from one load generator: 16
// clients spread over the replicas create and submit customers, and the
// run ends when every check of every customer is done. It reports
// customers/s end to end, the p50/p99 of create+submit, the audit sealing
// lag (p99 of sealed − appended), and where the CPU went: the kyc
// processes, all of PostgreSQL's processes and the load generator, each
// as a share of the machine's cores over the run. Wait events of the
// replicas' PostgreSQL sessions, sampled every 20 ms, are logged.
//
//	go test ./internal/cli -run '^$' -bench Replicas -benchtime 2000x
func BenchmarkReplicas(b *testing.B) {
	if os.Getenv(testdb.EnvPostgresURL) == "" {
		b.Skip("the replica benchmark needs PostgreSQL: set KYC_TEST_POSTGRES_URL")
	}
	bin := buildKyc(b)
	for _, n := range []int{1, 2, 3} {
		b.Run(fmt.Sprintf("replicas=%d", n), func(b *testing.B) { benchReplicas(b, bin, n, 16) })
	}
}

func buildKyc(b *testing.B) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "kyc")
	out, err := exec.Command("go", "build", "-o", bin, "../../cmd/kyc").CombinedOutput()
	if err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func benchReplicas(b *testing.B, bin string, n, clients int) {
	ctx := context.Background()
	dbURL := testdb.PostgresURL(b)
	u, _ := url.Parse(dbURL)
	q := u.Query()
	q.Set("application_name", "kyc-bench-replica")
	u.RawQuery = q.Encode()
	env := append(os.Environ(),
		"KYC_DATABASE_URL="+u.String(), "KYC_MASTER_KEY="+vault.GenerateKey(),
		"KYC_BASE_URL=http://kyc.bench", "KYC_LOG_LEVEL=error", "KYC_DATA_DIR="+b.TempDir(),
		"KYC_RATE_LIMIT="+benchRateLimits())
	run := func(args ...string) string {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			b.Fatalf("kyc %v: %v %s", args, err, errb.String())
		}
		return out.String()
	}
	run("migrate")
	fixture := kyctest.OFACDir(b)
	run("lists", "import", "--source", "ofac_sdn", filepath.Join(fixture, "sdn.csv"), filepath.Join(fixture, "alt.csv"), filepath.Join(fixture, "add.csv"), filepath.Join(fixture, "sdn_comments.csv"))
	var cl struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	if err := json.Unmarshal([]byte(run("client", "create", "--name", "bench", "--scopes", "all", "--json")), &cl); err != nil {
		b.Fatal(err)
	}

	var procs []*exec.Cmd
	var bases []string
	start := func(args ...string) string {
		addr := freeTCPAddr(b)
		cmd := exec.Command(bin, append([]string{"serve", "--addr", addr, "--no-migrate"}, args...)...)
		cmd.Env = env
		cmd.Stderr = io.Discard
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		procs = append(procs, cmd)
		return "http://" + addr
	}
	split := os.Getenv("KYC_BENCH_SPLIT") == "1"
	for range n {
		if split {
			bases = append(bases, start("--no-workers"))
			start("--workers-only")
		} else {
			bases = append(bases, start())
		}
	}
	defer func() {
		for _, p := range procs {
			_ = p.Process.Signal(os.Interrupt)
		}
		for _, p := range procs {
			_ = p.Wait()
		}
	}()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	for _, base := range bases {
		for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
			resp, err := hc.Get(base + "/readyz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					break
				}
			}
			if time.Now().After(deadline) {
				b.Fatalf("replica %s not ready", base)
			}
		}
	}
	token := benchToken(b, bases[0], cl.ClientID, cl.ClientSecret)
	body := benchCustomerBody()
	do := func(base, method, path string, payload []byte) []byte {
		req, _ := http.NewRequest(method, base+path, bytes.NewReader(payload))
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
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var headSeq int64
	if err := db.QueryRowContext(ctx, "SELECT seq FROM audit_head").Scan(&headSeq); err != nil {
		b.Fatal(err)
	}

	// Wait events of the replicas' sessions, sampled while the run lasts.
	waits := map[string]int{}
	var samples int
	stopSampling := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			select {
			case <-stopSampling:
				return
			case <-time.After(20 * time.Millisecond):
			}
			rows, err := db.QueryContext(ctx, `SELECT COALESCE(wait_event_type || ':' || wait_event, 'CPU'), COUNT(*)
				FROM pg_stat_activity WHERE application_name = 'kyc-bench-replica' AND state = 'active' GROUP BY 1`)
			if err != nil {
				continue
			}
			samples++
			for rows.Next() {
				var w string
				var c int
				if rows.Scan(&w, &c) == nil {
					waits[w] += c
				}
			}
			rows.Close()
		}
	}()

	cpuBefore := cpuSnapshot(procs)
	lat := make([]time.Duration, b.N)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	t0 := time.Now()
	for c := range clients {
		base := bases[c%len(bases)]
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) || b.Failed() {
					return
				}
				ts := time.Now()
				var cu struct{ ID string }
				_ = json.Unmarshal(do(base, http.MethodPost, "/api/v1/customers", body), &cu)
				do(base, http.MethodPost, "/api/v1/customers/"+cu.ID+"/submit", nil)
				lat[i] = time.Since(ts)
			}
		})
	}
	wg.Wait()
	apiDone := time.Since(t0)
	waitDecided(ctx, b, db, t0)
	elapsed := time.Since(t0)
	b.StopTimer()
	cpuAfter := cpuSnapshot(procs)
	close(stopSampling)
	<-sampled

	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "customers/s")
	b.ReportMetric(float64(b.N)/apiDone.Seconds(), "api-customers/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds())/1000, "p99-ms")
	cores := float64(runtime.NumCPU())
	share := func(ticks float64) float64 { return ticks / 100 / elapsed.Seconds() / cores * 100 }
	b.ReportMetric(share(cpuAfter.kyc-cpuBefore.kyc), "kyc-cpu-%")
	b.ReportMetric(share(cpuAfter.pg-cpuBefore.pg), "pg-cpu-%")
	b.ReportMetric(share(cpuAfter.self-cpuBefore.self), "loadgen-cpu-%")

	// Sealing lag, once the sealers have caught up.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(10 * time.Millisecond) {
		var pending int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_journal`).Scan(&pending); err != nil {
			b.Fatal(err)
		}
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d audit events unsealed a minute after the run", pending)
		}
	}
	var p50, p99 float64
	if err := db.QueryRowContext(ctx, `SELECT
			COALESCE(percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM sealed_at - occurred_at)), 0),
			COALESCE(percentile_cont(0.99) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM sealed_at - occurred_at)), 0)
		FROM audit_events WHERE seq > $1`, headSeq).Scan(&p50, &p99); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(p50*1000, "seal-lag-p50-ms")
	b.ReportMetric(p99*1000, "seal-lag-p99-ms")

	type kv struct {
		k string
		v int
	}
	var top []kv
	total := 0
	for k, v := range waits {
		top = append(top, kv{k, v})
		total += v
	}
	sort.Slice(top, func(i, j int) bool { return top[i].v > top[j].v })
	var sb strings.Builder
	for i, w := range top {
		if i == 8 {
			break
		}
		fmt.Fprintf(&sb, " %s=%.1f%%", w.k, 100*float64(w.v)/float64(max(total, 1)))
	}
	if samples > 0 {
		b.Logf("replicas=%d: %d samples, %.2f active sessions on average; wait events:%s", n, samples, float64(total)/float64(samples), sb.String())
	}
}

func benchCustomerBody() []byte {
	body, _ := json.Marshal(map[string]any{
		"type": "individual", "given_names": "Anna Maria", "family_name": "Eriksson", "birth_date": "1990-08-12",
		"place_of_birth": map[string]any{"city": "Göteborg", "country": "SE"}, "nationality": "SE", "email": "anna@example.com", "phone": "+46701234567", "occupation": "Teacher",
		"source_of_funds": "Salary", "face_to_face": true,
		"address":                 map[string]any{"line1": "Storgatan 1", "city": "Stockholm", "postal_code": "11122", "country": "SE"},
		"expected_monthly_volume": map[string]any{"amount": 300000, "currency": "EUR"},
		"document":                map[string]any{"type": "id_card", "number": "AB1234567", "issuing_country": "SE", "expiry_date": "2031-05-01"},
	})
	return body
}

func freeTCPAddr(b *testing.B) string {
	b.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// cpuTicks is CPU time in clock ticks (1/100 s): the kyc processes, every
// process named postgres, and this process.
type cpuTicks struct{ kyc, pg, self float64 }

func cpuSnapshot(procs []*exec.Cmd) cpuTicks {
	var c cpuTicks
	for _, p := range procs {
		c.kyc += procTicks(strconv.Itoa(p.Process.Pid))
	}
	c.self = procTicks("self")
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		if comm, _ := os.ReadFile("/proc/" + e.Name() + "/comm"); strings.TrimSpace(string(comm)) == "postgres" {
			c.pg += procTicks(e.Name())
		}
	}
	return c
}

// procTicks reads utime+stime of /proc/<pid>/stat (0 when unreadable).
func procTicks(pid string) float64 {
	f, err := os.Open("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	defer f.Close()
	line, _ := bufio.NewReader(f).ReadString('\n')
	// Fields after the command name, which is in parentheses and may
	// hold spaces.
	i := strings.LastIndexByte(line, ')')
	if i < 0 {
		return 0
	}
	fs := strings.Fields(line[i+1:])
	if len(fs) < 13 {
		return 0
	}
	ut, _ := strconv.ParseFloat(fs[11], 64)
	st, _ := strconv.ParseFloat(fs[12], 64)
	return ut + st
}
