package storetest

import (
	"context"
	"testing"

	"github.com/kyc-platform/kyc/internal/store"
)

var checkTests = map[string]func(*testing.T, store.Store){
	// A provider's callback event id is recorded once; the same id again
	// (a replay) is a conflict, the same id of another provider is not.
	"RecordCallbackOnce": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		must(t, s.Checks().RecordCallback(ctx, "sandbox", "evt_1", "chk_1", at(0)))
		wantErr(t, s.Checks().RecordCallback(ctx, "sandbox", "evt_1", "chk_2", at(1)), store.ErrConflict)
		must(t, s.Checks().RecordCallback(ctx, "http", "evt_1", "chk_1", at(1)))
		must(t, s.Checks().RecordCallback(ctx, "sandbox", "evt_2", "chk_1", at(2)))
	},
	"ForeignKeys": func(t *testing.T, s store.Store) {
		// Foreign keys are enforced on both engines (SQLite: foreign_keys(1)).
		if err := s.Checks().Create(context.Background(), check("cus_missing")); err == nil {
			t.Fatal("check for a missing customer accepted")
		}
	},
	"CreateMany": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		var ks []store.CheckRecord
		for i, typ := range []string{"identity", "screening", "risk"} {
			k := check(c.ID)
			k.Type, k.Round, k.Attempts, k.Provider, k.Summary = typ, 2, i, "p", "s"
			k.FinishedAt, k.Details = nil, nil
			ks = append(ks, k)
		}
		// One already finished, with details, is written as well.
		done := check(c.ID)
		done.Type, done.Round = "identity", 1
		must(t, s.InTx(ctx, func(tx store.Tx) error { return tx.Checks().CreateMany(ctx, append(ks, done)) }))
		for _, k := range append(ks, done) {
			got, err := s.Checks().Get(ctx, k.ID)
			must(t, err)
			equal(t, got, k)
		}
		// All or nothing: a duplicate id or a missing customer refuses the lot.
		fresh := check(c.ID)
		fresh.FinishedAt, fresh.Details = nil, nil
		wantErr(t, s.Checks().CreateMany(ctx, []store.CheckRecord{fresh, ks[0]}), store.ErrConflict)
		_, err := s.Checks().Get(ctx, fresh.ID)
		wantErr(t, err, store.ErrNotFound)
		orphan := check("cus_missing")
		orphan.FinishedAt, orphan.Details = nil, nil
		if err := s.Checks().CreateMany(ctx, []store.CheckRecord{fresh, orphan}); err == nil {
			t.Fatal("checks of a missing customer accepted")
		}
	},
	"RoundTripAndUpdate": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		k := check(c.ID)
		k.FinishedAt, k.Details = nil, nil
		must(t, s.Checks().Create(ctx, k))
		got, err := s.Checks().Get(ctx, k.ID)
		must(t, err)
		equal(t, got, k)

		k.Status, k.Summary, k.Details, k.Error = "error", "failed", []byte("enc"), "provider down"
		k.Attempts, k.Round, k.Provider, k.Type = 3, 2, "sandbox", "screening"
		k.UpdatedAt, k.FinishedAt = at(20), ptr(at(21))
		must(t, s.Checks().Update(ctx, k))
		got, err = s.Checks().Get(ctx, k.ID)
		must(t, err)
		equal(t, got, k)

		wantErr(t, s.Checks().Create(ctx, k), store.ErrConflict)
		_, err = s.Checks().Get(ctx, "chk_missing")
		wantErr(t, err, store.ErrNotFound)
		k.ID = "chk_missing"
		wantErr(t, s.Checks().Update(ctx, k), store.ErrNotFound)
	},
	"ListByCustomer": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		other := addCustomer(t, s)
		mk := func(customerID, typ string, round int) store.CheckRecord {
			k := check(customerID)
			k.Type, k.Round = typ, round
			must(t, s.Checks().Create(ctx, k))
			return k
		}
		r1risk := mk(c.ID, "risk", 1)
		r1id := mk(c.ID, "identity", 1)
		r2scr := mk(c.ID, "screening", 2)
		r2id := mk(c.ID, "identity", 2)
		mk(other.ID, "identity", 1)
		got, err := s.Checks().ListByCustomer(ctx, c.ID)
		must(t, err)
		equal(t, got, []store.CheckRecord{r2id, r2scr, r1id, r1risk})
		got, err = s.Checks().ListByCustomer(ctx, "cus_missing")
		must(t, err)
		if len(got) != 0 {
			t.Fatalf("got %d checks for a missing customer", len(got))
		}
	},
	"ListAwaiting": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		mk := func(status, provider string, updated int) store.CheckRecord {
			k := check(c.ID)
			k.Status, k.Provider, k.UpdatedAt, k.FinishedAt = status, provider, at(updated), nil
			must(t, s.Checks().Create(ctx, k))
			return k
		}
		old := mk("pending", "sandbox", 3)
		older := mk("pending", "sandbox", 1)
		mk("pending", "", 1)         // not handed to a provider yet
		mk("passed", "sandbox", 1)   // done
		mk("pending", "sandbox", 10) // too recent
		edge := mk("pending", "http", 5)
		got, err := s.Checks().ListAwaiting(ctx, at(5), 0)
		must(t, err)
		equal(t, got, []store.CheckRecord{older, old})
		got, err = s.Checks().ListAwaiting(ctx, at(6), 2)
		must(t, err)
		equal(t, got, []store.CheckRecord{older, old})
		got, err = s.Checks().ListAwaiting(ctx, at(6), 0)
		must(t, err)
		equal(t, got, []store.CheckRecord{older, old, edge})
		got, err = s.Checks().ListAwaiting(ctx, at(0), 0)
		must(t, err)
		if len(got) != 0 {
			t.Fatalf("got %d checks updated before the first", len(got))
		}
	},
	"Risk": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		_, err := s.Checks().LatestRisk(ctx, c.ID)
		wantErr(t, err, store.ErrNotFound)
		old := store.RiskRecord{
			ID: id("risk"), CustomerID: c.ID, CheckID: "chk_1", Score: 35, Rating: "medium",
			DueDiligence: "standard", ModelVersion: "2026.06", Factors: []byte(`[{"name":"pep"}]`),
			CreatedAt: at(0),
		}
		must(t, s.Checks().SaveRisk(ctx, old))
		newer := old
		newer.ID, newer.Score, newer.Rating, newer.CreatedAt = id("risk"), 80, "high", at(5)
		must(t, s.Checks().SaveRisk(ctx, newer))
		got, err := s.Checks().LatestRisk(ctx, c.ID)
		must(t, err)
		equal(t, got, newer)
		wantErr(t, s.Checks().SaveRisk(ctx, newer), store.ErrConflict)
	},
}
