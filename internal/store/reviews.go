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

	// AddChange records a change of circumstances of an approved customer.
	AddChange(ctx context.Context, c ChangeRecord) error
	// Changes returns a customer's changes of circumstances, oldest first
	// (none: an empty list).
	Changes(ctx context.Context, customerID string) ([]ChangeRecord, error)
	// UpdateChange records a change's outcome, case and decision time;
	// ErrNotFound for an unknown id.
	UpdateChange(ctx context.Context, c ChangeRecord) error
	// DeleteChanges removes a customer's change history (its previous
	// values are personal data) when the record is purged.
	DeleteChanges(ctx context.Context, customerID string) (int64, error)

	// DocumentExpiries returns the identity-document expiry dates kept for
	// a customer.
	DocumentExpiries(ctx context.Context, customerID string) ([]DocumentExpiry, error)
	// AddDocumentExpiry keeps one (a repeat is a no-op);
	// DeleteDocumentExpiry forgets one.
	AddDocumentExpiry(ctx context.Context, e DocumentExpiry) error
	DeleteDocumentExpiry(ctx context.Context, e DocumentExpiry) error
	// ExpiringDocuments returns up to limit documents of approved
	// customers expiring on or before until (YYYY-MM-DD) with no case yet,
	// the soonest first.
	ExpiringDocuments(ctx context.Context, until string, limit int) ([]DocumentExpiry, error)
	// SetDocumentExpiryCase records the case opened for a document's
	// expiry; false when one was recorded already.
	SetDocumentExpiryCase(ctx context.Context, e DocumentExpiry, caseID string) (bool, error)
}

// DocumentExpiry is the expiry date of one identity document of a
// customer: its own (Party "") or a related person's (Party is the
// related person's id).
type DocumentExpiry struct {
	CustomerID string
	Party      string
	ExpiresOn  string // YYYY-MM-DD
	CaseID     string
}

// ChangeRecord is one change of circumstances of an approved customer.
type ChangeRecord struct {
	ID         string
	CustomerID string
	Actor      string
	// Fields names the changed top-level fields, comma-separated.
	Fields string
	// Previous holds the changed fields' former values, sealed by the
	// vault (personal data).
	Previous       []byte
	PreviousRating string
	// Round is the round of checks the change started.
	Round int64
	// Outcome is "" while the checks run, then "kept" (the customer stays
	// approved) or "case" (a change_review case, CaseID, opened).
	Outcome   string
	CaseID    string
	CreatedAt time.Time
	DecidedAt *time.Time
}
