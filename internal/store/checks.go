package store

import (
	"context"
	"time"
)

// CheckRecord is a check row; Details is encrypted.
type CheckRecord struct {
	ID         string
	CustomerID string
	Type       string
	Status     string
	Provider   string
	Summary    string
	Details    []byte
	Error      string
	Attempts   int
	Round      int
	CreatedAt  time.Time
	UpdatedAt  time.Time
	FinishedAt *time.Time
}

// Checks stores check results.
type Checks interface {
	Create(ctx context.Context, c CheckRecord) error
	// CreateMany creates the checks of a submission (in one statement when
	// none has details or is finished yet).
	CreateMany(ctx context.Context, cs []CheckRecord) error
	Get(ctx context.Context, id string) (CheckRecord, error)
	Update(ctx context.Context, c CheckRecord) error
	// ListByCustomer returns the checks of the latest round first, by type.
	ListByCustomer(ctx context.Context, customerID string) ([]CheckRecord, error)
	// ListAwaiting returns up to limit pending checks that were handed to an
	// asynchronous provider (Provider set) and last updated before before,
	// oldest first (limit <= 0: all).
	ListAwaiting(ctx context.Context, before time.Time, limit int) ([]CheckRecord, error)
	// SaveRisk stores a risk assessment (Factors is JSON, not personal).
	SaveRisk(ctx context.Context, r RiskRecord) error
	// LatestRisk returns the newest assessment of a customer.
	LatestRisk(ctx context.Context, customerID string) (RiskRecord, error)
	// RecordCallback remembers an identity provider's callback event id;
	// ErrConflict when the provider sent that id before (a replay).
	RecordCallback(ctx context.Context, provider, eventID, checkID string, at time.Time) error
}

// RiskRecord is a stored risk assessment.
type RiskRecord struct {
	ID           string
	CustomerID   string
	CheckID      string
	Score        int
	Rating       string
	DueDiligence string
	ModelVersion string
	Factors      []byte // JSON []domain.RiskFactor
	CreatedAt    time.Time
}
