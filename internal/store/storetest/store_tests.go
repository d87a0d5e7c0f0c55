package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/kyc-platform/kyc/internal/store"
)

var storeTests = map[string]func(*testing.T, store.Store){
	"Basics": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		must(t, s.Ping(ctx))
		if d := s.Dialect(); d != "sqlite" && d != "postgres" {
			t.Fatalf("Dialect() = %q", d)
		}
		if s.DB() == nil {
			t.Fatal("DB() = nil")
		}
		cur, latest, err := s.MigrationStatus(ctx)
		must(t, err)
		if latest < 1 || cur != latest {
			t.Fatalf("MigrationStatus = %d, %d; want current == latest >= 1", cur, latest)
		}
	},
	"InTxCommit": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		var c store.CustomerRecord
		must(t, s.InTx(ctx, func(tx store.Tx) error {
			if tx.SQLTx() == nil {
				t.Error("SQLTx() = nil")
			}
			c = addCustomer(t, tx)
			// Reads inside the transaction see its writes.
			_, err := tx.Customers().Get(ctx, c.ID)
			return err
		}))
		_, err := s.Customers().Get(ctx, c.ID)
		must(t, err)
	},
	"InTxRollbackLeavesNothing": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		boom := errors.New("boom")
		var c store.CustomerRecord
		err := s.InTx(ctx, func(tx store.Tx) error {
			c = addCustomer(t, tx)
			must(t, tx.Checks().Create(ctx, check(c.ID)))
			must(t, tx.Cases().Create(ctx, kase(c.ID)))
			must(t, tx.Clients().Create(ctx, client()))
			must(t, tx.Audit().Append(ctx, event("customer", c.ID)))
			return boom
		})
		wantErr(t, err, boom)
		_, err = s.Customers().Get(ctx, c.ID)
		wantErr(t, err, store.ErrNotFound)
		checks, err := s.Checks().ListByCustomer(ctx, c.ID)
		must(t, err)
		cases, err := s.Cases().List(ctx, store.CaseFilter{})
		must(t, err)
		clients, err := s.Clients().List(ctx)
		must(t, err)
		events, err := s.Audit().List(ctx, store.AuditFilter{})
		must(t, err)
		if len(checks)+len(cases)+len(clients)+len(events) != 0 {
			t.Fatalf("rolled back rows remain: %d checks, %d cases, %d clients, %d events",
				len(checks), len(cases), len(clients), len(events))
		}
		pend, err := s.Audit().Pending(ctx, 10)
		must(t, err)
		if len(pend) != 0 {
			t.Fatalf("a rolled-back append left a journaled event: %+v", pend)
		}
	},
	"InTxPanicRollsBack": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		var c store.CustomerRecord
		func() {
			defer func() {
				if recover() == nil {
					t.Fatal("panic not propagated")
				}
			}()
			_ = s.InTx(ctx, func(tx store.Tx) error {
				c = addCustomer(t, tx)
				panic("boom")
			})
		}()
		_, err := s.Customers().Get(ctx, c.ID)
		wantErr(t, err, store.ErrNotFound)
		// The store is still usable (connection returned, lock released).
		addCustomer(t, s)
	},
	"InTxConflictRollsBack": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		other := customer()
		err := s.InTx(ctx, func(tx store.Tx) error {
			must(t, tx.Customers().Create(ctx, other))
			return tx.Customers().Create(ctx, c) // duplicate id
		})
		wantErr(t, err, store.ErrConflict)
		_, err = s.Customers().Get(ctx, other.ID)
		wantErr(t, err, store.ErrNotFound)
	},
}
