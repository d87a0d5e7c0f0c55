package sqlite

// Shared by both engines: `make generate` copies this file to ../postgres
// (see repos.go); edit it here only.

import (
	"context"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

// reviews implements store.Reviews.
type reviews repos

func (r reviews) DueForReview(ctx context.Context, now time.Time, n int) ([]string, error) {
	ids, err := r.q.ListCustomersDueForReview(ctx, gen.ListCustomersDueForReviewParams{Now: ntsIn(&now), Lim: limit(n)})
	return ids, mapErr(err)
}

func (r reviews) CountReviewsBetween(ctx context.Context, after, until time.Time) (int64, error) {
	n, err := r.q.CountReviewsBetween(ctx, gen.CountReviewsBetweenParams{After: ntsIn(&after), Until: ntsIn(&until)})
	return n, mapErr(err)
}

func (r reviews) AddChange(ctx context.Context, c store.ChangeRecord) error {
	return mapErr(r.q.CreateCustomerChange(ctx, gen.CreateCustomerChangeParams{
		ID: c.ID, CustomerID: c.CustomerID, Actor: c.Actor, Fields: c.Fields, Previous: c.Previous,
		PreviousRating: c.PreviousRating, Round: c.Round, Outcome: c.Outcome, CaseID: c.CaseID,
		CreatedAt: tsIn(c.CreatedAt), DecidedAt: ntsIn(c.DecidedAt),
	}))
}

func (r reviews) Changes(ctx context.Context, customerID string) ([]store.ChangeRecord, error) {
	rows, err := r.q.ListCustomerChanges(ctx, customerID)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.ChangeRecord, len(rows))
	for i, c := range rows {
		out[i] = store.ChangeRecord{
			ID: c.ID, CustomerID: c.CustomerID, Actor: c.Actor, Fields: c.Fields, Previous: c.Previous,
			PreviousRating: c.PreviousRating, Round: c.Round, Outcome: c.Outcome, CaseID: c.CaseID,
			CreatedAt: tsOut(c.CreatedAt), DecidedAt: ntsOut(c.DecidedAt),
		}
	}
	return out, nil
}

func (r reviews) UpdateChange(ctx context.Context, c store.ChangeRecord) error {
	n, err := r.q.UpdateCustomerChange(ctx, gen.UpdateCustomerChangeParams{ID: c.ID, Outcome: c.Outcome, CaseID: c.CaseID, DecidedAt: ntsIn(c.DecidedAt)})
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func (r reviews) DeleteChanges(ctx context.Context, customerID string) (int64, error) {
	n, err := r.q.DeleteCustomerChanges(ctx, customerID)
	return n, mapErr(err)
}

func (r reviews) DocumentExpiries(ctx context.Context, customerID string) ([]store.DocumentExpiry, error) {
	rows, err := r.q.ListDocumentExpiries(ctx, customerID)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.DocumentExpiry, len(rows))
	for i, e := range rows {
		out[i] = store.DocumentExpiry{CustomerID: e.CustomerID, Party: e.Party, ExpiresOn: e.ExpiresOn, CaseID: e.CaseID}
	}
	return out, nil
}

func (r reviews) AddDocumentExpiry(ctx context.Context, e store.DocumentExpiry) error {
	return mapErr(r.q.AddDocumentExpiry(deferExec(ctx), gen.AddDocumentExpiryParams{CustomerID: e.CustomerID, Party: e.Party, ExpiresOn: e.ExpiresOn}))
}

func (r reviews) DeleteDocumentExpiry(ctx context.Context, e store.DocumentExpiry) error {
	return mapErr(r.q.DeleteDocumentExpiry(ctx, gen.DeleteDocumentExpiryParams{CustomerID: e.CustomerID, Party: e.Party, ExpiresOn: e.ExpiresOn}))
}

func (r reviews) ExpiringDocuments(ctx context.Context, until string, n int) ([]store.DocumentExpiry, error) {
	rows, err := r.q.ListDocumentsExpiring(ctx, gen.ListDocumentsExpiringParams{Until: until, Lim: limit(n)})
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.DocumentExpiry, len(rows))
	for i, e := range rows {
		out[i] = store.DocumentExpiry{CustomerID: e.CustomerID, Party: e.Party, ExpiresOn: e.ExpiresOn}
	}
	return out, nil
}

func (r reviews) SetDocumentExpiryCase(ctx context.Context, e store.DocumentExpiry, caseID string) (bool, error) {
	n, err := r.q.SetDocumentExpiryCase(ctx, gen.SetDocumentExpiryCaseParams{CaseID: caseID, CustomerID: e.CustomerID, Party: e.Party, ExpiresOn: e.ExpiresOn})
	return n > 0, mapErr(err)
}
