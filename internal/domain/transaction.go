package domain

import "time"

// TxDirection says whether money came in to the customer or went out.
type TxDirection string

// Transaction directions.
const (
	TxIn  TxDirection = "in"
	TxOut TxDirection = "out"
)

// Valid reports whether d is a known direction.
func (d TxDirection) Valid() bool { return d == TxIn || d == TxOut }

// TxChannel is how the money moved.
type TxChannel string

// Transaction channels (PRODUCT.md section 3).
const (
	TxCash   TxChannel = "cash"
	TxWire   TxChannel = "wire"
	TxCard   TxChannel = "card"
	TxCrypto TxChannel = "crypto"
	TxOther  TxChannel = "other"
)

// TxChannels lists every channel.
var TxChannels = []TxChannel{TxCash, TxWire, TxCard, TxCrypto, TxOther}

// Valid reports whether c is a known channel.
func (c TxChannel) Valid() bool {
	for _, k := range TxChannels {
		if c == k {
			return true
		}
	}
	return false
}

// CounterpartyType says whether the other party is a person or an
// organisation, when the client system knows.
type CounterpartyType string

// Counterparty types ("" when not known).
const (
	CounterpartyPerson       CounterpartyType = "person"
	CounterpartyOrganization CounterpartyType = "organization"
)

// Counterparty is the other side of a transaction. Name and Account are
// personal data (encrypted at rest); Country is ISO 3166-1 alpha-2.
type Counterparty struct {
	Name    string           `json:"name"`
	Country string           `json:"country,omitempty"`
	Account string           `json:"account,omitempty"`
	Type    CounterpartyType `json:"type,omitempty"`
}

// Transaction is a movement of money on a customer's account, reported by
// the client system and monitored by the rules (PRODUCT.md section 7).
type Transaction struct {
	ID         string
	Tenant     string
	CustomerID string
	ExternalID string // the client's own id, unique per tenant
	Amount     int64  // minor units of Currency, > 0
	Currency   string // ISO 4217
	// ReportingAmount is Amount converted to the reporting currency (minor
	// units) with the conversion table in force when it was received.
	ReportingAmount   int64
	ReportingCurrency string
	Direction         TxDirection
	Channel           TxChannel
	Counterparty      Counterparty
	OccurredAt        time.Time
	CreatedAt         time.Time
	ClientID          string // API client that sent it ("" for the CLI)
	// ContentHash identifies the submitted content, so that a repeat of the
	// same external_id is told apart from a different transaction.
	ContentHash string
}

// AlertStatus is the disposition of an alert.
type AlertStatus string

// Alert statuses.
const (
	AlertOpen          AlertStatus = "open"
	AlertFalsePositive AlertStatus = "false_positive"
	AlertSuspicious    AlertStatus = "suspicious"
)

// Valid reports whether s is a known alert status.
func (s AlertStatus) Valid() bool {
	return s == AlertOpen || s == AlertFalsePositive || s == AlertSuspicious
}

// Alert is raised by a monitoring rule on a transaction. Alerts, their
// explanations and dispositions are internal: never shown to the applicant.
type Alert struct {
	ID             string
	Tenant         string
	CustomerID     string
	CaseID         string
	Rule           string
	RuleVersion    string
	RuleSetVersion string
	Severity       string
	Parameters     map[string]any
	TransactionID  string   // the transaction evaluated when the rule fired
	TransactionIDs []string // every transaction that triggered it (evidence)
	Explanation    string
	// Error is set when the rule failed on this transaction: the alert
	// stands for "this transaction was not monitored by this rule".
	Error             string
	Status            AlertStatus
	DispositionReason string
	DispositionBy     string
	DispositionAt     *time.Time
	CreatedAt         time.Time
}

// ReportType is the kind of report filed with the financial intelligence
// unit.
type ReportType string

// Report types.
const (
	ReportSTR ReportType = "STR"
)

// ReportStatus is the state of a report.
type ReportStatus string

// Report statuses.
const (
	ReportDraft     ReportStatus = "draft"
	ReportSubmitted ReportStatus = "submitted"
)

// Report is a suspicious-transaction report built from a case, in goAML XML.
type Report struct {
	ID           string
	Tenant       string
	CaseID       string
	CustomerID   string
	Type         ReportType
	Status       ReportStatus
	Reason       string // the analyst's reason (internal)
	XML          []byte
	CreatedBy    string
	CreatedAt    time.Time
	SubmittedBy  string
	SubmittedAt  *time.Time
	FIUReference string
}
