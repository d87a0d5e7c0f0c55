package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
)

// UpdateMany writes the outcomes of a check round in one statement
// (UpdateChecksBatch) instead of one round trip a check; a single check, or
// ids given twice, are written one by one as Update writes them.
func (r checks) UpdateMany(ctx context.Context, cs []store.CheckRecord) error {
	seen := make(map[string]bool, len(cs))
	for _, c := range cs {
		if seen[c.ID] {
			seen = nil
			break
		}
		seen[c.ID] = true
	}
	if len(cs) < 2 || seen == nil {
		for _, c := range cs {
			if err := r.Update(ctx, c); err != nil {
				return err
			}
		}
		return nil
	}
	rows := make([]updateCheckRow, len(cs))
	for i, c := range cs {
		rows[i] = updateCheckRow{ID: c.ID, Type: c.Type, Status: c.Status, Provider: c.Provider, Summary: c.Summary,
			Details: c.Details, Error: c.Error, Attempts: int64(c.Attempts), Round: int64(c.Round), UpdatedAt: tsIn(c.UpdatedAt)}
		if c.FinishedAt != nil {
			t := tsIn(*c.FinishedAt)
			rows[i].FinishedAt = &t
		}
	}
	batch, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	n, err := r.q.UpdateChecksBatch(ctx, string(batch))
	if err != nil {
		return mapErr(err)
	}
	if n != int64(len(rows)) {
		return fmt.Errorf("update checks: updated %d of %d: %w", n, len(rows), store.ErrNotFound)
	}
	return nil
}

// updateCheckRow is one check of UpdateChecksBatch's JSON batch (Details
// base64 by encoding/json, null when nil).
type updateCheckRow struct {
	ID         string     `json:"id"`
	Type       string     `json:"type"`
	Status     string     `json:"status"`
	Provider   string     `json:"provider"`
	Summary    string     `json:"summary"`
	Details    []byte     `json:"details"`
	Error      string     `json:"error"`
	Attempts   int64      `json:"attempts"`
	Round      int64      `json:"round"`
	UpdatedAt  time.Time  `json:"updated_at"`
	FinishedAt *time.Time `json:"finished_at"`
}
