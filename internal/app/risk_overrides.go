package app

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// RiskOverrides are the overrides of computed risk ratings (RISK_MODEL.md:
// "An analyst may override a rating only with a reason and an mlro's
// second approval; the override is stored beside the computed rating,
// never in its place"; PRODUCT.md section 3, POST
// /api/v1/customers/{id}/risk-overrides).
//
// The computed rating stays in the customer's risk assessments, untouched.
// The customer's risk_rating and due_diligence are the ones in force: the
// computed ones, or an approved override's, so that the decision policy,
// the decision options (enhanced due diligence, four-eyes) and the review
// interval all follow the rating in force. An override is made against
// one computed rating: a later assessment that computes another rating or
// due diligence (or raises a floor past it) supersedes it, and the
// computed rating is in force again until someone asks anew.
type RiskOverrides struct {
	d     *Deps
	audit *AuditLog
}

// RequestOverrideInput is a request to override a customer's rating.
type RequestOverrideInput struct {
	Rating domain.RiskRating
	// Reason is internal (kept encrypted; the audit event holds a keyed
	// digest of it) and required.
	Reason string
}

// overrideReasonAAD binds a sealed reason to its override.
func overrideReasonAAD(id string) []byte { return []byte("risk-override:" + id) }

// overrideNoteAAD binds a sealed decision note to its override.
func overrideNoteAAD(id string) []byte { return []byte("risk-override-note:" + id) }

// Request records a pending override of a customer's rating, for an mlro
// to approve or reject. It needs cases:write (analysts, mlros, API clients
// with that scope: an override is a compliance judgement like a case
// decision, not an edit of the customer's data). One transaction: the
// customer is locked, the override stored and the request audited.
//
// Refused: an unknown customer or another tenant's (404); a customer not
// assessed yet, or no longer under due diligence (draft, rejected, closed:
// 409); one that already has a pending override (409); a rating or reason
// that the rules of domain.CheckRiskOverride refuse (422 naming rating and
// reason: prohibited cannot be lowered, floors hold).
func (s *RiskOverrides) Request(ctx context.Context, actor domain.Actor, customerID string, in RequestOverrideInput) (*domain.RiskOverride, error) {
	if err := Authorize(actor, PermCasesWrite); err != nil {
		return nil, err
	}
	// The shape of the request first, before anything is read.
	if err := domain.CheckRiskOverride(domain.RiskAssessment{}, "", in.Rating, in.Reason); err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(in.Reason)
	var out *domain.RiskOverride
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		rec, err := tx.Customers().GetForUpdate(ctx, customerID)
		if err != nil {
			return notFound(err, "Customer")
		}
		if !canSeeCustomer(actor, rec) {
			return domain.Errorf(domain.ECodeNotFound, "Customer not found.")
		}
		switch domain.CustomerStatus(rec.Status) {
		case domain.StatusSubmitted, domain.StatusInReview, domain.StatusInfoRequested, domain.StatusApproved:
		default:
			return domain.Errorf(domain.ECodeConflict, "A risk override applies to a customer under due diligence (submitted, in review or approved); this one is %s.", rec.Status)
		}
		a, err := latestAssessment(ctx, tx, customerID)
		if err != nil {
			return err
		}
		open, err := openOverrides(ctx, tx, customerID)
		if err != nil {
			return err
		}
		for _, o := range open {
			if o.Status == string(domain.OverridePending) {
				return domain.Errorf(domain.ECodeConflict, "A risk override of this customer (%s) already waits for an mlro; it must be approved or rejected first.", o.ID)
			}
		}
		if err := domain.CheckRiskOverride(a, domain.RiskRating(rec.RiskRating), in.Rating, reason); err != nil {
			return err
		}
		now := s.d.now()
		id := domain.NewID("rov", now)
		sealed, err := s.d.Crypt.Seal([]byte(reason), overrideReasonAAD(id))
		if err != nil {
			return err
		}
		o := store.RiskOverrideRecord{
			ID: id, CustomerID: customerID, Rating: string(in.Rating),
			DueDiligence:   string(domain.OverrideDueDiligence(in.Rating, a.Floors())),
			ComputedRating: string(a.Rating), ComputedDueDiligence: string(a.DueDiligence),
			Reason: sealed, Status: string(domain.OverridePending), RequestedBy: actor.String(), RequestedAt: now,
		}
		if err := tx.RiskOverrides().Create(ctx, o); err != nil {
			return conflict(err, "A risk override of this customer already waits for an mlro.")
		}
		if err := s.audit.record(ctx, tx, auditEntry{
			Tenant: rec.Tenant, Actor: actor, Action: domain.EventRiskOverrideRequested, EntityID: customerID,
			Change: RequestOverrideInput{Rating: in.Rating, Reason: reason},
			Meta:   map[string]string{"override_id": id, "rating": o.Rating, "computed_rating": o.ComputedRating},
		}); err != nil {
			return err
		}
		v := overrideFromRecord(o)
		v.Reason = reason
		out = &v
		return nil
	})
	return out, err
}

// DecideOverrideInput is an mlro's decision on a pending override.
type DecideOverrideInput struct {
	Approve bool
	// Note is optional and internal (kept encrypted).
	Note string
}

// Decide approves or rejects a pending override. Only a staff user with
// the mlro role decides (RISK_MODEL.md: "an mlro's second approval"; an
// API client: 403), never the one who requested it (four-eyes: 403 with
// the reason). Approval puts the override's rating in force: the
// customer's rating and due diligence become the override's (never below a
// due-diligence floor of the model), an earlier approved override is
// superseded, and an approved customer's next review comes forward when
// the new rating asks for an earlier one (it is never pushed back: the
// longer interval of a lower rating applies from the next review
// decision). One transaction: the customer is locked, everything written
// and audited.
func (s *RiskOverrides) Decide(ctx context.Context, actor domain.Actor, overrideID string, in DecideOverrideInput) (*domain.RiskOverride, error) {
	if err := Authorize(actor, PermCasesWrite); err != nil {
		return nil, err
	}
	if actor.Type != domain.ActorUser {
		return nil, domain.Errorf(domain.ECodeForbidden, "A risk override is approved or rejected by an mlro in the back office (RISK_MODEL.md: an mlro's second approval); an API client may only request one.")
	}
	if actor.Role != RoleMLRO {
		return nil, domain.Errorf(domain.ECodeForbidden, "Only an mlro may approve or reject a risk override.")
	}
	note := strings.TrimSpace(in.Note)
	if utf8.RuneCountInString(note) > domain.MaxOverrideReason {
		var v domain.Validation
		v.Add("note", "Keep the note under 4000 characters.")
		return nil, v.Err()
	}
	var out *domain.RiskOverride
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		o, err := tx.RiskOverrides().Get(ctx, overrideID)
		if err != nil {
			return notFound(err, "Risk override")
		}
		rec, err := tx.Customers().GetForUpdate(ctx, o.CustomerID)
		if err != nil {
			return notFound(err, "Risk override")
		}
		if !canSeeCustomer(actor, rec) {
			return domain.Errorf(domain.ECodeNotFound, "Risk override not found.")
		}
		// Read again under the customer's lock: every change of an
		// override locks its customer first.
		if o, err = tx.RiskOverrides().Get(ctx, overrideID); err != nil {
			return notFound(err, "Risk override")
		}
		if o.Status != string(domain.OverridePending) {
			return domain.Errorf(domain.ECodeConflict, "This risk override is %s already.", o.Status)
		}
		if o.RequestedBy == actor.String() {
			return domain.Errorf(domain.ECodeForbidden, "Four-eyes: you requested this risk override, so another mlro must approve or reject it.")
		}
		now := s.d.now()
		o.DecidedBy, o.DecidedAt = actor.String(), &now
		if note != "" {
			if o.DecisionNote, err = s.d.Crypt.Seal([]byte(note), overrideNoteAAD(o.ID)); err != nil {
				return err
			}
		}
		if !in.Approve {
			o.Status = string(domain.OverrideRejected)
			if err := tx.RiskOverrides().Update(ctx, o, string(domain.OverridePending)); err != nil {
				return conflict(err, "The risk override was decided at the same time; reload.")
			}
			v := overrideFromRecord(o)
			out = &v
			return s.audit.record(ctx, tx, auditEntry{
				Tenant: rec.Tenant, Actor: actor, Action: domain.EventRiskOverrideRejected, EntityID: o.CustomerID,
				Change: DecideOverrideInput{Note: note}, Meta: map[string]string{"override_id": o.ID, "rating": o.Rating},
			})
		}
		cust, err := customerFromRecord(s.d.Crypt, rec)
		if err != nil {
			return err
		}
		a, err := latestAssessment(ctx, tx, o.CustomerID)
		if err != nil {
			return err
		}
		if string(a.Rating) != o.ComputedRating || string(a.DueDiligence) != o.ComputedDueDiligence {
			return domain.Errorf(domain.ECodeConflict, "The computed rating changed since the override was requested (now %s); request a new override.", a.Rating)
		}
		if msg := domain.RiskOverrideBlocked(a, domain.RiskRating(o.Rating)); msg != "" {
			return domain.Errorf(domain.ECodeConflict, "%s", msg)
		}
		open, err := openOverrides(ctx, tx, o.CustomerID)
		if err != nil {
			return err
		}
		for _, prev := range open {
			if prev.Status == string(domain.OverrideApproved) {
				if err := s.supersede(ctx, tx, actor, rec.Tenant, prev, "replaced", now); err != nil {
					return err
				}
			}
		}
		o.Status = string(domain.OverrideApproved)
		if err := tx.RiskOverrides().Update(ctx, o, string(domain.OverridePending)); err != nil {
			return conflict(err, "The risk override was decided at the same time; reload.")
		}
		cust.RiskRating = domain.RiskRating(o.Rating)
		cust.DueDiligence = domain.OverrideDueDiligence(cust.RiskRating, a.Floors())
		meta := map[string]string{"override_id": o.ID, "rating": o.Rating, "due_diligence": string(cust.DueDiligence), "computed_rating": o.ComputedRating}
		if cust.Status == domain.StatusApproved && cust.NextReviewAt != nil {
			if next := s.d.nextReview(cust.RiskRating, now); next.Before(*cust.NextReviewAt) {
				cust.NextReviewAt = &next
			}
			meta["next_review_at"] = cust.NextReviewAt.Format(time.RFC3339)
		}
		cust.UpdatedAt = now
		if err := writeCustomer(ctx, tx, s.d, cust); err != nil {
			return err
		}
		v := overrideFromRecord(o)
		out = &v
		return s.audit.record(ctx, tx, auditEntry{
			Tenant: rec.Tenant, Actor: actor, Action: domain.EventRiskOverrideApproved, EntityID: o.CustomerID,
			Change: DecideOverrideInput{Approve: true, Note: note}, Meta: meta,
		})
	})
	return out, err
}

// List returns a customer's overrides, newest first, with their reasons
// and notes (staff and clients who may read the customer).
func (s *RiskOverrides) List(ctx context.Context, actor domain.Actor, customerID string) ([]domain.RiskOverride, error) {
	if err := Authorize(actor, PermCustomersRead); err != nil {
		return nil, err
	}
	rec, err := s.d.Store.Customers().Get(ctx, customerID)
	if err != nil {
		return nil, notFound(err, "Customer")
	}
	if !canSeeCustomer(actor, rec) || actor.Type == domain.ActorApplicant {
		return nil, domain.Errorf(domain.ECodeNotFound, "Customer not found.")
	}
	recs, err := s.d.Store.RiskOverrides().ListByCustomer(ctx, customerID)
	if err != nil {
		return nil, err
	}
	out := make([]domain.RiskOverride, 0, len(recs))
	for _, r := range recs {
		o := overrideFromRecord(r)
		if len(r.Reason) > 0 {
			b, err := s.d.Crypt.Open(r.Reason, overrideReasonAAD(r.ID))
			if err != nil {
				return nil, err
			}
			o.Reason = string(b)
		}
		if len(r.DecisionNote) > 0 {
			b, err := s.d.Crypt.Open(r.DecisionNote, overrideNoteAAD(r.ID))
			if err != nil {
				return nil, err
			}
			o.DecisionNote = string(b)
		}
		out = append(out, o)
	}
	return out, nil
}

// supersede ends an open override (pending or approved), audited.
func (s *RiskOverrides) supersede(ctx context.Context, tx store.Tx, actor domain.Actor, tenant string, o store.RiskOverrideRecord, why string, now time.Time) error {
	return supersedeOverride(ctx, tx, s.audit, actor, tenant, o, why, now)
}

func supersedeOverride(ctx context.Context, tx store.Tx, audit *AuditLog, actor domain.Actor, tenant string, o store.RiskOverrideRecord, why string, now time.Time) error {
	from := o.Status
	o.Status = string(domain.OverrideSuperseded)
	o.EndedAt = &now
	if err := tx.RiskOverrides().Update(ctx, o, from); err != nil {
		return conflict(err, "The risk override was changed at the same time; retry.")
	}
	return audit.record(ctx, tx, auditEntry{
		Tenant: tenant, Actor: actor, Action: domain.EventRiskOverrideSuperseded, EntityID: o.CustomerID,
		Meta: map[string]string{"override_id": o.ID, "from": from, "why": why},
	})
}

// overridesInForce is called when a new assessment a of a locked customer
// is saved: every open override made against another computed rating or
// due diligence, or that the new floors no longer allow, is superseded
// (audited). It returns the rating and due diligence in force: an approved
// override's that still holds, else the assessment's.
func overridesInForce(ctx context.Context, tx store.Tx, d *Deps, audit *AuditLog, actor domain.Actor, tenant, customerID string, a domain.RiskAssessment) (domain.RiskRating, domain.DueDiligence, error) {
	rating, dd := a.Rating, a.DueDiligence
	open, err := openOverrides(ctx, tx, customerID)
	if err != nil || len(open) == 0 {
		return rating, dd, err
	}
	now := d.now()
	for _, o := range open {
		holds := string(a.Rating) == o.ComputedRating && string(a.DueDiligence) == o.ComputedDueDiligence &&
			domain.RiskOverrideBlocked(a, domain.RiskRating(o.Rating)) == ""
		if !holds {
			if err := supersedeOverride(ctx, tx, audit, actor, tenant, o, "assessment_changed", now); err != nil {
				return rating, dd, err
			}
			continue
		}
		if o.Status == string(domain.OverrideApproved) {
			rating = domain.RiskRating(o.Rating)
			dd = domain.OverrideDueDiligence(rating, a.Floors())
		}
	}
	return rating, dd, nil
}

// openOverrides returns a customer's pending and approved overrides.
func openOverrides(ctx context.Context, r store.Repos, customerID string) ([]store.RiskOverrideRecord, error) {
	recs, err := r.RiskOverrides().ListByCustomer(ctx, customerID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	var out []store.RiskOverrideRecord
	for _, o := range recs {
		if o.Status == string(domain.OverridePending) || o.Status == string(domain.OverrideApproved) {
			out = append(out, o)
		}
	}
	return out, nil
}

// latestAssessment reads a customer's newest risk assessment; a customer
// never assessed is a conflict (nothing to override yet).
func latestAssessment(ctx context.Context, r store.Repos, customerID string) (domain.RiskAssessment, error) {
	rr, err := r.Checks().LatestRisk(ctx, customerID)
	if errors.Is(err, store.ErrNotFound) {
		return domain.RiskAssessment{}, domain.Errorf(domain.ECodeConflict, "The customer has no risk assessment yet; an override needs a computed rating to stand beside.")
	}
	if err != nil {
		return domain.RiskAssessment{}, err
	}
	return riskFromRecord(rr)
}

// withOverrides sets the computed rating and the open overrides of a
// customer read by id (reasons are not included: List gives them).
func withOverrides(ctx context.Context, r store.Repos, c *domain.Customer) error {
	c.ComputedRiskRating, c.ComputedDueDiligence = c.RiskRating, c.DueDiligence
	open, err := openOverrides(ctx, r, c.ID)
	if err != nil {
		return err
	}
	for i := len(open) - 1; i >= 0; i-- {
		o := open[i]
		if o.Status == string(domain.OverrideApproved) {
			c.ComputedRiskRating, c.ComputedDueDiligence = domain.RiskRating(o.ComputedRating), domain.DueDiligence(o.ComputedDueDiligence)
		}
	}
	c.RiskOverrides = make([]domain.RiskOverride, 0, len(open))
	for _, o := range open {
		c.RiskOverrides = append(c.RiskOverrides, overrideFromRecord(o))
	}
	c.OverridesRead = true
	return nil
}

func overrideFromRecord(r store.RiskOverrideRecord) domain.RiskOverride {
	return domain.RiskOverride{
		ID: r.ID, CustomerID: r.CustomerID, Rating: domain.RiskRating(r.Rating), DueDiligence: domain.DueDiligence(r.DueDiligence),
		ComputedRating: domain.RiskRating(r.ComputedRating), ComputedDueDiligence: domain.DueDiligence(r.ComputedDueDiligence),
		Status: domain.RiskOverrideStatus(r.Status), RequestedBy: r.RequestedBy, RequestedAt: r.RequestedAt,
		DecidedBy: r.DecidedBy, DecidedAt: r.DecidedAt, EndedAt: r.EndedAt,
	}
}
