package store

import (
	"context"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
)

// AuditHead is the end of the sealed audit chain, and where its keyed part
// begins.
type AuditHead struct {
	// Seq and Hash are those of the last sealed event (0 and "" when none).
	Seq  int64
	Hash string
	// LegacySeq is the last event chained by the unkeyed SHA-256 rule of
	// versions before the keyed chain (0: none), LegacyHash its hash.
	LegacySeq  int64
	LegacyHash string
	// LegacyMAC authenticates (LegacySeq, LegacyHash) under the audit key
	// and KeyID names that key; both are empty until the first sealer sets
	// them (SetKey).
	LegacyMAC string
	KeyID     string
}

// AuditFilter selects sealed audit events in sequence order, after
// AfterSeq and (when UpToSeq > 0) up to UpToSeq.
type AuditFilter struct {
	Tenant     string
	EntityType string
	EntityID   string
	AfterSeq   int64
	UpToSeq    int64
	Limit      int
}

// PendingAuditEvent is an appended event that no sealer has chained yet.
// Pos is its place in the journal (the order of appends; unique, never
// reused). The Event has no Seq, PrevHash, Hash or SealedAt.
type PendingAuditEvent struct {
	Pos   int64
	Event domain.AuditEvent
}

// AuditSeal is one sealing round: the journaled events at Positions,
// chained after Prev as Events (Events[i] comes from Positions[i]; their
// Seq run from Prev.Seq+1 without a gap).
type AuditSeal struct {
	Prev      AuditHead
	Events    []domain.AuditEvent
	Positions []int64
}

// AuditPending summarises the events waiting for a sealer.
type AuditPending struct {
	Count int64
	// Oldest is the earliest OccurredAt among them (zero when Count is 0).
	Oldest time.Time
}

// Audit is the append-only audit trail: a journal that changes append to
// without any lock, and the sealed hash chain that one sealer at a time
// extends from it (ARCHITECTURE.md, "The audit trail").
type Audit interface {
	// Append journals e in the caller's transaction (it exists if and only
	// if the change commits). It takes no lock; e's Seq, PrevHash, Hash
	// and SealedAt are ignored.
	Append(ctx context.Context, e domain.AuditEvent) error
	// Head returns the sealed chain's head (a plain read).
	Head(ctx context.Context) (AuditHead, error)
	// LockHeadForSeal, inside a transaction, locks the head for one
	// sealing round until commit. ok is false when another sealer holds it
	// (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite's write transaction is
	// already exclusive, so ok is always true there).
	LockHeadForSeal(ctx context.Context) (h AuditHead, ok bool, err error)
	// Pending returns up to limit journaled events in journal order.
	Pending(ctx context.Context, limit int) ([]PendingAuditEvent, error)
	// PendingStats counts the journaled events of tenant ("": all).
	PendingStats(ctx context.Context, tenant string) (AuditPending, error)
	// Seal stores one round: it inserts s.Events into the chain, removes
	// their journal rows and moves the head from s.Prev to the last event.
	// It returns ErrConflict, and the caller must roll back, when the head
	// is no longer s.Prev or a journal row is already gone.
	Seal(ctx context.Context, s AuditSeal) error
	// SetKey records the audit key's id and the MAC of the legacy prefix
	// once; ErrConflict when they are already set.
	SetKey(ctx context.Context, legacyMAC, keyID string) error
	// List returns sealed events.
	List(ctx context.Context, f AuditFilter) ([]domain.AuditEvent, error)
}
