package sqlite

// Shared by both engines: `make generate` copies this file to ../postgres
// (see repos.go); edit it here only.

import (
	"context"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

// rescreens implements store.Rescreens.
type rescreens repos

func rescreenRunOut(r gen.RescreenRun) store.RescreenRun {
	return store.RescreenRun{
		ID: r.ID, SnapshotID: r.SnapshotID, PreviousSnapshotID: r.PreviousSnapshotID, Source: r.Source,
		Status: r.Status, Cursor: r.CursorID, Delta: r.Delta, Removed: r.Removed, Customers: r.Customers,
		Names: r.Names, Hits: r.Hits, Cases: r.Cases, CreatedAt: tsOut(r.CreatedAt), UpdatedAt: tsOut(r.UpdatedAt),
		FinishedAt: ntsOut(r.FinishedAt),
	}
}

// CreateRun inserts with ON CONFLICT DO NOTHING (see ClaimHit).
func (r rescreens) CreateRun(ctx context.Context, run store.RescreenRun) error {
	n, err := r.q.CreateRescreenRun(ctx, gen.CreateRescreenRunParams{
		ID: run.ID, SnapshotID: run.SnapshotID, PreviousSnapshotID: run.PreviousSnapshotID, Source: run.Source,
		Status: run.Status, CursorID: run.Cursor, Delta: run.Delta, Removed: run.Removed, Customers: run.Customers,
		Names: run.Names, Hits: run.Hits, Cases: run.Cases, CreatedAt: tsIn(run.CreatedAt), UpdatedAt: tsIn(run.UpdatedAt),
		FinishedAt: ntsIn(run.FinishedAt),
	})
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return store.ErrConflict
	}
	return nil
}

func (r rescreens) GetRun(ctx context.Context, id string) (store.RescreenRun, error) {
	run, err := r.q.GetRescreenRun(ctx, id)
	if err != nil {
		return store.RescreenRun{}, mapErr(err)
	}
	return rescreenRunOut(run), nil
}

func rescreenRunsOut(rows []gen.RescreenRun) []store.RescreenRun {
	out := make([]store.RescreenRun, len(rows))
	for i, r := range rows {
		out[i] = rescreenRunOut(r)
	}
	return out
}

func (r rescreens) PendingRuns(ctx context.Context) ([]store.RescreenRun, error) {
	rows, err := r.q.PendingRescreenRuns(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	return rescreenRunsOut(rows), nil
}

func (r rescreens) ListRuns(ctx context.Context, n int) ([]store.RescreenRun, error) {
	rows, err := r.q.ListRescreenRuns(ctx, limit(n))
	if err != nil {
		return nil, mapErr(err)
	}
	return rescreenRunsOut(rows), nil
}

func (r rescreens) AdvanceRun(ctx context.Context, run store.RescreenRun, from string) error {
	n, err := r.q.AdvanceRescreenRun(ctx, gen.AdvanceRescreenRunParams{
		Status: run.Status, CursorID: run.Cursor, Delta: run.Delta, Removed: run.Removed, Customers: run.Customers,
		Names: run.Names, Hits: run.Hits, Cases: run.Cases, UpdatedAt: tsIn(run.UpdatedAt), FinishedAt: ntsIn(run.FinishedAt),
		ID: run.ID, FromCursor: from,
	})
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return store.ErrConflict
	}
	return nil
}

// ClaimHit inserts with ON CONFLICT DO NOTHING, so that a hit raised
// already leaves the caller's transaction usable (PostgreSQL aborts a
// transaction on a unique violation).
func (r rescreens) ClaimHit(ctx context.Context, h store.RescreenHit) error {
	n, err := r.q.ClaimRescreenHit(ctx, gen.ClaimRescreenHitParams{
		CustomerID: h.CustomerID, List: h.List, EntityID: h.EntityID, EntityHash: h.EntityHash,
		HitID: h.HitID, RunID: h.RunID, CreatedAt: tsIn(h.CreatedAt),
	})
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return store.ErrConflict
	}
	return nil
}

func (r rescreens) ActiveCustomers(ctx context.Context, after string, n int) ([]store.ActiveCustomer, error) {
	rows, err := r.q.ActiveCustomersAfter(ctx, gen.ActiveCustomersAfterParams{After: after, Lim: limit(n)})
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.ActiveCustomer, len(rows))
	for i, c := range rows {
		out[i] = store.ActiveCustomer{ID: c.ID, Tenant: c.Tenant, Status: c.Status, Data: c.Data}
	}
	return out, nil
}

func (r rescreens) HitExists(ctx context.Context, customerID, list, entityID, entityHash string) (bool, error) {
	n, err := r.q.CountHitsOfEntity(ctx, gen.CountHitsOfEntityParams{CustomerID: customerID, List: list, EntityID: entityID, EntityHash: entityHash})
	return n > 0, mapErr(err)
}

func (r rescreens) OpenHitsOfEntity(ctx context.Context, list, entityID string) ([]store.HitRecord, error) {
	rows, err := r.q.OpenHitsOfEntity(ctx, gen.OpenHitsOfEntityParams{List: list, EntityID: entityID})
	if err != nil {
		return nil, mapErr(err)
	}
	return hitsOut(rows), nil
}

func (r rescreens) NoteEntityRemoved(ctx context.Context, hitID, snapshotID string, at time.Time) error {
	return rowsOrNotFound(r.q.NoteHitEntityRemoved(ctx, gen.NoteHitEntityRemovedParams{RemovedAt: ntsIn(&at), SnapshotID: snapshotID, ID: hitID}))
}
