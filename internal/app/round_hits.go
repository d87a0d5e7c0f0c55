package app

import (
	"context"
	"sync"

	"github.com/kyc-platform/kyc/internal/store"
)

// A check round reads the customer's screening hits twice before its
// transaction: the screening check (the hits already raised) and the risk
// check (the confirmed matches). They read the same rows at the same
// moment, so the round reads them once (issue 13: one statement fewer per
// onboarding). The memo lives in the context of the checks' runs only, and
// is never consulted through a transaction: what is read under the
// transaction's locks is always read again.
type roundHitsKey struct{}

type roundHits struct {
	customerID string
	once       sync.Once
	hits       []store.HitRecord
	err        error
}

// withRoundHits returns ctx carrying a memo of customerID's hits.
func withRoundHits(ctx context.Context, customerID string) context.Context {
	return context.WithValue(ctx, roundHitsKey{}, &roundHits{customerID: customerID})
}

// customerHits returns the hits of customer id read through r: once per
// round when ctx carries the round's memo and r is not a transaction.
func customerHits(ctx context.Context, r store.Repos, id string) ([]store.HitRecord, error) {
	m, ok := ctx.Value(roundHitsKey{}).(*roundHits)
	if _, inTx := r.(store.Tx); !ok || inTx || m.customerID != id {
		return r.Hits().ListByCustomer(ctx, id)
	}
	m.once.Do(func() { m.hits, m.err = r.Hits().ListByCustomer(ctx, id) })
	return m.hits, m.err
}
