package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// nextReview is when a customer of rating r, decided at t, falls due for
// its periodic review: the risk model's review_intervals (RISK_MODEL.md).
func (d *Deps) nextReview(r domain.RiskRating, t time.Time) time.Time {
	return d.Risk.NextReview(r, t)
}

// rescheduleReview records the approval of a case of ongoing due diligence
// about a locked, approved customer, who stays approved: a periodic review
// or a change review (a full review of the customer) sets the next review
// from now by the customer's current rating; a list update or an expiring
// document brings it forward when the rating now asks for an earlier one,
// and never pushes it back (PRODUCT.md section 7, "deciding it sets the
// next date"). The customer is written and the new date audited.
func rescheduleReview(ctx context.Context, tx store.Tx, d *Deps, audit *AuditLog, actor domain.Actor, cs domain.Case, cust *domain.Customer, now time.Time) error {
	next := d.nextReview(cust.RiskRating, now)
	switch cs.Kind {
	case domain.CasePeriodicReview, domain.CaseChangeReview:
	default:
		if cust.NextReviewAt != nil && cust.NextReviewAt.Before(next) {
			next = *cust.NextReviewAt
		}
	}
	cust.NextReviewAt = &next
	cust.UpdatedAt = now
	if err := writeCustomer(ctx, tx, d, cust); err != nil {
		return err
	}
	return audit.record(ctx, tx, auditEntry{
		Tenant: cust.Tenant, Actor: actor, Action: domain.EventReviewScheduled, EntityID: cust.ID,
		Meta: map[string]string{"case_id": cs.ID, "kind": string(cs.Kind), "rating": string(cust.RiskRating), "next_review_at": next.Format(time.RFC3339)},
	})
}

// Reviews runs periodic reviews (PRODUCT.md section 7): a scan opens one
// periodic_review case, with a fresh round of checks, for every approved
// customer whose review date has come; deciding the case sets the next date
// (rescheduleReview).
type Reviews struct {
	d     *Deps
	audit *AuditLog
}

// reviewActor is the actor of the periodic-review scan.
var reviewActor = domain.SystemActor("periodic-review")

// OpenDue opens a periodic_review case for every approved customer whose
// review date has come and who has none open, each in its own transaction,
// in batches of batch (zero: 100), and returns how many it opened. Run by a
// periodic job (KYC_REVIEW_SCAN_INTERVAL) on any replica: each customer is
// locked and checked again before its case opens, and the database allows
// one open periodic_review case per customer, so two replicas scanning at
// once never open two; a scan interrupted by a restart resumes with the
// customers still due.
func (s *Reviews) OpenDue(ctx context.Context, batch int) (int, error) {
	if batch <= 0 {
		batch = 100
	}
	total := 0
	for {
		ids, err := s.d.Store.Reviews().DueForReview(ctx, s.d.now(), batch)
		if err != nil {
			return total, err
		}
		n := 0
		for _, id := range ids {
			opened, err := s.openIfDue(ctx, id)
			if err != nil {
				return total, fmt.Errorf("periodic review of %s: %w", id, err)
			}
			if opened {
				n++
			}
		}
		total += n
		if len(ids) < batch || n == 0 {
			return total, nil
		}
	}
}

// openIfDue opens the periodic review of one customer if, once locked, it
// is still approved, due and without an open review.
func (s *Reviews) openIfDue(ctx context.Context, id string) (bool, error) {
	opened := false
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		rec, err := tx.Customers().GetForUpdate(ctx, id)
		if err != nil {
			return err
		}
		now := s.d.now()
		if domain.CustomerStatus(rec.Status) != domain.StatusApproved || rec.NextReviewAt == nil || rec.NextReviewAt.After(now) ||
			rec.RestrictedAt != nil || rec.PurgedAt != nil {
			return nil
		}
		open, err := tx.Cases().OpenForCustomer(ctx, id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		for _, c := range open {
			if c.Kind == domain.CasePeriodicReview {
				return nil
			}
		}
		due := *rec.NextReviewAt
		cs := domain.Case{
			ID: domain.NewID("case", now), Tenant: rec.Tenant, CustomerID: id, Kind: domain.CasePeriodicReview, Status: domain.CaseOpen,
			Reason: fmt.Sprintf("periodic review due %s (rating %s)", due.Format("2006-01-02"), orDash(rec.RiskRating)),
			DueAt:  now.Add(s.d.Policy.CaseSLA), Version: 1, CreatedAt: now, UpdatedAt: now,
		}
		if err := tx.Cases().Create(ctx, cs); err != nil {
			return conflict(err, "A periodic review of this customer is already open.")
		}
		round, err := startCheckRound(ctx, tx, s.d, id, now)
		if err != nil {
			return err
		}
		if err := s.audit.record(ctx, tx, auditEntry{
			Tenant: rec.Tenant, Actor: reviewActor, Action: domain.EventReviewDue, EntityID: id,
			Meta: map[string]string{"case_id": cs.ID, "due_at": due.Format(time.RFC3339), "rating": rec.RiskRating, "round": fmt.Sprint(round)},
		}); err != nil {
			return err
		}
		opened = true
		return s.audit.record(ctx, tx, auditEntry{
			Tenant: rec.Tenant, Actor: reviewActor, Action: domain.EventCaseOpened, EntityID: cs.ID,
			Meta: map[string]string{"customer_id": id, "kind": string(cs.Kind), "reason": cs.Reason},
		})
	})
	return opened, err
}

// ongoingRoundDone is the decision policy for a round of checks of an
// approved customer: a change of circumstances' round keeps the customer
// approved or opens a change_review case (changeRoundDone); a periodic
// review's fresh checks leave the customer approved and their screening
// hits go to the open case of ongoing due diligence, for the person
// deciding it.
func (s *Checks) ongoingRoundDone(ctx context.Context, tx store.Tx, cust *domain.Customer, round int, byType map[string]store.CheckRecord) error {
	if done, err := s.changeRoundDone(ctx, tx, cust, round, byType); done || err != nil {
		return err
	}
	open, err := tx.Cases().OpenForCustomer(ctx, cust.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	var cs *domain.Case
	for i := range open {
		if open[i].Kind.Ongoing() && (cs == nil || open[i].Kind == domain.CasePeriodicReview) {
			cs = &open[i]
		}
	}
	if cs == nil {
		return nil
	}
	return linkRoundHits(ctx, tx, byType[string(domain.CheckScreening)].ID, cs.ID)
}
