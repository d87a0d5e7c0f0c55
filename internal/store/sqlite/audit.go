package sqlite

// Shared by both engines: `make generate` copies this file to ../postgres
// (see repos.go); edit it here only.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

// audit implements store.Audit.
type audit repos

// Append, in a transaction, keeps e until the transaction's work is done
// and flush journals all its events at once, just before the commit.
func (r audit) Append(ctx context.Context, e domain.AuditEvent) error {
	if r.st != nil {
		r.st.journal = append(r.st.journal, e)
		return nil
	}
	return r.insertJournal(ctx, e)
}

// flush journals the events the transaction appended, in their order:
// one statement for all of them.
func (r audit) flush(ctx context.Context) error {
	evs := r.st.journal
	r.st.journal = nil
	// The journal is the transaction's last write: on PostgreSQL it goes
	// to the server with COMMIT (pipeline.go), whose error is then its error.
	ctx = deferExec(ctx)
	switch len(evs) {
	case 0:
		return nil
	case 1:
		return r.insertJournal(ctx, evs[0])
	}
	rows := make([]journalRow, len(evs))
	for i, e := range evs {
		rows[i] = journalRow{ID: e.ID, OccurredAt: tsIn(e.OccurredAt), Tenant: e.Tenant, Actor: e.Actor, Action: e.Action,
			EntityType: e.EntityType, EntityID: e.EntityID, Digest: e.Digest, Meta: e.Meta}
	}
	batch, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	n, err := r.q.InsertAuditJournalBatch(ctx, string(batch))
	if errors.Is(err, errExecDeferred) {
		return nil // one row per element of the batch, or the commit fails
	}
	if err != nil {
		return fmt.Errorf("audit append: %w", mapErr(err))
	}
	if n != int64(len(evs)) {
		return fmt.Errorf("audit append: journaled %d of %d events", n, len(evs))
	}
	return nil
}

// journalRow is one event of InsertAuditJournalBatch's JSON batch; the
// time is in the engine's stored form (tsIn).
type journalRow struct {
	ID         string `json:"id"`
	OccurredAt any    `json:"occurred_at"`
	Tenant     string `json:"tenant"`
	Actor      string `json:"actor"`
	Action     string `json:"action"`
	EntityType string `json:"entity_type"`
	EntityID   string `json:"entity_id"`
	Digest     string `json:"digest"`
	Meta       string `json:"meta"`
}

func (r audit) insertJournal(ctx context.Context, e domain.AuditEvent) error {
	return mapErr(r.q.InsertAuditJournal(ctx, gen.InsertAuditJournalParams{
		ID:         e.ID,
		OccurredAt: tsIn(e.OccurredAt),
		Tenant:     e.Tenant,
		Actor:      e.Actor,
		Action:     e.Action,
		EntityType: e.EntityType,
		EntityID:   e.EntityID,
		Digest:     e.Digest,
		Meta:       e.Meta,
	}))
}

func (r audit) Head(ctx context.Context) (store.AuditHead, error) {
	h, err := r.q.GetAuditHead(ctx)
	if err != nil {
		return store.AuditHead{}, mapErr(err)
	}
	return store.AuditHead{
		Seq: h.Seq, Hash: h.Hash, LegacySeq: h.LegacySeq, LegacyHash: h.LegacyHash,
		LegacyMAC: h.LegacyMac, KeyID: h.KeyID,
	}, nil
}

func (r audit) LockHeadForSeal(ctx context.Context) (store.AuditHead, bool, error) {
	if !r.inTx {
		return store.AuditHead{}, false, errors.New("audit: LockHeadForSeal needs a transaction")
	}
	rows, err := r.q.LockAuditHeadForSeal(ctx)
	if err != nil {
		return store.AuditHead{}, false, mapErr(err)
	}
	if len(rows) == 0 {
		return store.AuditHead{}, false, nil
	}
	h := rows[0]
	return store.AuditHead{
		Seq: h.Seq, Hash: h.Hash, LegacySeq: h.LegacySeq, LegacyHash: h.LegacyHash,
		LegacyMAC: h.LegacyMac, KeyID: h.KeyID,
	}, true, nil
}

func (r audit) Pending(ctx context.Context, limit int) ([]store.PendingAuditEvent, error) {
	rows, err := r.q.ListAuditJournal(ctx, int64(limit))
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.PendingAuditEvent, len(rows))
	for i, j := range rows {
		out[i] = store.PendingAuditEvent{Pos: j.Pos, Event: domain.AuditEvent{
			ID:         j.ID,
			OccurredAt: tsOut(j.OccurredAt),
			Tenant:     j.Tenant,
			Actor:      j.Actor,
			Action:     j.Action,
			EntityType: j.EntityType,
			EntityID:   j.EntityID,
			Digest:     j.Digest,
			Meta:       j.Meta,
		}}
	}
	return out, nil
}

func (r audit) PendingStats(ctx context.Context, tenant string) (store.AuditPending, error) {
	n, err := r.q.CountAuditJournal(ctx, tenant)
	if err != nil || n == 0 {
		return store.AuditPending{}, mapErr(err)
	}
	oldest, err := r.q.OldestAuditJournal(ctx, tenant)
	if err != nil {
		if err = mapErr(err); errors.Is(err, store.ErrNotFound) {
			// Sealed between the two reads.
			return store.AuditPending{}, nil
		}
		return store.AuditPending{}, err
	}
	return store.AuditPending{Count: n, Oldest: tsOut(oldest)}, nil
}

// sealedRow is one event of InsertAuditEvents' JSON batch; times are in
// the engine's stored form (tsIn).
type sealedRow struct {
	Seq        int64  `json:"seq"`
	ID         string `json:"id"`
	OccurredAt any    `json:"occurred_at"`
	Tenant     string `json:"tenant"`
	Actor      string `json:"actor"`
	Action     string `json:"action"`
	EntityType string `json:"entity_type"`
	EntityID   string `json:"entity_id"`
	Digest     string `json:"digest"`
	Meta       string `json:"meta"`
	PrevHash   string `json:"prev_hash"`
	Hash       string `json:"hash"`
	SealedAt   any    `json:"sealed_at"`
}

func (r audit) Seal(ctx context.Context, s store.AuditSeal) error {
	n := len(s.Events)
	if n == 0 || n != len(s.Positions) {
		return fmt.Errorf("audit seal: %d events for %d journal positions", n, len(s.Positions))
	}
	last := s.Events[n-1]
	if last.Seq != s.Prev.Seq+int64(n) {
		return fmt.Errorf("audit seal: events end at %d, want %d", last.Seq, s.Prev.Seq+int64(n))
	}
	// The head first: its compare-and-set refuses a round built on a stale
	// head before anything else is written.
	moved, err := r.q.MoveAuditHead(ctx, gen.MoveAuditHeadParams{Seq: last.Seq, Hash: last.Hash, PrevSeq: s.Prev.Seq, PrevHash: s.Prev.Hash})
	if err != nil {
		return mapErr(err)
	}
	if moved == 0 {
		return fmt.Errorf("%w: the audit head moved past %d", store.ErrConflict, s.Prev.Seq)
	}
	pos, err := json.Marshal(s.Positions)
	if err != nil {
		return err
	}
	gone, err := r.q.DeleteAuditJournal(ctx, string(pos))
	if err != nil {
		return mapErr(err)
	}
	if gone != int64(n) {
		return fmt.Errorf("%w: %d of %d journaled events were already sealed", store.ErrConflict, int64(n)-gone, n)
	}
	rows := make([]sealedRow, n)
	for i, e := range s.Events {
		rows[i] = sealedRow{
			Seq: e.Seq, ID: e.ID, OccurredAt: tsIn(e.OccurredAt), Tenant: e.Tenant, Actor: e.Actor,
			Action: e.Action, EntityType: e.EntityType, EntityID: e.EntityID, Digest: e.Digest, Meta: e.Meta,
			PrevHash: e.PrevHash, Hash: e.Hash, SealedAt: tsIn(e.SealedAt),
		}
	}
	batch, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	ins, err := r.q.InsertAuditEvents(ctx, string(batch))
	if err != nil {
		return mapErr(err)
	}
	if ins != int64(n) {
		return fmt.Errorf("audit seal: inserted %d of %d events", ins, n)
	}
	return nil
}

func (r audit) SetKey(ctx context.Context, legacyMAC, keyID string) error {
	n, err := r.q.SetAuditKey(ctx, gen.SetAuditKeyParams{LegacyMac: legacyMAC, KeyID: keyID})
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return fmt.Errorf("%w: the audit key is already recorded", store.ErrConflict)
	}
	return nil
}

func (r audit) List(ctx context.Context, f store.AuditFilter) ([]domain.AuditEvent, error) {
	rows, err := r.q.ListAuditEvents(ctx, gen.ListAuditEventsParams{
		AfterSeq:   f.AfterSeq,
		UpToSeq:    f.UpToSeq,
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
		if t := ntsOut(e.SealedAt); t != nil {
			out[i].SealedAt = *t
		}
	}
	return out, nil
}
