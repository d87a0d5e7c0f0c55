package store

import (
	"context"
	"time"
)

// SnapshotRecord is one imported version of a list source.
type SnapshotRecord struct {
	ID          string    `json:"id"`
	Source      string    `json:"source"`
	Version     string    `json:"version"`
	ContentHash string    `json:"content_hash"`
	EntityCount int       `json:"entity_count"`
	FetchedAt   time.Time `json:"fetched_at"`
	LoadedAt    time.Time `json:"loaded_at"`
	Active      bool      `json:"active"`
}

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
	CreateSnapshot(ctx context.Context, s SnapshotRecord) error
	// InsertEntities adds entities to a snapshot in batches.
	InsertEntities(ctx context.Context, es []ListEntityRecord) error
	// Activate makes the snapshot the active one of its source,
	// deactivating the others, in the caller's transaction.
	Activate(ctx context.Context, snapshotID string) error
	GetSnapshot(ctx context.Context, id string) (SnapshotRecord, error)
	// FindSnapshotByHash returns the snapshot of source with this content
	// hash, or ErrNotFound.
	FindSnapshotByHash(ctx context.Context, source, contentHash string) (SnapshotRecord, error)
	ActiveSnapshots(ctx context.Context) ([]SnapshotRecord, error)
	ListSnapshots(ctx context.Context, source string) ([]SnapshotRecord, error)
	// Entities returns every entity of a snapshot, ordered by EntityID.
	Entities(ctx context.Context, snapshotID string) ([]ListEntityRecord, error)
}
