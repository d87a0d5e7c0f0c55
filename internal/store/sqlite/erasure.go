package sqlite

// Shared by both engines: `make generate` copies this file to ../postgres
// (see repos.go); edit it here only.

import (
	"context"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

// erasure implements store.Erasure.
type erasure repos

func (r erasure) DueForPurge(ctx context.Context, now time.Time, n int) ([]string, error) {
	ids, err := r.q.ListCustomersDueForPurge(ctx, gen.ListCustomersDueForPurgeParams{Now: ntsIn(&now), Lim: limit(n)})
	return ids, mapErr(err)
}

func (r erasure) PurgeRelated(ctx context.Context, customerID string) (store.PurgeCounts, error) {
	var c store.PurgeCounts
	var err error
	if c.Documents, err = r.q.DeleteDocumentsOfCustomer(ctx, customerID); err != nil {
		return c, mapErr(err)
	}
	if c.Checks, err = r.q.ClearCheckDetailsOfCustomer(ctx, customerID); err != nil {
		return c, mapErr(err)
	}
	if c.Hits, err = r.q.ClearHitDataOfCustomer(ctx, customerID); err != nil {
		return c, mapErr(err)
	}
	if c.Decisions, err = r.q.ClearDecisionReasonsOfCustomer(ctx, gen.ClearDecisionReasonsOfCustomerParams{CustomerID: customerID, Empty: []byte{}}); err != nil {
		return c, mapErr(err)
	}
	if c.RiskAssessments, err = r.q.ClearRiskFactorsOfCustomer(ctx, gen.ClearRiskFactorsOfCustomerParams{CustomerID: customerID, Empty: []byte("[]")}); err != nil {
		return c, mapErr(err)
	}
	return c, nil
}

// flag is a boolean query argument (CAST(… AS BIGINT)): 1 or 0.
func flag(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
