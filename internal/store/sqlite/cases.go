package sqlite

// Shared by both engines: `make generate` copies this file to ../postgres
// (see repos.go); edit it here only.

import (
	"context"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

// cases implements store.Cases (cases and their decisions).
type cases repos

func caseOut(c gen.Case) domain.Case {
	return domain.Case{
		Tenant:          c.Tenant,
		ID:              c.ID,
		CustomerID:      c.CustomerID,
		Kind:            domain.CaseKind(c.Kind),
		Status:          domain.CaseStatus(c.Status),
		Assignee:        c.Assignee,
		Reason:          c.Reason,
		DueAt:           tsOut(c.DueAt),
		PendingDecision: domain.DecisionKind(c.PendingDecision),
		PendingBy:       c.PendingBy,
		PendingReason:   c.PendingReason,
		PendingAt:       ntsOut(c.PendingAt),
		Outcome:         domain.DecisionKind(c.Outcome),
		Version:         c.Version,
		CreatedAt:       tsOut(c.CreatedAt),
		UpdatedAt:       tsOut(c.UpdatedAt),
		ClosedAt:        ntsOut(c.ClosedAt),
	}
}

func casesOut(rows []gen.Case) []domain.Case {
	out := make([]domain.Case, len(rows))
	for i, c := range rows {
		out[i] = caseOut(c)
	}
	return out
}

func (r cases) Create(ctx context.Context, c domain.Case) error {
	return mapErr(r.q.CreateCase(ctx, gen.CreateCaseParams{
		ID:              c.ID,
		Tenant:          c.Tenant,
		CustomerID:      c.CustomerID,
		Kind:            string(c.Kind),
		Status:          string(c.Status),
		Assignee:        c.Assignee,
		Reason:          c.Reason,
		DueAt:           tsIn(c.DueAt),
		PendingDecision: string(c.PendingDecision),
		PendingBy:       c.PendingBy,
		PendingReason:   c.PendingReason,
		PendingAt:       ntsIn(c.PendingAt),
		Outcome:         string(c.Outcome),
		Version:         c.Version,
		CreatedAt:       tsIn(c.CreatedAt),
		UpdatedAt:       tsIn(c.UpdatedAt),
		ClosedAt:        ntsIn(c.ClosedAt),
	}))
}

func (r cases) Get(ctx context.Context, id string) (domain.Case, error) {
	c, err := r.q.GetCase(ctx, id)
	if err != nil {
		return domain.Case{}, mapErr(err)
	}
	return caseOut(c), nil
}

func (r cases) GetForUpdate(ctx context.Context, id string) (domain.Case, error) {
	c, err := r.q.GetCaseForUpdate(ctx, id)
	if err != nil {
		return domain.Case{}, mapErr(err)
	}
	return caseOut(c), nil
}

func (r cases) Update(ctx context.Context, c domain.Case) error {
	n, err := r.q.UpdateCase(ctx, gen.UpdateCaseParams{
		ID:              c.ID,
		PrevVersion:     c.Version - 1,
		Kind:            string(c.Kind),
		Status:          string(c.Status),
		Assignee:        c.Assignee,
		Reason:          c.Reason,
		DueAt:           tsIn(c.DueAt),
		PendingDecision: string(c.PendingDecision),
		PendingBy:       c.PendingBy,
		PendingReason:   c.PendingReason,
		PendingAt:       ntsIn(c.PendingAt),
		Outcome:         string(c.Outcome),
		Version:         c.Version,
		UpdatedAt:       tsIn(c.UpdatedAt),
		ClosedAt:        ntsIn(c.ClosedAt),
	})
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return missingOrStale(r.q.CaseExists(ctx, c.ID))
	}
	return nil
}

func (r cases) List(ctx context.Context, f store.CaseFilter) ([]domain.Case, error) {
	rows, err := r.q.ListCases(ctx, gen.ListCasesParams{
		Kind:       f.Kind,
		Status:     f.Status,
		CustomerID: f.CustomerID,
		Assignee:   f.Assignee,
		Tenant:     f.Tenant,
		After:      f.After,
		Lim:        limit(f.Limit),
	})
	if err != nil {
		return nil, mapErr(err)
	}
	return casesOut(rows), nil
}

func (r cases) OpenForCustomer(ctx context.Context, customerID string) ([]domain.Case, error) {
	rows, err := r.q.OpenCasesForCustomer(ctx, customerID)
	if err != nil {
		return nil, mapErr(err)
	}
	return casesOut(rows), nil
}

func (r cases) AddDecision(ctx context.Context, d store.DecisionRecord) error {
	return mapErr(r.q.CreateDecision(ctx, gen.CreateDecisionParams{
		ID:        d.ID,
		CaseID:    d.CaseID,
		Decision:  d.Decision,
		Reason:    notNil(d.Reason),
		Actor:     d.Actor,
		Stage:     d.Stage,
		CreatedAt: tsIn(d.CreatedAt),
		Message:   d.Message,
	}))
}

func (r cases) ListDecisions(ctx context.Context, caseID string) ([]store.DecisionRecord, error) {
	rows, err := r.q.ListDecisions(ctx, caseID)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.DecisionRecord, len(rows))
	for i, d := range rows {
		out[i] = store.DecisionRecord{
			ID:        d.ID,
			CaseID:    d.CaseID,
			Decision:  d.Decision,
			Reason:    d.Reason,
			Actor:     d.Actor,
			Stage:     d.Stage,
			CreatedAt: tsOut(d.CreatedAt),
			Message:   d.Message,
		}
	}
	return out, nil
}
