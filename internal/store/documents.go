package store

import (
	"context"
	"time"
)

// DocumentRecord is an uploaded file; Content is encrypted.
type DocumentRecord struct {
	ID          string
	CustomerID  string
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
}
