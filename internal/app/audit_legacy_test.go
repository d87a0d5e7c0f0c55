package app_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/store/postgres"
	"github.com/kyc-platform/kyc/internal/store/sqlite"
	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// legacyStore is a database written by a version before the keyed chain:
// migrated to 00009, three events chained inside their transactions by
// the unkeyed rule, then migrated to the current schema.
func legacyStore(t *testing.T, engine string) (store.Store, []domain.AuditEvent) {
	t.Helper()
	ctx := context.Background()
	var st interface {
		store.Store
		Migrate(context.Context) error
	}
	var dialect goose.Dialect
	var fsys = sqlite.Migrations()
	switch engine {
	case testdb.SQLite:
		db, err := sqlite.Open(ctx, sqlite.Options{Path: filepath.Join(t.TempDir(), "kyc.db")})
		if err != nil {
			t.Fatal(err)
		}
		st, dialect = db, goose.DialectSQLite3
	default:
		db, err := postgres.Open(ctx, testdb.PostgresURL(t))
		if err != nil {
			t.Fatal(err)
		}
		st, dialect, fsys = db, goose.DialectPostgres, postgres.Migrations()
	}
	t.Cleanup(func() { _ = st.Close() })
	p, err := goose.NewProvider(dialect, st.DB(), fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 9); err != nil {
		t.Fatal(err)
	}
	var evs []domain.AuditEvent
	prev := ""
	for i := range 3 {
		e := domain.AuditEvent{
			Seq: int64(i + 1), ID: fmt.Sprintf("evt_legacy%d", i), OccurredAt: kyctest.Start.Add(time.Duration(i) * time.Second),
			Tenant: "default", Actor: "client:old", Action: "customer.created", EntityType: "customer",
			EntityID: fmt.Sprintf("cus_legacy%d", i), Digest: "d", Meta: `{"status":"draft"}`, PrevHash: prev,
		}
		e.Hash = app.ChainHash(e)
		prev = e.Hash
		var at any = e.OccurredAt.UnixMicro()
		ph := "?"
		if engine == testdb.Postgres {
			at, ph = e.OccurredAt, "$"
		}
		args := []any{e.Seq, e.ID, at, e.Tenant, e.Actor, e.Action, e.EntityType, e.EntityID, e.Digest, e.Meta, e.PrevHash, e.Hash}
		marks := make([]string, len(args))
		for i := range marks {
			marks[i] = ph
			if ph == "$" {
				marks[i] = fmt.Sprintf("$%d", i+1)
			}
		}
		if _, err := st.DB().ExecContext(ctx, `INSERT INTO audit_events (seq, id, occurred_at, tenant, actor, action, entity_type, entity_id, digest, meta, prev_hash, hash) VALUES (`+strings.Join(marks, ", ")+`)`, args...); err != nil {
			t.Fatal(err)
		}
		q := "UPDATE audit_head SET seq = ?, hash = ?"
		if engine == testdb.Postgres {
			q = "UPDATE audit_head SET seq = $1, hash = $2"
		}
		if _, err := st.DB().ExecContext(ctx, q, e.Seq, e.Hash); err != nil {
			t.Fatal(err)
		}
		evs = append(evs, e)
	}
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return st, evs
}

// Issue 12 item 7: a chain written by earlier versions keeps verifying by
// the unkeyed rule up to the switch-over point the migration records, and
// by the keyed rule after it; the switch-over point cannot be moved.
func TestLegacyChainVerifiesUpToTheSwitchOver(t *testing.T) {
	t.Parallel()
	kyctest.Engines(t, func(t *testing.T, engine string) {
		st, legacy := legacyStore(t, engine)
		h, err := st.Audit().Head(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if h.Seq != 3 || h.LegacySeq != 3 || h.LegacyHash != legacy[2].Hash || h.KeyID != "" {
			t.Fatalf("head after the migration: %+v", h)
		}
		b := kyctest.New(t, kyctest.WithEngine(engine))
		d := b.Deps()
		d.Store = st
		a := app.New(d)
		// Before any sealer ran, the chain (all unkeyed) lacks the key record.
		res, err := a.Audit.Verify(b.Ctx, kyctest.Operator)
		if err != nil || res.OK || !strings.Contains(res.Reason, "no sealer has run since the upgrade") {
			t.Fatalf("before the first sealer: %+v %v", res, err)
		}
		for range 2 {
			if _, err := a.Customers.Create(b.Ctx, kyctest.Client, app.CreateCustomerInput{Type: domain.CustomerIndividual, Data: kyctest.Individual()}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := a.Audit.SealAll(b.Ctx); err != nil {
			t.Fatal(err)
		}
		res, err = a.Audit.Verify(b.Ctx, kyctest.Operator)
		if err != nil || !res.OK || res.Events != 5 || res.LegacyEvents != 3 {
			t.Fatalf("legacy prefix and keyed events: %+v %v", res, err)
		}
		evs, _ := st.Audit().List(b.Ctx, store.AuditFilter{AfterSeq: 3})
		if len(evs) != 2 || evs[0].PrevHash != legacy[2].Hash || evs[0].SealedAt.IsZero() {
			t.Fatalf("first keyed event: %+v", evs)
		}
		// A checkpoint covers both parts.
		cp, _, err := a.Audit.Checkpoint(b.Ctx, kyctest.Operator)
		if err != nil || cp.LegacySeq != 3 || cp.Seq != 5 {
			t.Fatalf("checkpoint %+v %v", cp, err)
		}
		// Moving the switch-over point over the keyed events (to rewrite
		// them by the unkeyed rule) is detected.
		tamper := kyctest.Bundle{T: t, Ctx: b.Ctx, Store: st}
		tamper.TamperAudit(fmt.Sprintf("UPDATE audit_head SET legacy_seq = 4, legacy_hash = '%s'", evs[0].Hash))
		res, _ = a.Audit.Verify(b.Ctx, kyctest.Operator)
		if res.OK || !strings.Contains(res.Reason, "does not match its MAC") {
			t.Fatalf("moved switch-over point: %+v", res)
		}
	})
}
