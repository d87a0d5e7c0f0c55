package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/kyc-platform/kyc/internal/store"
)

var customerTests = map[string]func(*testing.T, store.Store){
	"RoundTrip": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		got, err := s.Customers().Get(ctx, c.ID)
		must(t, err)
		equal(t, got, c)

		// Optional fields empty.
		e := addCustomer(t, s, func(c *store.CustomerRecord) {
			c.RiskRating, c.DueDiligence, c.ExternalRef, c.ClientID = "", "", "", ""
			c.EmailIndex, c.DocumentIndex, c.NameIndex = "", "", ""
			c.Data = []byte{}
			c.SubmittedAt, c.DecidedAt, c.NextReviewAt = nil, nil, nil
		})
		got, err = s.Customers().Get(ctx, e.ID)
		must(t, err)
		equal(t, got, e)
	},
	"CreateMany": func(t *testing.T, s store.Store) {
		// The bulk path stores exactly what Create stores, every column,
		// nullable ones empty or set, over more than one statement.
		ctx := context.Background()
		var cs []store.CustomerRecord
		for i := range 5_003 {
			c := customer()
			c.ID = fmt.Sprintf("%s_%05d", id("cus"), i)
			c.Tenant = "acme"
			c.Data = []byte{byte(i), 0, 0xff, byte(i >> 8)}
			switch i % 3 {
			case 0:
				c.SubmittedAt, c.DecidedAt, c.NextReviewAt = nil, nil, nil
				c.ExternalRef, c.ClientID, c.EmailIndex, c.DocumentIndex, c.NameIndex = "", "", "", "", ""
				c.Data = []byte{}
			case 1:
				c.Status = "closed"
				c.ClosedAt, c.RetentionEndsAt, c.RestrictedAt, c.PurgedAt = ptr(at(5)), ptr(at(6)), ptr(at(7)), ptr(at(8))
				c.CloseReason = []byte{0xca, 0xfe, 0}
			}
			cs = append(cs, c)
		}
		must(t, s.InTx(ctx, func(tx store.Tx) error { return tx.Customers().CreateMany(ctx, cs) }))
		for _, i := range []int{0, 1, 2, 4_999, 5_000, 5_001, 5_002} {
			got, err := s.Customers().Get(ctx, cs[i].ID)
			must(t, err)
			equal(t, got, cs[i])
		}
		counts, err := s.Customers().CountByStatus(ctx)
		must(t, err)
		if counts["draft"] < 3_335 || counts["closed"] < 1_667 {
			t.Fatalf("counts %v", counts)
		}

		// A duplicate id is a conflict and its statement writes none of
		// its rows.
		fresh := customer()
		fresh.ID = id("cus") + "_fresh"
		wantErr(t, s.Customers().CreateMany(ctx, []store.CustomerRecord{fresh, cs[3]}), store.ErrConflict)
		_, err = s.Customers().Get(ctx, fresh.ID)
		wantErr(t, err, store.ErrNotFound)
		must(t, s.Customers().CreateMany(ctx, nil))
	},
	"GetMissing": func(t *testing.T, s store.Store) {
		_, err := s.Customers().Get(context.Background(), "cus_missing")
		wantErr(t, err, store.ErrNotFound)
	},
	"CreateDuplicate": func(t *testing.T, s store.Store) {
		c := addCustomer(t, s)
		wantErr(t, s.Customers().Create(context.Background(), c), store.ErrConflict)
	},
	"UpdateVersioned": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		c.Status, c.RiskRating, c.DueDiligence = "submitted", "high", "enhanced"
		c.ExternalRef, c.ClientID = "ext-2", "cli_2"
		c.Data = []byte("new")
		c.EmailIndex, c.DocumentIndex, c.NameIndex = "em2", "doc2", "nm2"
		c.Version = 2
		c.UpdatedAt = at(10)
		c.SubmittedAt, c.DecidedAt, c.NextReviewAt = ptr(at(11)), nil, ptr(at(12))
		must(t, s.Customers().Update(ctx, c))
		got, err := s.Customers().Get(ctx, c.ID)
		must(t, err)
		equal(t, got, c)

		// Same version again: stale.
		wantErr(t, s.Customers().Update(ctx, c), store.ErrConflict)
		// Skipping a version: stale.
		c.Version = 4
		wantErr(t, s.Customers().Update(ctx, c), store.ErrConflict)
		// Missing row.
		c.ID, c.Version = "cus_missing", 2
		wantErr(t, s.Customers().Update(ctx, c), store.ErrNotFound)
	},
	"GetForUpdate": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		must(t, s.InTx(ctx, func(tx store.Tx) error {
			got, err := tx.Customers().GetForUpdate(ctx, c.ID)
			must(t, err)
			equal(t, got, c)
			got.Version++
			got.Status = "submitted"
			return tx.Customers().Update(ctx, got)
		}))
		got, err := s.Customers().Get(ctx, c.ID)
		must(t, err)
		if got.Version != 2 || got.Status != "submitted" {
			t.Fatalf("got version %d status %q", got.Version, got.Status)
		}
		must(t, s.InTx(ctx, func(tx store.Tx) error {
			_, err := tx.Customers().GetForUpdate(ctx, "cus_missing")
			wantErr(t, err, store.ErrNotFound)
			return nil
		}))
	},
	"ListFilters": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		a := addCustomer(t, s, func(c *store.CustomerRecord) {
			c.Status, c.RiskRating, c.Type, c.ClientID = "draft", "low", "individual", "cli_a"
			c.EmailIndex, c.NameIndex = "em_a", "nm_a"
		})
		b := addCustomer(t, s, func(c *store.CustomerRecord) {
			c.Status, c.RiskRating, c.Type, c.ClientID = "submitted", "high", "business", "cli_b"
			c.EmailIndex, c.NameIndex = "em_b", "nm_b"
		})
		c := addCustomer(t, s, func(c *store.CustomerRecord) {
			c.Status, c.RiskRating, c.Type, c.ClientID = "submitted", "low", "individual", "cli_a"
			c.EmailIndex, c.NameIndex = "em_b", "nm_a"
		})
		for _, tc := range []struct {
			name string
			f    store.CustomerFilter
			want []store.CustomerRecord
		}{
			{"all", store.CustomerFilter{}, []store.CustomerRecord{c, b, a}},
			{"status", store.CustomerFilter{Status: "submitted"}, []store.CustomerRecord{c, b}},
			{"risk", store.CustomerFilter{RiskRating: "low"}, []store.CustomerRecord{c, a}},
			{"type", store.CustomerFilter{Type: "business"}, []store.CustomerRecord{b}},
			{"client", store.CustomerFilter{ClientID: "cli_a"}, []store.CustomerRecord{c, a}},
			{"email", store.CustomerFilter{EmailIndex: "em_b"}, []store.CustomerRecord{c, b}},
			{"name", store.CustomerFilter{NameIndex: "nm_a"}, []store.CustomerRecord{c, a}},
			{"combined", store.CustomerFilter{Status: "submitted", ClientID: "cli_a"}, []store.CustomerRecord{c}},
			{"none", store.CustomerFilter{Status: "approved"}, []store.CustomerRecord{}},
			{"limit", store.CustomerFilter{Limit: 1}, []store.CustomerRecord{c}},
			{"after", store.CustomerFilter{After: c.ID}, []store.CustomerRecord{b, a}},
		} {
			got, err := s.Customers().List(ctx, tc.f)
			must(t, err)
			t.Run(tc.name, func(t *testing.T) { equal(t, got, tc.want) })
		}
	},
	"ListPagination": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		var all []string
		for range 7 {
			all = append(all, addCustomer(t, s).ID)
		}
		var got []string
		after := ""
		for page := 0; ; page++ {
			if page > 10 {
				t.Fatal("pagination does not end")
			}
			cs, err := s.Customers().List(ctx, store.CustomerFilter{After: after, Limit: 3})
			must(t, err)
			if len(cs) > 3 {
				t.Fatalf("page of %d > limit", len(cs))
			}
			if len(cs) == 0 {
				break
			}
			for _, c := range cs {
				got = append(got, c.ID)
			}
			after = cs[len(cs)-1].ID
		}
		if len(got) != len(all) {
			t.Fatalf("got %d ids, want %d", len(got), len(all))
		}
		for i := range got {
			if got[i] != all[len(all)-1-i] {
				t.Fatalf("order: got %v", got)
			}
		}
	},
	"CountByStatus": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		got, err := s.Customers().CountByStatus(ctx)
		must(t, err)
		if len(got) != 0 {
			t.Fatalf("empty store: %v", got)
		}
		for _, st := range []string{"draft", "draft", "submitted", "approved", "draft"} {
			addCustomer(t, s, func(c *store.CustomerRecord) { c.Status = st })
		}
		got, err = s.Customers().CountByStatus(ctx)
		must(t, err)
		want := map[string]int64{"draft": 3, "submitted": 1, "approved": 1}
		if len(got) != len(want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Fatalf("got %v, want %v", got, want)
			}
		}
	},
}
