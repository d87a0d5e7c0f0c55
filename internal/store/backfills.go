package store

import (
	"context"
	"time"
)

// Backfills keeps the progress of one-off backfills run by a job at start,
// and reads what the document-expiry backfill needs.
type Backfills interface {
	// Progress returns a backfill's cursor and when it finished (nil: not
	// yet); a backfill never started has cursor "".
	Progress(ctx context.Context, name string) (cursor string, doneAt *time.Time, err error)
	// SaveProgress records a backfill's cursor and, when done, its end.
	SaveProgress(ctx context.Context, name, cursor string, doneAt *time.Time) error
	// ApprovedWithoutDocumentExpiries returns up to limit approved,
	// unpurged customers with an id above after and no document expiry
	// kept, by id; in a transaction on PostgreSQL the rows are locked.
	ApprovedWithoutDocumentExpiries(ctx context.Context, after string, limit int) ([]CustomerRecord, error)
}
