package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

func snapshot(source, hash string) domain.ListSnapshot {
	return domain.ListSnapshot{
		ID: id("snap"), Source: source, Version: "2026-06-01", ContentHash: hash,
		EntityCount: 2, FetchedAt: at(0), LoadedAt: at(1), Active: false,
	}
}

var listTests = map[string]func(*testing.T, store.Store){
	"SnapshotsActivateFind": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		a := snapshot("ofac_sdn", "h1")
		b := snapshot("ofac_sdn", "h2")
		b.LoadedAt = at(5)
		u := snapshot("un_sc", "h1") // same hash, other source: allowed
		for _, sn := range []domain.ListSnapshot{a, b, u} {
			must(t, s.Lists().CreateSnapshot(ctx, sn))
		}
		dup := snapshot("ofac_sdn", "h1")
		wantErr(t, s.Lists().CreateSnapshot(ctx, dup), store.ErrConflict)

		got, err := s.Lists().GetSnapshot(ctx, a.ID)
		must(t, err)
		equal(t, got, a)
		_, err = s.Lists().GetSnapshot(ctx, "snap_missing")
		wantErr(t, err, store.ErrNotFound)

		got, err = s.Lists().FindSnapshotByHash(ctx, "ofac_sdn", "h2")
		must(t, err)
		equal(t, got, b)
		_, err = s.Lists().FindSnapshotByHash(ctx, "ofac_sdn", "h3")
		wantErr(t, err, store.ErrNotFound)

		active, err := s.Lists().ActiveSnapshots(ctx)
		must(t, err)
		equal(t, active, []domain.ListSnapshot{})

		must(t, s.InTx(ctx, func(tx store.Tx) error { return tx.Lists().Activate(ctx, a.ID) }))
		must(t, s.Lists().Activate(ctx, u.ID))
		a.Active, u.Active = true, true
		active, err = s.Lists().ActiveSnapshots(ctx)
		must(t, err)
		equal(t, active, []domain.ListSnapshot{a, u})

		// Activating b deactivates a (same source) but not u.
		must(t, s.InTx(ctx, func(tx store.Tx) error { return tx.Lists().Activate(ctx, b.ID) }))
		a.Active, b.Active = false, true
		active, err = s.Lists().ActiveSnapshots(ctx)
		must(t, err)
		equal(t, active, []domain.ListSnapshot{b, u})
		// Idempotent.
		must(t, s.Lists().Activate(ctx, b.ID))
		wantErr(t, s.Lists().Activate(ctx, "snap_missing"), store.ErrNotFound)

		list, err := s.Lists().ListSnapshots(ctx, "ofac_sdn")
		must(t, err)
		equal(t, list, []domain.ListSnapshot{b, a})
		list, err = s.Lists().ListSnapshots(ctx, "")
		must(t, err)
		if len(list) != 3 {
			t.Fatalf("ListSnapshots(\"\") = %d snapshots, want 3", len(list))
		}
	},
	"EntitiesBytewiseOrder": func(t *testing.T, s store.Store) {
		// Entity ids sort bytewise (as Go sorts strings) on every engine,
		// whatever the database locale.
		ctx := context.Background()
		sn := snapshot("ofac_sdn", "order")
		must(t, s.Lists().CreateSnapshot(ctx, sn))
		ids := []string{"ab", "a_c", "Ab", "a-b", "aB", "A1", "é", "z", "Z"}
		var es []store.ListEntityRecord
		for _, e := range ids {
			es = append(es, store.ListEntityRecord{SnapshotID: sn.ID, EntityID: e, Data: []byte("{}")})
		}
		must(t, s.Lists().InsertEntities(ctx, es))
		got, err := s.Lists().Entities(ctx, sn.ID)
		must(t, err)
		want := slices.Clone(ids)
		slices.Sort(want)
		for i := range got {
			if got[i].EntityID != want[i] {
				t.Fatalf("order: got %q at %d, want %v", got[i].EntityID, i, want)
			}
		}
	},
	"InsertEntitiesBulk": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		const n = 15_000
		sn := snapshot("ofac_sdn", "bulk")
		sn.EntityCount = n
		other := snapshot("ofac_sdn", "other")
		es := make([]store.ListEntityRecord, n)
		for i := range es {
			// Reverse order: Entities must sort by EntityID.
			es[i] = store.ListEntityRecord{
				SnapshotID:  sn.ID,
				EntityID:    fmt.Sprintf("ofac_sdn:%06d", n-i),
				ContentHash: fmt.Sprintf("h%d", i),
				Data:        fmt.Appendf(nil, `{"id":%d,"names":["NAME %d"]}`, n-i, n-i),
			}
		}
		start := time.Now()
		must(t, s.InTx(ctx, func(tx store.Tx) error {
			if err := tx.Lists().CreateSnapshot(ctx, sn); err != nil {
				return err
			}
			if err := tx.Lists().CreateSnapshot(ctx, other); err != nil {
				return err
			}
			if err := tx.Lists().InsertEntities(ctx, es); err != nil {
				return err
			}
			return tx.Lists().InsertEntities(ctx, []store.ListEntityRecord{{SnapshotID: other.ID, EntityID: "x", Data: []byte("{}")}})
		}))
		t.Logf("%s: inserted %d list entities in %v", s.Dialect(), n, time.Since(start))
		got, err := s.Lists().Entities(ctx, sn.ID)
		must(t, err)
		if len(got) != n {
			t.Fatalf("got %d entities, want %d", len(got), n)
		}
		for i, e := range got {
			want := es[n-1-i]
			equal(t, e, want)
		}
		// A duplicate entity in a snapshot is a conflict, and the batch
		// rolls back with its transaction.
		err = s.InTx(ctx, func(tx store.Tx) error {
			return tx.Lists().InsertEntities(ctx, []store.ListEntityRecord{
				{SnapshotID: other.ID, EntityID: "y", Data: []byte("{}")},
				{SnapshotID: other.ID, EntityID: "x", Data: []byte("{}")},
			})
		})
		wantErr(t, err, store.ErrConflict)
		got, err = s.Lists().Entities(ctx, other.ID)
		must(t, err)
		if len(got) != 1 {
			t.Fatalf("other snapshot has %d entities, want 1", len(got))
		}
		// Nothing to insert is fine.
		must(t, s.Lists().InsertEntities(ctx, nil))
	},
}
