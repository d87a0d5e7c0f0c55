package sqlite

// Shared by both engines: `make generate` copies this file to ../postgres
// (see repos.go); edit it here only.

import (
	"context"
	"errors"

	"github.com/kyc-platform/kyc/internal/store"
	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

// customers implements store.Customers.
type customers repos

func customerOut(c gen.Customer) store.CustomerRecord {
	return store.CustomerRecord{
		ID:            c.ID,
		Tenant:        c.Tenant,
		Type:          c.Type,
		Status:        c.Status,
		RiskRating:    c.RiskRating,
		DueDiligence:  c.DueDiligence,
		ExternalRef:   c.ExternalRef,
		ClientID:      c.ClientID,
		Data:          c.Data,
		EmailIndex:    c.EmailIndex,
		DocumentIndex: c.DocumentIndex,
		NameIndex:     c.NameIndex,
		Version:       c.Version,
		CreatedAt:     tsOut(c.CreatedAt),
		UpdatedAt:     tsOut(c.UpdatedAt),
		SubmittedAt:   ntsOut(c.SubmittedAt),
		DecidedAt:     ntsOut(c.DecidedAt),
		NextReviewAt:  ntsOut(c.NextReviewAt),

		ClosedAt:        ntsOut(c.ClosedAt),
		CloseReason:     c.CloseReason,
		RetentionEndsAt: ntsOut(c.RetentionEndsAt),
		RestrictedAt:    ntsOut(c.RestrictedAt),
		PurgedAt:        ntsOut(c.PurgedAt),
	}
}

func (r customers) Create(ctx context.Context, c store.CustomerRecord) error {
	// Callers only pass its error on, so in a transaction the insert may
	// travel with the transaction's next statement or its COMMIT (on
	// PostgreSQL, pipeline.go): a create is then one round trip.
	return mapErr(r.q.CreateCustomer(deferExec(ctx), gen.CreateCustomerParams{
		ID:            c.ID,
		Tenant:        c.Tenant,
		Type:          c.Type,
		Status:        c.Status,
		RiskRating:    c.RiskRating,
		DueDiligence:  c.DueDiligence,
		ExternalRef:   c.ExternalRef,
		ClientID:      c.ClientID,
		Data:          notNil(c.Data),
		EmailIndex:    c.EmailIndex,
		DocumentIndex: c.DocumentIndex,
		NameIndex:     c.NameIndex,
		Version:       c.Version,
		CreatedAt:     tsIn(c.CreatedAt),
		UpdatedAt:     tsIn(c.UpdatedAt),
		SubmittedAt:   ntsIn(c.SubmittedAt),
		DecidedAt:     ntsIn(c.DecidedAt),
		NextReviewAt:  ntsIn(c.NextReviewAt),

		ClosedAt:        ntsIn(c.ClosedAt),
		CloseReason:     c.CloseReason,
		RetentionEndsAt: ntsIn(c.RetentionEndsAt),
		RestrictedAt:    ntsIn(c.RestrictedAt),
		PurgedAt:        ntsIn(c.PurgedAt),
	}))
}

func (r customers) Get(ctx context.Context, id string) (store.CustomerRecord, error) {
	c, err := r.q.GetCustomer(ctx, id)
	if err != nil {
		return store.CustomerRecord{}, mapErr(err)
	}
	return customerOut(c), nil
}

func (r customers) GetForUpdate(ctx context.Context, id string) (store.CustomerRecord, error) {
	c, err := r.q.GetCustomerForUpdate(ctx, id)
	if err != nil {
		return store.CustomerRecord{}, mapErr(err)
	}
	r.lock(c.ID, c.Version)
	return customerOut(c), nil
}

// lock notes that the transaction holds customer id's row at version.
func (r customers) lock(id string, version int64) {
	if r.st == nil {
		return
	}
	if r.st.locked == nil {
		r.st.locked = map[string]int64{}
	}
	r.st.locked[id] = version
}

func (r customers) Update(ctx context.Context, c store.CustomerRecord) error {
	uctx := ctx
	if v, ok := r.st.lockedVersion(c.ID); ok && v == c.Version-1 {
		// The transaction holds the row at the version this update
		// replaces: it changes exactly one row, so the update may travel
		// with the transaction's next statement (PostgreSQL, pipeline.go).
		uctx = deferExecRows(ctx, 1)
	}
	n, err := r.q.UpdateCustomer(uctx, gen.UpdateCustomerParams{
		ID:            c.ID,
		PrevVersion:   c.Version - 1,
		Type:          c.Type,
		Status:        c.Status,
		RiskRating:    c.RiskRating,
		DueDiligence:  c.DueDiligence,
		ExternalRef:   c.ExternalRef,
		ClientID:      c.ClientID,
		Data:          notNil(c.Data),
		EmailIndex:    c.EmailIndex,
		DocumentIndex: c.DocumentIndex,
		NameIndex:     c.NameIndex,
		Version:       c.Version,
		UpdatedAt:     tsIn(c.UpdatedAt),
		SubmittedAt:   ntsIn(c.SubmittedAt),
		DecidedAt:     ntsIn(c.DecidedAt),
		NextReviewAt:  ntsIn(c.NextReviewAt),

		ClosedAt:        ntsIn(c.ClosedAt),
		CloseReason:     c.CloseReason,
		RetentionEndsAt: ntsIn(c.RetentionEndsAt),
		RestrictedAt:    ntsIn(c.RestrictedAt),
		PurgedAt:        ntsIn(c.PurgedAt),
	})
	if errors.Is(err, errExecDeferred) {
		r.lock(c.ID, c.Version)
		return nil
	}
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return missingOrStale(r.q.CustomerExists(ctx, c.ID))
	}
	if _, ok := r.st.lockedVersion(c.ID); ok {
		r.lock(c.ID, c.Version)
	}
	return nil
}

func (r customers) List(ctx context.Context, f store.CustomerFilter) ([]store.CustomerRecord, error) {
	rows, err := r.q.ListCustomers(ctx, gen.ListCustomersParams{
		Status:         f.Status,
		RiskRating:     f.RiskRating,
		Type:           f.Type,
		ClientID:       f.ClientID,
		Tenant:         f.Tenant,
		EmailIndex:     f.EmailIndex,
		NameIndex:      f.NameIndex,
		After:          f.After,
		HideRestricted: flag(f.HideRestricted),
		Lim:            limit(f.Limit),
	})
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.CustomerRecord, len(rows))
	for i, c := range rows {
		out[i] = customerOut(c)
	}
	return out, nil
}

func (r customers) CountByStatus(ctx context.Context) (map[string]int64, error) {
	rows, err := r.q.CountCustomersByStatus(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make(map[string]int64, len(rows))
	for _, row := range rows {
		out[row.Status] = row.N
	}
	return out, nil
}
