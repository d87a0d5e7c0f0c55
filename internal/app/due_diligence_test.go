package app_test

import (
	"context"
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/verify"
)

// doubtfulProvider answers every verification with needs_review.
type doubtfulProvider struct{}

func (doubtfulProvider) Name() string { return "fake-doubt" }

func (doubtfulProvider) Verify(context.Context, verify.Request) (verify.Result, error) {
	return verify.Result{Status: domain.CheckNeedsReview, Summary: "Document photo unclear."}, nil
}

// TestIdentityInDoubtRulesOutSimplifiedDueDiligence reproduces a finding of
// issue #10: a customer whose identity check needed review was approved by
// one person with simplified due diligence. Doubt about the identity data
// rules out simplified measures (FATF R.10 and INR.10 para. 21; RISK_MODEL.md,
// "Floors"): the round's assessment is taken again with the doubt, whose
// floor is standard, and the approval records standard due diligence.
func TestIdentityInDoubtRulesOutSimplifiedDueDiligence(t *testing.T) {
	t.Parallel()
	kyctest.Engines(t, func(t *testing.T, engine string) {
		h := kyctest.New(t, kyctest.WithEngine(engine), kyctest.WithIdentity(doubtfulProvider{}))
		h.ImportOFAC()
		c := kyctest.SubmittedCustomer(t, h, nil) // low risk, face to face
		if c.Status != domain.StatusInReview || c.RiskRating != domain.RiskLow || c.DueDiligence != domain.DDStandard {
			t.Fatalf("identity in doubt: %s, %s, %s; want in_review, low, standard", c.Status, c.RiskRating, c.DueDiligence)
		}
		a, err := h.App.Customers.LatestRisk(h.Ctx, kyctest.Client, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range a.Factors {
			found = found || (f.Name == "identity_doubt" && f.DueDiligenceFloor == "standard")
		}
		if !found {
			t.Fatalf("the assessment does not explain the floor: %+v", a.Factors)
		}
		cs := kyctest.OpenCase(t, h, c.ID)
		res, err := h.App.Cases.Decide(h.Ctx, kyctest.Client, cs.ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "Document checked by video call"})
		if err != nil || res.Customer.Status != domain.StatusApproved || res.Customer.DueDiligence != domain.DDStandard {
			t.Fatalf("approval: %+v %v", res.Customer, err)
		}
	})
}

// TestMyanmarNationalGetsEnhancedDueDiligence reproduces a finding of issue
// #10: a Myanmar national onboarded face to face got standard due
// diligence. FATF's call for action asks for enhanced due diligence at
// least for Myanmar (FATF, "High-risk jurisdictions subject to a call for
// action"; EU AMLR art. 29): the model's floor makes it enhanced, so the
// approval needs the evidence and a staff MLRO's second approval.
func TestMyanmarNationalGetsEnhancedDueDiligence(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		h.ImportOFAC()
		d := kyctest.Individual()
		d.Individual.Nationality = "MM"
		c := kyctest.SubmittedCustomer(t, h, &kyctest.CustomerOpts{Data: &d})
		if c.DueDiligence != domain.DDEnhanced || c.Status != domain.StatusInReview {
			t.Fatalf("Myanmar national: %s %s %s", c.RiskRating, c.DueDiligence, c.Status)
		}
		cs := kyctest.OpenCase(t, h, c.ID)
		_, err := h.App.Cases.Decide(h.Ctx, kyctest.Client, cs.ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "ok"})
		kyctest.WantCode(t, err, domain.ECodeConflict) // no source-of-funds or source-of-wealth evidence
	})
}
