package app

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// Off-boarding: closing the relationship with an approved customer. The
// customer leaves ongoing due diligence (no review date, no re-screening:
// only approved customers are monitored) and the retention period of its
// records starts (README, "Off-boarding and records").

// CloseInput is the reason for closing a customer relationship.
type CloseInput struct {
	// Reason is internal (never shown to the applicant) and kept
	// encrypted; the audit event holds a keyed digest of it.
	Reason string
}

func validateCloseReason(reason string) error {
	var v domain.Validation
	switch r := strings.TrimSpace(reason); {
	case r == "":
		v.Add("reason", "Give the reason for closing the relationship.")
	case utf8.RuneCountInString(r) > 4000:
		v.Add("reason", "Keep the reason under 4000 characters.")
	}
	return v.Err()
}

// Close ends the relationship with an approved customer: approved →
// closed, the review date cleared, the retention period started. Any
// other status is refused with a conflict. Open cases of the customer
// stay open: a closed relationship may still need its suspicion
// handled.
func (s *Customers) Close(ctx context.Context, actor domain.Actor, id string, in CloseInput) (*domain.Customer, error) {
	if err := Authorize(actor, PermCustomersWrite); err != nil {
		return nil, err
	}
	if actor.Type == domain.ActorApplicant {
		return nil, domain.Errorf(domain.ECodeForbidden, "Not allowed.")
	}
	if err := validateCloseReason(in.Reason); err != nil {
		return nil, err
	}
	var out *domain.Customer
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		c, err := s.load(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if err := closeCustomer(ctx, tx, s.d, s.audit, actor, c, strings.TrimSpace(in.Reason), ""); err != nil {
			return err
		}
		out = c
		return nil
	})
	return out, err
}

// closeCustomer moves a locked, approved customer to closed, writes it and
// audits the change (customer.status_changed to closed, which webhooks
// publish as customer.closed).
func closeCustomer(ctx context.Context, tx store.Tx, d *Deps, audit *AuditLog, actor domain.Actor, c *domain.Customer, reason, caseID string) error {
	from := c.Status
	if err := markClosed(d, c, reason); err != nil {
		return err
	}
	if err := writeCustomer(ctx, tx, d, c); err != nil {
		return err
	}
	meta := map[string]string{"from": string(from), "to": string(c.Status), "retention_ends_at": c.RetentionEndsAt.Format(time.RFC3339)}
	if caseID != "" {
		meta["case_id"] = caseID
	}
	return audit.record(ctx, tx, auditEntry{
		Tenant: c.Tenant, Actor: actor, Action: domain.EventCustomerStatusChanged, EntityID: c.ID,
		Change: CloseInput{Reason: reason}, Meta: meta,
	})
}

// markClosed applies the closure to an approved customer in memory: status
// closed, monitoring stopped (no review date), retention started.
func markClosed(d *Deps, c *domain.Customer, reason string) error {
	if err := c.Status.Transition(domain.StatusClosed); err != nil {
		return domain.Errorf(domain.ECodeConflict, "Only an approved customer can be closed; this one is %q.", c.Status)
	}
	now := d.now()
	c.Status = domain.StatusClosed
	c.ClosedAt = &now
	c.CloseReason = reason
	c.NextReviewAt = nil
	startRetention(d, c, now)
	c.UpdatedAt = now
	return nil
}

// startRetention sets the end of the retention period of a customer whose
// relationship ended at t (closure or rejection): records are kept for
// KYC_RETENTION after it (EU AMLD 2015/849 art. 40(1)(b), AMLR 2024/1624
// art. 77: five years after the end of the business relationship or the
// refusal).
func startRetention(d *Deps, c *domain.Customer, t time.Time) {
	end := d.retention().AddTo(t)
	c.RetentionEndsAt = &end
}

// retention is the configured retention period (default five years).
func (d *Deps) retention() domain.Period {
	if d.Policy.Retention.IsZero() {
		return DefaultRetention
	}
	return d.Policy.Retention
}

// DefaultRetention is the retention period when none is configured.
var DefaultRetention = domain.Period{Years: 5}
