package store

import (
	"context"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
)

// CaseFilter selects cases. Ordered by ID descending; After is the cursor.
type CaseFilter struct {
	Kind       string
	Status     string
	CustomerID string
	Assignee   string
	Tenant     string
	After      string
	Limit      int
}

// Cases stores cases and their decisions.
type Cases interface {
	Create(ctx context.Context, c domain.Case) error
	Get(ctx context.Context, id string) (domain.Case, error)
	GetForUpdate(ctx context.Context, id string) (domain.Case, error)
	// Update writes every mutable column when the stored version equals
	// c.Version-1; otherwise ErrConflict.
	Update(ctx context.Context, c domain.Case) error
	List(ctx context.Context, f CaseFilter) ([]domain.Case, error)
	// OpenForCustomer returns the customer's cases that are not closed.
	OpenForCustomer(ctx context.Context, customerID string) ([]domain.Case, error)
	// AddDecision records a decision; Reason arrives encrypted.
	AddDecision(ctx context.Context, d DecisionRecord) error
	ListDecisions(ctx context.Context, caseID string) ([]DecisionRecord, error)
}

// DecisionRecord is a stored decision; Reason and Message are encrypted.
type DecisionRecord struct {
	ID       string
	CaseID   string
	Decision string
	Reason   []byte
	// Message is the text sent to the applicant with a request for
	// information (nil when none); Reason is internal and never shown
	// to the applicant.
	Message   []byte
	Actor     string
	Stage     string
	CreatedAt time.Time
}
