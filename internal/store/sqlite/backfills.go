package sqlite

// Shared by both engines: `make generate` copies this file to ../postgres
// (see repos.go); edit it here only.

import (
	"context"
	"errors"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

// Backfills returns the backfill repository.
func (r repos) Backfills() store.Backfills { return backfills(r) }

// backfills implements store.Backfills.
type backfills repos

func (r backfills) Progress(ctx context.Context, name string) (string, *time.Time, error) {
	row, err := r.q.GetBackfill(ctx, name)
	if err != nil {
		if err = mapErr(err); errors.Is(err, store.ErrNotFound) {
			return "", nil, nil
		}
		return "", nil, err
	}
	return row.Cursor, ntsOut(row.DoneAt), nil
}

func (r backfills) SaveProgress(ctx context.Context, name, cursor string, doneAt *time.Time) error {
	return mapErr(r.q.SaveBackfill(ctx, gen.SaveBackfillParams{Name: name, Cursor: cursor, DoneAt: ntsIn(doneAt)}))
}

func (r backfills) ApprovedWithoutDocumentExpiries(ctx context.Context, after string, n int) ([]store.CustomerRecord, error) {
	rows, err := r.q.ListApprovedWithoutDocumentExpiries(ctx, gen.ListApprovedWithoutDocumentExpiriesParams{After: after, Lim: limit(n)})
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.CustomerRecord, len(rows))
	for i, c := range rows {
		out[i] = customerOut(c)
	}
	return out, nil
}
