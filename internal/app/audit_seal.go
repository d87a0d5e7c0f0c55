package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
)

// SealBatch is the most events one sealing round chains.
const SealBatch = 1000

// SealResult reports one sealing round.
type SealResult struct {
	// Sealed is the number of events chained; Head the last sealed
	// sequence number after the round.
	Sealed int
	Head   int64
	// Busy is true when another sealer held the head: this round did
	// nothing and that sealer seals what is pending.
	Busy bool
}

// ErrAuditKeyMismatch is returned by Seal when the chain was keyed with
// another audit key than this process derives (another master key):
// extending it would break it.
var ErrAuditKeyMismatch = errors.New("audit: the chain is keyed with another audit key than this process's (wrong master key?); refusing to seal")

// Seal runs one sealing round: in one transaction it locks the chain's
// head (skipping the round when another sealer holds it), takes up to
// limit journaled events in journal order, gives each the next sequence
// number and its keyed link, stores them and removes them from the
// journal. Every committed event is sealed exactly once: the head lock
// and its compare-and-set exclude a second sealer, and a sealer that dies
// mid-round leaves nothing (its transaction rolls back) for the next one
// to trip over. limit ≤ 0 means SealBatch.
func (l *AuditLog) Seal(ctx context.Context, limit int) (SealResult, error) {
	keys, err := l.Keys()
	if err != nil {
		return SealResult{}, err
	}
	if limit <= 0 {
		limit = SealBatch
	}
	if l.keyed.Load() {
		// Idle rounds stay reads: no write transaction when nothing waits.
		pend, err := l.d.Store.Audit().Pending(ctx, 1)
		if err != nil {
			return SealResult{}, err
		}
		if len(pend) == 0 {
			return SealResult{}, nil
		}
	}
	var res SealResult
	err = l.d.Store.InTx(ctx, func(tx store.Tx) error {
		res = SealResult{}
		h, ok, err := tx.Audit().LockHeadForSeal(ctx)
		if err != nil {
			return err
		}
		if !ok {
			res.Busy = true
			return nil
		}
		res.Head = h.Seq
		switch h.KeyID {
		case keys.ID():
		case "":
			// The first round since the keyed chain exists (even with
			// nothing to seal): record the key and authenticate where the
			// unkeyed chain of earlier versions ends, so that neither can
			// be changed or removed unnoticed.
			if err := tx.Audit().SetKey(ctx, keys.legacyMAC(h.LegacySeq, h.LegacyHash), keys.ID()); err != nil {
				return err
			}
		default:
			return ErrAuditKeyMismatch
		}
		pend, err := tx.Audit().Pending(ctx, limit)
		if err != nil || len(pend) == 0 {
			return err
		}
		now := l.d.now()
		round := store.AuditSeal{Prev: h}
		prev := h.Hash
		for i, p := range pend {
			e := p.Event
			e.Seq = h.Seq + int64(i) + 1
			e.PrevHash = prev
			e.SealedAt = now
			e.Hash = keys.Link(e)
			prev = e.Hash
			round.Events = append(round.Events, e)
			round.Positions = append(round.Positions, p.Pos)
		}
		if err := tx.Audit().Seal(ctx, round); err != nil {
			return fmt.Errorf("audit seal: %w", err)
		}
		res.Sealed, res.Head = len(pend), h.Seq+int64(len(pend))
		return nil
	})
	if err != nil {
		return SealResult{}, err
	}
	if !res.Busy {
		l.keyed.Store(true)
	}
	return res, nil
}

// SealAll seals until a round finds less than a full batch pending,
// waiting out another sealer's rounds; one-shot commands call it before they exit
// so that what they wrote is chained without a running server. It returns
// the number of events it sealed.
func (l *AuditLog) SealAll(ctx context.Context) (int, error) {
	total := 0
	for {
		res, err := l.Seal(ctx, SealBatch)
		if err != nil {
			return total, err
		}
		total += res.Sealed
		if res.Busy {
			select {
			case <-ctx.Done():
				return total, ctx.Err()
			case <-time.After(10 * time.Millisecond):
			}
			continue
		}
		if res.Sealed < SealBatch {
			return total, nil
		}
	}
}
