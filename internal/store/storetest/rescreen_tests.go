package storetest

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

func rescreenRun(snapshotID, prev string) store.RescreenRun {
	return store.RescreenRun{
		ID: id("rsr"), SnapshotID: snapshotID, PreviousSnapshotID: prev, Source: "ofac_sdn", Status: "pending",
		Delta: 3, Removed: 1, CreatedAt: at(0), UpdatedAt: at(0),
	}
}

var rescreenTests = map[string]func(*testing.T, store.Store){
	// At most one run not done per snapshot, also inside a transaction
	// that goes on (no aborted PostgreSQL transaction); once done, a new
	// activation of the snapshot gets a new run.
	"OnePendingRunPerSnapshot": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		sn := snapshot("ofac_sdn", "h1")
		must(t, s.Lists().CreateSnapshot(ctx, sn))
		r := rescreenRun(sn.ID, "snap_old")
		must(t, s.Rescreens().CreateRun(ctx, r))
		must(t, s.InTx(ctx, func(tx store.Tx) error {
			wantErr(t, tx.Rescreens().CreateRun(ctx, rescreenRun(sn.ID, "snap_other")), store.ErrConflict)
			_, err := tx.Rescreens().GetRun(ctx, r.ID)
			return err
		}))
		done := r
		done.Status, done.FinishedAt = "done", ptr(at(3))
		must(t, s.Rescreens().AdvanceRun(ctx, done, ""))
		must(t, s.Rescreens().CreateRun(ctx, rescreenRun(sn.ID, "snap_old")))
		r = done
		got, err := s.Rescreens().GetRun(ctx, r.ID)
		must(t, err)
		equal(t, got, r)
		_, err = s.Rescreens().GetRun(ctx, "rsr_missing")
		wantErr(t, err, store.ErrNotFound)
	},
	// AdvanceRun is a compare-and-set on the cursor: of two workers that
	// read the same cursor, one moves it on and the other gets
	// ErrConflict; a done run is not moved again.
	"AdvanceRunCompareAndSet": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		sn := snapshot("ofac_sdn", "h1")
		must(t, s.Lists().CreateSnapshot(ctx, sn))
		r := rescreenRun(sn.ID, "")
		must(t, s.Rescreens().CreateRun(ctx, r))
		next := r
		next.Cursor, next.Customers, next.Names, next.Hits, next.Cases, next.UpdatedAt = "cus_5", 5, 7, 1, 1, at(1)
		must(t, s.Rescreens().AdvanceRun(ctx, next, ""))
		wantErr(t, s.Rescreens().AdvanceRun(ctx, next, ""), store.ErrConflict)
		pend, err := s.Rescreens().PendingRuns(ctx)
		must(t, err)
		equal(t, pend, []store.RescreenRun{next})
		done := next
		done.Status, done.FinishedAt = "done", ptr(at(2))
		must(t, s.Rescreens().AdvanceRun(ctx, done, "cus_5"))
		wantErr(t, s.Rescreens().AdvanceRun(ctx, done, "cus_5"), store.ErrConflict)
		got, err := s.Rescreens().GetRun(ctx, r.ID)
		must(t, err)
		equal(t, got, done)
		pend, err = s.Rescreens().PendingRuns(ctx)
		must(t, err)
		equal(t, len(pend), 0)
		runs, err := s.Rescreens().ListRuns(ctx, 10)
		must(t, err)
		equal(t, len(runs), 1)
	},
	// ClaimHit is unique per customer, list entity and content, also
	// between concurrent transactions.
	"ClaimHitOnce": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		h := store.RescreenHit{CustomerID: c.ID, List: "ofac_sdn", EntityID: "ofac_sdn:1", EntityHash: "h1", HitID: "hit_1", RunID: "rsr_1", CreatedAt: at(0)}
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = s.InTx(ctx, func(tx store.Tx) error { return tx.Rescreens().ClaimHit(ctx, h) })
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, store.ErrConflict):
				t.Fatalf("claim: %v, want nil or ErrConflict", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d claims succeeded, want 1", ok)
		}
		h2 := h
		h2.EntityHash = "h2" // the entity changed: a new hit may be raised
		must(t, s.Rescreens().ClaimHit(ctx, h2))
	},
	// ActiveCustomers pages through the customers under ongoing due
	// diligence in id order, with their encrypted data.
	"ActiveCustomersInBatches": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		var want []string
		for _, st := range []string{"approved", "draft", "in_review", "rejected", "approved", "closed", "info_requested", "submitted"} {
			c := addCustomer(t, s, func(c *store.CustomerRecord) { c.Status = st })
			if st == "approved" || st == "in_review" || st == "info_requested" {
				want = append(want, c.ID)
			}
		}
		addCustomer(t, s, func(c *store.CustomerRecord) { c.Status, c.PurgedAt = "approved", ptr(at(9)) })
		slices.Sort(want)
		var got []string
		after := ""
		for {
			batch, err := s.Rescreens().ActiveCustomers(ctx, after, 2)
			must(t, err)
			if len(batch) == 0 {
				break
			}
			for _, c := range batch {
				got = append(got, c.ID)
				if len(c.Data) == 0 {
					t.Fatalf("customer %s read without its data", c.ID)
				}
			}
			after = batch[len(batch)-1].ID
		}
		equal(t, got, want)
	},
	// HitExists, OpenHitsOfEntity and NoteEntityRemoved: an entity gone
	// from its list is noted once on its open hits only.
	"HitsOfEntity": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		open := hit(c.ID)
		open.Disposition, open.DispositionReason, open.DisposedBy, open.DisposedAt = "", nil, "", nil
		decided := hit(c.ID)
		decided.Disposition = string(domain.DispositionFalsePositive)
		other := hit(c.ID)
		other.Disposition, other.DisposedAt, other.EntityID = "", nil, "ofac_sdn:999"
		for _, h := range []store.HitRecord{open, decided, other} {
			must(t, s.Hits().Create(ctx, h))
		}
		ok, err := s.Rescreens().HitExists(ctx, c.ID, open.List, open.EntityID, open.EntityHash)
		must(t, err)
		equal(t, ok, true)
		ok, err = s.Rescreens().HitExists(ctx, c.ID, open.List, open.EntityID, "other-hash")
		must(t, err)
		equal(t, ok, false)
		hs, err := s.Rescreens().OpenHitsOfEntity(ctx, open.List, open.EntityID)
		must(t, err)
		if len(hs) != 1 || hs[0].ID != open.ID {
			t.Fatalf("open hits of the entity = %v, want only %s", hs, open.ID)
		}
		must(t, s.Rescreens().NoteEntityRemoved(ctx, open.ID, "snap_new", at(5)))
		wantErr(t, s.Rescreens().NoteEntityRemoved(ctx, open.ID, "snap_newer", at(6)), store.ErrNotFound)
		got, err := s.Hits().Get(ctx, open.ID)
		must(t, err)
		if got.EntityRemovedAt == nil || !got.EntityRemovedAt.Equal(stored(at(5))) || got.EntityRemovedSnapshot != "snap_new" {
			t.Fatalf("removed = %v %q, want %v snap_new", got.EntityRemovedAt, got.EntityRemovedSnapshot, stored(at(5)))
		}
		hs, err = s.Rescreens().OpenHitsOfEntity(ctx, open.List, open.EntityID)
		must(t, err)
		equal(t, len(hs), 0)
	},
	// At most one open list_update case per customer.
	"OneOpenListUpdateCase": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		a, b := kase(c.ID), kase(c.ID)
		a.Kind, b.Kind = domain.CaseListUpdate, domain.CaseListUpdate
		must(t, s.Cases().Create(ctx, a))
		wantErr(t, s.Cases().Create(ctx, b), store.ErrConflict)
		a.Status, a.ClosedAt, a.Version = domain.CaseClosed, ptr(at(9)), a.Version+1
		must(t, s.Cases().Update(ctx, a))
		must(t, s.Cases().Create(ctx, b))
	},
}
