package app

import (
	"context"
	"sort"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
)

// OpsState is what the operator's metrics say of the data: how old each
// list source's active snapshot is, the unclosed cases by kind and how many
// are past their due date (the case SLA), and the progress of the
// re-screening runs not done yet. It holds counts and ages only, never a
// record's content.
type OpsState struct {
	// Lists is one entry per source with an active snapshot.
	Lists []ListAge
	// CasesOpen and CasesPastSLA count the unclosed cases by kind; every
	// kind is present (zero when none).
	CasesOpen, CasesPastSLA map[domain.CaseKind]int64
	// Rescreens is the progress of each run not done, oldest first.
	Rescreens []RescreenProgress
}

// ListAge is how long ago a source's active snapshot was fetched.
type ListAge struct {
	Source    string
	FetchedAt time.Time
	Age       time.Duration
}

// RescreenProgress is how far a re-screening run has got: Screened
// customers of the Total under ongoing due diligence now.
type RescreenProgress struct {
	RunID, Source   string
	Screened, Total int64
}

// caseKinds are the kinds of case, in the dashboard's order.
var caseKinds = []domain.CaseKind{domain.CaseOnboarding, domain.CaseScreeningHit, domain.CasePeriodicReview, domain.CaseListUpdate, domain.CaseChangeReview, domain.CaseDocumentExpiry, domain.CaseTransactionAlert}

// OpsState gathers the state the metrics report (kyc serve's /metrics,
// refreshed on scrape at most every few seconds). Only a system actor may
// read it: it spans every tenant.
func (s *Backoffice) OpsState(ctx context.Context, actor domain.Actor) (OpsState, error) {
	if actor.Type != domain.ActorSystem {
		return OpsState{}, domain.Errorf(domain.ECodeForbidden, "Not allowed.")
	}
	now := s.d.now()
	st := OpsState{CasesOpen: map[domain.CaseKind]int64{}, CasesPastSLA: map[domain.CaseKind]int64{}}
	snaps, err := s.d.Store.Lists().ActiveSnapshots(ctx)
	if err != nil {
		return st, err
	}
	for _, sn := range snaps {
		st.Lists = append(st.Lists, ListAge{Source: sn.Source, FetchedAt: sn.FetchedAt, Age: now.Sub(sn.FetchedAt)})
	}
	sort.Slice(st.Lists, func(i, j int) bool { return st.Lists[i].Source < st.Lists[j].Source })
	for _, k := range caseKinds {
		st.CasesOpen[k], st.CasesPastSLA[k] = 0, 0
	}
	open, err := s.d.Store.Views().UnclosedCases(ctx)
	if err != nil {
		return st, err
	}
	for _, c := range open {
		st.CasesOpen[c.Kind]++
		if now.After(c.DueAt) {
			st.CasesPastSLA[c.Kind]++
		}
	}
	runs, err := s.d.Store.Rescreens().PendingRuns(ctx)
	if err != nil {
		return st, err
	}
	if len(runs) > 0 {
		byStatus, err := s.d.Store.Customers().CountByStatus(ctx)
		if err != nil {
			return st, err
		}
		// Re-screening reads the customers under ongoing due diligence
		// (store.Rescreens.ActiveCustomers).
		total := byStatus[string(domain.StatusApproved)] + byStatus[string(domain.StatusInReview)] + byStatus[string(domain.StatusInfoRequested)]
		for _, r := range runs {
			st.Rescreens = append(st.Rescreens, RescreenProgress{RunID: r.ID, Source: r.Source, Screened: r.Customers, Total: max(total, r.Customers)})
		}
	}
	return st, nil
}
