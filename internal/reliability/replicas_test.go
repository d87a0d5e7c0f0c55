package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// TestThreeReplicas is the scale-out part of the suite: three API
// replicas and two worker processes on one PostgreSQL database, as the
// README's recipe runs them. Pass criteria:
//   - every check of every customer created and submitted through the
//     replicas completes exactly once (one check.completed event per
//     check in the audit trail, none left pending) although two worker
//     processes compete for the jobs;
//   - an Idempotency-Key used on one replica returns the same customer on
//     the others (and nothing is created twice);
//   - a list imported by one process is served by every replica within
//     the reload interval (plus the time a screening takes);
//   - a client's rate limit holds across replicas: with a burst of five,
//     fifteen requests spread over the three replicas get five answers and
//     ten 429s, not five per replica.
func TestThreeReplicas(t *testing.T) {
	if os.Getenv(testdb.EnvPostgresURL) == "" {
		t.Skip("the replica test needs PostgreSQL: set KYC_TEST_POSTGRES_URL")
	}
	const reload = 2 * time.Second
	// Rate limits on for one family, tight enough to count: five requests
	// of lists:read a minute per client, whichever replica serves them.
	d := newDeployment(t, testdb.Postgres, "KYC_LIST_RELOAD_INTERVAL="+reload.String(),
		"KYC_RATE_LIMIT="+noRateLimit+", lists:1/min burst 5")
	var apis []*proc
	for range 3 {
		apis = append(apis, d.start("", nil, "--no-workers"))
	}
	for range 2 {
		d.start("", nil, "--workers-only")
	}
	ctx := context.Background()
	clients := make([]*client, len(apis))
	for i, p := range apis {
		clients[i] = d.client(p.base)
	}

	// Customers through every replica.
	n := sizes(60, 300)
	ids := make([]string, n)
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Go(func() {
			for i := w; i < n; i += 6 {
				c := clients[i%len(clients)]
				id, _, err := createAndSubmit(ctx, c, i)
				if err != nil {
					t.Errorf("customer %d through replica %d: %v", i, i%len(clients), err)
					return
				}
				ids[i] = id
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}

	// One idempotency key, three replicas: one customer.
	var first string
	for i, c := range clients {
		r := c.do(ctx, http.MethodPost, "/api/v1/customers", customerBody(n), map[string]string{"Idempotency-Key": "across-replicas"})
		if r.status != http.StatusCreated && r.status != http.StatusOK {
			t.Fatalf("replica %d: %s", i, r)
		}
		var cu struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(r.body, &cu)
		if i == 0 {
			first = cu.ID
		} else if cu.ID != first {
			t.Errorf("replica %d answered customer %s for the key replica 0 answered with %s", i, cu.ID, first)
		}
	}
	all, err := clients[0].listCustomerIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != n+1 {
		t.Errorf("the book holds %d customers, want %d", len(all), n+1)
	}

	// Every check completed exactly once.
	if waiting := clients[1].waitChecksDone(ctx, ids, 3*time.Minute); len(waiting) > 0 {
		t.Fatalf("%d customers still waiting for checks, e.g. %s", len(waiting), waiting[0])
	}
	checks := map[string]bool{}
	for _, id := range ids {
		r := clients[2].do(ctx, http.MethodGet, "/api/v1/customers/"+id+"/checks", nil, nil)
		if r.status != http.StatusOK {
			t.Fatalf("checks of %s: %s", id, r)
		}
		var out struct {
			Data []struct {
				ID     string `json:"id"`
				Status string `json:"status"`
			} `json:"data"`
		}
		if err := json.Unmarshal(r.body, &out); err != nil {
			t.Fatalf("checks of %s: %v in %s", id, err, r.body)
		}
		if len(out.Data) == 0 {
			t.Fatalf("customer %s has no checks: %s", id, r.body)
		}
		for _, ch := range out.Data {
			if ch.Status == "pending" {
				t.Errorf("check %s of %s still pending", ch.ID, id)
			}
			checks[ch.ID] = true
		}
	}
	completed := completedChecks(ctx, t, clients[0])
	for id := range checks {
		switch completed[id] {
		case 1:
		case 0:
			t.Errorf("check %s has no check.completed event", id)
		default:
			t.Errorf("check %s completed %d times", id, completed[id])
		}
	}
	t.Logf("%d customers through 3 API replicas and 2 worker processes: %d checks, each completed once", n, len(checks))

	// One client's bucket, shared by the replicas.
	ok, limited := 0, 0
	for i := range 15 {
		r := clients[i%len(clients)].do(ctx, http.MethodGet, "/api/v1/lists", nil, nil)
		switch r.status {
		case http.StatusOK:
			ok++
		case http.StatusTooManyRequests:
			limited++
			if r.header.Get("Retry-After") == "" {
				t.Errorf("429 without Retry-After from replica %d", i%len(clients))
			}
		default:
			t.Fatalf("GET /api/v1/lists on replica %d: %s", i%len(clients), r)
		}
	}
	if ok != 5 || limited != 10 {
		t.Errorf("15 requests over 3 replicas with a burst of 5: %d answered, %d limited; want 5 and 10 (one bucket per client, shared)", ok, limited)
	}

	// A list import by one process, served by every replica.
	fixture := kyctest.OFACDir(t)
	sdn, err := os.ReadFile(filepath.Join(fixture, "sdn.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// A new designation, in the official format, before the end-of-file
	// marker.
	entry := []byte("99990001,\"QUIMBY, Bartholomew Reliability\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 02 Mar 1971.\"\r\n")
	if i := bytes.LastIndexByte(sdn, 0x1a); i >= 0 {
		sdn = append(append(append([]byte(nil), sdn[:i]...), entry...), sdn[i:]...)
	} else {
		sdn = append(sdn, entry...)
	}
	if err := os.WriteFile(filepath.Join(fixture, "sdn.csv"), sdn, 0o600); err != nil {
		t.Fatal(err)
	}
	d.run("lists", "import", "--source", "ofac_sdn",
		filepath.Join(fixture, "sdn.csv"), filepath.Join(fixture, "alt.csv"),
		filepath.Join(fixture, "add.csv"), filepath.Join(fixture, "sdn_comments.csv"))
	imported := time.Now()
	for i, c := range clients {
		for {
			r := c.do(ctx, http.MethodPost, "/api/v1/screenings", map[string]any{"name": "Bartholomew Reliability Quimby"}, nil)
			if r.status != http.StatusOK {
				t.Fatalf("screening on replica %d: %s", i, r)
			}
			if bytes.Contains(r.body, []byte("99990001")) || bytes.Contains(bytes.ToUpper(r.body), []byte("QUIMBY")) {
				t.Logf("replica %d serves the new entry %s after the import", i, time.Since(imported).Round(time.Millisecond))
				break
			}
			// The reload interval, twice over for a replica that had just
			// checked, plus time for a loaded machine to build the index.
			if time.Since(imported) > 2*reload+20*time.Second {
				t.Fatalf("replica %d does not serve the new list entry %s after the import (reload interval %s)", i, time.Since(imported).Round(time.Second), reload)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// completedChecks counts check.completed events per check over the whole
// sealed audit trail, once the sealer has caught up.
func completedChecks(ctx context.Context, t *testing.T, c *client) map[string]int {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(200 * time.Millisecond) {
		counts := map[string]int{}
		cursor := int64(0)
		unsealed := int64(0)
		for {
			r := c.do(ctx, http.MethodGet, "/api/v1/audit-events?limit=500&cursor="+strconv.FormatInt(cursor, 10), nil, nil)
			if r.status != http.StatusOK {
				t.Fatalf("audit events: %s", r)
			}
			var page struct {
				Data []struct {
					Seq      int64  `json:"seq"`
					Action   string `json:"action"`
					EntityID string `json:"entity_id"`
				} `json:"data"`
				NextCursor string `json:"next_cursor"`
				Sealing    struct {
					Unsealed int64 `json:"unsealed"`
				} `json:"sealing"`
			}
			if err := json.Unmarshal(r.body, &page); err != nil {
				t.Fatal(err)
			}
			unsealed = page.Sealing.Unsealed
			for _, ev := range page.Data {
				if ev.Action == "check.completed" {
					counts[ev.EntityID]++
				}
			}
			if page.NextCursor == "" {
				break
			}
			next, err := strconv.ParseInt(page.NextCursor, 10, 64)
			if err != nil {
				t.Fatalf("audit cursor %q: %v", page.NextCursor, err)
			}
			cursor = next
		}
		if unsealed == 0 {
			return counts
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d audit events still unsealed after a minute", unsealed)
		}
	}
}
