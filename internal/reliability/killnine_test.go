package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// TestKillNine is the crash part of the suite. Pass criterion: while
// `kyc serve` is killed with SIGKILL at random points and restarted, every
// one of n clients' create+submit pairs (each request with its own
// Idempotency-Key, retried with the same key until acknowledged) ends
// acknowledged; afterwards the book holds exactly n customers — no
// acknowledged write lost, none duplicated — and every submitted customer's
// checks finish within three minutes of the last restart (jobs left running
// by a killed process are rescued: KYC_JOB_TIMEOUT=4s here, so after 6 s).
// CI size: 200 pairs; KYC_RELIABILITY_FULL=1: 1,000.
func TestKillNine(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) { testKillNine(t, engine) })
	}
}

func testKillNine(t *testing.T, engine string) {
	n := sizes(200, 1000)
	const workers = 8
	d := newDeployment(t, engine, "KYC_JOB_TIMEOUT=4s")
	p := d.start("", nil)
	c := d.client(p.base)
	ctx := context.Background()

	// The killer: SIGKILL after a random number (10–40) of pairs were
	// acknowledged since the last start — at a random point of whatever is
	// in flight then — and restart at once on the same address.
	stop := make(chan struct{})
	killerDone := make(chan struct{})
	var kills, acked atomic.Int64
	var failed atomic.Bool
	go func() {
		defer close(killerDone)
		for {
			target := acked.Load() + int64(10+rand.IntN(31))
			for acked.Load() < target {
				select {
				case <-stop:
					return
				case <-time.After(time.Duration(rand.IntN(20)) * time.Millisecond):
				}
			}
			p.kill9()
			kills.Add(1)
			if err := p.restart(); err != nil {
				t.Errorf("restart after kill %d: %v", kills.Load(), err)
				failed.Store(true)
				return
			}
		}
	}()

	type outcome struct {
		id       string
		attempts int
	}
	results := make([]outcome, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || failed.Load() {
					return
				}
				id, attempts, err := createAndSubmit(ctx, c, i)
				if err != nil {
					failed.Store(true)
					t.Errorf("pair %d: %v", i, err)
					return
				}
				results[i] = outcome{id, attempts}
				acked.Add(1)
			}
		})
	}
	wg.Wait()
	close(stop)
	<-killerDone
	if t.Failed() {
		t.Fatalf("server output (tail):\n%s", p.logs.String())
	}
	if kills.Load() == 0 {
		t.Fatal("the run ended before the first kill: nothing was tested")
	}

	// No acknowledged write lost, none duplicated.
	seen := map[string]int{}
	retried := 0
	for i, r := range results {
		if prev, dup := seen[r.id]; dup {
			t.Errorf("pairs %d and %d were acknowledged with the same customer %s", prev, i, r.id)
		}
		seen[r.id] = i
		if r.attempts > 2 {
			retried++
		}
	}
	ids, err := c.listCustomerIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != n {
		t.Errorf("the book holds %d customers after %d acknowledged creates: %d duplicated or lost", len(ids), n, len(ids)-n)
	}
	for _, id := range ids {
		if _, ok := seen[id]; !ok {
			t.Errorf("customer %s exists but no client was given it (a duplicate create)", id)
		}
	}
	// Every check finishes.
	all := make([]string, 0, n)
	for _, r := range results {
		all = append(all, r.id)
	}
	start := time.Now()
	if waiting := c.waitChecksDone(ctx, all, 3*time.Minute); len(waiting) > 0 {
		sort.Strings(waiting)
		t.Errorf("%d customers still submitted (checks unfinished) 3 minutes after the last restart, e.g. %s", len(waiting), waiting[0])
	}
	t.Logf("%s: %d create+submit pairs, %d kills, %d pairs needed retries; checks all done %s after the last restart",
		engine, n, kills.Load(), retried, time.Since(start).Round(time.Second))
}

// createAndSubmit creates customer i and submits it, each with its own
// idempotency key, retrying (same key) through connection errors and
// 5xx/409 answers for up to five minutes. It returns the customer's id and
// the number of requests it took.
func createAndSubmit(ctx context.Context, c *client, i int) (string, int, error) {
	deadline := time.Now().Add(5 * time.Minute)
	attempts := 0
	var id string
	key := fmt.Sprintf("reliability-create-%d", i)
	body := customerBody(i)
	for {
		attempts++
		r := c.do(ctx, http.MethodPost, "/api/v1/customers", body, map[string]string{"Idempotency-Key": key})
		if r.status == http.StatusCreated || r.status == http.StatusOK {
			var cu struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(r.body, &cu); err != nil || cu.ID == "" {
				return "", attempts, fmt.Errorf("create answered %s", r)
			}
			id = cu.ID
			break
		}
		if r.err == nil && r.status < 500 && r.status != http.StatusConflict && r.status != http.StatusTooManyRequests {
			return "", attempts, fmt.Errorf("create refused: %s", r)
		}
		retryAfter(r)
		if time.Now().After(deadline) {
			return "", attempts, fmt.Errorf("create not acknowledged within 5 minutes; last answer: %s", r)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for {
		attempts++
		r := c.do(ctx, http.MethodPost, "/api/v1/customers/"+id+"/submit", nil, nil)
		if r.status == http.StatusAccepted || r.status == http.StatusOK {
			return id, attempts, nil
		}
		if r.status == http.StatusTooManyRequests || r.status == http.StatusServiceUnavailable {
			retryAfter(r)
		} else if r.status == http.StatusConflict {
			// A submit applied before the kill but never acknowledged: the
			// customer is past draft.
			if st, rr := c.customerStatus(ctx, id); rr.status == http.StatusOK && st != "draft" {
				return id, attempts, nil
			}
		} else if r.err == nil && r.status < 500 {
			return "", attempts, fmt.Errorf("submit refused: %s", r)
		}
		if time.Now().After(deadline) {
			return "", attempts, fmt.Errorf("submit not acknowledged within 5 minutes; last answer: %s", r)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// retryAfter waits what a 429 or 503 answer's Retry-After asks (at most
// 5 s), as a well-behaved client does.
func retryAfter(r response) {
	if r.header == nil {
		return
	}
	if s, err := strconv.Atoi(r.header.Get("Retry-After")); err == nil && s > 0 {
		time.Sleep(min(time.Duration(s)*time.Second, 5*time.Second))
	}
}
