package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// TestPostgresOutage is the database part of the suite. Pass criterion:
// while the PostgreSQL server becomes unreachable under load (every
// connection reset, new ones refused, for a few seconds) the API answers
// 503 with Retry-After — never another 5xx, never no answer — and /readyz
// answers 503; once the database is back kyc serves again without being
// restarted, and every create acknowledged before, during or after the
// outage is in the book exactly once (clients retry with the same
// Idempotency-Key). The outage is made by a TCP proxy between kyc and
// PostgreSQL so that the server other tests share keeps running; with
// KYC_RELIABILITY_PG_RESTART=1 (make reliability-nightly, which runs this
// package alone) the real server is stopped and started instead.
func TestPostgresOutage(t *testing.T) {
	if os.Getenv(testdb.EnvPostgresURL) == "" {
		t.Skip("the outage test needs PostgreSQL: set KYC_TEST_POSTGRES_URL")
	}
	d := newDeployment(t, testdb.Postgres)
	u, err := url.Parse(d.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	realRestart := os.Getenv("KYC_RELIABILITY_PG_RESTART") == "1"
	proxy := newTCPProxy(t, u.Host)
	if !realRestart {
		u.Host = proxy.addr()
	}
	p := d.start("", d.withEnv("KYC_DATABASE_URL="+u.String()))
	c := d.client(p.base)
	ctx := context.Background()
	if _, err := c.getToken(ctx); err != nil {
		t.Fatal(err)
	}

	const (
		before = iota
		during
		after
	)
	var phase atomic.Int32
	var mu sync.Mutex
	statuses := [3]map[string]int{{}, {}, {}}
	var bad []string
	record := func(what string, r response) {
		ph := phase.Load()
		mu.Lock()
		defer mu.Unlock()
		key := fmt.Sprint(r.status)
		if r.err != nil {
			key = "no answer"
		}
		statuses[ph][what+" "+key]++
		switch {
		case r.err != nil:
			bad = append(bad, fmt.Sprintf("%s: no answer: %v", what, r.err))
		case r.status == http.StatusServiceUnavailable && r.header.Get("Retry-After") == "" && what != "readyz":
			bad = append(bad, fmt.Sprintf("%s: 503 without Retry-After", what))
		case r.status >= 500 && r.status != http.StatusServiceUnavailable:
			bad = append(bad, fmt.Sprintf("%s: %s", what, r))
		}
	}

	stop := make(chan struct{})
	var acked sync.Map // index → id
	var ackedAfter atomic.Int64
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				i := int(next.Add(1) - 1)
				key := fmt.Sprintf("outage-%d", i)
				for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(50 * time.Millisecond) {
					r := c.do(ctx, http.MethodPost, "/api/v1/customers", customerBody(i), map[string]string{"Idempotency-Key": key})
					record("create", r)
					if r.status == http.StatusCreated || r.status == http.StatusOK {
						var cu struct {
							ID string `json:"id"`
						}
						_ = json.Unmarshal(r.body, &cu)
						acked.Store(i, cu.ID)
						if phase.Load() == after {
							ackedAfter.Add(1)
						}
						break
					}
					if time.Now().After(deadline) {
						mu.Lock()
						bad = append(bad, fmt.Sprintf("create %d not acknowledged within 2 minutes: %s", i, r))
						mu.Unlock()
						return
					}
				}
			}
		})
	}
	wg.Go(func() {
		hc := &http.Client{Timeout: 15 * time.Second}
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			resp, err := hc.Get(p.base() + "/readyz")
			r := response{err: err}
			if err == nil {
				r.status, r.header = resp.StatusCode, resp.Header
				resp.Body.Close()
			}
			record("readyz", r)
			record("list", c.do(ctx, http.MethodGet, "/api/v1/customers?limit=1", nil, nil))
		}
	})

	time.Sleep(2 * time.Second)
	phase.Store(during)
	if realRestart {
		pgCluster(t, "stop", "-m", "fast")
	} else {
		proxy.cut()
	}
	time.Sleep(4 * time.Second)
	phase.Store(after)
	if realRestart {
		pgCluster(t, "start")
	} else {
		proxy.restore()
	}
	restored := time.Now()
	for ackedAfter.Load() < 20 && time.Since(restored) < time.Minute {
		time.Sleep(50 * time.Millisecond)
	}
	recovery := time.Since(restored)
	close(stop)
	wg.Wait()

	for i, name := range []string{"before", "during", "after"} {
		keys := make([]string, 0, len(statuses[i]))
		for k, v := range statuses[i] {
			keys = append(keys, fmt.Sprintf("%s×%d", k, v))
		}
		sort.Strings(keys)
		t.Logf("%s the outage: %s", name, strings.Join(keys, ", "))
	}
	if len(bad) > 0 {
		t.Errorf("%d answers broke the criterion, e.g.:\n%s\nserver output (tail):\n%s", len(bad), strings.Join(bad[:min(len(bad), 10)], "\n"), p.logs.String())
	}
	if statuses[during]["create 503"] == 0 {
		t.Error("no create was answered 503 during the outage")
	}
	if statuses[during]["readyz 503"] == 0 {
		t.Error("/readyz never answered 503 during the outage")
	}
	if ackedAfter.Load() < 20 {
		t.Fatalf("only %d creates acknowledged in the minute after the database came back: kyc did not recover", ackedAfter.Load())
	}
	t.Logf("recovered: 20 creates acknowledged %s after the database came back", recovery.Round(time.Millisecond))

	// Every acknowledged create is in the book exactly once.
	want := map[string]bool{}
	acked.Range(func(_, v any) bool { want[v.(string)] = true; return true })
	ids, err := c.listCustomerIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	acked.Range(func(_, _ any) bool { n++; return true })
	if len(want) != n {
		t.Errorf("%d acknowledged creates share %d customers: two keys got one customer", n, len(want))
	}
	for _, id := range ids {
		if !want[id] {
			t.Errorf("customer %s exists but no acknowledged create returned it (a duplicate)", id)
		}
		delete(want, id)
	}
	for id := range want {
		t.Errorf("acknowledged customer %s is missing", id)
	}
}

// pgCluster runs pg_ctlcluster on the machine's one cluster (the nightly
// run's real restart; it needs root and Debian's postgresql-common).
func pgCluster(t *testing.T, args ...string) {
	t.Helper()
	versions, err := os.ReadDir("/etc/postgresql")
	if err != nil || len(versions) == 0 {
		t.Fatalf("KYC_RELIABILITY_PG_RESTART=1 needs a local cluster under /etc/postgresql: %v", err)
	}
	cmd := exec.Command("pg_ctlcluster", append([]string{"--skip-systemctl-redirect", versions[0].Name(), "main", args[0]}, args[1:]...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pg_ctlcluster %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}
