package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// AuditLog writes and verifies the hash-chained audit trail (README,
// "Personal data and the audit trail"). Every append happens inside the transaction of the change.
type AuditLog struct {
	d *Deps
}

// auditEntry is what a use case records about a change.
type auditEntry struct {
	// Tenant of the record the event is about ("" for system-wide events).
	Tenant string
	Actor  domain.Actor
	// Action is a registered event type (domain.Events); it also gives the
	// event's entity type.
	Action   domain.EventType
	EntityID string
	// Change is digested (keyed HMAC of its JSON), never stored raw.
	Change any
	// Meta holds small non-personal facts (statuses, field names, codes).
	Meta map[string]string
}

// record appends one event to the chain inside tx. It refuses an event type
// that is not registered in domain.Events.
func (l *AuditLog) record(ctx context.Context, tx store.Tx, e auditEntry) error {
	info, ok := domain.LookupEvent(e.Action)
	if !ok {
		return fmt.Errorf("audit: event type %q is not registered in domain.Events", e.Action)
	}
	head, err := tx.Audit().LockHead(ctx)
	if err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	now := l.d.now()
	digest := ""
	if e.Change != nil {
		b, err := json.Marshal(e.Change)
		if err != nil {
			return fmt.Errorf("audit digest: %w", err)
		}
		digest = l.d.Crypt.BlindIndex("audit-digest", string(b))
	}
	meta := ""
	if len(e.Meta) > 0 {
		b, _ := json.Marshal(e.Meta) // map[string]string always marshals; keys sorted
		meta = string(b)
	}
	ev := domain.AuditEvent{
		Seq:        head.Seq + 1,
		ID:         domain.NewID("evt", now),
		OccurredAt: now,
		Tenant:     e.Tenant,
		Actor:      e.Actor.String(),
		Action:     string(info.Type),
		EntityType: info.EntityType,
		EntityID:   e.EntityID,
		Digest:     digest,
		Meta:       meta,
		PrevHash:   head.Hash,
	}
	ev.Hash = ChainHash(ev)
	if err := tx.Audit().Append(ctx, ev); err != nil {
		return fmt.Errorf("audit append: %w", err)
	}
	return nil
}

// ChainHash computes the SHA-256 link of an event: it covers the previous
// hash and every field of the event, so editing, inserting, deleting or
// reordering any row breaks the chain from that row on.
func ChainHash(e domain.AuditEvent) string {
	h := sha256.New()
	for _, f := range []string{
		e.PrevHash,
		strconv.FormatInt(e.Seq, 10),
		e.ID,
		e.OccurredAt.UTC().Format(time.RFC3339Nano),
		e.Tenant,
		e.Actor, e.Action, e.EntityType, e.EntityID, e.Digest, e.Meta,
	} {
		// Length-prefix each field so that no two field lists collide.
		fmt.Fprintf(h, "%d:%s|", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// VerifyResult is the outcome of recomputing the chain.
type VerifyResult struct {
	OK       bool   `json:"ok"`
	Events   int64  `json:"events"`
	BrokenAt int64  `json:"broken_at,omitempty"` // sequence number of the first bad link
	EventID  string `json:"event_id,omitempty"`
	Reason   string `json:"reason,omitempty"`
	HeadHash string `json:"head_hash,omitempty"`
}

// Verify recomputes the whole chain and names the first broken link.
func (l *AuditLog) Verify(ctx context.Context, actor domain.Actor) (VerifyResult, error) {
	if err := Authorize(actor, PermAuditRead); err != nil {
		return VerifyResult{}, err
	}
	var res VerifyResult
	prev := ""
	var after int64
	for {
		evs, err := l.d.Store.Audit().List(ctx, store.AuditFilter{AfterSeq: after, Limit: 1000})
		if err != nil {
			return res, err
		}
		for _, e := range evs {
			fail := func(reason string) (VerifyResult, error) {
				res.BrokenAt, res.EventID, res.Reason = e.Seq, e.ID, reason
				return res, nil
			}
			switch {
			case e.Seq != after+1:
				return fail(fmt.Sprintf("sequence gap: expected %d, found %d (a row was deleted or inserted)", after+1, e.Seq))
			case e.PrevHash != prev:
				return fail("prev_hash does not match the hash of the previous event")
			case ChainHash(e) != e.Hash:
				return fail("hash does not match the event's contents (the row was modified)")
			}
			prev, after = e.Hash, e.Seq
			res.Events++
		}
		if len(evs) < 1000 {
			break
		}
	}
	head, err := l.d.Store.Audit().LockHead(ctx)
	if err != nil {
		return res, err
	}
	if head.Seq != after || head.Hash != prev {
		res.BrokenAt = after + 1
		res.Reason = fmt.Sprintf("chain head (seq %d) does not match the last event (seq %d): events were removed from the end", head.Seq, after)
		return res, nil
	}
	res.OK = true
	res.HeadHash = prev
	return res, nil
}

// AuditQuery selects the audit events ListEvents returns: those about one
// kind of entity (or one entity), in sequence order after AfterSeq, at most
// Limit (1 to 1001; anything else means 100). The tenant is not chosen by
// the caller: it follows from the actor.
type AuditQuery struct {
	EntityType string
	EntityID   string
	AfterSeq   int64
	Limit      int
}

// ListEvents returns audit events in order, filtered by entity.
func (l *AuditLog) ListEvents(ctx context.Context, actor domain.Actor, q AuditQuery) ([]domain.AuditEvent, error) {
	if err := Authorize(actor, PermAuditRead); err != nil {
		return nil, err
	}
	f := store.AuditFilter{
		Tenant:     tenantFilter(actor),
		EntityType: strings.TrimSpace(q.EntityType),
		EntityID:   q.EntityID,
		AfterSeq:   q.AfterSeq,
		Limit:      q.Limit,
	}
	if f.Limit <= 0 || f.Limit > 1001 {
		f.Limit = 100
	}
	return l.d.Store.Audit().List(ctx, f)
}
