package sqlite

// Shared by both engines: `make generate` copies this file to ../postgres
// (see repos.go); edit it here only.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

// checks implements store.Checks (checks and risk assessments).
type checks repos

func checkOut(c gen.Check) store.CheckRecord {
	return store.CheckRecord{
		ID:         c.ID,
		CustomerID: c.CustomerID,
		Type:       c.Type,
		Status:     c.Status,
		Provider:   c.Provider,
		Summary:    c.Summary,
		Details:    c.Details,
		Error:      c.Error,
		Attempts:   int(c.Attempts),
		Round:      int(c.Round),
		CreatedAt:  tsOut(c.CreatedAt),
		UpdatedAt:  tsOut(c.UpdatedAt),
		FinishedAt: ntsOut(c.FinishedAt),
	}
}

func (r checks) Create(ctx context.Context, c store.CheckRecord) error {
	return mapErr(r.q.CreateCheck(ctx, gen.CreateCheckParams{
		ID:         c.ID,
		CustomerID: c.CustomerID,
		Type:       c.Type,
		Status:     c.Status,
		Provider:   c.Provider,
		Summary:    c.Summary,
		Details:    c.Details,
		Error:      c.Error,
		Attempts:   int64(c.Attempts),
		Round:      int64(c.Round),
		CreatedAt:  tsIn(c.CreatedAt),
		UpdatedAt:  tsIn(c.UpdatedAt),
		FinishedAt: ntsIn(c.FinishedAt),
	}))
}

func (r checks) CreateMany(ctx context.Context, cs []store.CheckRecord) error {
	rows := make([]newCheckRow, 0, len(cs))
	for _, c := range cs {
		if len(cs) == 1 || c.Details != nil || c.FinishedAt != nil {
			if err := r.Create(ctx, c); err != nil {
				return err
			}
			continue
		}
		rows = append(rows, newCheckRow{ID: c.ID, CustomerID: c.CustomerID, Type: c.Type, Status: c.Status,
			Provider: c.Provider, Summary: c.Summary, Error: c.Error, Attempts: int64(c.Attempts), Round: int64(c.Round),
			CreatedAt: tsIn(c.CreatedAt), UpdatedAt: tsIn(c.UpdatedAt)})
	}
	if len(rows) == 0 {
		return nil
	}
	batch, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	n, err := r.q.CreateChecksBatch(deferExecRows(ctx, int64(len(rows))), string(batch))
	if errors.Is(err, errExecDeferred) {
		return nil // the count is checked when the batch is sent
	}
	if err != nil {
		return mapErr(err)
	}
	if n != int64(len(rows)) {
		return fmt.Errorf("create checks: inserted %d of %d", n, len(rows))
	}
	return nil
}

// newCheckRow is one check of CreateChecksBatch's JSON batch; times are in
// the engine's stored form (tsIn).
type newCheckRow struct {
	ID         string `json:"id"`
	CustomerID string `json:"customer_id"`
	Type       string `json:"type"`
	Status     string `json:"status"`
	Provider   string `json:"provider"`
	Summary    string `json:"summary"`
	Error      string `json:"error"`
	Attempts   int64  `json:"attempts"`
	Round      int64  `json:"round"`
	CreatedAt  any    `json:"created_at"`
	UpdatedAt  any    `json:"updated_at"`
}

func (r checks) Get(ctx context.Context, id string) (store.CheckRecord, error) {
	c, err := r.q.GetCheck(ctx, id)
	if err != nil {
		return store.CheckRecord{}, mapErr(err)
	}
	return checkOut(c), nil
}

func (r checks) Update(ctx context.Context, c store.CheckRecord) error {
	// The check was read in the caller's transaction: the update travels
	// with the transaction's next statement (PostgreSQL, pipeline.go),
	// which reports a missing row as store.ErrNotFound.
	n, err := r.q.UpdateCheck(deferExecRows(ctx, 1), gen.UpdateCheckParams{
		ID:         c.ID,
		Type:       c.Type,
		Status:     c.Status,
		Provider:   c.Provider,
		Summary:    c.Summary,
		Details:    c.Details,
		Error:      c.Error,
		Attempts:   int64(c.Attempts),
		Round:      int64(c.Round),
		UpdatedAt:  tsIn(c.UpdatedAt),
		FinishedAt: ntsIn(c.FinishedAt),
	})
	if errors.Is(err, errExecDeferred) {
		return nil
	}
	return rowsOrNotFound(n, err)
}

func (r checks) ListByCustomer(ctx context.Context, customerID string) ([]store.CheckRecord, error) {
	rows, err := r.q.ListChecksByCustomer(ctx, customerID)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.CheckRecord, len(rows))
	for i, c := range rows {
		out[i] = checkOut(c)
	}
	return out, nil
}

func (r checks) ListAwaiting(ctx context.Context, before time.Time, n int) ([]store.CheckRecord, error) {
	rows, err := r.q.ListAwaitingChecks(ctx, gen.ListAwaitingChecksParams{UpdatedBefore: tsIn(before), Lim: limit(n)})
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.CheckRecord, len(rows))
	for i, c := range rows {
		out[i] = checkOut(c)
	}
	return out, nil
}

func (r checks) SaveRisk(ctx context.Context, a store.RiskRecord) error {
	return mapErr(r.q.CreateRiskAssessment(deferExec(ctx), gen.CreateRiskAssessmentParams{
		ID:           a.ID,
		CustomerID:   a.CustomerID,
		CheckID:      a.CheckID,
		Score:        int64(a.Score),
		Rating:       a.Rating,
		DueDiligence: a.DueDiligence,
		ModelVersion: a.ModelVersion,
		Factors:      notNil(a.Factors),
		CreatedAt:    tsIn(a.CreatedAt),
	}))
}

func (r checks) LatestRisk(ctx context.Context, customerID string) (store.RiskRecord, error) {
	a, err := r.q.LatestRiskAssessment(ctx, customerID)
	if err != nil {
		return store.RiskRecord{}, mapErr(err)
	}
	return store.RiskRecord{
		ID:           a.ID,
		CustomerID:   a.CustomerID,
		CheckID:      a.CheckID,
		Score:        int(a.Score),
		Rating:       a.Rating,
		DueDiligence: a.DueDiligence,
		ModelVersion: a.ModelVersion,
		Factors:      a.Factors,
		CreatedAt:    tsOut(a.CreatedAt),
	}, nil
}

func (r checks) RecordCallback(ctx context.Context, provider, eventID, checkID string, at time.Time) error {
	return mapErr(r.q.CreateIdentityCallback(ctx, gen.CreateIdentityCallbackParams{
		Provider: provider, EventID: eventID, CheckID: checkID, ReceivedAt: tsIn(at),
	}))
}
