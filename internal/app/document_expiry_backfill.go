package app

import (
	"context"

	"github.com/kyc-platform/kyc/internal/store"
)

// The document-expiry backfill (issue 8, gap b): customers approved before
// migration 00117 had no identity-document expiry dates kept, so the
// expiry scan never saw their documents. A one-off job at start
// (jobs.DocumentExpiryBackfillArgs) gives every such customer its dates.

// DocumentExpiryBackfill names the backfill in the backfills table.
const DocumentExpiryBackfill = "document_expiries"

// DefaultBackfillBatch is the number of customers a backfill batch reads,
// decrypts and writes in one transaction.
const DefaultBackfillBatch = 500

// BackfillResult says what a backfill did in this run.
type BackfillResult struct {
	// Customers is how many approved customers without kept expiry dates
	// it read; Tracked how many of them now have some (the others hold no
	// document with an expiry date); Dates how many dates it added;
	// Unreadable how many records it could not decrypt (left alone, named
	// in the log by id).
	Customers, Tracked, Dates, Unreadable int
	// Done is true once the whole book was walked (now or in an earlier
	// run); AlreadyDone when an earlier run had finished it.
	Done, AlreadyDone bool
}

// BackfillDocumentExpiries keeps the identity-document expiry dates of
// every approved customer that has none kept, in batches of batch (zero:
// DefaultBackfillBatch), each in one transaction that reads the batch in
// one query (locking its rows on PostgreSQL, so a concurrent change of
// circumstances is not overwritten with stale dates), decrypts it in
// memory, adds the dates and records the cursor (the last customer id
// done). It is idempotent (a date kept already is left alone) and
// resumable: a run stopped by a restart goes on from the cursor, and a
// finished backfill does nothing. Personal data stays encrypted at rest;
// only the dates, which the expiry scan needs, are written beside it, as
// for every customer approved since.
func (s *Reviews) BackfillDocumentExpiries(ctx context.Context, batch int) (BackfillResult, error) {
	if batch <= 0 {
		batch = DefaultBackfillBatch
	}
	var res BackfillResult
	for !res.Done {
		err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
			cursor, doneAt, err := tx.Backfills().Progress(ctx, DocumentExpiryBackfill)
			if err != nil {
				return err
			}
			if doneAt != nil {
				res.Done, res.AlreadyDone = true, res.Customers == 0
				return nil
			}
			recs, err := tx.Backfills().ApprovedWithoutDocumentExpiries(ctx, cursor, batch)
			if err != nil {
				return err
			}
			for _, rec := range recs {
				cursor = rec.ID
				res.Customers++
				c, err := customerFromRecord(s.d.Crypt, rec)
				if err != nil {
					res.Unreadable++
					s.d.log().Warn("document-expiry backfill: customer record unreadable, left alone", "customer_id", rec.ID, "err", err)
					continue
				}
				want := documentExpiries(c.ID, c.Data)
				for _, e := range want {
					if err := tx.Reviews().AddDocumentExpiry(ctx, e); err != nil {
						return err
					}
				}
				if len(want) > 0 {
					res.Tracked++
					res.Dates += len(want)
				}
			}
			var end = doneAt
			if len(recs) < batch {
				now := s.d.now()
				end, res.Done = &now, true
			}
			return tx.Backfills().SaveProgress(ctx, DocumentExpiryBackfill, cursor, end)
		})
		if err != nil {
			return res, err
		}
	}
	return res, nil
}
