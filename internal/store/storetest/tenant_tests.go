package storetest

import (
	"context"
	"testing"

	"github.com/kyc-platform/kyc/internal/store"
)

// tenantTests: every tenant-scoped record keeps its tenant, and the list
// filters return only that tenant's records ("" returns every tenant).
var tenantTests = map[string]func(*testing.T, store.Store){
	"CustomersByTenant": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		a := addCustomer(t, s, func(c *store.CustomerRecord) { c.Tenant = "acme" })
		addCustomer(t, s, func(c *store.CustomerRecord) { c.Tenant = "globex" })
		got, err := s.Customers().Get(ctx, a.ID)
		must(t, err)
		if got.Tenant != "acme" {
			t.Fatalf("tenant %q, want acme", got.Tenant)
		}
		list, err := s.Customers().List(ctx, store.CustomerFilter{Tenant: "acme", Limit: 10})
		must(t, err)
		if len(list) != 1 || list[0].ID != a.ID {
			t.Fatalf("acme lists %d customers", len(list))
		}
		all, err := s.Customers().List(ctx, store.CustomerFilter{Limit: 10})
		must(t, err)
		if len(all) != 2 {
			t.Fatalf("no tenant filter lists %d customers, want 2", len(all))
		}
	},
	"CasesByTenant": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s, func(c *store.CustomerRecord) { c.Tenant = "acme" })
		k := kase(c.ID)
		k.Tenant = "acme"
		must(t, s.Cases().Create(ctx, k))
		other := kase(c.ID)
		other.Tenant = "globex"
		must(t, s.Cases().Create(ctx, other))
		got, err := s.Cases().Get(ctx, k.ID)
		must(t, err)
		if got.Tenant != "acme" {
			t.Fatalf("case tenant %q", got.Tenant)
		}
		list, err := s.Cases().List(ctx, store.CaseFilter{Tenant: "globex", Limit: 10})
		must(t, err)
		if len(list) != 1 || list[0].ID != other.ID {
			t.Fatalf("globex lists %d cases", len(list))
		}
	},
	"AuditByTenant": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		for _, tenant := range []string{"acme", "globex", ""} {
			e := event("customer", id("cus"))
			e.Tenant = tenant
			appendEvent(t, s, e)
		}
		for tenant, want := range map[string]int64{"acme": 1, "globex": 1, "": 3, "initech": 0} {
			st, err := s.Audit().PendingStats(ctx, tenant)
			must(t, err)
			if st.Count != want {
				t.Fatalf("tenant %q has %d pending events, want %d", tenant, st.Count, want)
			}
		}
		sealAll(t, s)
		list, err := s.Audit().List(ctx, store.AuditFilter{Tenant: "acme", Limit: 10})
		must(t, err)
		if len(list) != 1 || list[0].Tenant != "acme" {
			t.Fatalf("acme reads %+v", list)
		}
		all, err := s.Audit().List(ctx, store.AuditFilter{Limit: 10})
		must(t, err)
		if len(all) != 3 {
			t.Fatalf("no tenant filter reads %d events, want 3", len(all))
		}
	},
	"ClientTenant": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		must(t, s.Clients().Create(ctx, store.ClientRecord{ID: "kyc_ci_tenant", Tenant: "globex", Name: "n", SecretHash: []byte{1}, Scopes: "cases:read", CreatedAt: at(0)}))
		got, err := s.Clients().Get(ctx, "kyc_ci_tenant")
		must(t, err)
		if got.Tenant != "globex" {
			t.Fatalf("client tenant %q", got.Tenant)
		}
	},
}

// screeningTests: ad-hoc screening evidence round-trips.
var screeningTests = map[string]func(*testing.T, store.Store){
	"CreateGet": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		r := store.ScreeningRecord{
			ID: id("scr"), Tenant: "acme", Actor: "client:cli_1", Query: []byte{1, 2, 3}, Matches: `[{"entity_id":"ofac_sdn:1"}]`,
			SnapshotIDs: "snap_1,snap_2", AlgorithmVersion: "kyc-screen/1.2", Threshold: 0.88, CreatedAt: at(0),
		}
		must(t, s.Screenings().Create(ctx, r))
		wantErr(t, s.Screenings().Create(ctx, r), store.ErrConflict)
		got, err := s.Screenings().Get(ctx, r.ID)
		must(t, err)
		r.CreatedAt = stored(r.CreatedAt)
		equal(t, got, r)
		_, err = s.Screenings().Get(ctx, "scr_missing")
		wantErr(t, err, store.ErrNotFound)
	},
}
