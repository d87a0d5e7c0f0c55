package store

import (
	"context"
	"time"
)

// KeyCheck holds the master key check value of the database (one row,
// written on first use) and tells whether the database already holds data.
type KeyCheck interface {
	// Get returns the stored check value, or ErrNotFound before first use.
	Get(ctx context.Context) (string, error)
	// Put stores the check value unless one is already stored; it reports
	// whether this call stored it (false: another process was first, read
	// it again with Get).
	Put(ctx context.Context, value string, at time.Time) (bool, error)
	// HasData reports whether any signing key, customer, staff user, API
	// client or audit event exists: data written under some master key.
	HasData(ctx context.Context) (bool, error)
}
