package domain

import (
	"fmt"
	"strings"
)

// PolicyInput is what the decision policy looks at once every check of a
// submission round is done (README, "The KYC process"). It
// holds plain values only: the caller gathers them from the records.
type PolicyInput struct {
	// Identity, Screening and Risk are the statuses of the round's checks.
	Identity  CheckStatus
	Screening CheckStatus
	Risk      CheckStatus
	// Rating is the customer's current risk rating ("" when never assessed).
	Rating RiskRating
	// OpenHits counts the hits of the round's screening check that are not
	// dispositioned false positive (open ones and confirmed matches).
	OpenHits int
	// ConfirmedSanctionsMatch is true when any hit of the customer, in any
	// round, was confirmed as a true match on a sanctions list.
	ConfirmedSanctionsMatch bool
	// CaseOpen is true when the customer already has an open case (a
	// resubmission after a request for information).
	CaseOpen bool
	// AutoApprove lists the ratings that may be approved without a person
	// (configured; prohibited never is, whatever it says).
	AutoApprove map[RiskRating]bool
}

// PolicyOutcome is what the decision policy decided: approve automatically,
// or open (or reuse) a case of CaseKind with Reason for a person.
type PolicyOutcome struct {
	Approve  bool
	CaseKind CaseKind // set when Approve is false
	Reason   string   // set when Approve is false; no personal data
}

// Decide applies the decision policy (README, "The KYC process"): a customer is
// approved automatically only when no case is open, identity passed,
// screening passed with no open hit, the risk check completed, there is no
// confirmed sanctions match, and the rating is one configured for automatic
// approval (never prohibited). Everything else opens a case: a screening-hit
// case when the round has open hits, an onboarding case otherwise, with the
// reasons joined by "; ".
func Decide(in PolicyInput) PolicyOutcome {
	identityOK := in.Identity == CheckPassed
	screeningOK := in.Screening == CheckPassed && in.OpenHits == 0
	riskOK := in.Risk != CheckError
	ratingOK := in.Rating != RiskProhibited && in.AutoApprove[in.Rating]
	if !in.CaseOpen && identityOK && screeningOK && riskOK && !in.ConfirmedSanctionsMatch && ratingOK {
		return PolicyOutcome{Approve: true}
	}

	var reasons []string
	if in.CaseOpen {
		reasons = append(reasons, "resubmitted")
	}
	if !identityOK {
		reasons = append(reasons, "identity "+string(in.Identity))
	}
	if in.OpenHits > 0 {
		reasons = append(reasons, fmt.Sprintf("%d screening hit(s)", in.OpenHits))
	} else if !screeningOK {
		reasons = append(reasons, "screening "+string(in.Screening))
	}
	// A confirmed sanctions match makes the rating prohibited under the
	// standard risk model, and "risk rating prohibited" says so already;
	// it is named on its own only when the rating does not show it.
	if in.ConfirmedSanctionsMatch && in.Rating != RiskProhibited {
		reasons = append(reasons, "confirmed sanctions match")
	}
	if !riskOK {
		reasons = append(reasons, "risk check error")
	} else if in.Rating != "" && !ratingOK {
		reasons = append(reasons, "risk rating "+string(in.Rating))
	}
	kind := CaseOnboarding
	if in.OpenHits > 0 {
		kind = CaseScreeningHit
	}
	return PolicyOutcome{CaseKind: kind, Reason: strings.Join(reasons, "; ")}
}
