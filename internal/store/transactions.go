package store

import (
	"context"
	"time"
)

// TransactionRecord is a stored transaction. Counterparty is the encrypted
// JSON of the counterparty's name, account and type (personal data);
// CounterpartyCountry stays in clear for the aggregates.
type TransactionRecord struct {
	ID                  string
	Tenant              string
	CustomerID          string
	ExternalID          string
	Amount              int64
	Currency            string
	ReportingAmount     int64
	ReportingCurrency   string
	Direction           string
	Channel             string
	Counterparty        []byte
	CounterpartyCountry string
	OccurredAt          time.Time
	CreatedAt           time.Time
	ClientID            string
	ContentHash         string
}

// HistoryItem is a stored transaction as the monitoring aggregates read it:
// no personal data.
type HistoryItem struct {
	ID                  string
	CustomerID          string
	ExternalID          string
	Amount              int64
	Currency            string
	ReportingAmount     int64
	Direction           string
	Channel             string
	CounterpartyCountry string
	OccurredAt          time.Time
}

// TransactionFilter selects transactions for List. Ordered by ID
// descending; After is the cursor. A zero From or To does not filter.
type TransactionFilter struct {
	Tenant     string
	CustomerID string
	From, To   time.Time
	After      string
	Limit      int
}

// Transactions stores transactions.
type Transactions interface {
	// Insert stores a transaction unless its (tenant, external_id) is
	// already taken: then it writes nothing and returns false.
	Insert(ctx context.Context, t TransactionRecord) (bool, error)
	Get(ctx context.Context, id string) (TransactionRecord, error)
	GetByExternalID(ctx context.Context, tenant, externalID string) (TransactionRecord, error)
	// History returns the customer's transactions with occurred_at in
	// (after, until], oldest first.
	History(ctx context.Context, customerID string, after, until time.Time) ([]HistoryItem, error)
	List(ctx context.Context, f TransactionFilter) ([]TransactionRecord, error)
	// Range returns up to limit transactions of every customer with
	// occurred_at in [from, to), ordered by (occurred_at, id), after the
	// position (afterAt, afterID); for back-testing.
	Range(ctx context.Context, from, to, afterAt time.Time, afterID string, limit int) ([]HistoryItem, error)
}

// AlertRecord is a stored alert. Explanation and DispositionReason are
// encrypted (an explanation may quote a counterparty's name);
// Parameters and TransactionIDs are JSON.
type AlertRecord struct {
	ID                string
	Tenant            string
	CustomerID        string
	CaseID            string
	Rule              string
	RuleVersion       string
	RuleSetVersion    string
	Severity          string
	Parameters        string
	TransactionID     string
	TransactionIDs    string
	Explanation       []byte
	Error             string
	Status            string
	DispositionReason []byte
	DispositionBy     string
	DispositionAt     *time.Time
	CreatedAt         time.Time
}

// AlertFilter selects alerts. Ordered by ID descending; After is the cursor.
type AlertFilter struct {
	Tenant     string
	CustomerID string
	Rule       string
	Status     string
	CaseID     string
	After      string
	Limit      int
}

// Alerts stores transaction-monitoring alerts.
type Alerts interface {
	Create(ctx context.Context, a AlertRecord) error
	Get(ctx context.Context, id string) (AlertRecord, error)
	// Disposition writes the status and the disposition fields.
	Disposition(ctx context.Context, a AlertRecord) error
	List(ctx context.Context, f AlertFilter) ([]AlertRecord, error)
	// OpenCase returns the id of the customer's open transaction_alert case
	// holding alerts of the rule, or ErrNotFound.
	OpenCase(ctx context.Context, customerID, rule string) (string, error)
}

// ReportRecord is a stored report. Reason and XML are encrypted (both hold
// personal data).
type ReportRecord struct {
	ID           string
	Tenant       string
	CaseID       string
	CustomerID   string
	Type         string
	Status       string
	Reason       []byte
	XML          []byte
	CreatedBy    string
	CreatedAt    time.Time
	SubmittedBy  string
	SubmittedAt  *time.Time
	FIUReference string
	Version      int64
}

// Reports stores suspicious-transaction reports.
type Reports interface {
	Create(ctx context.Context, r ReportRecord) error
	Get(ctx context.Context, id string) (ReportRecord, error)
	ListByCase(ctx context.Context, caseID string) ([]ReportRecord, error)
	// Update writes status, submission and version when the stored version
	// equals r.Version-1; otherwise ErrConflict.
	Update(ctx context.Context, r ReportRecord) error
}
