package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
)

var rateLimitTests = map[string]func(*testing.T, store.Store){
	// A store that leases tokens (store.RateLeaser, PostgreSQL) applies
	// the rule of store.GCRALease exactly: random leases, concurrent with
	// single takes of the same bucket, give the TAT and grant the Go rule
	// computes from the TAT before (issue 13).
	"LeaseIsGCRALease": func(t *testing.T, s store.Store) {
		leaser, ok := s.RateLimits().(store.RateLeaser)
		if !ok {
			t.Skip("this store meters every request itself")
		}
		ctx := context.Background()
		rl := s.RateLimits()
		const interval, limit = 10 * time.Millisecond, 400 * time.Millisecond
		now := stored(base)
		var tat time.Time // the model's
		for i := range 300 {
			now = now.Add(time.Duration(i*7919%23) * time.Millisecond)
			if i%5 == 4 {
				got, ok, err := rl.Take(ctx, "cli_l/customers", now, interval, limit)
				must(t, err)
				want, wok := store.GCRA(tat, now, interval, limit)
				if ok != wok || !stored(got).Equal(stored(want)) {
					t.Fatalf("take %d: %v %v, model %v %v", i, got, ok, want, wok)
				}
				tat = want
				continue
			}
			hold := time.Duration(i%4) * 25 * time.Millisecond
			least, want := 1+i%3, 1+i%12
			got, n, err := leaser.Lease(ctx, "cli_l/customers", now, interval, limit, hold, least, want)
			must(t, err)
			mt, mn := store.GCRALease(tat, now, interval, limit, hold, least, want)
			if n != mn || (mn > 0 || !tat.IsZero()) && !stored(got).Equal(stored(mt)) {
				t.Fatalf("lease %d (hold %v, %d..%d): TAT %v granted %d; model %v %d", i, hold, least, want, got, n, mt, mn)
			}
			tat = mt
		}
	},
	// The GCRA of store.RateLimits: a burst admitted at once, the next
	// request refused with the TAT unchanged, one more admitted an interval
	// later, buckets independent, full buckets purged.
	"TakeRefillPurge": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		rl := s.RateLimits()
		const interval, burst = time.Second, 3
		limit := interval * burst
		now := base
		for i := range burst {
			tat, ok, err := rl.Take(ctx, "cli_1/customers", now, interval, limit)
			must(t, err)
			if !ok || !stored(tat).Equal(stored(now.Add(time.Duration(i+1)*interval))) {
				t.Fatalf("request %d: admitted %v, TAT %v", i+1, ok, tat)
			}
		}
		tat, ok, err := rl.Take(ctx, "cli_1/customers", now, interval, limit)
		must(t, err)
		if ok || !stored(tat).Equal(stored(now.Add(limit))) {
			t.Fatalf("over the burst: admitted %v, TAT %v", ok, tat)
		}
		if _, ok, _ := rl.Take(ctx, "cli_2/customers", now, interval, limit); !ok {
			t.Fatal("another bucket was refused")
		}
		if _, ok, _ := rl.Take(ctx, "cli_1/customers", now.Add(interval), interval, limit); !ok {
			t.Fatal("refused an interval later")
		}
		n, err := rl.Purge(ctx, now.Add(2*interval))
		must(t, err)
		if n != 1 { // cli_2's bucket is full again, cli_1's is not
			t.Fatalf("purged %d buckets, want 1", n)
		}
		if _, ok, _ := rl.Take(ctx, "cli_1/customers", now.Add(interval), interval, limit); ok {
			t.Fatal("the purge forgot a bucket that was not full")
		}
	},
	// Concurrent requests of one bucket are admitted exactly up to the
	// burst (on PostgreSQL, under the row lock of one upsert each).
	"Concurrent": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		const burst = 20
		var wg sync.WaitGroup
		var mu sync.Mutex
		admitted := 0
		for range 3 * burst {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, ok, err := s.RateLimits().Take(ctx, "cli_1/screening", base, time.Hour, burst*time.Hour)
				if err != nil {
					t.Error(err)
					return
				}
				if ok {
					mu.Lock()
					admitted++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if admitted != burst {
			t.Fatalf("%d admitted of a burst of %d", admitted, burst)
		}
	},
}

var idempotencyEntityTests = map[string]func(*testing.T, store.Store){
	// The entity a request created is recorded on its reservation in the
	// business transaction; a reservation with one is never released, and
	// a second attach (a racing attempt) conflicts.
	"AttachKeepsReservation": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		res := store.IdempotencyRecord{ClientID: "cli_1", Key: "k-a", RequestHash: "rh", CreatedAt: at(0)}
		must(t, s.Idempotency().Put(ctx, res))
		must(t, s.InTx(ctx, func(tx store.Tx) error {
			return tx.Idempotency().Attach(ctx, "cli_1", "k-a", "customer", "cus_1")
		}))
		wantErr(t, s.Idempotency().Attach(ctx, "cli_1", "k-a", "customer", "cus_2"), store.ErrConflict)
		wantErr(t, s.Idempotency().Attach(ctx, "cli_1", "k-none", "customer", "cus_2"), store.ErrConflict)
		must(t, s.Idempotency().Release(ctx, "cli_1", "k-a"))
		got, err := s.Idempotency().Get(ctx, "cli_1", "k-a")
		must(t, err)
		if got.Status != 0 || got.EntityType != "customer" || got.EntityID != "cus_1" {
			t.Fatalf("after attach and release: %+v", got)
		}
		// A rolled-back attach leaves the reservation free.
		res.Key = "k-b"
		must(t, s.Idempotency().Put(ctx, res))
		_ = s.InTx(ctx, func(tx store.Tx) error {
			must(t, tx.Idempotency().Attach(ctx, "cli_1", "k-b", "customer", "cus_3"))
			return store.ErrConflict
		})
		must(t, s.Idempotency().Release(ctx, "cli_1", "k-b"))
		_, err = s.Idempotency().Get(ctx, "cli_1", "k-b")
		wantErr(t, err, store.ErrNotFound)
		// Completing keeps the entity.
		must(t, s.Idempotency().Complete(ctx, "cli_1", "k-a", 201, []byte("b")))
		got, err = s.Idempotency().Get(ctx, "cli_1", "k-a")
		must(t, err)
		if got.Status != 201 || got.EntityID != "cus_1" {
			t.Fatalf("completed: %+v", got)
		}
	},
}
