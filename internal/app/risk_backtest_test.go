package app_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/risk"
)

// TestRiskBacktest: before an operator switches to their own model, the
// backtest scores the current customers with it and says how many ratings
// and due-diligence levels would change, and whose (PRODUCT.md section 6,
// "kyc risk backtest"). It writes nothing.
func TestRiskBacktest(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		h.ImportOFAC()
		plain := kyctest.SubmittedCustomer(t, h, nil)
		pepData := kyctest.PEP()
		pep := kyctest.SubmittedCustomer(t, h, &kyctest.CustomerOpts{Data: &pepData})
		// A candidate that forgets what a PEP means: 10 points, no floors.
		text := strings.Replace(string(risk.DefaultYAML()), "    points: 40\n    floor: high\n    # FATF R.12: enhanced measures for every PEP, whatever the score.\n    due_diligence_floor: enhanced\n", "    points: 10\n", 1)
		text = strings.Replace(text, `version: "2026.1"`, `version: "2026.1-lax"`, 1)
		candidate, err := risk.Load(bytes.NewReader([]byte(text)))
		if err != nil {
			t.Fatal(err)
		}
		res, err := h.App.Customers.BacktestRisk(h.Ctx, kyctest.Client, candidate)
		if err != nil {
			t.Fatal(err)
		}
		if res.CandidateVersion != "2026.1-lax" || res.CurrentVersion != "2026.1" || res.Customers != 2 || res.RatingChanged != 1 || res.DDChanged != 1 || len(res.Changes) != 1 {
			t.Fatalf("backtest %+v", res)
		}
		ch := res.Changes[0]
		if ch.CustomerID != pep.ID || ch.FromRating != domain.RiskHigh || ch.ToRating != domain.RiskLow || ch.FromDD != domain.DDEnhanced || ch.ToDD != domain.DDSimplified {
			t.Fatalf("change %+v", ch)
		}
		// Nothing was written.
		got, _ := h.App.Customers.Get(h.Ctx, kyctest.Client, pep.ID)
		if got.RiskRating != domain.RiskHigh || got.DueDiligence != domain.DDEnhanced {
			t.Fatalf("the backtest changed the customer: %s %s", got.RiskRating, got.DueDiligence)
		}
		_ = plain
		// Another tenant's client sees none of these customers.
		res, err = h.App.Customers.BacktestRisk(h.Ctx, kyctest.Outsider, candidate)
		if err != nil || res.Customers != 0 {
			t.Fatalf("outsider: %+v %v", res, err)
		}
	})
}
