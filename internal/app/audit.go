package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// AuditLog writes, seals and verifies the audit trail (README, "Personal
// data and the audit trail"). A change appends its event inside its own
// transaction, without any lock (record); a sealer chains appended events
// shortly after they commit (Seal, audit_seal.go); readers see the sealed
// chain only (ListEvents) and how far sealing lags (Sealing); Verify
// (audit_verify.go) recomputes the keyed chain. ARCHITECTURE.md, "The
// audit trail", gives the argument.
type AuditLog struct {
	d    *Deps
	keys *AuditKeys
	// keyed is set once a round found the chain keyed with keys.
	keyed atomic.Bool
}

// newAuditLog builds the audit log over d; the keys come from
// d.AuditKeys, or are derived from d.Crypt when it holds the master key.
func newAuditLog(d *Deps) *AuditLog {
	l := &AuditLog{d: d, keys: d.AuditKeys}
	if l.keys == nil {
		if kd, ok := d.Crypt.(KeyDeriver); ok {
			l.keys = NewAuditKeys(kd)
		}
	}
	return l
}

// Keys returns the audit keys, or an error when none were configured.
func (l *AuditLog) Keys() (*AuditKeys, error) {
	if l.keys == nil {
		return nil, fmt.Errorf("audit: no audit keys (Deps.AuditKeys unset and Deps.Crypt derives no keys)")
	}
	return l.keys, nil
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

// record appends one event to the audit journal inside tx, so that it
// exists if and only if the change commits. It takes no lock and computes
// no link: the sealer chains the event after the commit. Call it after the
// change's row locks are held, so that events about one record are
// appended in the order their changes commit. It refuses an event type
// that is not registered in domain.Events.
func (l *AuditLog) record(ctx context.Context, tx store.Tx, e auditEntry) error {
	info, ok := domain.LookupEvent(e.Action)
	if !ok {
		return fmt.Errorf("audit: event type %q is not registered in domain.Events", e.Action)
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
		ID:         domain.NewID("evt", now),
		OccurredAt: now,
		Tenant:     e.Tenant,
		Actor:      e.Actor.String(),
		Action:     string(info.Type),
		EntityType: info.EntityType,
		EntityID:   e.EntityID,
		Digest:     digest,
		Meta:       meta,
	}
	if err := tx.Audit().Append(ctx, ev); err != nil {
		return fmt.Errorf("audit append: %w", err)
	}
	return l.publish(ctx, tx, e.Tenant, info.Type, e.EntityID, e.Meta, now)
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

// ListEvents returns sealed audit events in sequence order, filtered by
// entity. Only sealed events have a sequence number, and a sealer assigns
// them in order and commits them in order, so a reader tailing the trail
// by AfterSeq sees every event exactly once; an event committed but not
// sealed yet appears in a later page (Sealing says how many wait).
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

// SealingStatus says how far the sealed trail lags behind the committed
// events an actor may see.
type SealingStatus struct {
	// SealedThrough is the sequence number of the last sealed event.
	SealedThrough int64
	// Unsealed counts the committed events (of the actor's tenant) that
	// no sealer has chained yet; OldestUnsealed is when the oldest of
	// them occurred (zero when none) and Lag how long ago that was.
	Unsealed       int64
	OldestUnsealed time.Time
	Lag            time.Duration
}

// Sealing reports the sealing lag as seen by actor.
func (l *AuditLog) Sealing(ctx context.Context, actor domain.Actor) (SealingStatus, error) {
	if err := Authorize(actor, PermAuditRead); err != nil {
		return SealingStatus{}, err
	}
	h, err := l.d.Store.Audit().Head(ctx)
	if err != nil {
		return SealingStatus{}, err
	}
	p, err := l.d.Store.Audit().PendingStats(ctx, tenantFilter(actor))
	if err != nil {
		return SealingStatus{}, err
	}
	st := SealingStatus{SealedThrough: h.Seq, Unsealed: p.Count, OldestUnsealed: p.Oldest}
	if p.Count > 0 {
		st.Lag = max(0, l.d.now().Sub(p.Oldest))
	}
	return st, nil
}
