package store

import (
	"context"
	"time"
)

// Reviews finds the customers that periodic review must look at (README,
// "Ongoing due diligence").
type Reviews interface {
	// DueForReview returns up to limit approved customers whose
	// next_review_at is at or before now and who have no open
	// periodic_review case, the longest overdue first. Restricted and
	// purged records are left out.
	DueForReview(ctx context.Context, now time.Time, limit int) ([]string, error)
	// CountReviewsBetween counts approved customers whose next review
	// falls after after and at or before until.
	CountReviewsBetween(ctx context.Context, after, until time.Time) (int64, error)
}
