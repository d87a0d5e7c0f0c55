package store

import (
	"context"
	"time"
)

// ScreeningRecord is the evidence of one ad-hoc screening. Query is the
// encrypted request; Matches is JSON of the matches (public list data).
type ScreeningRecord struct {
	ID               string
	Tenant           string
	Actor            string
	Query            []byte
	Matches          string
	SnapshotIDs      string // comma separated
	AlgorithmVersion string
	Threshold        float64
	CreatedAt        time.Time
}

// Screenings stores ad-hoc screening evidence.
type Screenings interface {
	Create(ctx context.Context, s ScreeningRecord) error
	Get(ctx context.Context, id string) (ScreeningRecord, error)
}
