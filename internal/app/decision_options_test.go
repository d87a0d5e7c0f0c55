package app

import (
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
)

// TestDecisionOptions is the table of the decision rules of the README's
// "The KYC process" (decision policy: a confirmed sanctions match is never
// approved, every hit is dispositioned first; four-eyes:
// approving enhanced due diligence or a high-risk customer, and rejecting
// on a screening hit, need a second approver who is a different person;
// the second approval of enhanced due diligence comes from an MLRO).
// Closing the relationship (close_customer) is offered on a case about an
// approved customer only (off-boarding: PRODUCT section 2, "an approved
// customer may later be closed"). A case of ongoing due diligence about an
// approved customer (periodic review, list update, change of
// circumstances, expiring document; FATF R.10(d), EU AMLR art. 26) is
// approved with the customer staying approved, may ask for information,
// and ends the relationship by closing it, not by rejecting.
// Each row gives, for approve, reject, request_info, escalate and
// close_customer in that order: "ok" (allowed), the block that stops it, "-block" when the form
// does not even offer it, and "/2" when recording it now would wait for a
// second approver.
func TestDecisionOptions(t *testing.T) {
	analyst := domain.Actor{Type: domain.ActorUser, ID: "usr_analyst", Role: RoleAnalyst}
	analyst2 := domain.Actor{Type: domain.ActorUser, ID: "usr_analyst2", Role: RoleAnalyst}
	mlro := domain.Actor{Type: domain.ActorUser, ID: "usr_mlro", Role: RoleMLRO}
	auditor := domain.Actor{Type: domain.ActorUser, ID: "usr_auditor", Role: RoleAuditor}
	client := domain.Actor{Type: domain.ActorClient, ID: "kyc_ci_a", Tenant: "t", Scopes: []string{string(PermCasesRead), string(PermCasesWrite)}}
	readOnlyClient := domain.Actor{Type: domain.ActorClient, ID: "kyc_ci_r", Tenant: "t", Scopes: []string{string(PermCasesRead)}}

	open := domain.Case{ID: "case_1", Kind: domain.CaseOnboarding, Status: domain.CaseOpen}
	hitCase := domain.Case{ID: "case_1", Kind: domain.CaseScreeningHit, Status: domain.CaseOpen}
	closed := domain.Case{ID: "case_1", Kind: domain.CaseOnboarding, Status: domain.CaseClosed, Outcome: domain.DecisionApprove}
	review := domain.Case{ID: "case_1", Kind: domain.CasePeriodicReview, Status: domain.CaseOpen}
	listUpdate := domain.Case{ID: "case_1", Kind: domain.CaseListUpdate, Status: domain.CaseOpen}
	pending := func(d domain.DecisionKind, by domain.Actor) domain.Case {
		at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
		return domain.Case{ID: "case_1", Kind: domain.CaseOnboarding, Status: domain.CasePendingSecondApproval,
			PendingDecision: d, PendingBy: by.String(), PendingAt: &at}
	}
	customer := func(st domain.CustomerStatus, r domain.RiskRating, dd domain.DueDiligence) *domain.Customer {
		return &domain.Customer{ID: "cus_1", Status: st, RiskRating: r, DueDiligence: dd}
	}
	lowRisk := customer(domain.StatusInReview, domain.RiskLow, domain.DDStandard)
	highRisk := customer(domain.StatusInReview, domain.RiskHigh, domain.DDStandard)
	edd := customer(domain.StatusInReview, domain.RiskHigh, domain.DDEnhanced)
	prohibited := customer(domain.StatusInReview, domain.RiskProhibited, domain.DDEnhanced)
	infoRequested := customer(domain.StatusInfoRequested, domain.RiskLow, domain.DDStandard)
	approvedCust := customer(domain.StatusApproved, domain.RiskLow, domain.DDSimplified)
	approvedHigh := customer(domain.StatusApproved, domain.RiskHigh, domain.DDEnhanced)
	hit := func(d domain.Disposition, pepOnly bool) []hitFact {
		return []hitFact{{ID: "hit_1", CaseID: "case_1", Disposition: d, PEPOnly: pepOnly}}
	}

	for _, tc := range []struct {
		name  string
		actor domain.Actor
		cs    domain.Case
		cust  *domain.Customer
		hits  []hitFact
		want  [5]string
	}{
		{"open case, low risk: every decision takes effect",
			analyst, open, lowRisk, nil, [5]string{"ok", "ok", "ok", "ok", "-customer_status"}},
		{"approving a high-risk customer needs four eyes (section 6)",
			analyst, open, highRisk, nil, [5]string{"ok/2", "ok", "ok", "ok", "-customer_status"}},
		{"approving enhanced due diligence needs four eyes (section 6)",
			client, open, edd, nil, [5]string{"ok/2", "ok", "ok", "ok", "-customer_status"}},
		{"rejecting on a screening-hit case needs four eyes (section 6)",
			analyst, hitCase, lowRisk, hit(domain.DispositionFalsePositive, false), [5]string{"ok", "ok/2", "ok", "ok", "-customer_status"}},
		{"rejecting a customer with a hit on this case needs four eyes whatever the case kind (section 6)",
			analyst, open, lowRisk, hit(domain.DispositionFalsePositive, false), [5]string{"ok", "ok/2", "ok", "ok", "-customer_status"}},
		{"an open hit is dispositioned before approving (section 2); four eyes are still announced",
			analyst, hitCase, highRisk, hit(domain.DispositionOpen, false), [5]string{"open_hit/2", "ok/2", "ok", "ok", "-customer_status"}},
		{"a confirmed sanctions match is never approved (section 2)",
			analyst, hitCase, lowRisk, hit(domain.DispositionTrueMatch, false), [5]string{"sanctions_match", "ok/2", "ok", "ok", "-customer_status"}},
		{"a confirmed PEP-only match may be approved, with four eyes for the high risk it brings (section 6)",
			analyst, hitCase, highRisk, hit(domain.DispositionTrueMatch, true), [5]string{"ok/2", "ok/2", "ok", "ok", "-customer_status"}},
		{"a prohibited rating is never approved (section 2)",
			analyst, open, prohibited, nil, [5]string{"prohibited/2", "ok", "ok", "ok", "-customer_status"}},
		{"a customer waiting for information cannot be approved or asked again",
			analyst, open, infoRequested, nil, [5]string{"customer_status", "ok", "customer_status", "ok", "-customer_status"}},
		{"a closed case takes no decision",
			mlro, closed, lowRisk, nil, [5]string{"-closed", "-closed", "-closed", "-closed", "-closed"}},
		{"four eyes: the first approver cannot give the second approval (section 6)",
			analyst, pending(domain.DecisionApprove, analyst), highRisk, nil,
			[5]string{"same_approver", "same_approver", "-awaiting_second_approval", "-awaiting_second_approval", "-awaiting_second_approval"}},
		{"a different person gives the second approval, or disagrees (section 6)",
			analyst2, pending(domain.DecisionApprove, analyst), highRisk, nil,
			[5]string{"ok", "ok", "-awaiting_second_approval", "-awaiting_second_approval", "-awaiting_second_approval"}},
		{"the second approval of enhanced due diligence comes from an MLRO, not another analyst (section 6)",
			analyst2, pending(domain.DecisionApprove, analyst), edd, nil,
			[5]string{"needs_mlro", "needs_mlro", "-awaiting_second_approval", "-awaiting_second_approval", "-awaiting_second_approval"}},
		{"an MLRO gives the second approval of enhanced due diligence (section 6)",
			mlro, pending(domain.DecisionApprove, analyst), edd, nil,
			[5]string{"ok", "ok", "-awaiting_second_approval", "-awaiting_second_approval", "-awaiting_second_approval"}},
		{"an API client may not complete four-eyes on enhanced due diligence: a staff MLRO does (section 3; FATF R.12)",
			client, pending(domain.DecisionApprove, analyst), edd, nil,
			[5]string{"needs_mlro", "needs_mlro", "-awaiting_second_approval", "-awaiting_second_approval", "-awaiting_second_approval"}},

		{"the second approval still needs every hit dispositioned (section 2); disagreeing does not",
			analyst2, pending(domain.DecisionApprove, analyst), highRisk, hit(domain.DispositionOpen, false),
			[5]string{"open_hit", "ok", "-awaiting_second_approval", "-awaiting_second_approval", "-awaiting_second_approval"}},
		{"a second rejection rejects; approving instead disagrees, which only reopens the case",
			analyst2, pending(domain.DecisionReject, analyst), lowRisk, hit(domain.DispositionTrueMatch, false),
			[5]string{"ok", "ok", "-awaiting_second_approval", "-awaiting_second_approval", "-awaiting_second_approval"}},
		{"a case about an approved customer (a review, a list update) is approved keeping the customer approved, may ask for information or close the relationship; rejecting is closing (section 7)",
			analyst, review, approvedCust, nil, [5]string{"ok", "-customer_status", "ok", "ok", "ok"}},
		{"a reader may not decide a review either",
			auditor, review, approvedCust, nil, [5]string{"role", "-role", "role", "role", "role"}},
		{"approving the review of a high-risk customer needs four eyes, as its approval did (section 6)",
			analyst, review, approvedHigh, nil, [5]string{"ok/2", "-customer_status", "ok", "ok", "ok"}},
		{"a list-update case is approved only once its hit is dispositioned, and never on a sanctions match (section 7)",
			analyst, listUpdate, approvedCust, hit(domain.DispositionOpen, false), [5]string{"open_hit", "-customer_status", "ok", "ok", "ok"}},
		{"a list-update case with a confirmed sanctions match can only close the relationship (section 7)",
			analyst, listUpdate, approvedCust, hit(domain.DispositionTrueMatch, false), [5]string{"sanctions_match", "-customer_status", "ok", "ok", "ok"}},
		{"an onboarding case does not re-approve or question an approved customer",
			analyst, open, approvedCust, nil, [5]string{"customer_status", "-customer_status", "customer_status", "ok", "ok"}},
		{"a role that may read cases but not decide them",
			auditor, open, lowRisk, nil, [5]string{"role", "role", "role", "role", "-role"}},
		{"a client without cases:write",
			readOnlyClient, open, highRisk, nil, [5]string{"role/2", "role", "role", "role", "-role"}},
		{"the case's own rule is named before the reader's role, so the page can say why the case waits",
			auditor, pending(domain.DecisionApprove, analyst), edd, nil,
			[5]string{"needs_mlro", "needs_mlro", "-awaiting_second_approval", "-awaiting_second_approval", "-awaiting_second_approval"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := decisionOptions(tc.actor, tc.cs, tc.cust, tc.hits, eddEvidence{SourceOfFunds: true, SourceOfWealth: true})
			var got [5]string
			for i, c := range o.Choices {
				if c.Decision != decisionOrder[i] {
					t.Fatalf("choice %d is %s, want %s", i, c.Decision, decisionOrder[i])
				}
				got[i] = render(t, c)
			}
			if got != tc.want {
				t.Errorf("approve, reject, request_info, escalate, close_customer = %q, want %q", got, tc.want)
			}
		})
	}
}

// render writes an option the way the table does, checking that its
// fields agree with one another on the way.
func render(t *testing.T, c DecisionOption) string {
	t.Helper()
	s := "ok"
	if !c.Allowed {
		s = string(c.Block)
		if c.Block == "" || c.Reason == "" || c.err == nil || domain.ErrMessage(c.err) != c.Reason {
			t.Errorf("%s: refused without a block, a reason or an error: %+v", c.Decision, c)
		}
	} else if c.Block != "" || c.Reason != "" || c.err != nil {
		t.Errorf("%s: allowed but blocked: %+v", c.Decision, c)
	}
	if !c.Offered {
		s = "-" + s
	}
	if c.SecondApproval {
		s += "/2"
	}
	return s
}

// TestDecisionOptionErrors checks the errors Decide returns for each block:
// conflicts with the case or the customer, forbidden for four-eyes and
// roles, with reasons that name what to do.
func TestDecisionOptionErrors(t *testing.T) {
	analyst := domain.Actor{Type: domain.ActorUser, ID: "usr_analyst", Role: RoleAnalyst}
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	pending := domain.Case{ID: "case_1", Status: domain.CasePendingSecondApproval, PendingDecision: domain.DecisionApprove, PendingBy: analyst.String(), PendingAt: &at}
	cust := &domain.Customer{ID: "cus_1", Status: domain.StatusInReview, RiskRating: domain.RiskLow, DueDiligence: domain.DDStandard}
	open := domain.Case{ID: "case_1", Kind: domain.CaseScreeningHit, Status: domain.CaseOpen}
	for _, tc := range []struct {
		cs         domain.Case
		hits       []hitFact
		d          domain.DecisionKind
		code       domain.ErrorCode
		reasonHas  string
		wantsBlock DecisionBlock
	}{
		{pending, nil, domain.DecisionApprove, domain.ECodeForbidden, "different person", BlockSameApprover},
		{pending, nil, domain.DecisionEscalate, domain.ECodeConflict, "approve or reject only", BlockAwaitingSecond},
		{open, []hitFact{{ID: "hit_7", CaseID: "case_1", Disposition: domain.DispositionOpen}}, domain.DecisionApprove, domain.ECodeConflict, "hit_7 is open", BlockOpenHit},
		{open, []hitFact{{ID: "hit_8", CaseID: "case_1", Disposition: domain.DispositionTrueMatch}}, domain.DecisionApprove, domain.ECodeConflict, "hit_8", BlockSanctionsMatch},
	} {
		o := decisionOptions(analyst, tc.cs, cust, tc.hits, eddEvidence{SourceOfFunds: true, SourceOfWealth: true}).For(tc.d)
		if o.Allowed || o.Block != tc.wantsBlock || domain.ErrCode(o.err) != tc.code || !strings.Contains(o.Reason, tc.reasonHas) {
			t.Errorf("%s on %s: %+v, want %s (%s) naming %q", tc.d, tc.cs.Status, o, tc.wantsBlock, tc.code, tc.reasonHas)
		}
	}
	if o := (DecisionOptions{}).For("archive"); o.Allowed || o.Offered || domain.ErrCode(o.err) != domain.ECodeInvalid {
		t.Errorf("unknown decision: %+v", o)
	}
}

// TestEnhancedDueDiligenceNeedsEvidence: enhanced due diligence is approved
// only once the source of funds and the source of wealth are evidenced by
// documents of those kinds (PRODUCT.md section 6; FATF R.12(b): "take
// reasonable measures to establish the source of wealth and source of
// funds"; EU AMLR art. 34(1)(a)), at the first approval and at the second,
// even an MLRO's; the form names what is missing.
func TestEnhancedDueDiligenceNeedsEvidence(t *testing.T) {
	analyst := domain.Actor{Type: domain.ActorUser, ID: "usr_analyst", Role: RoleAnalyst}
	mlro := domain.Actor{Type: domain.ActorUser, ID: "usr_mlro", Role: RoleMLRO}
	open := domain.Case{ID: "case_1", Kind: domain.CaseOnboarding, Status: domain.CaseOpen}
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	pending := domain.Case{ID: "case_1", Kind: domain.CaseOnboarding, Status: domain.CasePendingSecondApproval, PendingDecision: domain.DecisionApprove, PendingBy: analyst.String(), PendingAt: &at}
	edd := &domain.Customer{ID: "cus_1", Status: domain.StatusInReview, RiskRating: domain.RiskHigh, DueDiligence: domain.DDEnhanced}
	standard := &domain.Customer{ID: "cus_1", Status: domain.StatusInReview, RiskRating: domain.RiskMedium, DueDiligence: domain.DDStandard}
	for _, tc := range []struct {
		name      string
		actor     domain.Actor
		cs        domain.Case
		cust      *domain.Customer
		ev        eddEvidence
		block     DecisionBlock
		reasonHas string
	}{
		{"no evidence at all", analyst, open, edd, eddEvidence{}, BlockEDDEvidence, "source_of_funds and source_of_wealth"},
		{"source of wealth missing", analyst, open, edd, eddEvidence{SourceOfFunds: true}, BlockEDDEvidence, "kind source_of_wealth"},
		{"second approval by an MLRO, evidence missing", mlro, pending, edd, eddEvidence{SourceOfWealth: true}, BlockEDDEvidence, "kind source_of_funds"},
		{"both evidenced", mlro, pending, edd, eddEvidence{SourceOfFunds: true, SourceOfWealth: true}, "", ""},
		{"standard due diligence needs no such evidence", analyst, open, standard, eddEvidence{}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := decisionOptions(tc.actor, tc.cs, tc.cust, nil, tc.ev).For(domain.DecisionApprove)
			if o.Block != tc.block || !strings.Contains(o.Reason, tc.reasonHas) || (tc.block == "") != o.Allowed {
				t.Fatalf("%+v, want block %q naming %q", o, tc.block, tc.reasonHas)
			}
			if tc.block != "" && domain.ErrCode(o.err) != domain.ECodeConflict {
				t.Fatalf("error %v, want a conflict", o.err)
			}
		})
	}
	// An API client completing four-eyes gets 403 with an explanation.
	client := domain.Actor{Type: domain.ActorClient, ID: "kyc_ci_a", Tenant: "t", Scopes: []string{string(PermCasesRead), string(PermCasesWrite)}}
	o := decisionOptions(client, pending, edd, nil, eddEvidence{SourceOfFunds: true, SourceOfWealth: true}).For(domain.DecisionApprove)
	if o.Allowed || o.Block != BlockNeedsMLRO || domain.ErrCode(o.err) != domain.ECodeForbidden || !strings.Contains(o.Reason, "staff user with the mlro role") {
		t.Fatalf("client second approval: %+v", o)
	}
}
