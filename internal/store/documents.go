package store

import (
	"context"
	"time"
)

// DocumentRecord is an uploaded file. Its encrypted content is kept in
// the document store under ContentKey, or (rows from before the store, or
// no store configured) in Content.
type DocumentRecord struct {
	ID         string
	CustomerID string
	// RelatedPersonID names the related person of a business the document
	// is about; empty for the customer itself.
	RelatedPersonID string
	// ContentKey is where the document store keeps the sealed content;
	// empty when Content holds it.
	ContentKey  string
	Kind        string
	ContentType string
	Size        int64
	SHA256      string
	Content     []byte
	CreatedAt   time.Time
}

// Documents stores uploaded documents.
type Documents interface {
	Create(ctx context.Context, d DocumentRecord) error
	Get(ctx context.Context, id string) (DocumentRecord, error)
	// ListByCustomer returns metadata only (Content nil).
	ListByCustomer(ctx context.Context, customerID string) ([]DocumentRecord, error)
	// Totals counts a customer's documents, their total size in bytes and
	// how many were created at or after since.
	Totals(ctx context.Context, customerID string, since time.Time) (DocumentTotals, error)
}

// DocumentTotals is what a customer's documents add up to.
type DocumentTotals struct {
	Count  int64
	Bytes  int64
	Recent int64
}
