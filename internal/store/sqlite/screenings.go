package sqlite

// Shared by both engines: `make generate` copies this file to ../postgres
// (see repos.go); edit it here only.

import (
	"context"

	"github.com/kyc-platform/kyc/internal/store"
	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

// screenings implements store.Screenings.
type screenings repos

func (r screenings) Create(ctx context.Context, s store.ScreeningRecord) error {
	return mapErr(r.q.CreateScreening(ctx, gen.CreateScreeningParams{
		ID: s.ID, Tenant: s.Tenant, Actor: s.Actor, Query: notNil(s.Query), Matches: s.Matches,
		SnapshotIds: s.SnapshotIDs, AlgorithmVersion: s.AlgorithmVersion, Threshold: s.Threshold, CreatedAt: tsIn(s.CreatedAt),
	}))
}

func (r screenings) Get(ctx context.Context, id string) (store.ScreeningRecord, error) {
	s, err := r.q.GetScreening(ctx, id)
	if err != nil {
		return store.ScreeningRecord{}, mapErr(err)
	}
	return store.ScreeningRecord{
		ID: s.ID, Tenant: s.Tenant, Actor: s.Actor, Query: s.Query, Matches: s.Matches, SnapshotIDs: s.SnapshotIds,
		AlgorithmVersion: s.AlgorithmVersion, Threshold: s.Threshold, CreatedAt: tsOut(s.CreatedAt),
	}, nil
}
