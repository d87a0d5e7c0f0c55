package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// TestListWarnings: screening against no list, or against a list left
// behind by the publisher's updates, misses new designations; the operator
// is told (at start and on the dashboard) rather than left to find out
// (FATF Recommendation 6 and its Interpretive Note: targeted financial
// sanctions apply "without delay").
func TestListWarnings(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		w, err := h.App.Screening.ListWarnings(h.Ctx, kyctest.Operator)
		if err != nil || len(w) != 1 || w[0].Source != "" || !strings.Contains(w[0].Message, "No sanctions list is loaded") {
			t.Fatalf("no list: %+v %v", w, err)
		}
		if _, err := h.App.Screening.Import(h.Ctx, kyctest.Operator, "ofac_sdn", ofacFilesWith(t, false), false); err != nil {
			t.Fatal(err)
		}
		if w, err := h.App.Screening.ListWarnings(h.Ctx, kyctest.Operator); err != nil || len(w) != 0 {
			t.Fatalf("fresh list: %+v %v", w, err)
		}
		h.Clock.Advance(app.DefaultListMaxAge + time.Hour)
		w, err = h.App.Screening.ListWarnings(h.Ctx, kyctest.Operator)
		if err != nil || len(w) != 1 || w[0].Source != "ofac_sdn" || !strings.Contains(w[0].Message, "7 days ago") || !strings.Contains(w[0].Message, "KYC_LIST_MAX_AGE") {
			t.Fatalf("stale list: %+v %v", w, err)
		}
	})
}
