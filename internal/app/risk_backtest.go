package app

import (
	"context"
	"errors"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/risk"
	"github.com/kyc-platform/kyc/internal/store"
)

// RiskChange is one customer whose rating or due diligence a candidate
// risk model would change.
type RiskChange struct {
	CustomerID string
	Status     domain.CustomerStatus
	FromRating domain.RiskRating
	ToRating   domain.RiskRating
	FromDD     domain.DueDiligence
	ToDD       domain.DueDiligence
}

// RiskBacktestResult is what a candidate model would do to the current
// customers (PRODUCT.md section 6: "how many ratings and due-diligence
// levels the new model would change, before anyone switches").
type RiskBacktestResult struct {
	CurrentVersion   string
	CandidateVersion string
	// Customers is how many assessed customers were scored again.
	Customers     int
	RatingChanged int
	DDChanged     int
	// Changes lists every customer whose rating or due diligence changes,
	// in the store's order.
	Changes []RiskChange
}

// RiskModelVersion is the version of the risk model the application runs
// (shown on the back office's lists page).
func (s *Customers) RiskModelVersion() string {
	if s.d.Risk == nil {
		return ""
	}
	return s.d.Risk.Version()
}

// BacktestRisk scores every current customer (assessed, not closed,
// rejected or purged) with a candidate model, as the risk check would
// (confirmed matches and identity doubt included), and compares with the
// stored rating and due diligence. It writes nothing.
func (s *Customers) BacktestRisk(ctx context.Context, actor domain.Actor, candidate *risk.Model) (RiskBacktestResult, error) {
	if err := Authorize(actor, PermCustomersRead); err != nil {
		return RiskBacktestResult{}, err
	}
	if candidate == nil {
		return RiskBacktestResult{}, domain.Errorf(domain.ECodeInvalid, "Give the risk model to try.")
	}
	res := RiskBacktestResult{CurrentVersion: s.RiskModelVersion(), CandidateVersion: candidate.Version(), Changes: []RiskChange{}}
	after := ""
	for {
		page, err := s.d.Store.Customers().List(ctx, store.CustomerFilter{Tenant: tenantFilter(actor), After: after, Limit: 500})
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return res, err
		}
		if len(page) == 0 {
			return res, nil
		}
		after = page[len(page)-1].ID
		for _, rec := range page {
			st := domain.CustomerStatus(rec.Status)
			if rec.RiskRating == "" || st == domain.StatusClosed || st == domain.StatusRejected || rec.PurgedAt != nil {
				continue
			}
			cust, err := customerFromRecord(s.d.Crypt, rec)
			if err != nil {
				return res, err
			}
			m, err := confirmedMatchesOf(ctx, s.d.Store, s.d.Crypt, cust)
			if err != nil {
				return res, err
			}
			doubt, err := identityDoubt(ctx, s.d.Store, cust.ID)
			if err != nil {
				return res, err
			}
			a := candidate.Assess(m.input(cust, doubt, s.d.now()))
			res.Customers++
			rc, dc := a.Rating != cust.RiskRating, a.DueDiligence != cust.DueDiligence
			if rc {
				res.RatingChanged++
			}
			if dc {
				res.DDChanged++
			}
			if rc || dc {
				res.Changes = append(res.Changes, RiskChange{CustomerID: cust.ID, Status: cust.Status, FromRating: cust.RiskRating, ToRating: a.Rating, FromDD: cust.DueDiligence, ToDD: a.DueDiligence})
			}
		}
	}
}
