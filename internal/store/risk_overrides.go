package store

import (
	"context"
	"time"
)

// RiskOverrides stores the risk overrides of customers (RISK_MODEL.md: an
// override is stored beside the computed rating, never in its place).
type RiskOverrides interface {
	// Create stores a new override; ErrConflict when the customer already
	// has one in the same status where only one may be (pending, approved).
	Create(ctx context.Context, o RiskOverrideRecord) error
	// Get reads one; ErrNotFound for an unknown id.
	Get(ctx context.Context, id string) (RiskOverrideRecord, error)
	// ListByCustomer returns a customer's overrides, newest first (none:
	// an empty list).
	ListByCustomer(ctx context.Context, customerID string) ([]RiskOverrideRecord, error)
	// Update writes the status and decision fields of an override whose
	// stored status is still from; ErrNotFound when it is not (another
	// decision got there first) or the id is unknown, ErrConflict when the
	// new status breaks the one-pending, one-approved rule.
	Update(ctx context.Context, o RiskOverrideRecord, from string) error
	// DeleteByCustomer removes a customer's overrides (their reasons are
	// personal data) when the record is purged.
	DeleteByCustomer(ctx context.Context, customerID string) (int64, error)
}

// RiskOverrideRecord is one risk override. Reason and DecisionNote are
// sealed by the vault.
type RiskOverrideRecord struct {
	ID                   string
	CustomerID           string
	Rating               string
	DueDiligence         string
	ComputedRating       string
	ComputedDueDiligence string
	Reason               []byte
	Status               string
	RequestedBy          string
	RequestedAt          time.Time
	DecidedBy            string
	DecidedAt            *time.Time
	DecisionNote         []byte
	EndedAt              *time.Time
}
