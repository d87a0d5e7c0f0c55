package store

import (
	"context"
	"time"
)

// HitRecord is a stored screening hit. Subject, Explanation and
// DispositionReason are encrypted; the list-side fields are public data.
type HitRecord struct {
	ID                string
	CustomerID        string
	CheckID           string
	CaseID            string
	EntityID          string
	List              string
	SourceID          string
	EntityHash        string
	Name              string
	MatchedName       string
	Subject           []byte
	Score             float64
	Explanation       []byte
	Topics            string // comma separated
	Disposition       string
	DispositionReason []byte
	DisposedBy        string
	DisposedAt        *time.Time
	CreatedAt         time.Time
	// EntityRemovedAt and EntityRemovedSnapshot note that the list entity
	// is gone from its list (the snapshot that no longer holds it).
	EntityRemovedAt       *time.Time
	EntityRemovedSnapshot string
}

// Hits stores screening hits.
type Hits interface {
	Create(ctx context.Context, h HitRecord) error
	Get(ctx context.Context, id string) (HitRecord, error)
	Update(ctx context.Context, h HitRecord) error
	ListByCustomer(ctx context.Context, customerID string) ([]HitRecord, error)
	ListByCheck(ctx context.Context, checkID string) ([]HitRecord, error)
	// LatestDisposition returns the newest dispositioned hit of this customer
	// for this list entity (to remember false positives), or ErrNotFound.
	LatestDisposition(ctx context.Context, customerID, list, entityID string) (HitRecord, error)
}
