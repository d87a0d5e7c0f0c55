package app

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// This file holds the decision policy the checks apply once every check of
// a round is done (domain.Decide; README, "The KYC process"): approve the
// customer, or move it to review with a case.

// applyPolicy applies the decision policy (domain.Decide; README, "The KYC
// process") once every check of the latest round is done: it gathers the
// policy's inputs inside the transaction, and approves the customer or moves
// it to review with a case, as the policy decides. crec is the customer's
// record as the transaction locked and last changed it; unwritten says
// that the round changed it (the risk check's rating) without writing it:
// the policy's own write of the customer carries that change, and where
// the policy does not write the customer, or reads it again, the record is
// written first. recs, when not nil, are all the customer's checks as the
// transaction wrote them.
func (s *Checks) applyPolicy(ctx context.Context, tx store.Tx, crec store.CustomerRecord, recs []store.CheckRecord, unwritten bool) error {
	customerID := crec.ID
	// flush writes the round's unwritten change of the customer.
	flush := func() error {
		if !unwritten {
			return nil
		}
		unwritten = false
		crec.Version++
		return tx.Customers().Update(ctx, crec)
	}
	if recs == nil {
		var err error
		if recs, err = tx.Checks().ListByCustomer(ctx, customerID); err != nil {
			return err
		}
	}
	latest := latestRound(recs)
	if len(latest) < len(CheckTypes()) {
		return flush()
	}
	byType := map[string]store.CheckRecord{}
	for _, r := range latest {
		if !domain.CheckStatus(r.Status).Done() {
			return flush()
		}
		byType[r.Type] = r
	}
	cust, err := customerFromRecord(s.d.Crypt, crec)
	if err != nil {
		return err
	}
	screeningID := byType[string(domain.CheckScreening)].ID
	if cust.Status == domain.StatusApproved {
		// Fresh checks of an approved customer (a periodic review, a
		// change of circumstances).
		if err := flush(); err != nil {
			return err
		}
		cust.Version = crec.Version
		return s.ongoingRoundDone(ctx, tx, cust, latest[0].Round, byType)
	}
	if cust.Status != domain.StatusSubmitted {
		return flush() // already decided or being reviewed
	}
	// Doubt about the identity rules out simplified due diligence (FATF
	// R.10, INR.10 para. 21): the risk is assessed again with the doubt,
	// whose floor (identity_doubt, standard) holds until a later round
	// verifies the identity.
	if st := domain.CheckStatus(byType[string(domain.CheckIdentity)].Status); st != domain.CheckPassed && cust.RiskRating != "" {
		// It reads the customer again: written first.
		if err := flush(); err != nil {
			return err
		}
		cust.Version = crec.Version
		if cust, err = s.assessWithIdentityDoubt(ctx, tx, cust, byType[string(domain.CheckRisk)].ID, "identity check "+string(st)); err != nil {
			return err
		}
	}
	in := domain.PolicyInput{
		Identity:    domain.CheckStatus(byType[string(domain.CheckIdentity)].Status),
		Screening:   domain.CheckStatus(byType[string(domain.CheckScreening)].Status),
		Risk:        domain.CheckStatus(byType[string(domain.CheckRisk)].Status),
		Rating:      cust.RiskRating,
		AutoApprove: s.d.Policy.AutoApprove,
	}
	hits, err := tx.Hits().ListByCustomer(ctx, customerID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	for _, h := range hits {
		if h.CheckID == screeningID && h.Disposition != string(domain.DispositionFalsePositive) {
			in.OpenHits++
		}
		if h.Disposition == string(domain.DispositionTrueMatch) && !isPEPHit(h) {
			in.ConfirmedSanctionsMatch = true
		}
	}
	// A customer with a case still open (a resubmission after a request for
	// information) goes back to the person working that case.
	open, err := tx.Cases().OpenForCustomer(ctx, customerID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	// A transaction_alert case is about transactions, not onboarding: it
	// is never reused for the customer's checks.
	open = slices.DeleteFunc(open, func(c domain.Case) bool { return c.Kind == domain.CaseTransactionAlert })
	in.CaseOpen = len(open) > 0

	out := domain.Decide(in)
	now := s.d.now()
	actor := domain.SystemActor("decision-policy")
	if out.Approve {
		if err := approveCustomer(s.d, cust, now); err != nil {
			return err
		}
		if err := writeCustomer(ctx, tx, s.d, cust); err != nil {
			return err
		}
		if s.d.Metrics != nil {
			s.d.Metrics.Decision("auto_approve")
		}
		return s.audit.record(ctx, tx, auditEntry{
			Tenant: cust.Tenant, Actor: actor, Action: domain.EventCustomerApproved, EntityID: cust.ID,
			Meta: map[string]string{"from": string(domain.StatusSubmitted), "to": string(cust.Status), "rating": string(in.Rating), "automatic": "true"},
		})
	}

	sla := s.d.Policy.CaseSLA
	if out.CaseKind == domain.CaseScreeningHit {
		sla = s.d.Policy.HitSLA
	}
	if err := cust.Status.Transition(domain.StatusInReview); err != nil {
		return err
	}
	cust.Status = domain.StatusInReview
	cust.UpdatedAt = now
	if err := writeCustomer(ctx, tx, s.d, cust); err != nil {
		return err
	}
	if err := s.audit.record(ctx, tx, auditEntry{
		Tenant: cust.Tenant, Actor: actor, Action: domain.EventCustomerStatusChanged, EntityID: cust.ID,
		Meta: map[string]string{"from": string(domain.StatusSubmitted), "to": string(cust.Status)},
	}); err != nil {
		return err
	}
	return openOrReuseCase(ctx, tx, s.d, s.audit, cust.Tenant, cust.ID, out.CaseKind, sla, out.Reason, screeningID)
}

// openOrReuseCase opens a case for the customer unless one is already open
// (a resubmission after a request for information goes back to its case).
func openOrReuseCase(ctx context.Context, tx store.Tx, d *Deps, audit *AuditLog, tenant, customerID string, kind domain.CaseKind, sla time.Duration, reason, screeningCheckID string) error {
	now := d.now()
	open, err := tx.Cases().OpenForCustomer(ctx, customerID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	// A transaction_alert case is about transactions, not onboarding: it
	// is never reused for the customer's checks.
	open = slices.DeleteFunc(open, func(c domain.Case) bool { return c.Kind == domain.CaseTransactionAlert })
	var cs domain.Case
	action := domain.EventCaseOpened
	if len(open) > 0 {
		cs = open[0]
		if kind == domain.CaseScreeningHit {
			cs.Kind = kind
		}
		cs.Reason = reason
		cs.Version++
		cs.UpdatedAt = now
		if err := tx.Cases().Update(ctx, cs); err != nil {
			return err
		}
		action = domain.EventCaseReopened
	} else {
		cs = domain.Case{
			ID: domain.NewID("case", now), Tenant: tenant, CustomerID: customerID, Kind: kind, Status: domain.CaseOpen,
			Reason: reason, DueAt: now.Add(sla), Version: 1, CreatedAt: now, UpdatedAt: now,
		}
		if err := tx.Cases().Create(ctx, cs); err != nil {
			return err
		}
	}
	if screeningCheckID != "" {
		hits, err := tx.Hits().ListByCheck(ctx, screeningCheckID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		for _, h := range hits {
			if h.CaseID == "" {
				h.CaseID = cs.ID
				if err := tx.Hits().Update(ctx, h); err != nil {
					return err
				}
			}
		}
	}
	return audit.record(ctx, tx, auditEntry{
		Tenant: cs.Tenant, Actor: domain.SystemActor("decision-policy"), Action: action, EntityID: cs.ID,
		Meta: map[string]string{"customer_id": customerID, "kind": string(cs.Kind), "reason": reason},
	})
}

// approveCustomer moves a customer to approved and sets the next periodic
// review from the risk model's interval for its rating (RISK_MODEL.md,
// review_intervals: by default high 1 year, medium 2, low 3).
func approveCustomer(d *Deps, c *domain.Customer, now time.Time) error {
	if c.RiskRating == domain.RiskProhibited {
		return domain.Errorf(domain.ECodeConflict, "A customer rated prohibited can never be approved.")
	}
	if err := c.Status.Transition(domain.StatusApproved); err != nil {
		return err
	}
	next := d.nextReview(c.RiskRating, now)
	c.Status = domain.StatusApproved
	c.DecidedAt = &now
	c.NextReviewAt = &next
	c.UpdatedAt = now
	return nil
}

// writeCustomer bumps the version and stores the customer, and keeps an
// approved customer's document expiry dates (document_expiry.go).
func writeCustomer(ctx context.Context, tx store.Tx, d *Deps, c *domain.Customer) error {
	c.Version++
	rec, err := customerToRecord(d.Crypt, c)
	if err != nil {
		return err
	}
	if err := tx.Customers().Update(ctx, rec); err != nil {
		return conflict(err, "The customer was changed at the same time; retry.")
	}
	return syncDocumentExpiries(ctx, tx, c)
}
