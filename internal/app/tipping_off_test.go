package app_test

import (
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// TestInfoRequestShowsTheApplicantOnlyTheMessage: a request for
// information carries an internal reason and a message to the applicant;
// what the applicant's session reads is the message, never the reason.
// Disclosing that a suspicion is examined or a report considered is an
// offence (tipping-off: Directive (EU) 2015/849 art. 39, Regulation (EU)
// 2024/1624 art. 73), so the reason is for staff, auditors and API clients
// only.
func TestInfoRequestShowsTheApplicantOnlyTheMessage(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		d := kyctest.PEP()
		c := kyctest.Customer(t, h, &kyctest.CustomerOpts{Data: &d})
		kyctest.SubmitAndRun(t, h, kyctest.Client, c.ID)
		cs := kyctest.OpenCase(t, h, c.ID)
		const reason = "Possible structuring below the reporting threshold; STR being considered"
		const message = "Please upload bank statements for the last three months."

		// The message is required with request_info and refused otherwise.
		_, err := h.App.Cases.Decide(h.Ctx, kyctest.Client, cs.ID, app.DecideInput{Decision: domain.DecisionRequestInfo, Reason: reason})
		fieldMessage(t, err, "message_to_applicant")
		_, err = h.App.Cases.Decide(h.Ctx, kyctest.Client, cs.ID, app.DecideInput{Decision: domain.DecisionEscalate, Reason: reason, MessageToApplicant: message})
		fieldMessage(t, err, "message_to_applicant")

		if _, err := h.App.Cases.Decide(h.Ctx, kyctest.Client, cs.ID, app.DecideInput{Decision: domain.DecisionRequestInfo, Reason: reason, MessageToApplicant: message}); err != nil {
			t.Fatal(err)
		}
		applicant := domain.Actor{Type: domain.ActorApplicant, ID: c.ID}
		req, err := h.App.AccessLinks.LatestInfoRequest(h.Ctx, applicant, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if req.Message != message || strings.Contains(req.Message, "STR") {
			t.Fatalf("applicant reads %q, want the message only", req.Message)
		}
		// Staff read both, apart.
		decs, err := h.App.Cases.Decisions(h.Ctx, kyctest.Client, cs.ID)
		if err != nil || len(decs) != 1 || decs[0].Reason != reason || decs[0].MessageToApplicant != message {
			t.Fatalf("decisions %+v %v", decs, err)
		}
	})
}
