package sqlite

// Shared by both engines: `make generate` copies this file to ../postgres
// (see repos.go); edit it here only.

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
)

// customersBatch is how many customers CreateMany writes per statement:
// a few megabytes of JSON, so that one round trip carries thousands of
// rows without one statement growing without bound.
const customersBatch = 5_000

// CreateMany creates customers in statements of customersBatch rows
// (CreateCustomersBatch: a JSON array expanded by the database), in the
// caller's transaction or, outside one, each statement on its own. It is
// the bulk path of Create: one round trip per batch instead of one per
// row, which on PostgreSQL is what makes a book of a million customers
// quick to load. A duplicate id is ErrConflict, and the statement writes
// none of its rows.
func (r customers) CreateMany(ctx context.Context, cs []store.CustomerRecord) error {
	for start := 0; start < len(cs); start += customersBatch {
		part := cs[start:min(len(cs), start+customersBatch)]
		rows := make([]newCustomerRow, len(part))
		for i, c := range part {
			rows[i] = newCustomerRow{ID: c.ID, Tenant: c.Tenant, Type: c.Type, Status: c.Status, RiskRating: c.RiskRating,
				DueDiligence: c.DueDiligence, ExternalRef: c.ExternalRef, ClientID: c.ClientID, Data: hex.EncodeToString(c.Data),
				EmailIndex: c.EmailIndex, DocumentIndex: c.DocumentIndex, NameIndex: c.NameIndex, Version: c.Version,
				CreatedAt: tsIn(c.CreatedAt), UpdatedAt: tsIn(c.UpdatedAt), SubmittedAt: batchTS(c.SubmittedAt),
				DecidedAt: batchTS(c.DecidedAt), NextReviewAt: batchTS(c.NextReviewAt), ClosedAt: batchTS(c.ClosedAt),
				RetentionEndsAt: batchTS(c.RetentionEndsAt), RestrictedAt: batchTS(c.RestrictedAt), PurgedAt: batchTS(c.PurgedAt)}
			if c.CloseReason != nil {
				reason := hex.EncodeToString(c.CloseReason)
				rows[i].CloseReason = &reason
			}
		}
		batch, err := json.Marshal(rows)
		if err != nil {
			return err
		}
		n, err := r.q.CreateCustomersBatch(ctx, string(batch))
		if err != nil {
			return mapErr(err)
		}
		if n != int64(len(rows)) {
			return fmt.Errorf("create customers: inserted %d of %d", n, len(rows))
		}
	}
	return nil
}

// batchTS is an optional time in the engine's stored form, or nil (JSON
// null, a NULL column).
func batchTS(t *time.Time) any {
	if t == nil {
		return nil
	}
	return tsIn(*t)
}

// newCustomerRow is one customer of CreateCustomersBatch's JSON batch:
// blobs in hex, times in the engine's stored form (tsIn).
type newCustomerRow struct {
	ID              string  `json:"id"`
	Tenant          string  `json:"tenant"`
	Type            string  `json:"type"`
	Status          string  `json:"status"`
	RiskRating      string  `json:"risk_rating"`
	DueDiligence    string  `json:"due_diligence"`
	ExternalRef     string  `json:"external_ref"`
	ClientID        string  `json:"client_id"`
	Data            string  `json:"data"`
	EmailIndex      string  `json:"email_index"`
	DocumentIndex   string  `json:"document_index"`
	NameIndex       string  `json:"name_index"`
	Version         int64   `json:"version"`
	CreatedAt       any     `json:"created_at"`
	UpdatedAt       any     `json:"updated_at"`
	SubmittedAt     any     `json:"submitted_at"`
	DecidedAt       any     `json:"decided_at"`
	NextReviewAt    any     `json:"next_review_at"`
	ClosedAt        any     `json:"closed_at"`
	CloseReason     *string `json:"close_reason"`
	RetentionEndsAt any     `json:"retention_ends_at"`
	RestrictedAt    any     `json:"restricted_at"`
	PurgedAt        any     `json:"purged_at"`
}
