package store

import (
	"context"
	"time"
)

// RescreenRun is the re-screening of the customer book after one
// activation of a list snapshot (README, "Re-screening on list change").
// Cursor is the last customer id screened; the counters add up what the
// batches did so far.
type RescreenRun struct {
	ID                 string
	SnapshotID         string
	PreviousSnapshotID string
	Source             string
	Status             string // pending or done
	Cursor             string
	Delta              int64 // added and changed entities screened against
	Removed            int64 // entities gone from the list, noted on open hits
	Customers          int64
	Names              int64
	Hits               int64
	Cases              int64
	CreatedAt          time.Time
	UpdatedAt          time.Time
	FinishedAt         *time.Time
}

// ActiveCustomer is what re-screening reads of a customer: its identity,
// status and encrypted data, nothing else.
type ActiveCustomer struct {
	ID     string
	Tenant string
	Status string
	Data   []byte
}

// RescreenHit records that re-screening raised HitID for one customer,
// list entity and entity content.
type RescreenHit struct {
	CustomerID string
	List       string
	EntityID   string
	EntityHash string
	HitID      string
	RunID      string
	CreatedAt  time.Time
}

// Rescreens stores re-screening runs and what they raised.
type Rescreens interface {
	// CreateRun stores a new run; ErrConflict when the snapshot has a run
	// that is not done (it will screen the book as it is when it runs).
	CreateRun(ctx context.Context, r RescreenRun) error
	GetRun(ctx context.Context, id string) (RescreenRun, error)
	// PendingRuns returns the runs not done, oldest first.
	PendingRuns(ctx context.Context) ([]RescreenRun, error)
	// ListRuns returns the newest runs first, at most limit.
	ListRuns(ctx context.Context, limit int) ([]RescreenRun, error)
	// AdvanceRun writes r's cursor, counters, status and times when the
	// stored cursor still equals from (and the run is not done); otherwise
	// ErrConflict: another worker moved it on.
	AdvanceRun(ctx context.Context, r RescreenRun, from string) error
	// ClaimHit records a raised hit; ErrConflict when one was raised
	// already for that customer, list entity and content.
	ClaimHit(ctx context.Context, h RescreenHit) error
	// ActiveCustomers returns up to limit customers under ongoing due
	// diligence (approved, or in review or asked for information) with an
	// id after the given one, in id order.
	ActiveCustomers(ctx context.Context, after string, limit int) ([]ActiveCustomer, error)
	// HitExists reports whether the customer has a hit (of any origin and
	// disposition) for this list entity with this content hash.
	HitExists(ctx context.Context, customerID, list, entityID, entityHash string) (bool, error)
	// OpenHitsOfEntity returns the hits of a list entity that have no
	// disposition and are not yet noted as removed.
	OpenHitsOfEntity(ctx context.Context, list, entityID string) ([]HitRecord, error)
	// NoteEntityRemoved marks a hit's entity as gone from its list with
	// the snapshot that no longer holds it.
	NoteEntityRemoved(ctx context.Context, hitID, snapshotID string, at time.Time) error
}
