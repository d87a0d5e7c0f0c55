package sqlite

// Shared by both engines: `make generate` copies this file to ../postgres
// (see repos.go); edit it here only.

import (
	"context"

	"github.com/kyc-platform/kyc/internal/store"
	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

// hits implements store.Hits.
type hits repos

func hitOut(h gen.ScreeningHit) store.HitRecord {
	return store.HitRecord{
		ID:                h.ID,
		CustomerID:        h.CustomerID,
		CheckID:           h.CheckID,
		CaseID:            h.CaseID,
		EntityID:          h.EntityID,
		List:              h.List,
		SourceID:          h.SourceID,
		EntityHash:        h.EntityHash,
		Name:              h.Name,
		MatchedName:       h.MatchedName,
		Subject:           h.Subject,
		Score:             h.Score,
		Explanation:       h.Explanation,
		Topics:            h.Topics,
		Disposition:       h.Disposition,
		DispositionReason: h.DispositionReason,
		DisposedBy:        h.DisposedBy,
		DisposedAt:        ntsOut(h.DisposedAt),
		CreatedAt:         tsOut(h.CreatedAt),

		EntityRemovedAt:       ntsOut(h.EntityRemovedAt),
		EntityRemovedSnapshot: h.EntityRemovedSnapshot,
	}
}

func hitsOut(rows []gen.ScreeningHit) []store.HitRecord {
	out := make([]store.HitRecord, len(rows))
	for i, h := range rows {
		out[i] = hitOut(h)
	}
	return out
}

func (r hits) Create(ctx context.Context, h store.HitRecord) error {
	return mapErr(r.q.CreateHit(ctx, gen.CreateHitParams{
		ID:                h.ID,
		CustomerID:        h.CustomerID,
		CheckID:           h.CheckID,
		CaseID:            h.CaseID,
		EntityID:          h.EntityID,
		List:              h.List,
		SourceID:          h.SourceID,
		EntityHash:        h.EntityHash,
		Name:              h.Name,
		MatchedName:       h.MatchedName,
		Subject:           h.Subject,
		Score:             h.Score,
		Explanation:       h.Explanation,
		Topics:            h.Topics,
		Disposition:       h.Disposition,
		DispositionReason: h.DispositionReason,
		DisposedBy:        h.DisposedBy,
		DisposedAt:        ntsIn(h.DisposedAt),
		CreatedAt:         tsIn(h.CreatedAt),
	}))
}

func (r hits) Get(ctx context.Context, id string) (store.HitRecord, error) {
	h, err := r.q.GetHit(ctx, id)
	if err != nil {
		return store.HitRecord{}, mapErr(err)
	}
	return hitOut(h), nil
}

func (r hits) Update(ctx context.Context, h store.HitRecord) error {
	return rowsOrNotFound(r.q.UpdateHit(ctx, gen.UpdateHitParams{
		ID:                h.ID,
		CheckID:           h.CheckID,
		CaseID:            h.CaseID,
		EntityID:          h.EntityID,
		List:              h.List,
		SourceID:          h.SourceID,
		EntityHash:        h.EntityHash,
		Name:              h.Name,
		MatchedName:       h.MatchedName,
		Subject:           h.Subject,
		Score:             h.Score,
		Explanation:       h.Explanation,
		Topics:            h.Topics,
		Disposition:       h.Disposition,
		DispositionReason: h.DispositionReason,
		DisposedBy:        h.DisposedBy,
		DisposedAt:        ntsIn(h.DisposedAt),
	}))
}

func (r hits) ListByCustomer(ctx context.Context, customerID string) ([]store.HitRecord, error) {
	rows, err := r.q.ListHitsByCustomer(ctx, customerID)
	if err != nil {
		return nil, mapErr(err)
	}
	return hitsOut(rows), nil
}

func (r hits) ListByCheck(ctx context.Context, checkID string) ([]store.HitRecord, error) {
	rows, err := r.q.ListHitsByCheck(ctx, checkID)
	if err != nil {
		return nil, mapErr(err)
	}
	return hitsOut(rows), nil
}

func (r hits) LatestDisposition(ctx context.Context, customerID, list, entityID string) (store.HitRecord, error) {
	h, err := r.q.LatestHitDisposition(ctx, gen.LatestHitDispositionParams{
		CustomerID: customerID,
		List:       list,
		EntityID:   entityID,
	})
	if err != nil {
		return store.HitRecord{}, mapErr(err)
	}
	return hitOut(h), nil
}
