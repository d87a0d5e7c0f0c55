package store

import (
	"context"

	"github.com/kyc-platform/kyc/internal/domain"
)

// ListEntityRecord is one list entity of a snapshot; Data is the JSON of
// screening.Entity (public list data).
type ListEntityRecord struct {
	SnapshotID  string
	EntityID    string
	ContentHash string
	Data        []byte
}

// Lists stores list snapshots and their entities.
type Lists interface {
	CreateSnapshot(ctx context.Context, s domain.ListSnapshot) error
	// InsertEntities adds entities to a snapshot in batches.
	InsertEntities(ctx context.Context, es []ListEntityRecord) error
	// Activate makes the snapshot the active one of its source,
	// deactivating the others, in the caller's transaction.
	Activate(ctx context.Context, snapshotID string) error
	GetSnapshot(ctx context.Context, id string) (domain.ListSnapshot, error)
	// FindSnapshotByHash returns the snapshot of source with this content
	// hash, or ErrNotFound.
	FindSnapshotByHash(ctx context.Context, source, contentHash string) (domain.ListSnapshot, error)
	ActiveSnapshots(ctx context.Context) ([]domain.ListSnapshot, error)
	ListSnapshots(ctx context.Context, source string) ([]domain.ListSnapshot, error)
	// Entities returns every entity of a snapshot, ordered by EntityID.
	Entities(ctx context.Context, snapshotID string) ([]ListEntityRecord, error)
}
