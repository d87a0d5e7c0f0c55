package store

import (
	"context"
	"database/sql"
	"errors"
)

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrConflict is returned on a unique-key violation or a failed optimistic
// version check.
var ErrConflict = errors.New("store: conflict")

// Store is a database: one per process, shared by every request.
type Store interface {
	// Repos gives autocommit access for reads and single writes.
	Repos
	// InTx runs fn in one transaction; it commits when fn returns nil and
	// rolls back otherwise. The transaction is passed explicitly; never
	// carried in ctx.
	InTx(ctx context.Context, fn func(tx Tx) error) error
	// RateLimits are the API's rate-limit buckets (shared by every replica
	// on PostgreSQL, in memory on SQLite); never part of a transaction.
	RateLimits() RateLimits
	// Dialect is "sqlite" or "postgres".
	Dialect() string
	// DB is the underlying handle, shared with River.
	DB() *sql.DB
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// MigrationStatus reports the applied and latest known schema versions.
	MigrationStatus(ctx context.Context) (current, latest int64, err error)
	// Close releases the handle.
	Close() error
}

// Tx is one open transaction with access to every repository.
type Tx interface {
	Repos
	// SQLTx is the transaction itself, for River's InsertTx so that jobs are
	// enqueued atomically with the business write.
	SQLTx() *sql.Tx
}

// Repos groups the per-aggregate repositories.
type Repos interface {
	Customers() Customers
	Checks() Checks
	Cases() Cases
	Hits() Hits
	Audit() Audit
	Clients() Clients
	Keys() Keys
	Idempotency() Idempotency
	Lists() Lists
	Documents() Documents
	StaffRepos
	AccessLinks() AccessLinks
	Screenings() Screenings
	Webhooks() Webhooks
	Erasure() Erasure
	Reviews() Reviews
	Transactions() Transactions
	Alerts() Alerts
	Reports() Reports
	Rescreens() Rescreens
	KeyCheck() KeyCheck
	RiskOverrides() RiskOverrides
	Backfills() Backfills
}
