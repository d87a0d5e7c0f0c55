package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// event returns an unsealed event about an entity.
func event(entityType, entityID string) domain.AuditEvent {
	n := seq.Add(1)
	return domain.AuditEvent{
		ID:         id("aud"),
		OccurredAt: at(int(n)),
		Actor:      "client:cli_1",
		Action:     "customer.created",
		EntityType: entityType,
		EntityID:   entityID,
		Digest:     "d",
		Meta:       `{"status":"draft"}`,
	}
}

// appendEvent journals one event in its own transaction.
func appendEvent(t *testing.T, s store.Store, e domain.AuditEvent) domain.AuditEvent {
	t.Helper()
	must(t, s.InTx(context.Background(), func(tx store.Tx) error {
		return tx.Audit().Append(context.Background(), e)
	}))
	return e
}

// link is the storage tests' stand-in for the application's chain rule.
func link(prev string, e domain.AuditEvent) string {
	sum := sha256.Sum256([]byte(prev + "|" + e.ID))
	return hex.EncodeToString(sum[:])
}

// trySeal seals up to limit journaled events the way the application's
// sealer does, and returns them; ok is false when another sealer held the
// head.
func trySeal(s store.Store, limit int) (sealed []domain.AuditEvent, ok bool, err error) {
	ctx := context.Background()
	err = s.InTx(ctx, func(tx store.Tx) error {
		sealed = nil
		h, locked, err := tx.Audit().LockHeadForSeal(ctx)
		if ok = locked; err != nil || !locked {
			return err
		}
		pend, err := tx.Audit().Pending(ctx, limit)
		if err != nil || len(pend) == 0 {
			return err
		}
		round := store.AuditSeal{Prev: h}
		prev := h.Hash
		for i, p := range pend {
			e := p.Event
			e.Seq, e.PrevHash, e.SealedAt = h.Seq+int64(i)+1, prev, at(1000+int(h.Seq)+i)
			e.Hash = link(prev, e)
			prev = e.Hash
			round.Events = append(round.Events, e)
			round.Positions = append(round.Positions, p.Pos)
		}
		sealed = round.Events
		return tx.Audit().Seal(ctx, round)
	})
	if err != nil {
		sealed = nil
	}
	return sealed, ok, err
}

// sealRound is trySeal that fails the test on an error.
func sealRound(t *testing.T, s store.Store, limit int) ([]domain.AuditEvent, bool) {
	t.Helper()
	sealed, ok, err := trySeal(s, limit)
	must(t, err)
	return sealed, ok
}

// sealAll seals every journaled event.
func sealAll(t *testing.T, s store.Store) []domain.AuditEvent {
	t.Helper()
	var all []domain.AuditEvent
	for {
		evs, _ := sealRound(t, s, 100)
		if len(evs) == 0 {
			return all
		}
		all = append(all, evs...)
	}
}

// verifyChain checks that events are 1..n, each linked to the previous one.
func verifyChain(t *testing.T, events []domain.AuditEvent) {
	t.Helper()
	prev := ""
	for i, e := range events {
		if e.Seq != int64(i+1) || e.PrevHash != prev || e.Hash != link(prev, e) {
			t.Fatalf("chain broken at index %d: seq %d prev %q, want seq %d prev %q", i, e.Seq, e.PrevHash, i+1, prev)
		}
		prev = e.Hash
	}
}

// concurrentWriters reports whether two write transactions of s may be
// open at once (PostgreSQL); SQLite has one writer at a time by design.
func concurrentWriters(t *testing.T, s store.Store) {
	t.Helper()
	if s.Dialect() == "sqlite" {
		t.Skip("SQLite runs one write transaction at a time (BEGIN IMMEDIATE): nothing to interleave")
	}
}

var auditTests = map[string]func(*testing.T, store.Store){
	"EventsOfOneTransactionKeepTheirOrder": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		// A transaction journals its events in one statement at its end:
		// they keep the order they were appended in, follow the events
		// committed before, and a transaction that rolls back journals none.
		first := appendEvent(t, s, event("customer", "cus_0"))
		var batch []domain.AuditEvent
		for i := range 5 {
			batch = append(batch, event("customer", fmt.Sprintf("cus_%d", i+1)))
		}
		must(t, s.InTx(ctx, func(tx store.Tx) error {
			for _, e := range batch {
				if err := tx.Audit().Append(ctx, e); err != nil {
					return err
				}
			}
			return nil
		}))
		errRollback := errors.New("rollback")
		wantErr(t, s.InTx(ctx, func(tx store.Tx) error {
			must(t, tx.Audit().Append(ctx, event("customer", "cus_rolled_back")))
			return errRollback
		}), errRollback)
		sealed := sealAll(t, s)
		if len(sealed) != 6 {
			t.Fatalf("sealed %d events, want 6", len(sealed))
		}
		for i, e := range append([]domain.AuditEvent{first}, batch...) {
			if sealed[i].ID != e.ID || sealed[i].EntityID != e.EntityID || !sealed[i].OccurredAt.Equal(e.OccurredAt.Truncate(time.Microsecond)) || sealed[i].Meta != e.Meta {
				t.Fatalf("event %d sealed as %+v, want %+v", i, sealed[i], e)
			}
		}
		verifyChain(t, sealed)
	},
	"AppendJournalsSealChains": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		h, err := s.Audit().Head(ctx)
		must(t, err)
		if h != (store.AuditHead{}) {
			t.Fatalf("fresh head = %+v, want zero", h)
		}
		e1 := appendEvent(t, s, event("customer", "cus_1"))
		e2 := appendEvent(t, s, event("case", "case_1"))
		e3 := appendEvent(t, s, event("customer", "cus_1"))
		// Appended, not sealed: the chain is still empty.
		all, err := s.Audit().List(ctx, store.AuditFilter{})
		must(t, err)
		equal(t, all, []domain.AuditEvent{})
		pend, err := s.Audit().Pending(ctx, 10)
		must(t, err)
		if len(pend) != 3 || pend[0].Pos >= pend[1].Pos || pend[1].Pos >= pend[2].Pos {
			t.Fatalf("pending %+v", pend)
		}
		equal(t, []domain.AuditEvent{pend[0].Event, pend[1].Event, pend[2].Event}, []domain.AuditEvent{e1, e2, e3})
		st, err := s.Audit().PendingStats(ctx, "")
		must(t, err)
		if st.Count != 3 || !st.Oldest.Equal(stored(e1.OccurredAt)) {
			t.Fatalf("pending stats %+v", st)
		}

		// A round of two, then the rest.
		first, ok := sealRound(t, s, 2)
		if !ok || len(first) != 2 {
			t.Fatalf("first round sealed %d (locked %v)", len(first), ok)
		}
		rest := sealAll(t, s)
		if len(rest) != 1 {
			t.Fatalf("second round sealed %d", len(rest))
		}
		sealed := append(first, rest...)
		h, err = s.Audit().Head(ctx)
		must(t, err)
		if h.Seq != 3 || h.Hash != sealed[2].Hash {
			t.Fatalf("head = %+v, want seq 3 hash %s", h, sealed[2].Hash)
		}
		all, err = s.Audit().List(ctx, store.AuditFilter{})
		must(t, err)
		equal(t, all, sealed)
		verifyChain(t, all)
		pend, err = s.Audit().Pending(ctx, 10)
		must(t, err)
		st, err = s.Audit().PendingStats(ctx, "")
		must(t, err)
		if len(pend) != 0 || st != (store.AuditPending{}) {
			t.Fatalf("journal after sealing: %+v %+v", pend, st)
		}

		for _, tc := range []struct {
			name string
			f    store.AuditFilter
			want []domain.AuditEvent
		}{
			{"entity", store.AuditFilter{EntityType: "customer", EntityID: "cus_1"}, []domain.AuditEvent{sealed[0], sealed[2]}},
			{"type", store.AuditFilter{EntityType: "case"}, []domain.AuditEvent{sealed[1]}},
			{"after", store.AuditFilter{AfterSeq: 1}, []domain.AuditEvent{sealed[1], sealed[2]}},
			{"up to", store.AuditFilter{UpToSeq: 2}, []domain.AuditEvent{sealed[0], sealed[1]}},
			{"limit", store.AuditFilter{AfterSeq: 1, Limit: 1}, []domain.AuditEvent{sealed[1]}},
			{"end", store.AuditFilter{AfterSeq: 3}, []domain.AuditEvent{}},
		} {
			got, err := s.Audit().List(ctx, tc.f)
			must(t, err)
			t.Run(tc.name, func(t *testing.T) { equal(t, got, tc.want) })
		}
	},
	"SealRefusesStaleHead": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		appendEvent(t, s, event("customer", "cus_1"))
		sealed := sealAll(t, s)
		appendEvent(t, s, event("customer", "cus_2"))
		pend, err := s.Audit().Pending(ctx, 10)
		must(t, err)
		e := pend[0].Event
		for name, prev := range map[string]store.AuditHead{
			"behind":     {},
			"ahead":      {Seq: 5, Hash: sealed[0].Hash},
			"other hash": {Seq: 1, Hash: "forged"},
		} {
			err := s.InTx(ctx, func(tx store.Tx) error {
				e.Seq, e.PrevHash, e.Hash, e.SealedAt = prev.Seq+1, prev.Hash, "h", at(0)
				return tx.Audit().Seal(ctx, store.AuditSeal{Prev: prev, Events: []domain.AuditEvent{e}, Positions: []int64{pend[0].Pos}})
			})
			if err == nil {
				t.Fatalf("%s: a round built on a stale head was stored", name)
			}
		}
		all, err := s.Audit().List(ctx, store.AuditFilter{})
		must(t, err)
		equal(t, all, sealed)
		if pend2, _ := s.Audit().Pending(ctx, 10); len(pend2) != 1 {
			t.Fatalf("journal lost an event to a refused round: %+v", pend2)
		}
	},
	"SealRefusesAGoneJournalRow": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		appendEvent(t, s, event("customer", "cus_1"))
		pend, err := s.Audit().Pending(ctx, 10)
		must(t, err)
		err = s.InTx(ctx, func(tx store.Tx) error {
			h, _, err := tx.Audit().LockHeadForSeal(ctx)
			must(t, err)
			e := pend[0].Event
			e.Seq, e.Hash, e.SealedAt = 1, "h", at(0)
			// Position 0 is never used: the round names a row that is gone.
			return tx.Audit().Seal(ctx, store.AuditSeal{Prev: h, Events: []domain.AuditEvent{e}, Positions: []int64{0}})
		})
		wantErr(t, err, store.ErrConflict)
		h, err := s.Audit().Head(ctx)
		must(t, err)
		if h.Seq != 0 {
			t.Fatalf("head moved by a refused round: %+v", h)
		}
	},
	"AppendTakesNoLock": func(t *testing.T, s store.Store) {
		concurrentWriters(t, s)
		ctx := context.Background()
		// A writer holds its transaction open after appending; a second
		// writer appends and commits meanwhile, and a sealer seals the
		// second event without waiting for the first.
		appended := make(chan struct{})
		release := make(chan struct{})
		done := make(chan error, 1)
		slow := event("customer", "cus_slow")
		go func() {
			done <- s.InTx(ctx, func(tx store.Tx) error {
				if err := tx.Audit().Append(ctx, slow); err != nil {
					return err
				}
				close(appended)
				<-release
				return nil
			})
		}()
		<-appended
		fast := appendEvent(t, s, event("customer", "cus_fast"))
		sealed, ok := sealRound(t, s, 10)
		if !ok || len(sealed) != 1 || sealed[0].ID != fast.ID {
			t.Fatalf("sealed %+v while the slow writer was open", sealed)
		}
		close(release)
		must(t, <-done)
		// The late commit is sealed next, after the event it follows in the
		// journal: the chain order is the sealer's, never a gap.
		sealed, _ = sealRound(t, s, 10)
		if len(sealed) != 1 || sealed[0].ID != slow.ID || sealed[0].Seq != 2 {
			t.Fatalf("late commit sealed as %+v", sealed)
		}
	},
	"OneSealerAtATime": func(t *testing.T, s store.Store) {
		concurrentWriters(t, s)
		ctx := context.Background()
		appendEvent(t, s, event("customer", "cus_1"))
		locked := make(chan struct{})
		release := make(chan struct{})
		done := make(chan error, 1)
		go func() {
			done <- s.InTx(ctx, func(tx store.Tx) error {
				_, ok, err := tx.Audit().LockHeadForSeal(ctx)
				if err != nil || !ok {
					t.Errorf("first sealer: locked %v, %v", ok, err)
				}
				close(locked)
				<-release
				return err
			})
		}()
		<-locked
		start := time.Now()
		if sealed, ok := sealRound(t, s, 10); ok || len(sealed) != 0 {
			t.Errorf("a second sealer got the head while the first held it: %+v", sealed)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("the second sealer waited %v instead of skipping", d)
		}
		close(release)
		must(t, <-done)
		if sealed, ok := sealRound(t, s, 10); !ok || len(sealed) != 1 {
			t.Fatalf("after release: sealed %d, locked %v", len(sealed), ok)
		}
	},
	"ConcurrentWritersAndSealers": func(t *testing.T, s store.Store) {
		const writers, each, sealers = 8, 10, 3
		var wg sync.WaitGroup
		stop := make(chan struct{})
		var sealMu sync.Mutex
		var sealed []domain.AuditEvent
		var sg sync.WaitGroup
		for range sealers {
			sg.Go(func() {
				for {
					evs, _, err := trySeal(s, 7)
					if err != nil {
						t.Error(err)
						return
					}
					sealMu.Lock()
					sealed = append(sealed, evs...)
					sealMu.Unlock()
					select {
					case <-stop:
						return
					default:
					}
				}
			})
		}
		for range writers {
			wg.Go(func() {
				for range each {
					err := s.InTx(context.Background(), func(tx store.Tx) error {
						if _, err := tx.Customers().CountByStatus(context.Background()); err != nil {
							return err
						}
						return tx.Audit().Append(context.Background(), event("customer", "cus_c"))
					})
					if err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		close(stop)
		sg.Wait()
		if t.Failed() {
			return
		}
		sealed = append(sealed, sealAll(t, s)...)
		all, err := s.Audit().List(context.Background(), store.AuditFilter{})
		must(t, err)
		if len(all) != writers*each || len(sealed) != writers*each {
			t.Fatalf("chain has %d events, sealers reported %d, want %d", len(all), len(sealed), writers*each)
		}
		verifyChain(t, all)
	},
	"KilledSealerLeavesNothing": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		appendEvent(t, s, event("customer", "cus_1"))
		appendEvent(t, s, event("customer", "cus_2"))
		// A sealer dies after writing its round, before committing: on
		// PostgreSQL its backend is terminated; on SQLite a process that
		// dies leaves an uncommitted transaction, which a rollback is.
		errKilled := errors.New("killed")
		err := s.InTx(ctx, func(tx store.Tx) error {
			h, _, err := tx.Audit().LockHeadForSeal(ctx)
			must(t, err)
			pend, err := tx.Audit().Pending(ctx, 10)
			must(t, err)
			round := store.AuditSeal{Prev: h}
			for i, p := range pend {
				e := p.Event
				e.Seq, e.Hash, e.SealedAt = int64(i+1), "h", at(0)
				round.Events = append(round.Events, e)
				round.Positions = append(round.Positions, p.Pos)
			}
			must(t, tx.Audit().Seal(ctx, round))
			if s.Dialect() == "postgres" {
				_, err := tx.SQLTx().ExecContext(ctx, "SELECT pg_terminate_backend(pg_backend_pid())")
				return errors.Join(errKilled, err)
			}
			return errKilled
		})
		wantErr(t, err, errKilled)
		h, err := s.Audit().Head(ctx)
		must(t, err)
		pend, err := s.Audit().Pending(ctx, 10)
		must(t, err)
		all, err := s.Audit().List(ctx, store.AuditFilter{})
		must(t, err)
		if h.Seq != 0 || len(pend) != 2 || len(all) != 0 {
			t.Fatalf("after the killed round: head %+v, %d pending, %d sealed", h, len(pend), len(all))
		}
		// The next sealer seals both, once.
		sealAll(t, s)
		all, err = s.Audit().List(ctx, store.AuditFilter{})
		must(t, err)
		if len(all) != 2 {
			t.Fatalf("sealed %d events, want 2", len(all))
		}
		verifyChain(t, all)
	},
	"AppendOnly": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		appendEvent(t, s, event("customer", "cus_1"))
		sealAll(t, s)
		for _, stmt := range []string{
			"UPDATE audit_events SET action = 'customer.approved' WHERE seq = 1",
			"DELETE FROM audit_events WHERE seq = 1",
		} {
			_, err := s.DB().ExecContext(ctx, stmt)
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Fatalf("%s: err = %v, want the append-only trigger's refusal", stmt, err)
			}
		}
		if s.Dialect() == "postgres" {
			if _, err := s.DB().ExecContext(ctx, "TRUNCATE audit_events"); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Fatalf("TRUNCATE: err = %v, want the append-only trigger's refusal", err)
			}
		}
		all, err := s.Audit().List(ctx, store.AuditFilter{})
		must(t, err)
		if len(all) != 1 || all[0].Action != "customer.created" {
			t.Fatalf("sealed event changed: %+v", all)
		}
	},
	"SetKeyOnce": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		must(t, s.Audit().SetKey(ctx, "mac", "kid"))
		wantErr(t, s.Audit().SetKey(ctx, "other", "kid2"), store.ErrConflict)
		h, err := s.Audit().Head(ctx)
		must(t, err)
		if h.LegacyMAC != "mac" || h.KeyID != "kid" {
			t.Fatalf("head %+v", h)
		}
	},
}
