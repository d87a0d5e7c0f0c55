package app_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// The staff of the override tests: the second pair of eyes must be an
// mlro other than the requester.
var (
	ovAnalyst = kyctest.StaffActor("ov-analyst", app.RoleAnalyst)
	ovMLRO    = kyctest.StaffActor("ov-mlro-1", app.RoleMLRO)
	ovMLRO2   = kyctest.StaffActor("ov-mlro-2", app.RoleMLRO)
)

// highWithoutFloor is an individual the default model rates high by score
// alone, with no floor: a Russian national (broad sectoral sanctions, 25)
// dealing in bullion (occupation, 15), not met face to face (5): 45.
func highWithoutFloor() domain.CustomerData {
	d := kyctest.Individual()
	d.FaceToFace = false
	d.Individual.Nationality = "RU"
	d.Individual.Occupation = "Bullion dealer"
	return d
}

// inReview onboards data and returns the customer, in review with its case.
func inReview(t *testing.T, h *kyctest.Bundle, data domain.CustomerData) *domain.Customer {
	t.Helper()
	h.ImportOFAC()
	c := kyctest.SubmittedCustomer(t, h, &kyctest.CustomerOpts{Data: &data})
	if c.Status != domain.StatusInReview {
		t.Fatalf("customer is %s (%s), want in_review", c.Status, c.RiskRating)
	}
	return c
}

// TestRiskOverrideNeedsReasonAndSecondMLROApproval: an analyst may
// override a rating only with a reason and an mlro's second approval; the
// override is stored beside the computed rating, never in its place
// (RISK_MODEL.md, "Ratings and due diligence"; PRODUCT.md section 6). Once
// approved, the rating in force drives due diligence and the review
// interval (FATF R.1 and R.10: the risk-based approach, measures in
// proportion to the risk as assessed).
func TestRiskOverrideNeedsReasonAndSecondMLROApproval(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		c := inReview(t, h, highWithoutFloor())
		if c.RiskRating != domain.RiskHigh || c.DueDiligence != domain.DDEnhanced {
			t.Fatalf("computed %s/%s, want high/enhanced", c.RiskRating, c.DueDiligence)
		}
		const reason = "Bullion trading is a hobby; verified salaried employment as a teacher"
		o, err := h.App.RiskOverrides.Request(h.Ctx, ovMLRO, c.ID, app.RequestOverrideInput{Rating: domain.RiskMedium, Reason: reason})
		if err != nil {
			t.Fatal(err)
		}
		if o.Status != domain.OverridePending || o.ComputedRating != domain.RiskHigh || o.Rating != domain.RiskMedium || o.DueDiligence != domain.DDStandard {
			t.Fatalf("override: %+v", o)
		}
		// Pending: nothing in force changes.
		got, err := h.App.Customers.Get(h.Ctx, kyctest.Client, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.RiskRating != domain.RiskHigh || got.ComputedRiskRating != domain.RiskHigh || len(got.RiskOverrides) != 1 || got.RiskOverrides[0].Status != domain.OverridePending {
			t.Fatalf("pending override read back: rating %s computed %s overrides %+v", got.RiskRating, got.ComputedRiskRating, got.RiskOverrides)
		}
		// A second request while one waits: 409.
		_, err = h.App.RiskOverrides.Request(h.Ctx, ovAnalyst, c.ID, app.RequestOverrideInput{Rating: domain.RiskLow, Reason: "another"})
		kyctest.WantCode(t, err, domain.ECodeConflict)

		// Who may not approve: an API client, an analyst, the requester.
		for _, a := range []domain.Actor{kyctest.Client, ovAnalyst, ovMLRO} {
			_, err := h.App.RiskOverrides.Decide(h.Ctx, a, o.ID, app.DecideOverrideInput{Approve: true})
			kyctest.WantCode(t, err, domain.ECodeForbidden)
			if a.ID == ovMLRO.ID && !strings.Contains(domain.ErrMessage(err), "Four-eyes") {
				t.Fatalf("same person refused with %q", domain.ErrMessage(err))
			}
		}
		if _, err := h.App.RiskOverrides.Decide(h.Ctx, ovMLRO2, o.ID, app.DecideOverrideInput{Approve: true, Note: "agreed"}); err != nil {
			t.Fatal(err)
		}
		_, err = h.App.RiskOverrides.Decide(h.Ctx, ovMLRO2, o.ID, app.DecideOverrideInput{Approve: true})
		kyctest.WantCode(t, err, domain.ECodeConflict)

		got, err = h.App.Customers.Get(h.Ctx, kyctest.Client, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.RiskRating != domain.RiskMedium || got.DueDiligence != domain.DDStandard || got.ComputedRiskRating != domain.RiskHigh || got.ComputedDueDiligence != domain.DDEnhanced {
			t.Fatalf("after approval: in force %s/%s, computed %s/%s", got.RiskRating, got.DueDiligence, got.ComputedRiskRating, got.ComputedDueDiligence)
		}
		// Beside, never in its place: the assessment still says high.
		a, err := h.App.Customers.LatestRisk(h.Ctx, kyctest.Client, c.ID)
		if err != nil || a.Rating != domain.RiskHigh || a.DueDiligence != domain.DDEnhanced {
			t.Fatalf("assessment after the override: %s/%s %v", a.Rating, a.DueDiligence, err)
		}
		// The reason is kept encrypted and read back by staff.
		list, err := h.App.RiskOverrides.List(h.Ctx, ovAnalyst, c.ID)
		if err != nil || len(list) != 1 || list[0].Reason != reason || list[0].DecisionNote != "agreed" || list[0].DecidedBy != ovMLRO2.String() {
			t.Fatalf("overrides listed: %+v %v", list, err)
		}
		recs, err := h.Store.RiskOverrides().ListByCustomer(h.Ctx, c.ID)
		if err != nil || len(recs) != 1 || bytes.Contains(recs[0].Reason, []byte("teacher")) {
			t.Fatalf("reason at rest: %v", err)
		}

		// Standard due diligence now: one analyst approves, no four eyes,
		// no source-of-wealth evidence; the review interval is medium's.
		cs := kyctest.OpenCase(t, h, c.ID)
		res, err := h.App.Cases.Decide(h.Ctx, ovAnalyst, cs.ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "standard due diligence complete"})
		if err != nil {
			t.Fatal(err)
		}
		if res.AwaitingSecondApproval || res.Customer.Status != domain.StatusApproved {
			t.Fatalf("approval of the overridden customer: second %v status %s", res.AwaitingSecondApproval, res.Customer.Status)
		}
		if want := res.Customer.DecidedAt.AddDate(2, 0, 0); res.Customer.NextReviewAt == nil || !res.Customer.NextReviewAt.Equal(want) {
			t.Fatalf("next review %v, want %s (medium: every 2 years)", res.Customer.NextReviewAt, want)
		}

		h.SealAudit()
		evs, err := h.App.Audit.ListEvents(h.Ctx, kyctest.Operator, app.AuditQuery{EntityType: domain.EntityCustomer, EntityID: c.ID, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		var seen []string
		for _, e := range evs {
			if strings.HasPrefix(e.Action, "risk_override.") {
				seen = append(seen, e.Action)
				if strings.Contains(e.Meta, "teacher") || strings.Contains(e.Meta, "agreed") {
					t.Fatalf("the reason leaked into the audit meta: %s", e.Meta)
				}
			}
		}
		if strings.Join(seen, ",") != "risk_override.requested,risk_override.approved" {
			t.Fatalf("override events: %v", seen)
		}
	})
}

// TestRiskOverrideCannotLowerKnockOutOrFloors: a knock-out (prohibited)
// cannot be overridden at all, and no override goes below a floor of the
// model — the PEP's high rating and enhanced due diligence (FATF R.12),
// which "no score undoes" (RISK_MODEL.md, "Floors"). Each refusal is a 422
// naming the field; a missing reason and an unknown rating are named
// together.
func TestRiskOverrideCannotLowerKnockOutOrFloors(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		wantField := func(err error, field, contains string) {
			t.Helper()
			kyctest.WantCode(t, err, domain.ECodeInvalid)
			var e *domain.Error
			if !errors.As(err, &e) {
				t.Fatalf("not a domain error: %v", err)
			}
			for _, f := range e.Fields {
				if f.Location == field && strings.Contains(f.Message, contains) {
					return
				}
			}
			t.Fatalf("no %s error containing %q in %+v", field, contains, e.Fields)
		}
		pep := inReview(t, h, kyctest.PEP())
		_, err := h.App.RiskOverrides.Request(h.Ctx, ovAnalyst, pep.ID, app.RequestOverrideInput{Rating: domain.RiskMedium, Reason: "known local councillor"})
		wantField(err, "rating", "floor")

		iran := kyctest.Individual()
		iran.Individual.Nationality = "IR"
		ko := inReview(t, h, iran)
		if ko.RiskRating != domain.RiskProhibited {
			t.Fatalf("IR national rated %s", ko.RiskRating)
		}
		_, err = h.App.RiskOverrides.Request(h.Ctx, ovAnalyst, ko.ID, app.RequestOverrideInput{Rating: domain.RiskHigh, Reason: "long-time resident of Sweden"})
		wantField(err, "rating", "knock-out")

		_, err = h.App.RiskOverrides.Request(h.Ctx, ovAnalyst, pep.ID, app.RequestOverrideInput{Rating: "extreme", Reason: " "})
		wantField(err, "rating", "low, medium or high")
		wantField(err, "reason", "reason")
		_, err = h.App.RiskOverrides.Request(h.Ctx, ovAnalyst, pep.ID, app.RequestOverrideInput{Rating: domain.RiskProhibited, Reason: "x"})
		wantField(err, "rating", "knock-out")
		_, err = h.App.RiskOverrides.Request(h.Ctx, ovAnalyst, pep.ID, app.RequestOverrideInput{Rating: domain.RiskHigh, Reason: "x"})
		wantField(err, "rating", "already high")

		// Upward is always allowed (more scrutiny than the model asks).
		low := approved(t, h)
		if _, err := h.App.RiskOverrides.Request(h.Ctx, kyctest.Client, low.ID, app.RequestOverrideInput{Rating: domain.RiskHigh, Reason: "adverse media"}); err != nil {
			t.Fatal(err)
		}
		// Authorization: another tenant's client sees no such customer; a
		// read-only client and an auditor may not request.
		_, err = h.App.RiskOverrides.Request(h.Ctx, kyctest.Outsider, low.ID, app.RequestOverrideInput{Rating: domain.RiskMedium, Reason: "x"})
		kyctest.WantCode(t, err, domain.ECodeNotFound)
		_, err = h.App.RiskOverrides.Request(h.Ctx, kyctest.ReadOnly, low.ID, app.RequestOverrideInput{Rating: domain.RiskMedium, Reason: "x"})
		kyctest.WantCode(t, err, domain.ECodeForbidden)
		_, err = h.App.RiskOverrides.Request(h.Ctx, kyctest.StaffActor("aud", app.RoleAuditor), low.ID, app.RequestOverrideInput{Rating: domain.RiskMedium, Reason: "x"})
		kyctest.WantCode(t, err, domain.ECodeForbidden)
		// A draft has no computed rating to stand beside.
		draft := kyctest.Customer(t, h, nil)
		_, err = h.App.RiskOverrides.Request(h.Ctx, kyctest.Client, draft.ID, app.RequestOverrideInput{Rating: domain.RiskHigh, Reason: "x"})
		kyctest.WantCode(t, err, domain.ECodeConflict)
	})
}

// TestRiskOverrideUpwardBringsReviewForward: an approved override to a
// higher rating of an approved customer raises its due diligence at once
// and brings its periodic review forward to the new rating's interval
// (RISK_MODEL.md review_intervals; FATF R.10(d) ongoing due diligence in
// proportion to the risk).
func TestRiskOverrideUpwardBringsReviewForward(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		c := approved(t, h)
		before := *c.NextReviewAt
		o, err := h.App.RiskOverrides.Request(h.Ctx, ovAnalyst, c.ID, app.RequestOverrideInput{Rating: domain.RiskHigh, Reason: "adverse media about the employer"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.App.RiskOverrides.Decide(h.Ctx, ovMLRO, o.ID, app.DecideOverrideInput{Approve: true}); err != nil {
			t.Fatal(err)
		}
		got, err := h.App.Customers.Get(h.Ctx, ovAnalyst, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != domain.StatusApproved || got.RiskRating != domain.RiskHigh || got.DueDiligence != domain.DDEnhanced || got.ComputedRiskRating != domain.RiskLow {
			t.Fatalf("after the upward override: %s %s/%s computed %s", got.Status, got.RiskRating, got.DueDiligence, got.ComputedRiskRating)
		}
		if got.NextReviewAt == nil || !got.NextReviewAt.Before(before) || got.NextReviewAt.After(got.UpdatedAt.AddDate(1, 0, 0)) {
			t.Fatalf("next review %v (was %s): want within a year", got.NextReviewAt, before)
		}
	})
}

// TestRiskOverrideRejectedKeepsComputed: an mlro's rejection leaves the
// computed rating in force (RISK_MODEL.md: effective only after an mlro
// approves it).
func TestRiskOverrideRejectedKeepsComputed(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		c := inReview(t, h, highWithoutFloor())
		o, err := h.App.RiskOverrides.Request(h.Ctx, kyctest.Client, c.ID, app.RequestOverrideInput{Rating: domain.RiskLow, Reason: "long-standing customer of the group"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.App.RiskOverrides.Decide(h.Ctx, ovMLRO, o.ID, app.DecideOverrideInput{Approve: false, Note: "no evidence"}); err != nil {
			t.Fatal(err)
		}
		got, err := h.App.Customers.Get(h.Ctx, kyctest.Client, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.RiskRating != domain.RiskHigh || got.DueDiligence != domain.DDEnhanced || len(got.RiskOverrides) != 0 {
			t.Fatalf("after rejection: %s/%s open %+v", got.RiskRating, got.DueDiligence, got.RiskOverrides)
		}
	})
}

// TestRiskOverrideSupersededByNewAssessment: an override is a judgement on
// one computed rating. When a change of circumstances re-runs the checks
// and the model computes another rating, the override stops applying and
// the computed rating is in force again until someone asks anew — an old
// judgement never hides new facts (FATF R.10(d): ongoing due diligence;
// RISK_MODEL.md: stored beside the computed rating).
func TestRiskOverrideSupersededByNewAssessment(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		c := approved(t, h)
		o, err := h.App.RiskOverrides.Request(h.Ctx, ovAnalyst, c.ID, app.RequestOverrideInput{Rating: domain.RiskMedium, Reason: "cash-intensive employer"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.App.RiskOverrides.Decide(h.Ctx, ovMLRO, o.ID, app.DecideOverrideInput{Approve: true}); err != nil {
			t.Fatal(err)
		}
		// A new occupation in a higher-risk group: computed stays low
		// (15 points), so the override holds.
		if _, err := h.App.Customers.Update(h.Ctx, kyctest.Client, c.ID, func(d domain.CustomerData) (domain.CustomerData, error) {
			d.Individual.Occupation = "Casino manager"
			return d, nil
		}); err != nil {
			t.Fatal(err)
		}
		h.RunChecks()
		got, err := h.App.Customers.Get(h.Ctx, kyctest.Client, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.RiskRating != domain.RiskMedium || got.ComputedRiskRating != domain.RiskLow || len(got.RiskOverrides) != 1 {
			t.Fatalf("same computed rating: in force %s computed %s open %d", got.RiskRating, got.ComputedRiskRating, len(got.RiskOverrides))
		}
		// Now a nationality under sectoral sanctions as well: 40, medium.
		if _, err := h.App.Customers.Update(h.Ctx, kyctest.Client, c.ID, func(d domain.CustomerData) (domain.CustomerData, error) {
			d.Individual.OtherNationalities = []string{"RU"}
			return d, nil
		}); err != nil {
			t.Fatal(err)
		}
		h.RunChecks()
		got, err = h.App.Customers.Get(h.Ctx, kyctest.Client, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ComputedRiskRating != domain.RiskMedium || got.RiskRating != domain.RiskMedium || len(got.RiskOverrides) != 0 {
			t.Fatalf("after the new assessment: in force %s computed %s open %+v", got.RiskRating, got.ComputedRiskRating, got.RiskOverrides)
		}
		list, err := h.App.RiskOverrides.List(h.Ctx, ovAnalyst, c.ID)
		if err != nil || len(list) != 1 || list[0].Status != domain.OverrideSuperseded || list[0].EndedAt == nil {
			t.Fatalf("override after the new assessment: %+v %v", list, err)
		}
	})
}
