package sqlite

// Shared by both engines: `make generate` copies this file to ../postgres
// (see repos.go); edit it here only.

import (
	"context"
	"time"

	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

// keyCheck implements store.KeyCheck.
type keyCheck repos

func (r keyCheck) Get(ctx context.Context) (string, error) {
	v, err := r.q.GetKeyCheck(ctx)
	return v, mapErr(err)
}

func (r keyCheck) Put(ctx context.Context, value string, at time.Time) (bool, error) {
	n, err := r.q.PutKeyCheck(ctx, gen.PutKeyCheckParams{CheckValue: value, CreatedAt: tsIn(at)})
	return n == 1, mapErr(err)
}

func (r keyCheck) HasData(ctx context.Context) (bool, error) {
	n, err := r.q.CountDataRows(ctx)
	return n > 0, mapErr(err)
}
