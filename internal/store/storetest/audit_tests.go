package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// event returns the event that follows head.
func event(h store.AuditHead, entityType, entityID string) domain.AuditEvent {
	e := domain.AuditEvent{
		Seq:        h.Seq + 1,
		ID:         id("aud"),
		OccurredAt: at(int(h.Seq)),
		Actor:      "client:cli_1",
		Action:     "customer.created",
		EntityType: entityType,
		EntityID:   entityID,
		Digest:     "d",
		Meta:       `{"status":"draft"}`,
		PrevHash:   h.Hash,
	}
	sum := sha256.Sum256([]byte(e.PrevHash + "|" + e.ID))
	e.Hash = hex.EncodeToString(sum[:])
	return e
}

// appendEvent appends one event in its own transaction.
func appendEvent(t *testing.T, s store.Store, entityType, entityID string) domain.AuditEvent {
	t.Helper()
	var e domain.AuditEvent
	must(t, s.InTx(context.Background(), func(tx store.Tx) error {
		h, err := tx.Audit().LockHead(context.Background())
		if err != nil {
			return err
		}
		e = event(h, entityType, entityID)
		return tx.Audit().Append(context.Background(), e)
	}))
	return e
}

// verifyChain checks that events are 1..n, each linked to the previous one.
func verifyChain(t *testing.T, events []domain.AuditEvent) {
	t.Helper()
	prev := ""
	for i, e := range events {
		if e.Seq != int64(i+1) || e.PrevHash != prev {
			t.Fatalf("chain broken at index %d: seq %d prev %q, want seq %d prev %q", i, e.Seq, e.PrevHash, i+1, prev)
		}
		prev = e.Hash
	}
}

var auditTests = map[string]func(*testing.T, store.Store){
	"AppendAndList": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		h, err := s.Audit().LockHead(ctx)
		must(t, err)
		if h != (store.AuditHead{}) {
			t.Fatalf("fresh head = %+v, want zero", h)
		}
		e1 := appendEvent(t, s, "customer", "cus_1")
		e2 := appendEvent(t, s, "case", "case_1")
		e3 := appendEvent(t, s, "customer", "cus_1")
		h, err = s.Audit().LockHead(ctx)
		must(t, err)
		if h != (store.AuditHead{Seq: 3, Hash: e3.Hash}) {
			t.Fatalf("head = %+v, want seq 3 hash %s", h, e3.Hash)
		}
		all, err := s.Audit().List(ctx, store.AuditFilter{})
		must(t, err)
		equal(t, all, []domain.AuditEvent{e1, e2, e3})
		verifyChain(t, all)

		for _, tc := range []struct {
			name string
			f    store.AuditFilter
			want []domain.AuditEvent
		}{
			{"entity", store.AuditFilter{EntityType: "customer", EntityID: "cus_1"}, []domain.AuditEvent{e1, e3}},
			{"type", store.AuditFilter{EntityType: "case"}, []domain.AuditEvent{e2}},
			{"after", store.AuditFilter{AfterSeq: 1}, []domain.AuditEvent{e2, e3}},
			{"limit", store.AuditFilter{AfterSeq: 1, Limit: 1}, []domain.AuditEvent{e2}},
			{"end", store.AuditFilter{AfterSeq: 3}, []domain.AuditEvent{}},
		} {
			got, err := s.Audit().List(ctx, tc.f)
			must(t, err)
			t.Run(tc.name, func(t *testing.T) { equal(t, got, tc.want) })
		}
	},
	"AppendOutOfOrder": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		e1 := appendEvent(t, s, "customer", "cus_1")
		err := s.InTx(ctx, func(tx store.Tx) error {
			// An event built from a stale head (seq 0) must not fork the chain.
			return tx.Audit().Append(ctx, event(store.AuditHead{}, "customer", "cus_2"))
		})
		wantErr(t, err, store.ErrConflict)
		err = s.InTx(ctx, func(tx store.Tx) error {
			return tx.Audit().Append(ctx, event(store.AuditHead{Seq: 5, Hash: e1.Hash}, "customer", "cus_2"))
		})
		wantErr(t, err, store.ErrConflict)
		all, err := s.Audit().List(ctx, store.AuditFilter{})
		must(t, err)
		equal(t, all, []domain.AuditEvent{e1})
	},
	"ConcurrentAppendersNeverFork": func(t *testing.T, s store.Store) {
		const workers, each = 8, 5
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for range workers {
			wg.Go(func() {
				for range each {
					errs <- s.InTx(context.Background(), func(tx store.Tx) error {
						ctx := context.Background()
						h, err := tx.Audit().LockHead(ctx)
						if err != nil {
							return err
						}
						// Do some work while holding the head, as the app does.
						if _, err := tx.Customers().CountByStatus(ctx); err != nil {
							return err
						}
						return tx.Audit().Append(ctx, event(h, "customer", "cus_c"))
					})
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			must(t, err) // with the head locked, no appender ever conflicts
		}
		all, err := s.Audit().List(context.Background(), store.AuditFilter{})
		must(t, err)
		if len(all) != workers*each {
			t.Fatalf("got %d events, want %d", len(all), workers*each)
		}
		verifyChain(t, all)
	},
	"LockHeadBlocksSecondAppender": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		locked := make(chan struct{})
		release := make(chan struct{})
		done := make(chan store.AuditHead, 1)
		var first domain.AuditEvent
		go func() {
			<-locked
			var h store.AuditHead
			err := s.InTx(ctx, func(tx store.Tx) error {
				var err error
				h, err = tx.Audit().LockHead(ctx)
				if err != nil {
					return err
				}
				return tx.Audit().Append(ctx, event(h, "customer", "cus_2"))
			})
			if err != nil {
				t.Error(err)
			}
			done <- h
		}()
		must(t, s.InTx(ctx, func(tx store.Tx) error {
			h, err := tx.Audit().LockHead(ctx)
			if err != nil {
				return err
			}
			close(locked)
			select {
			case <-done:
				t.Error("second appender read the head while the first held it")
			case <-time.After(300 * time.Millisecond):
			}
			first = event(h, "customer", "cus_1")
			close(release)
			return tx.Audit().Append(ctx, first)
		}))
		<-release
		h := <-done
		if h.Seq != 1 || h.Hash != first.Hash {
			t.Fatalf("second appender saw head %+v, want seq 1 hash %s", h, first.Hash)
		}
	},
	"RowsEditableForTamperTest": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		appendEvent(t, s, "customer", "cus_1")
		e2 := appendEvent(t, s, "customer", "cus_1")
		res, err := s.DB().ExecContext(ctx, "UPDATE audit_events SET action = 'customer.approved' WHERE seq = 2")
		must(t, err)
		if n, _ := res.RowsAffected(); n != 1 {
			t.Fatalf("updated %d rows", n)
		}
		all, err := s.Audit().List(ctx, store.AuditFilter{AfterSeq: 1})
		must(t, err)
		if len(all) != 1 || all[0].Action != "customer.approved" || all[0].Hash != e2.Hash {
			t.Fatalf("tampered row not visible: %+v", all)
		}
	},
}
