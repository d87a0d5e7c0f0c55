package app_test

import (
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// TestOptionsAgreeWithDecide walks a four-eyes approval of enhanced due
// diligence (README, "The KYC process") and checks at each step that Decide
// does what Cases.Options says: every decision Options refuses, Decide
// refuses with the same reason, and an allowed one waits for a second
// approver exactly when Options says it would.
func TestOptionsAgreeWithDecide(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		cs := kyctest.Case(t, h, nil) // a declared PEP: high risk, enhanced due diligence
		analyst := kyctest.StaffActor("usr_analyst", app.RoleAnalyst)
		analyst2 := kyctest.StaffActor("usr_analyst2", app.RoleAnalyst)
		mlro := kyctest.StaffActor("usr_mlro", app.RoleMLRO)
		auditor := kyctest.StaffActor("usr_auditor", app.RoleAuditor)

		options := func(a domain.Actor) app.DecisionOptions {
			t.Helper()
			o, err := h.App.Cases.Options(h.Ctx, a, cs.ID)
			if err != nil {
				t.Fatal(err)
			}
			return o
		}
		// refusals checks that Decide refuses what Options refuses, with its
		// reason, and returns the blocks in form order.
		refusals := func(a domain.Actor) []app.DecisionBlock {
			t.Helper()
			var blocks []app.DecisionBlock
			for _, c := range options(a).Choices {
				if c.Allowed {
					continue
				}
				blocks = append(blocks, c.Block)
				_, err := h.App.Cases.Decide(h.Ctx, a, cs.ID, decideInput(c.Decision))
				if err == nil || domain.ErrMessage(err) != c.Reason {
					t.Errorf("%s by %s: Options refuses (%s), Decide says %v", c.Decision, a, c.Reason, err)
				}
			}
			return blocks
		}
		decide := func(a domain.Actor, d domain.DecisionKind) app.DecideResult {
			t.Helper()
			o := options(a).For(d)
			if !o.Allowed {
				t.Fatalf("%s by %s: refused by Options: %s", d, a, o.Reason)
			}
			res, err := h.App.Cases.Decide(h.Ctx, a, cs.ID, decideInput(d))
			if err != nil || res.AwaitingSecondApproval != o.SecondApproval {
				t.Fatalf("%s by %s: Options says second approval %v, Decide %+v %v", d, a, o.SecondApproval, res, err)
			}
			return res
		}

		// Closing the relationship is open to cases about an approved
		// customer only; every other decision is open.
		if got := refusals(analyst); len(got) != 1 || got[0] != app.BlockCustomerStatus {
			t.Fatalf("open case: refused %v", got)
		}
		if got := refusals(auditor); len(got) != 5 || got[0] != app.BlockRole || got[4] != app.BlockRole {
			t.Fatalf("auditor on an open case: %v", got)
		}
		if !options(analyst).For(domain.DecisionApprove).SecondApproval {
			t.Fatal("approving enhanced due diligence does not announce a second approver")
		}
		decide(analyst, domain.DecisionApprove)

		if got := refusals(analyst); len(got) != 5 || got[0] != app.BlockSameApprover || got[2] != app.BlockAwaitingSecond || got[4] != app.BlockAwaitingSecond {
			t.Fatalf("first approver: %v", got)
		}
		if got := refusals(analyst2); len(got) != 5 || got[0] != app.BlockNeedsMLRO {
			t.Fatalf("another analyst: %v", got)
		}
		if got := options(mlro).Offered(); len(got) != 2 {
			t.Fatalf("a pending case offers %v, want approve and reject", got)
		}
		res := decide(mlro, domain.DecisionApprove)
		if res.Case.Status != domain.CaseClosed || res.Customer.Status != domain.StatusApproved {
			t.Fatalf("second approval: case %s, customer %s", res.Case.Status, res.Customer.Status)
		}
		if got := refusals(mlro); len(got) != 5 || got[0] != app.BlockClosed || len(options(mlro).Offered()) != 0 {
			t.Fatalf("closed case: %v", got)
		}
		// Options reads like Get: another tenant does not see the case.
		if _, err := h.App.Cases.Options(h.Ctx, kyctest.Outsider, cs.ID); domain.ErrCode(err) != domain.ECodeNotFound {
			t.Fatalf("other tenant: %v", err)
		}
	})
}

// decideInput is a valid decision of kind d: a request for information
// also carries its message to the applicant.
func decideInput(d domain.DecisionKind) app.DecideInput {
	in := app.DecideInput{Decision: d, Reason: "checked"}
	if d == domain.DecisionRequestInfo {
		in.MessageToApplicant = "Please send a recent proof of address."
	}
	return in
}
