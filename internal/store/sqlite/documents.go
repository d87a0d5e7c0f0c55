package sqlite

// Shared by both engines: `make generate` copies this file to ../postgres
// (see repos.go); edit it here only.

import (
	"context"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

// documents implements store.Documents.
type documents repos

func (r documents) Create(ctx context.Context, d store.DocumentRecord) error {
	return mapErr(r.q.CreateDocument(ctx, gen.CreateDocumentParams{
		ID:              d.ID,
		CustomerID:      d.CustomerID,
		RelatedPersonID: d.RelatedPersonID,
		ContentKey:      d.ContentKey,
		Kind:            d.Kind,
		ContentType:     d.ContentType,
		Size:            d.Size,
		Sha256:          d.SHA256,
		Content:         notNil(d.Content),
		CreatedAt:       tsIn(d.CreatedAt),
	}))
}

func (r documents) Get(ctx context.Context, id string) (store.DocumentRecord, error) {
	d, err := r.q.GetDocument(ctx, id)
	if err != nil {
		return store.DocumentRecord{}, mapErr(err)
	}
	return store.DocumentRecord{
		ID:              d.ID,
		CustomerID:      d.CustomerID,
		RelatedPersonID: d.RelatedPersonID,
		ContentKey:      d.ContentKey,
		Kind:            d.Kind,
		ContentType:     d.ContentType,
		Size:            d.Size,
		SHA256:          d.Sha256,
		Content:         d.Content,
		CreatedAt:       tsOut(d.CreatedAt),
	}, nil
}

func (r documents) ListByCustomer(ctx context.Context, customerID string) ([]store.DocumentRecord, error) {
	rows, err := r.q.ListDocumentsByCustomer(ctx, customerID)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.DocumentRecord, len(rows))
	for i, d := range rows {
		out[i] = store.DocumentRecord{
			ID:              d.ID,
			CustomerID:      d.CustomerID,
			RelatedPersonID: d.RelatedPersonID,
			ContentKey:      d.ContentKey,
			Kind:            d.Kind,
			ContentType:     d.ContentType,
			Size:            d.Size,
			SHA256:          d.Sha256,
			CreatedAt:       tsOut(d.CreatedAt),
		}
	}
	return out, nil
}

func (r documents) Totals(ctx context.Context, customerID string, since time.Time) (store.DocumentTotals, error) {
	t, err := r.q.DocumentTotals(ctx, gen.DocumentTotalsParams{CustomerID: customerID, Since: tsIn(since)})
	if err != nil {
		return store.DocumentTotals{}, mapErr(err)
	}
	return store.DocumentTotals{Count: t.N, Bytes: t.TotalBytes, Recent: t.Recent}, nil
}
