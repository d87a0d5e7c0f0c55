package domain

import "testing"

// TestDecisionPolicy encodes the decision policy of the README, "The KYC
// process" ("Then the decision policy approves automatically only what is
// configured (low risk by default, medium off: KYC_AUTO_APPROVE), with
// identity passed, screening passed and no open hit. A confirmed sanctions
// match or a prohibited rating is never auto-approved. Everything else opens
// a case"). Each row names the rule it encodes.
func TestDecisionPolicy(t *testing.T) {
	lowOnly := map[RiskRating]bool{RiskLow: true} // the default KYC_AUTO_APPROVE=low
	lowMedium := map[RiskRating]bool{RiskLow: true, RiskMedium: true}
	// clean is a round where every check passed with no hit, rated low.
	clean := PolicyInput{Identity: CheckPassed, Screening: CheckPassed, Risk: CheckPassed, Rating: RiskLow, AutoApprove: lowOnly}
	with := func(f func(*PolicyInput)) PolicyInput {
		in := clean
		f(&in)
		return in
	}
	onboarding := func(reason string) PolicyOutcome { return PolicyOutcome{CaseKind: CaseOnboarding, Reason: reason} }
	hitCase := func(reason string) PolicyOutcome { return PolicyOutcome{CaseKind: CaseScreeningHit, Reason: reason} }

	tests := []struct {
		name string
		in   PolicyInput
		want PolicyOutcome
	}{
		// §2: low risk with identity passed and no open hits may be approved automatically.
		{"low risk, all passed", clean, PolicyOutcome{Approve: true}},
		// §2: automatic approval is configurable: with none configured, a person decides.
		{"automatic approval off", with(func(in *PolicyInput) { in.AutoApprove = nil }), onboarding("risk rating low")},
		// §2: automatic approval is off by default for medium risk.
		{"medium risk, default settings", with(func(in *PolicyInput) { in.Rating = RiskMedium }), onboarding("risk rating medium")},
		// §2: medium risk may be approved automatically when configured.
		{"medium risk, configured", with(func(in *PolicyInput) { in.Rating, in.AutoApprove = RiskMedium, lowMedium }), PolicyOutcome{Approve: true}},
		// §2 ("everything else opens a case"): high risk always goes to a person.
		{"high risk", with(func(in *PolicyInput) { in.Rating, in.Risk = RiskHigh, CheckNeedsReview }), onboarding("risk rating high")},
		// §2: a prohibited rating is never auto-approved.
		{"prohibited rating", with(func(in *PolicyInput) { in.Rating, in.Risk = RiskProhibited, CheckFailed }), onboarding("risk rating prohibited")},
		// §2: a prohibited rating is never auto-approved, even if the settings (wrongly) list it.
		{"prohibited rating listed for automatic approval", with(func(in *PolicyInput) {
			in.Rating, in.AutoApprove = RiskProhibited, map[RiskRating]bool{RiskProhibited: true}
		}), onboarding("risk rating prohibited")},
		// §2: a confirmed sanctions match is never auto-approved, even when the
		// risk model in use did not rate it prohibited.
		{"confirmed sanctions match, rated low", with(func(in *PolicyInput) { in.ConfirmedSanctionsMatch = true }), onboarding("confirmed sanctions match")},
		// With the default risk model (a sanctions match is a knock-out to prohibited) the rating names it.
		{"confirmed sanctions match, rated prohibited", with(func(in *PolicyInput) {
			in.ConfirmedSanctionsMatch, in.Rating, in.Risk = true, RiskProhibited, CheckFailed
		}), onboarding("risk rating prohibited")},
		// §2: only identity passed qualifies; a doubtful identity goes to a person.
		{"identity needs review", with(func(in *PolicyInput) { in.Identity = CheckNeedsReview }), onboarding("identity needs_review")},
		// §2: a failed identity check goes to a person.
		{"identity failed", with(func(in *PolicyInput) { in.Identity = CheckFailed }), onboarding("identity failed")},
		// §2: an identity check that could not complete goes to a person.
		{"identity error", with(func(in *PolicyInput) { in.Identity = CheckError }), onboarding("identity error")},
		// §2: open hits rule out automatic approval and open a screening-hit case.
		{"open screening hits", with(func(in *PolicyInput) { in.Screening, in.OpenHits = CheckNeedsReview, 2 }), hitCase("2 screening hit(s)")},
		// §2: an open hit is an open hit whatever the check's status says.
		{"open hit on a passed screening", with(func(in *PolicyInput) { in.OpenHits = 1 }), hitCase("1 screening hit(s)")},
		// §2: a screening that could not complete (e.g. no list loaded) goes to a person.
		{"screening error", with(func(in *PolicyInput) { in.Screening = CheckError }), onboarding("screening error")},
		// §2: a screening needing review without a hit goes to a person.
		{"screening needs review, no hit", with(func(in *PolicyInput) { in.Screening = CheckNeedsReview }), onboarding("screening needs_review")},
		// §2: a risk check that could not complete goes to a person; the stale rating is not a reason.
		{"risk check error", with(func(in *PolicyInput) { in.Risk = CheckError }), onboarding("risk check error")},
		// §2: a risk check error with no rating at all.
		{"risk check error, never rated", with(func(in *PolicyInput) { in.Risk, in.Rating = CheckError, "" }), onboarding("risk check error")},
		// §2: a customer without a rating is not one the settings allow, so never auto-approved.
		{"no rating", with(func(in *PolicyInput) { in.Rating = "" }), onboarding("")},
		// §2 (resubmission): a customer with an open case goes back to that case, never auto-approved.
		{"resubmitted with a case open", with(func(in *PolicyInput) { in.CaseOpen = true }), onboarding("resubmitted")},
		// §2: every reason is named, in order, and hits make it a screening-hit case.
		{"several reasons", PolicyInput{
			Identity: CheckNeedsReview, Screening: CheckNeedsReview, Risk: CheckNeedsReview, Rating: RiskHigh,
			OpenHits: 1, CaseOpen: true, AutoApprove: lowOnly,
		}, hitCase("resubmitted; identity needs_review; 1 screening hit(s); risk rating high")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Decide(tc.in); got != tc.want {
				t.Errorf("Decide(%+v) = %+v, want %+v", tc.in, got, tc.want)
			}
		})
	}
}

// TestDecisionPolicyNeverAutoApprovesProhibitedOrSanctioned checks every
// combination of inputs against the README, "The KYC process": "A confirmed sanctions
// match or a prohibited rating is never auto-approved", nor anything without
// identity passed, screening passed and no open hit.
func TestDecisionPolicyNeverAutoApprovesProhibitedOrSanctioned(t *testing.T) {
	statuses := []CheckStatus{CheckPassed, CheckFailed, CheckNeedsReview, CheckError}
	ratings := []RiskRating{"", RiskLow, RiskMedium, RiskHigh, RiskProhibited}
	all := map[RiskRating]bool{}
	for _, r := range ratings {
		all[r] = true
	}
	approvals := 0
	for _, id := range statuses {
		for _, scr := range statuses {
			for _, rk := range statuses {
				for _, rating := range ratings {
					for _, hits := range []int{0, 1} {
						for _, sanctions := range []bool{false, true} {
							for _, open := range []bool{false, true} {
								in := PolicyInput{Identity: id, Screening: scr, Risk: rk, Rating: rating, OpenHits: hits,
									ConfirmedSanctionsMatch: sanctions, CaseOpen: open, AutoApprove: all}
								out := Decide(in)
								if !out.Approve {
									if out.CaseKind == "" {
										t.Fatalf("Decide(%+v): no approval and no case kind", in)
									}
									continue
								}
								approvals++
								if rating == RiskProhibited || sanctions || id != CheckPassed || scr != CheckPassed || hits > 0 || open || rk == CheckError {
									t.Fatalf("Decide(%+v) approved automatically", in)
								}
								if out.CaseKind != "" || out.Reason != "" {
									t.Fatalf("Decide(%+v) = %+v: an approval carries no case", in, out)
								}
							}
						}
					}
				}
			}
		}
	}
	if approvals == 0 {
		t.Fatal("no combination was approved: the check above proved nothing")
	}
}
