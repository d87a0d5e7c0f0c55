package sqlite

// Shared by both engines: `make generate` copies this file to ../postgres
// (see repos.go); edit it here only.

import (
	"context"
	"time"

	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

// reviews implements store.Reviews.
type reviews repos

func (r reviews) DueForReview(ctx context.Context, now time.Time, n int) ([]string, error) {
	ids, err := r.q.ListCustomersDueForReview(ctx, gen.ListCustomersDueForReviewParams{Now: ntsIn(&now), Lim: limit(n)})
	return ids, mapErr(err)
}

func (r reviews) CountReviewsBetween(ctx context.Context, after, until time.Time) (int64, error) {
	n, err := r.q.CountReviewsBetween(ctx, gen.CountReviewsBetweenParams{After: ntsIn(&after), Until: ntsIn(&until)})
	return n, mapErr(err)
}
