package store

import (
	"context"
	"time"
)

// CustomerRecord is a customer row. Data is the encrypted personal data;
// the *Index fields are keyed blind indexes (HMAC) for exact lookups.
type CustomerRecord struct {
	ID            string
	Tenant        string
	Type          string
	Status        string
	RiskRating    string
	DueDiligence  string
	ExternalRef   string
	ClientID      string
	Data          []byte
	EmailIndex    string
	DocumentIndex string
	NameIndex     string
	Version       int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
	SubmittedAt   *time.Time
	DecidedAt     *time.Time
	NextReviewAt  *time.Time
	// ClosedAt and CloseReason (encrypted) record an off-boarding;
	// RetentionEndsAt is when the purge may remove the personal data
	// (from closure or rejection); RestrictedAt marks an erasure request
	// inside retention; PurgedAt, a record whose personal data is gone.
	ClosedAt        *time.Time
	CloseReason     []byte
	RetentionEndsAt *time.Time
	RestrictedAt    *time.Time
	PurgedAt        *time.Time
}

// CustomerFilter selects customers for List. Zero fields do not filter.
// Results are ordered by ID descending (newest first); After is the last ID
// of the previous page.
type CustomerFilter struct {
	Status     string
	RiskRating string
	Type       string
	ClientID   string
	Tenant     string
	EmailIndex string
	NameIndex  string
	// HideRestricted leaves out records restricted by an erasure request.
	HideRestricted bool
	After          string
	Limit          int
}

// Customers stores customers.
type Customers interface {
	// Create inserts c; a duplicate ID is ErrConflict. Inside a
	// transaction the engine may send the insert with the transaction's
	// next statement or its commit, which then reports its error (the
	// same ErrConflict).
	Create(ctx context.Context, c CustomerRecord) error
	// CreateMany creates many customers, a few thousand per statement
	// (the bulk path of Create: imports, benchmark books). A duplicate id
	// is ErrConflict.
	CreateMany(ctx context.Context, cs []CustomerRecord) error
	Get(ctx context.Context, id string) (CustomerRecord, error)
	// GetForUpdate reads and locks the row (SELECT … FOR UPDATE on
	// PostgreSQL; SQLite transactions already hold the write lock).
	GetForUpdate(ctx context.Context, id string) (CustomerRecord, error)
	// Update writes every mutable column when the stored version equals
	// c.Version-1; otherwise ErrConflict (optimistic concurrency).
	Update(ctx context.Context, c CustomerRecord) error
	List(ctx context.Context, f CustomerFilter) ([]CustomerRecord, error)
	// CountByStatus returns the number of customers in each status.
	CountByStatus(ctx context.Context) (map[string]int64, error)
}
