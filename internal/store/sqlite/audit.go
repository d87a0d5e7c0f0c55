package sqlite

// Shared by both engines: `make generate` copies this file to ../postgres
// (see repos.go); edit it here only.

import (
	"context"
	"fmt"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

// audit implements store.Audit.
type audit repos

// LockHead takes the head's row lock with a no-op UPDATE … RETURNING inside
// a transaction (held until commit on PostgreSQL; SQLite's BEGIN IMMEDIATE
// already holds the write lock). Outside a transaction it is a plain read.
func (r audit) LockHead(ctx context.Context) (store.AuditHead, error) {
	if !r.inTx {
		h, err := r.q.GetAuditHead(ctx)
		if err != nil {
			return store.AuditHead{}, mapErr(err)
		}
		return store.AuditHead{Seq: h.Seq, Hash: h.Hash}, nil
	}
	h, err := r.q.LockAuditHead(ctx)
	if err != nil {
		return store.AuditHead{}, mapErr(err)
	}
	return store.AuditHead{Seq: h.Seq, Hash: h.Hash}, nil
}

func (r audit) Append(ctx context.Context, e domain.AuditEvent) error {
	// Moving the head first takes its row lock (PostgreSQL) even when the
	// caller skipped LockHead, and refuses an event that does not follow
	// the current head.
	n, err := r.q.MoveAuditHead(ctx, gen.MoveAuditHeadParams{Seq: e.Seq, Hash: e.Hash, PrevSeq: e.Seq - 1})
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return fmt.Errorf("%w: audit event %d does not follow the chain head", store.ErrConflict, e.Seq)
	}
	return mapErr(r.q.InsertAuditEvent(ctx, gen.InsertAuditEventParams{
		Seq:        e.Seq,
		ID:         e.ID,
		OccurredAt: tsIn(e.OccurredAt),
		Tenant:     e.Tenant,
		Actor:      e.Actor,
		Action:     e.Action,
		EntityType: e.EntityType,
		EntityID:   e.EntityID,
		Digest:     e.Digest,
		Meta:       e.Meta,
		PrevHash:   e.PrevHash,
		Hash:       e.Hash,
	}))
}

func (r audit) List(ctx context.Context, f store.AuditFilter) ([]domain.AuditEvent, error) {
	rows, err := r.q.ListAuditEvents(ctx, gen.ListAuditEventsParams{
		AfterSeq:   f.AfterSeq,
		Tenant:     f.Tenant,
		EntityType: f.EntityType,
		EntityID:   f.EntityID,
		Lim:        limit(f.Limit),
	})
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]domain.AuditEvent, len(rows))
	for i, e := range rows {
		out[i] = domain.AuditEvent{
			Seq:        e.Seq,
			ID:         e.ID,
			OccurredAt: tsOut(e.OccurredAt),
			Tenant:     e.Tenant,
			Actor:      e.Actor,
			Action:     e.Action,
			EntityType: e.EntityType,
			EntityID:   e.EntityID,
			Digest:     e.Digest,
			Meta:       e.Meta,
			PrevHash:   e.PrevHash,
			Hash:       e.Hash,
		}
	}
	return out, nil
}
