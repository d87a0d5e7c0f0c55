package app

import (
	"context"
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
