package app

import (
	"context"
	"fmt"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// DefaultMaxUnsealedAge is how long a committed event may wait for a
// sealer before Verify reports it: sealers run every few hundred
// milliseconds, so an older event means no sealer is running.
const DefaultMaxUnsealedAge = time.Minute

// VerifyOptions tune Verify.
type VerifyOptions struct {
	// Checkpoint, when set, must match the chain: its signature is this
	// installation's, and the link at its Seq is its Hash.
	Checkpoint *Checkpoint
	// MaxUnsealedAge is the age beyond which an unsealed event is an
	// error (zero: DefaultMaxUnsealedAge).
	MaxUnsealedAge time.Duration
}

// VerifyResult is the outcome of recomputing the chain.
type VerifyResult struct {
	OK bool `json:"ok"`
	// Events is the number of sealed events checked, LegacyEvents how many
	// of them were chained by the unkeyed rule of earlier versions.
	Events       int64 `json:"events"`
	LegacyEvents int64 `json:"legacy_events,omitempty"`
	// BrokenAt is the sequence number of the first bad link (0 when the
	// fault is not in one link: unsealed events, a checkpoint).
	BrokenAt int64  `json:"broken_at,omitempty"`
	EventID  string `json:"event_id,omitempty"`
	Reason   string `json:"reason,omitempty"`
	HeadSeq  int64  `json:"head_seq"`
	HeadHash string `json:"head_hash,omitempty"`
	KeyID    string `json:"key_id,omitempty"`
	// Unsealed counts the committed events waiting for a sealer, and
	// OldestUnsealed says when the oldest of them occurred.
	Unsealed       int64      `json:"unsealed"`
	OldestUnsealed *time.Time `json:"oldest_unsealed,omitempty"`
	// CheckpointSeq is the checkpoint's position when one was checked.
	CheckpointSeq int64 `json:"checkpoint_seq,omitempty"`
}

// Verify recomputes the whole sealed chain and names the first broken
// link; unsealed events older than DefaultMaxUnsealedAge are an error.
func (l *AuditLog) Verify(ctx context.Context, actor domain.Actor) (VerifyResult, error) {
	return l.VerifyWith(ctx, actor, VerifyOptions{})
}

// VerifyWith recomputes the whole sealed chain as it stands at the start
// (the head read first; events sealed meanwhile are left for the next
// run): sequence numbers without a gap, each event's previous link, each
// link — the unkeyed SHA-256 rule up to the recorded switch-over point,
// HMAC under the audit key after it — and the head. It checks the
// switch-over record against the key, the checkpoint when one is given,
// and reports committed events left unsealed for longer than the bound.
func (l *AuditLog) VerifyWith(ctx context.Context, actor domain.Actor, o VerifyOptions) (VerifyResult, error) {
	if err := Authorize(actor, PermAuditRead); err != nil {
		return VerifyResult{}, err
	}
	keys, err := l.Keys()
	if err != nil {
		return VerifyResult{}, err
	}
	if o.MaxUnsealedAge <= 0 {
		o.MaxUnsealedAge = DefaultMaxUnsealedAge
	}
	head, err := l.d.Store.Audit().Head(ctx)
	if err != nil {
		return VerifyResult{}, err
	}
	res := VerifyResult{HeadSeq: head.Seq, KeyID: head.KeyID}
	fail := func(at int64, id, reason string) (VerifyResult, error) {
		res.BrokenAt, res.EventID, res.Reason = at, id, reason
		return res, nil
	}

	// The switch-over record: set by the first sealer, authenticated by
	// the key, so that nobody can declare keyed events unkeyed.
	switch {
	case head.KeyID == "" && head.Seq > head.LegacySeq:
		return fail(head.LegacySeq+1, "", "the chain has keyed events but no record of its audit key: the head row was altered")
	case head.KeyID == "" && head.Seq > 0:
		// Every sealer records the key in its first round, so only a
		// database upgraded from the unkeyed chain that no kyc process has
		// opened since lacks it — or one whose record was removed to pass
		// rewritten events off as unkeyed ones.
		return fail(0, "", "the chain has no record of its audit key: no sealer has run since the upgrade to the keyed chain (start kyc serve, or run kyc audit checkpoint), or the record was removed")
	case head.KeyID != "" && head.KeyID != keys.ID():
		return fail(head.LegacySeq+1, "", fmt.Sprintf("the chain is keyed with audit key %s but this installation's key is %s (another master key?)", head.KeyID, keys.ID()))
	case head.KeyID != "" && head.LegacyMAC != keys.legacyMAC(head.LegacySeq, head.LegacyHash):
		return fail(head.LegacySeq+1, "", "the record of where the keyed chain begins does not match its MAC: the head row was altered")
	}
	cp := o.Checkpoint
	if cp != nil {
		res.CheckpointSeq = cp.Seq
		switch err := keys.checkSignature(*cp); {
		case err != nil:
			return fail(0, "", err.Error())
		case cp.LegacySeq != head.LegacySeq:
			return fail(0, "", fmt.Sprintf("the checkpoint says the unkeyed prefix ends at %d, the database says %d: the switch-over record was altered", cp.LegacySeq, head.LegacySeq))
		case cp.Seq > head.Seq:
			return fail(head.Seq+1, "", fmt.Sprintf("the chain ends at %d, before the checkpoint at %d: sealed events were removed", head.Seq, cp.Seq))
		case cp.Seq == 0 && cp.Hash != "":
			return fail(0, "", "the checkpoint has a hash but no events")
		}
	}

	prev := ""
	var after int64
	const page = 1000
	for after < head.Seq {
		evs, err := l.d.Store.Audit().List(ctx, store.AuditFilter{AfterSeq: after, UpToSeq: head.Seq, Limit: page})
		if err != nil {
			return res, err
		}
		for _, e := range evs {
			legacy := e.Seq <= head.LegacySeq
			switch {
			case e.Seq != after+1:
				return fail(e.Seq, e.ID, fmt.Sprintf("sequence gap: expected %d, found %d (a row was deleted or inserted)", after+1, e.Seq))
			case e.PrevHash != prev:
				return fail(e.Seq, e.ID, "prev_hash does not match the hash of the previous event")
			case legacy && ChainHash(e) != e.Hash:
				return fail(e.Seq, e.ID, "hash does not match the event's contents (the row was modified)")
			case !legacy && keys.Link(e) != e.Hash:
				return fail(e.Seq, e.ID, "the keyed link does not match the event's contents (the row was modified, or linked with another key)")
			case e.Seq == head.LegacySeq && e.Hash != head.LegacyHash:
				return fail(e.Seq, e.ID, "the last unkeyed event does not match the recorded switch-over point")
			case cp != nil && e.Seq == cp.Seq && e.Hash != cp.Hash:
				return fail(e.Seq, e.ID, fmt.Sprintf("the chain does not match the checkpoint of %s at event %d: history was rewritten", cp.CreatedAt.UTC().Format(time.RFC3339), cp.Seq))
			}
			if legacy {
				res.LegacyEvents++
			}
			prev, after = e.Hash, e.Seq
			res.Events++
		}
		if len(evs) < page {
			break
		}
	}
	if after != head.Seq || prev != head.Hash {
		return fail(after+1, "", fmt.Sprintf("chain head (seq %d) does not match the last event (seq %d): events were removed from the end", head.Seq, after))
	}
	res.HeadHash = prev

	pend, err := l.d.Store.Audit().PendingStats(ctx, "")
	if err != nil {
		return res, err
	}
	res.Unsealed = pend.Count
	if pend.Count > 0 {
		oldest := pend.Oldest
		res.OldestUnsealed = &oldest
		if age := l.d.now().Sub(oldest); age > o.MaxUnsealedAge {
			return fail(0, "", fmt.Sprintf("%d committed event(s) are not sealed, the oldest for %s (more than %s): is a sealer running (kyc serve with workers)?",
				pend.Count, age.Round(time.Second), o.MaxUnsealedAge))
		}
	}
	res.OK = true
	return res, nil
}

// Checkpoint verifies the sealed chain and returns a signed statement of
// its head, to keep outside the database. It refuses to sign a chain that
// does not verify.
func (l *AuditLog) Checkpoint(ctx context.Context, actor domain.Actor) (Checkpoint, VerifyResult, error) {
	res, err := l.VerifyWith(ctx, actor, VerifyOptions{})
	if err != nil {
		return Checkpoint{}, res, err
	}
	if !res.OK && res.BrokenAt != 0 {
		return Checkpoint{}, res, domain.Errorf(domain.ECodeConflict, "The audit chain does not verify (%s); no checkpoint was signed.", res.Reason)
	}
	keys, _ := l.Keys()
	// The head may have moved on since; sign the one that was verified
	// (the switch-over point never moves once recorded).
	head, err := l.d.Store.Audit().Head(ctx)
	if err != nil {
		return Checkpoint{}, res, err
	}
	cp := keys.sign(Checkpoint{Seq: res.HeadSeq, Hash: res.HeadHash, LegacySeq: head.LegacySeq, KeyID: head.KeyID, CreatedAt: l.d.now()})
	return cp, res, nil
}
