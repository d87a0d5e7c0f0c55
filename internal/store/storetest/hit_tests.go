package storetest

import (
	"context"
	"testing"

	"github.com/kyc-platform/kyc/internal/store"
)

var hitTests = map[string]func(*testing.T, store.Store){
	"RoundTripAndUpdate": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		h := hit(c.ID)
		must(t, s.Hits().Create(ctx, h))
		got, err := s.Hits().Get(ctx, h.ID)
		must(t, err)
		equal(t, got, h)
		wantErr(t, s.Hits().Create(ctx, h), store.ErrConflict)
		_, err = s.Hits().Get(ctx, "hit_missing")
		wantErr(t, err, store.ErrNotFound)

		h.Disposition, h.DispositionReason, h.DisposedBy, h.DisposedAt = "false_positive", []byte("enc"), "usr_1", ptr(at(7))
		h.CaseID, h.Score = "case_y", 0.5
		must(t, s.Hits().Update(ctx, h))
		got, err = s.Hits().Get(ctx, h.ID)
		must(t, err)
		equal(t, got, h)
		h.ID = "hit_missing"
		wantErr(t, s.Hits().Update(ctx, h), store.ErrNotFound)
	},
	"Lists": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		other := addCustomer(t, s)
		mk := func(customerID, checkID string, created int) store.HitRecord {
			h := hit(customerID)
			h.CheckID, h.CreatedAt = checkID, at(created)
			must(t, s.Hits().Create(ctx, h))
			return h
		}
		b := mk(c.ID, "chk_2", 2)
		a := mk(c.ID, "chk_1", 1)
		a2 := mk(c.ID, "chk_1", 3)
		mk(other.ID, "chk_3", 0)
		got, err := s.Hits().ListByCustomer(ctx, c.ID)
		must(t, err)
		equal(t, got, []store.HitRecord{a, b, a2})
		got, err = s.Hits().ListByCheck(ctx, "chk_1")
		must(t, err)
		equal(t, got, []store.HitRecord{a, a2})
	},
	"LatestDisposition": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		_, err := s.Hits().LatestDisposition(ctx, c.ID, "ofac_sdn", "ofac_sdn:123")
		wantErr(t, err, store.ErrNotFound)
		open := hit(c.ID) // not dispositioned: ignored
		open.CreatedAt = at(50)
		must(t, s.Hits().Create(ctx, open))
		_, err = s.Hits().LatestDisposition(ctx, c.ID, "ofac_sdn", "ofac_sdn:123")
		wantErr(t, err, store.ErrNotFound)

		old := hit(c.ID)
		old.Disposition, old.DisposedBy, old.DisposedAt = "true_match", "usr_1", ptr(at(10))
		must(t, s.Hits().Create(ctx, old))
		newer := hit(c.ID)
		newer.Disposition, newer.DisposedBy, newer.DisposedAt = "false_positive", "usr_2", ptr(at(20))
		must(t, s.Hits().Create(ctx, newer))
		otherEntity := hit(c.ID)
		otherEntity.EntityID = "ofac_sdn:999"
		otherEntity.Disposition, otherEntity.DisposedAt = "true_match", ptr(at(30))
		must(t, s.Hits().Create(ctx, otherEntity))

		got, err := s.Hits().LatestDisposition(ctx, c.ID, "ofac_sdn", "ofac_sdn:123")
		must(t, err)
		equal(t, got, newer)
		_, err = s.Hits().LatestDisposition(ctx, c.ID, "un_sc", "ofac_sdn:123")
		wantErr(t, err, store.ErrNotFound)
	},
}
