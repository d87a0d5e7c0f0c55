package domain

// CustomerStatus is a step of the customer lifecycle (README, "The KYC
// process").
type CustomerStatus string

// Customer statuses.
const (
	StatusDraft         CustomerStatus = "draft"
	StatusSubmitted     CustomerStatus = "submitted"
	StatusInReview      CustomerStatus = "in_review"
	StatusInfoRequested CustomerStatus = "info_requested"
	StatusApproved      CustomerStatus = "approved"
	StatusRejected      CustomerStatus = "rejected"
	StatusClosed        CustomerStatus = "closed"
)

// CustomerStatuses lists every status, in lifecycle order.
var CustomerStatuses = []CustomerStatus{StatusDraft, StatusSubmitted, StatusInReview, StatusInfoRequested, StatusApproved, StatusRejected, StatusClosed}

var customerTransitions = map[CustomerStatus][]CustomerStatus{
	StatusDraft:         {StatusSubmitted},
	StatusSubmitted:     {StatusInReview, StatusApproved, StatusRejected},
	StatusInReview:      {StatusInfoRequested, StatusApproved, StatusRejected},
	StatusInfoRequested: {StatusInReview, StatusSubmitted, StatusRejected},
	// A review of an approved customer may ask for information
	// (PRODUCT.md section 7: a review requests it through the hosted
	// pages); the answer is resubmitted and checked like any other.
	StatusApproved: {StatusInfoRequested, StatusClosed},
	StatusRejected: {},
	StatusClosed:   {},
}

// Valid reports whether s is a known status.
func (s CustomerStatus) Valid() bool {
	_, ok := customerTransitions[s]
	return ok
}

// CanTransition reports whether a customer may move from one status to another.
func (s CustomerStatus) CanTransition(to CustomerStatus) bool {
	for _, t := range customerTransitions[s] {
		if t == to {
			return true
		}
	}
	return false
}

// Editable reports whether the customer's data may be changed in this status.
func (s CustomerStatus) Editable() bool {
	return s == StatusDraft || s == StatusInfoRequested
}

// Transition returns a conflict error when the move is illegal.
func (s CustomerStatus) Transition(to CustomerStatus) error {
	if !s.CanTransition(to) {
		return Errorf(ECodeConflict, "A customer in status %q cannot move to %q.", s, to)
	}
	return nil
}

// RiskRating is the outcome of a risk assessment.
type RiskRating string

// Risk ratings.
const (
	RiskLow        RiskRating = "low"
	RiskMedium     RiskRating = "medium"
	RiskHigh       RiskRating = "high"
	RiskProhibited RiskRating = "prohibited"
)

// Valid reports whether r is a known rating.
func (r RiskRating) Valid() bool {
	switch r {
	case RiskLow, RiskMedium, RiskHigh, RiskProhibited:
		return true
	}
	return false
}

// DueDiligence is the level of customer due diligence.
type DueDiligence string

// Due-diligence levels.
const (
	DDSimplified DueDiligence = "simplified"
	DDStandard   DueDiligence = "standard"
	DDEnhanced   DueDiligence = "enhanced"
)

// DueDiligenceFor maps a rating to its due-diligence level (README, "The KYC
// process").
// A prohibited rating has none.
func DueDiligenceFor(r RiskRating) DueDiligence {
	switch r {
	case RiskLow:
		return DDSimplified
	case RiskMedium:
		return DDStandard
	case RiskHigh:
		return DDEnhanced
	}
	return ""
}
