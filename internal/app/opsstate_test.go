package app_test

import (
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// TestOpsState: the state behind the operator's gauges (issue 14, item
// 2): the age of each source's active snapshot, the unclosed cases by kind
// and those past their due date (the case SLA), and the progress of a
// re-screening run not done; only a system actor reads it, since it spans
// every tenant.
func TestOpsState(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		for _, a := range []domain.Actor{kyctest.Client, kyctest.StaffActor("usr_admin", "admin")} {
			if _, err := h.App.Backoffice.OpsState(h.Ctx, a); domain.ErrCode(err) != domain.ECodeForbidden {
				t.Fatalf("%s read the operations state: %v", a.Type, err)
			}
		}
		sys := domain.SystemActor("metrics")
		st, err := h.App.Backoffice.OpsState(h.Ctx, sys)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Lists) != 0 || len(st.Rescreens) != 0 || st.CasesOpen[domain.CaseOnboarding] != 0 || len(st.CasesOpen) != 7 || len(st.CasesPastSLA) != 7 {
			t.Fatalf("empty installation: %+v", st)
		}

		c := kyctest.Case(t, h, nil) // an onboarding case, due in KYC_CASE_SLA
		h.ImportOFAC()
		h.Advance(3 * time.Hour)
		st, err = h.App.Backoffice.OpsState(h.Ctx, sys)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Lists) != 1 || st.Lists[0].Source != "ofac_sdn" || st.Lists[0].Age < 3*time.Hour || st.Lists[0].Age > 4*time.Hour {
			t.Fatalf("list ages %+v", st.Lists)
		}
		if st.CasesOpen[c.Kind] != 1 || st.CasesPastSLA[c.Kind] != 0 {
			t.Fatalf("before the due date: open %v past SLA %v", st.CasesOpen, st.CasesPastSLA)
		}
		for _, r := range st.Rescreens {
			// One customer is under ongoing due diligence (in review).
			if r.Source != "ofac_sdn" || r.Total != 1 || r.Screened > r.Total {
				t.Fatalf("re-screening progress %+v", r)
			}
		}

		h.Advance(c.DueAt.Sub(h.Clock.Peek()) + time.Minute)
		st, err = h.App.Backoffice.OpsState(h.Ctx, sys)
		if err != nil {
			t.Fatal(err)
		}
		if st.CasesOpen[c.Kind] != 1 || st.CasesPastSLA[c.Kind] != 1 {
			t.Fatalf("after the due date: open %v past SLA %v", st.CasesOpen, st.CasesPastSLA)
		}
	})
}
