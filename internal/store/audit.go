package store

import (
	"context"

	"github.com/kyc-platform/kyc/internal/domain"
)

// AuditHead is the end of the audit hash chain.
type AuditHead struct {
	Seq  int64
	Hash string
}

// AuditFilter selects audit events in sequence order, after AfterSeq.
type AuditFilter struct {
	Tenant     string
	EntityType string
	EntityID   string
	AfterSeq   int64
	Limit      int
}

// Audit is the append-only audit trail.
type Audit interface {
	// LockHead returns the chain head and, inside a transaction, locks it
	// until commit so that appends are serialised (row lock on PostgreSQL;
	// SQLite write transactions are already exclusive).
	LockHead(ctx context.Context) (AuditHead, error)
	// Append inserts e (whose Seq must be head.Seq+1) and moves the head.
	Append(ctx context.Context, e domain.AuditEvent) error
	List(ctx context.Context, f AuditFilter) ([]domain.AuditEvent, error)
}
