package sqlite

// Shared by both engines: `make generate` copies this file to ../postgres
// (see repos.go); edit it here only.

import (
	"context"

	"github.com/kyc-platform/kyc/internal/store"
	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

// RiskOverrides returns the risk-override repository.
func (r repos) RiskOverrides() store.RiskOverrides { return riskOverrides(r) }

// riskOverrides implements store.RiskOverrides.
type riskOverrides repos

func (r riskOverrides) Create(ctx context.Context, o store.RiskOverrideRecord) error {
	return mapErr(r.q.CreateRiskOverride(ctx, gen.CreateRiskOverrideParams{
		ID: o.ID, CustomerID: o.CustomerID, Rating: o.Rating, DueDiligence: o.DueDiligence,
		ComputedRating: o.ComputedRating, ComputedDueDiligence: o.ComputedDueDiligence,
		Reason: notNil(o.Reason), Status: o.Status, RequestedBy: o.RequestedBy, RequestedAt: tsIn(o.RequestedAt),
	}))
}

func (r riskOverrides) Get(ctx context.Context, id string) (store.RiskOverrideRecord, error) {
	row, err := r.q.GetRiskOverride(ctx, id)
	if err != nil {
		return store.RiskOverrideRecord{}, mapErr(err)
	}
	return riskOverrideOut(row), nil
}

func (r riskOverrides) ListByCustomer(ctx context.Context, customerID string) ([]store.RiskOverrideRecord, error) {
	rows, err := r.q.ListRiskOverrides(ctx, customerID)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.RiskOverrideRecord, len(rows))
	for i, row := range rows {
		out[i] = riskOverrideOut(row)
	}
	return out, nil
}

func (r riskOverrides) Update(ctx context.Context, o store.RiskOverrideRecord, from string) error {
	n, err := r.q.UpdateRiskOverride(ctx, gen.UpdateRiskOverrideParams{
		Status: o.Status, DecidedBy: o.DecidedBy, DecidedAt: ntsIn(o.DecidedAt), DecisionNote: o.DecisionNote,
		EndedAt: ntsIn(o.EndedAt), ID: o.ID, FromStatus: from,
	})
	return rowsOrNotFound(n, err)
}

func (r riskOverrides) DeleteByCustomer(ctx context.Context, customerID string) (int64, error) {
	n, err := r.q.DeleteRiskOverridesOfCustomer(ctx, customerID)
	return n, mapErr(err)
}

func riskOverrideOut(o gen.RiskOverride) store.RiskOverrideRecord {
	return store.RiskOverrideRecord{
		ID: o.ID, CustomerID: o.CustomerID, Rating: o.Rating, DueDiligence: o.DueDiligence,
		ComputedRating: o.ComputedRating, ComputedDueDiligence: o.ComputedDueDiligence, Reason: o.Reason,
		Status: o.Status, RequestedBy: o.RequestedBy, RequestedAt: tsOut(o.RequestedAt), DecidedBy: o.DecidedBy,
		DecidedAt: ntsOut(o.DecidedAt), DecisionNote: o.DecisionNote, EndedAt: ntsOut(o.EndedAt),
	}
}
