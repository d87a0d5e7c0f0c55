package domain

import "time"

// CaseKind says why a case was opened.
type CaseKind string

// Case kinds.
const (
	CaseOnboarding       CaseKind = "onboarding"
	CaseScreeningHit     CaseKind = "screening_hit"
	CasePeriodicReview   CaseKind = "periodic_review"
	CaseListUpdate       CaseKind = "list_update"
	CaseTransactionAlert CaseKind = "transaction_alert"
	// CaseChangeReview is opened when a change of circumstances of an
	// approved customer makes the re-run checks worse than approval allows.
	CaseChangeReview CaseKind = "change_review"
	// CaseDocumentExpiry is opened ahead of an identity document's expiry.
	CaseDocumentExpiry CaseKind = "document_expiry"
)

// Valid reports whether k is a known case kind.
func (k CaseKind) Valid() bool {
	switch k {
	case CaseOnboarding, CaseScreeningHit, CasePeriodicReview, CaseListUpdate, CaseTransactionAlert, CaseChangeReview, CaseDocumentExpiry:
		return true
	}
	return false
}

// Ongoing reports whether a case of this kind is about a customer already
// approved, under ongoing due diligence (PRODUCT.md section 7): a periodic
// review, a list update, a change of circumstances or an expiring document.
// The customer stays approved while it is open; approving it keeps the
// customer approved and sets the next review date.
func (k CaseKind) Ongoing() bool {
	switch k {
	case CasePeriodicReview, CaseListUpdate, CaseChangeReview, CaseDocumentExpiry:
		return true
	}
	return false
}

// CaseStatus is the state of a case.
type CaseStatus string

// Case statuses.
const (
	CaseOpen                  CaseStatus = "open"
	CasePendingSecondApproval CaseStatus = "pending_second_approval"
	CaseClosed                CaseStatus = "closed"
)

// Valid reports whether s is a known case status.
func (s CaseStatus) Valid() bool {
	return s == CaseOpen || s == CasePendingSecondApproval || s == CaseClosed
}

// DecisionKind is what a reviewer decides on a case.
type DecisionKind string

// Decisions.
const (
	DecisionApprove     DecisionKind = "approve"
	DecisionReject      DecisionKind = "reject"
	DecisionRequestInfo DecisionKind = "request_info"
	DecisionEscalate    DecisionKind = "escalate"
	// DecisionCloseCustomer closes the relationship with an approved
	// customer (off-boarding) and the case with it.
	DecisionCloseCustomer DecisionKind = "close_customer"
)

// Valid reports whether d is a known decision.
func (d DecisionKind) Valid() bool {
	switch d {
	case DecisionApprove, DecisionReject, DecisionRequestInfo, DecisionEscalate, DecisionCloseCustomer:
		return true
	}
	return false
}

// Case is a piece of work for a person: review an onboarding, a screening hit,
// a periodic review and so on.
type Case struct {
	ID         string
	Tenant     string // the tenant of the customer
	CustomerID string
	Kind       CaseKind
	Status     CaseStatus
	Assignee   string
	Reason     string // why it was opened, no personal data
	DueAt      time.Time
	// Pending first decision awaiting a second approver (four-eyes).
	PendingDecision DecisionKind
	PendingBy       string
	PendingReason   string
	PendingAt       *time.Time
	Outcome         DecisionKind
	Version         int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
	ClosedAt        *time.Time
}

// Decision is one recorded decision on a case.
type Decision struct {
	ID       string
	CaseID   string
	Decision DecisionKind
	Reason   string // internal, never shown to the applicant; stored encrypted: free text may hold personal data
	// MessageToApplicant is what a request for information asks of the
	// applicant (stored encrypted); "" for other decisions.
	MessageToApplicant string
	Actor              string
	Stage              string // "final", "first" (awaiting second approval) or "second"
	CreatedAt          time.Time
}

// Disposition is a reviewer's verdict on a screening hit.
type Disposition string

// Dispositions ("" = open).
const (
	DispositionOpen          Disposition = ""
	DispositionTrueMatch     Disposition = "true_match"
	DispositionFalsePositive Disposition = "false_positive"
)

// ScreeningHit is one list entity matched against one of the customer's names.
type ScreeningHit struct {
	ID                string
	CustomerID        string
	CheckID           string
	EntityID          string // stable id within the list source
	List              string // source, e.g. ofac_sdn
	SourceID          string // the list's own id (OFAC entry number)
	EntityHash        string // content hash of the list entity when matched
	Name              string // the list entity's primary name (public list data)
	MatchedName       string // the list name (primary or alias) that matched
	Subject           string // which customer name matched (encrypted at rest)
	Score             float64
	Explanation       string // JSON; may mention the query tokens: encrypted at rest
	Topics            []string
	Disposition       Disposition
	DispositionReason string // encrypted at rest
	DisposedBy        string
	DisposedAt        *time.Time
	CreatedAt         time.Time
	// EntityRemovedAt notes that the list entity left its list (the
	// snapshot EntityRemovedSnapshot no longer holds it) while the hit
	// was open; the hit stays open for a person to disposition.
	EntityRemovedAt       *time.Time
	EntityRemovedSnapshot string
}
