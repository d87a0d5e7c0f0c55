package domain

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// RiskOverrideStatus is where a risk override stands.
type RiskOverrideStatus string

// Risk override statuses: requested and waiting for an mlro (pending), in
// force (approved), refused by an mlro (rejected), or no longer in force
// because a later assessment changed the computed rating it was made
// against, or a later approved override replaced it (superseded).
const (
	OverridePending    RiskOverrideStatus = "pending"
	OverrideApproved   RiskOverrideStatus = "approved"
	OverrideRejected   RiskOverrideStatus = "rejected"
	OverrideSuperseded RiskOverrideStatus = "superseded"
)

// MaxOverrideReason is the longest reason or decision note, in characters.
const MaxOverrideReason = 4000

// RiskOverride is a request to replace a customer's computed risk rating
// (RISK_MODEL.md: "An analyst may override a rating only with a reason and
// an mlro's second approval; the override is stored beside the computed
// rating, never in its place"). ComputedRating and ComputedDueDiligence are
// the assessment's values it was made against; DueDiligence is the level it
// gives once approved.
type RiskOverride struct {
	ID                   string             `json:"id"`
	CustomerID           string             `json:"customer_id"`
	Rating               RiskRating         `json:"rating"`
	DueDiligence         DueDiligence       `json:"due_diligence"`
	ComputedRating       RiskRating         `json:"computed_rating"`
	ComputedDueDiligence DueDiligence       `json:"computed_due_diligence"`
	Reason               string             `json:"-"`
	Status               RiskOverrideStatus `json:"status"`
	// RequestedBy and DecidedBy are actor ids ("user:…", "client:…").
	RequestedBy  string     `json:"requested_by"`
	RequestedAt  time.Time  `json:"requested_at"`
	DecidedBy    string     `json:"decided_by,omitempty"`
	DecidedAt    *time.Time `json:"decided_at,omitempty"`
	DecisionNote string     `json:"-"`
	// EndedAt is when an approved override stopped being in force
	// (superseded).
	EndedAt *time.Time `json:"ended_at,omitempty"`
}

// Rank orders ratings from low (0) to prohibited (3); "" ranks below low.
func (r RiskRating) Rank() int {
	switch r {
	case RiskLow:
		return 0
	case RiskMedium:
		return 1
	case RiskHigh:
		return 2
	case RiskProhibited:
		return 3
	}
	return -1
}

// Rank orders due-diligence levels from simplified (1) to enhanced (3); ""
// ranks 0.
func (d DueDiligence) Rank() int {
	switch d {
	case DDSimplified:
		return 1
	case DDStandard:
		return 2
	case DDEnhanced:
		return 3
	}
	return 0
}

// RiskFloors are the floors an assessment's factors set: the lowest rating
// and due diligence no score (and no override) may go below, with the
// factors that set them, and whether a knock-out factor applied.
type RiskFloors struct {
	Rating             RiskRating
	RatingFactor       string
	DueDiligence       DueDiligence
	DueDiligenceFactor string
	KnockOut           string
}

// Floors returns the floors of an assessment.
func (a RiskAssessment) Floors() RiskFloors {
	var f RiskFloors
	for _, x := range a.Factors {
		if x.KnockOut && f.KnockOut == "" {
			f.KnockOut = x.Name
		}
		if r := RiskRating(x.Floor); r.Valid() && r.Rank() > f.Rating.Rank() {
			f.Rating, f.RatingFactor = r, x.Name
		}
		if d := DueDiligence(x.DueDiligenceFloor); d.Rank() > f.DueDiligence.Rank() {
			f.DueDiligence, f.DueDiligenceFactor = d, x.Name
		}
	}
	return f
}

// OverrideDueDiligence is the due diligence an override to rating gives a
// customer whose assessment has floors f: the rating's level, never below
// the model's due-diligence floor.
func OverrideDueDiligence(rating RiskRating, f RiskFloors) DueDiligence {
	dd := DueDiligenceFor(rating)
	if f.DueDiligence.Rank() > dd.Rank() {
		dd = f.DueDiligence
	}
	return dd
}

// CheckRiskOverride applies the rules of a risk override to a request for
// rating with reason, against the customer's latest assessment a and the
// rating in force now (the computed one, or an approved override's). It
// returns nil or an ECodeInvalid *Error naming rating and reason:
//
//   - a reason is required (RISK_MODEL.md: "only with a reason");
//   - the rating is low, medium or high: prohibited comes only from a
//     knock-out factor, and a refusal is a decision on the customer's case;
//   - a knock-out (prohibited) cannot be overridden at all: the model says
//     the customer is never approved (FATF R.19 countermeasures; a
//     confirmed sanctions match);
//   - the override cannot go below a floor of the model: a rating floor
//     (a PEP: high) or a due-diligence floor (a PEP or a call-for-action
//     country: enhanced; doubt about identity: standard). Floors are what
//     "no score undoes" (RISK_MODEL.md), and an override is no exception
//     (FATF R.12; R.10: no simplified measures where there is doubt);
//   - it changes the rating in force.
func CheckRiskOverride(a RiskAssessment, inForce, rating RiskRating, reason string) error {
	var v Validation
	switch r := strings.TrimSpace(reason); {
	case r == "":
		v.Add("reason", "Give the reason for the override: it is kept with the computed rating for the mlro and the auditors.")
	case utf8.RuneCountInString(r) > MaxOverrideReason:
		v.Add("reason", fmt.Sprintf("Keep the reason under %d characters.", MaxOverrideReason))
	}
	switch {
	case rating == "":
		v.Add("rating", "Choose the rating: low, medium or high.")
	case rating == RiskProhibited:
		v.Add("rating", "An override cannot set prohibited: that rating comes only from a knock-out factor. To refuse the customer, reject it on its case.")
	case !rating.Valid():
		v.Add("rating", "The rating must be one of low, medium or high.")
	default:
		if msg := RiskOverrideBlocked(a, rating); msg != "" {
			v.Add("rating", msg)
		} else if rating == inForce {
			v.Add("rating", fmt.Sprintf("The rating in force is already %s.", rating))
		}
	}
	return v.Err()
}

func orNone(s string) string {
	if s == "" {
		return "none named"
	}
	return s
}

// RiskOverrideBlocked says why the model's assessment a does not allow an
// override to rating ("" when it does): a knock-out, a rating floor or a
// due-diligence floor (see CheckRiskOverride).
func RiskOverrideBlocked(a RiskAssessment, rating RiskRating) string {
	f := a.Floors()
	switch {
	case a.Rating == RiskProhibited:
		return fmt.Sprintf("The computed rating is prohibited by a knock-out factor (%s); no override can lower it: such a customer is never approved.", orNone(f.KnockOut))
	case f.Rating.Rank() > rating.Rank():
		return fmt.Sprintf("The risk model keeps this customer at %s at least (factor %s); an override cannot go below a floor.", f.Rating, f.RatingFactor)
	case f.DueDiligence.Rank() > DueDiligenceFor(rating).Rank():
		return fmt.Sprintf("The risk model keeps this customer at %s due diligence at least (factor %s); a %s rating would take it below that floor.", f.DueDiligence, f.DueDiligenceFactor, rating)
	}
	return ""
}
