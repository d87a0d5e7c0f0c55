package store

import (
	"context"
	"time"
)

// PurgeCounts says what a purge removed beside the customer row.
type PurgeCounts struct {
	Documents, Checks, Hits, Decisions, RiskAssessments int64
}

// Erasure removes personal data at the end of retention or on an erasure
// request (README, "Off-boarding and records").
type Erasure interface {
	// DueForPurge returns up to limit customers whose retention ended at or
	// before now and whose personal data is still held, oldest first.
	DueForPurge(ctx context.Context, now time.Time, limit int) ([]string, error)
	// PurgeRelated deletes the customer's documents and clears the
	// personal data held in its checks (details), screening hits (which
	// name matched, the explanation, the disposition reason), case
	// decisions (the reasons) and risk assessments (the factors).
	PurgeRelated(ctx context.Context, customerID string) (PurgeCounts, error)
}
