package domain

import (
	"encoding/json"
	"time"
)

// CheckType names one of the checks run on submission; app registers each
// with its runner (app.CheckTypes).
type CheckType string

// Check types.
const (
	CheckIdentity  CheckType = "identity"
	CheckScreening CheckType = "screening"
	CheckRisk      CheckType = "risk"
)

// CheckStatus is the state of a check.
type CheckStatus string

// Check statuses.
const (
	CheckPending     CheckStatus = "pending"
	CheckPassed      CheckStatus = "passed"
	CheckFailed      CheckStatus = "failed"
	CheckNeedsReview CheckStatus = "needs_review"
	CheckError       CheckStatus = "error"
)

// Done reports whether the check has reached a final status.
func (s CheckStatus) Done() bool { return s != CheckPending && s != "" }

// Check is one run of one check for one submission of a customer.
type Check struct {
	ID         string
	CustomerID string
	Type       CheckType
	Status     CheckStatus
	Provider   string          // e.g. "document", "screening/v1", "risk-model 2026.1"
	Summary    string          // short, no personal data
	Details    json.RawMessage // structured result; stored encrypted
	Error      string          // reason of an error status, no personal data
	Attempts   int
	Round      int // submission round (1 for the first submit)
	CreatedAt  time.Time
	UpdatedAt  time.Time
	FinishedAt *time.Time
}

// RiskFactor is one factor's contribution to a risk assessment.
type RiskFactor struct {
	Name        string `json:"name"`
	Value       string `json:"value"`
	Points      int    `json:"points"`
	Explanation string `json:"explanation"`
	KnockOut    bool   `json:"knock_out,omitempty"`
	Floor       string `json:"floor,omitempty"`
	// DueDiligenceFloor is the due-diligence level the factor keeps the
	// customer at, at least ("enhanced" for a PEP; "standard" while the
	// identity is in doubt).
	DueDiligenceFloor string `json:"due_diligence_floor,omitempty"`
}

// RiskAssessment is the outcome of scoring a customer with a risk model.
type RiskAssessment struct {
	ID           string       `json:"id"`
	CustomerID   string       `json:"customer_id"`
	Score        int          `json:"score"`
	Rating       RiskRating   `json:"rating"`
	DueDiligence DueDiligence `json:"due_diligence"`
	ModelVersion string       `json:"model_version"`
	Factors      []RiskFactor `json:"factors"`
	CreatedAt    time.Time    `json:"created_at"`
}
