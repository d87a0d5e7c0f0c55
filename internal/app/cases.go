package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// Cases holds the review use cases: list, read and assign cases, decide
// them (with four-eyes where required) and disposition screening hits.
type Cases struct {
	d      *Deps
	audit  *AuditLog
	checks *Checks
}

// ListCasesInput filters a case list.
type ListCasesInput struct {
	Kind       string
	Status     string
	CustomerID string
	Assignee   string
	Cursor     string
	Limit      int
}

// List returns a page of cases, newest first, and the next cursor.
func (s *Cases) List(ctx context.Context, actor domain.Actor, in ListCasesInput) ([]domain.Case, string, error) {
	if err := Authorize(actor, PermCasesRead); err != nil {
		return nil, "", err
	}
	var v domain.Validation
	if in.Kind != "" && !domain.CaseKind(in.Kind).Valid() {
		v.Add("kind", "Unknown kind: use onboarding, screening_hit, periodic_review, list_update, change_review, document_expiry or transaction_alert.")
	}
	if in.Status != "" && !domain.CaseStatus(in.Status).Valid() {
		v.Add("status", "Unknown status: use open, pending_second_approval or closed.")
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	limit := clampLimit(in.Limit)
	cs, err := s.d.Store.Cases().List(ctx, store.CaseFilter{
		Kind: in.Kind, Status: in.Status, CustomerID: in.CustomerID, Assignee: in.Assignee, Tenant: tenantFilter(actor), After: in.Cursor, Limit: limit + 1,
	})
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(cs) > limit {
		cs = cs[:limit]
		next = cs[limit-1].ID
	}
	return cs, next, nil
}

// Get returns one case.
func (s *Cases) Get(ctx context.Context, actor domain.Actor, id string) (domain.Case, error) {
	if err := Authorize(actor, PermCasesRead); err != nil {
		return domain.Case{}, err
	}
	c, err := s.d.Store.Cases().Get(ctx, id)
	if err != nil {
		return c, notFound(err, "Case")
	}
	if !canSeeTenant(actor, c.Tenant) {
		return domain.Case{}, domain.Errorf(domain.ECodeNotFound, "Case not found.")
	}
	return c, nil
}

// Assign sets the assignee of an open case. A staff user may take a case
// ("assign to me") or release their own; an MLRO may also release anyone's.
func (s *Cases) Assign(ctx context.Context, actor domain.Actor, caseID, assignee string) (domain.Case, error) {
	if err := Authorize(actor, PermCasesWrite); err != nil {
		return domain.Case{}, err
	}
	if assignee != "" && assignee != actor.String() {
		return domain.Case{}, domain.Errorf(domain.ECodeForbidden, "You can only assign a case to yourself.")
	}
	var out domain.Case
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		cs, err := tx.Cases().GetForUpdate(ctx, caseID)
		if err != nil {
			return notFound(err, "Case")
		}
		if !canSeeTenant(actor, cs.Tenant) {
			return domain.Errorf(domain.ECodeNotFound, "Case not found.")
		}
		if cs.Status == domain.CaseClosed {
			return domain.Errorf(domain.ECodeConflict, "The case is closed.")
		}
		if assignee == "" && cs.Assignee != actor.String() && actor.Role != RoleMLRO && actor.Type == domain.ActorUser {
			return domain.Errorf(domain.ECodeForbidden, "Only the assignee or an MLRO can release a case.")
		}
		if cs.Assignee == assignee {
			out = cs
			return nil
		}
		from := cs.Assignee
		cs.Assignee = assignee
		if err := s.saveCase(ctx, tx, &cs); err != nil {
			return err
		}
		out = cs
		return s.audit.record(ctx, tx, auditEntry{Tenant: cs.Tenant, Actor: actor, Action: domain.EventCaseAssigned, EntityID: cs.ID,
			Meta: map[string]string{"from": orDash(from), "to": orDash(assignee)}})
	})
	return out, err
}

// Hits returns the screening hits of a case.
func (s *Cases) Hits(ctx context.Context, actor domain.Actor, caseID string) ([]domain.ScreeningHit, error) {
	cs, err := s.Get(ctx, actor, caseID)
	if err != nil {
		return nil, err
	}
	recs, err := s.d.Store.Hits().ListByCustomer(ctx, cs.CustomerID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	out := []domain.ScreeningHit{}
	for _, r := range recs {
		if r.CaseID != cs.ID {
			continue
		}
		h, err := hitFromRecord(s.d.Crypt, r)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

// Decisions returns the decisions recorded on a case, oldest first.
func (s *Cases) Decisions(ctx context.Context, actor domain.Actor, caseID string) ([]domain.Decision, error) {
	if _, err := s.Get(ctx, actor, caseID); err != nil {
		return nil, err
	}
	recs, err := s.d.Store.Cases().ListDecisions(ctx, caseID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	out := make([]domain.Decision, 0, len(recs))
	for _, r := range recs {
		var reason []byte
		if len(r.Reason) > 0 { // empty once purged
			if reason, err = s.d.Crypt.Open(r.Reason, decisionAAD(r.ID)); err != nil {
				return nil, fmt.Errorf("decrypt decision %s: %w", r.ID, err)
			}
		}
		var message []byte
		if len(r.Message) > 0 {
			if message, err = s.d.Crypt.Open(r.Message, decisionMessageAAD(r.ID)); err != nil {
				return nil, fmt.Errorf("decrypt decision message %s: %w", r.ID, err)
			}
		}
		out = append(out, domain.Decision{ID: r.ID, CaseID: r.CaseID, Decision: domain.DecisionKind(r.Decision), Reason: string(reason), MessageToApplicant: string(message), Actor: r.Actor, Stage: r.Stage, CreatedAt: r.CreatedAt})
	}
	return out, nil
}

func decisionAAD(id string) []byte { return []byte("decision:" + id) }

// decisionMessageAAD binds a decision's message to the applicant to the
// decision, apart from its reason.
func decisionMessageAAD(id string) []byte { return []byte("decision-message:" + id) }

// DecideInput is a reviewer's decision on a case.
type DecideInput struct {
	Decision domain.DecisionKind
	// Reason is internal: staff, auditors and API clients read it, the
	// applicant never does (tipping-off: AMLD art. 39, AMLR art. 73).
	Reason string
	// MessageToApplicant is what a request for information asks of the
	// applicant, the only text of a decision the hosted pages show;
	// required with request_info, refused with any other decision.
	MessageToApplicant string
}

// maxMessageToApplicant bounds the message shown to an applicant.
const maxMessageToApplicant = 2000

// DecideResult tells what a decision did.
type DecideResult struct {
	Case     domain.Case
	Customer *domain.Customer
	// AwaitingSecondApproval is true when the decision needs a second,
	// different approver before it takes effect.
	AwaitingSecondApproval bool
}

func validateDecision(in DecideInput) error {
	var v domain.Validation
	if !in.Decision.Valid() {
		v.Add("decision", "Choose approve, reject, request_info, escalate or close_customer.")
	}
	r := strings.TrimSpace(in.Reason)
	switch {
	case r == "":
		v.Add("reason", "Give the reason for the decision.")
	case utf8.RuneCountInString(r) > 4000:
		v.Add("reason", "Keep the reason under 4000 characters.")
	}
	m := strings.TrimSpace(in.MessageToApplicant)
	switch {
	case in.Decision == domain.DecisionRequestInfo && m == "":
		v.Add("message_to_applicant", "Write the message the applicant will read: what to send or correct. The reason stays internal and is never shown to them.")
	case in.Decision != domain.DecisionRequestInfo && m != "":
		v.Add("message_to_applicant", "Only a request for information sends a message to the applicant; leave it empty for this decision.")
	case utf8.RuneCountInString(m) > maxMessageToApplicant:
		v.Add("message_to_applicant", fmt.Sprintf("Keep the message under %d characters.", maxMessageToApplicant))
	}
	return v.Err()
}

// Decide records a decision on a case (ARCHITECTURE.md, "A decision").
// Approving enhanced due diligence and rejecting a screening hit need a
// second approver who is a different person (four-eyes): the first decision
// leaves the case pending_second_approval and changes nothing else. Which
// decisions are open, and which need four eyes, is decided by the rules
// Options reports (decisionOptions), applied here to the locked rows.
func (s *Cases) Decide(ctx context.Context, actor domain.Actor, caseID string, in DecideInput) (DecideResult, error) {
	if err := Authorize(actor, PermCasesWrite); err != nil {
		return DecideResult{}, err
	}
	if err := validateDecision(in); err != nil {
		return DecideResult{}, err
	}
	in.Reason = strings.TrimSpace(in.Reason)
	in.MessageToApplicant = strings.TrimSpace(in.MessageToApplicant)
	var res DecideResult
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		cs, err := tx.Cases().GetForUpdate(ctx, caseID)
		if err != nil {
			return notFound(err, "Case")
		}
		if !canSeeTenant(actor, cs.Tenant) {
			return domain.Errorf(domain.ECodeNotFound, "Case not found.")
		}
		crec, err := tx.Customers().GetForUpdate(ctx, cs.CustomerID)
		if err != nil {
			return err
		}
		cust, err := customerFromRecord(s.d.Crypt, crec)
		if err != nil {
			return err
		}
		hits, err := customerHitFacts(ctx, tx, cust.ID)
		if err != nil {
			return err
		}
		ev, err := customerEvidence(ctx, tx, cust.ID)
		if err != nil {
			return err
		}
		opt := decisionOptions(actor, cs, cust, hits, ev).For(in.Decision)
		if !opt.Allowed {
			return opt.err
		}
		now := s.d.now()
		stage := "final"
		switch {
		case opt.SecondApproval:
			// The first of four eyes: the case waits, nothing else changes.
			cs.Status = domain.CasePendingSecondApproval
			cs.PendingDecision, cs.PendingBy, cs.PendingReason, cs.PendingAt = in.Decision, actor.String(), "", &now
			if err := s.saveCase(ctx, tx, &cs); err != nil {
				return err
			}
			res.Case, res.Customer, res.AwaitingSecondApproval = cs, cust, true
			return s.recordDecision(ctx, tx, actor, cs, in, "first")
		case cs.Status == domain.CasePendingSecondApproval && in.Decision != cs.PendingDecision:
			// The second reviewer disagrees: back to open for a new first decision.
			cs.Status = domain.CaseOpen
			cs.PendingDecision, cs.PendingBy, cs.PendingReason, cs.PendingAt = "", "", "", nil
			if err := s.saveCase(ctx, tx, &cs); err != nil {
				return err
			}
			res.Case, res.Customer = cs, cust
			return s.recordDecision(ctx, tx, actor, cs, in, "second_disagreed")
		case cs.Status == domain.CasePendingSecondApproval:
			stage = "second"
		}
		// The decision takes effect.
		from := cust.Status
		switch in.Decision {
		case domain.DecisionApprove:
			if keepsApproved(cs, cust) {
				// A review of an approved customer: it stays approved, and
				// the decision sets its next review date.
				if err := rescheduleReview(ctx, tx, s.d, s.audit, actor, cs, cust, now); err != nil {
					return err
				}
			} else if err := approveCustomer(s.d, cust, now); err != nil {
				return err
			}
			cs.Status, cs.Outcome, cs.ClosedAt = domain.CaseClosed, in.Decision, &now
		case domain.DecisionReject:
			if err := cust.Status.Transition(domain.StatusRejected); err != nil {
				return err
			}
			cust.Status, cust.DecidedAt = domain.StatusRejected, &now
			startRetention(s.d, cust, now)
			cs.Status, cs.Outcome, cs.ClosedAt = domain.CaseClosed, in.Decision, &now
		case domain.DecisionCloseCustomer:
			if err := markClosed(s.d, cust, in.Reason); err != nil {
				return err
			}
			cs.Status, cs.Outcome, cs.ClosedAt = domain.CaseClosed, in.Decision, &now
		case domain.DecisionRequestInfo:
			if err := cust.Status.Transition(domain.StatusInfoRequested); err != nil {
				return err
			}
			cust.Status = domain.StatusInfoRequested
		case domain.DecisionEscalate:
			cs.Assignee = ""
			cs.Reason = strings.TrimSpace("escalated; " + cs.Reason)
		}
		cs.PendingDecision, cs.PendingBy, cs.PendingReason, cs.PendingAt = "", "", "", nil
		if cust.Status != from {
			cust.UpdatedAt = now
			if err := writeCustomer(ctx, tx, s.d, cust); err != nil {
				return err
			}
			if err := s.audit.record(ctx, tx, auditEntry{
				Tenant: cust.Tenant, Actor: actor, Action: domain.EventCustomerStatusChanged, EntityID: cust.ID,
				Meta: map[string]string{"from": string(from), "to": string(cust.Status), "case_id": cs.ID},
			}); err != nil {
				return err
			}
		}
		if err := s.saveCase(ctx, tx, &cs); err != nil {
			return err
		}
		res.Case, res.Customer = cs, cust
		return s.recordDecision(ctx, tx, actor, cs, in, stage)
	})
	if err == nil && s.d.Metrics != nil {
		s.d.Metrics.Decision(string(in.Decision))
	}
	return res, err
}

func (s *Cases) saveCase(ctx context.Context, tx store.Tx, cs *domain.Case) error {
	cs.Version++
	cs.UpdatedAt = s.d.now()
	if err := tx.Cases().Update(ctx, *cs); err != nil {
		return conflict(err, "The case was changed by someone else; read it again and retry.")
	}
	return nil
}

func (s *Cases) recordDecision(ctx context.Context, tx store.Tx, actor domain.Actor, cs domain.Case, in DecideInput, stage string) error {
	t := s.d.now()
	id := domain.NewID("dec", t)
	reason, err := s.d.Crypt.Seal([]byte(in.Reason), decisionAAD(id))
	if err != nil {
		return err
	}
	var message []byte
	if in.MessageToApplicant != "" {
		if message, err = s.d.Crypt.Seal([]byte(in.MessageToApplicant), decisionMessageAAD(id)); err != nil {
			return err
		}
	}
	if err := tx.Cases().AddDecision(ctx, store.DecisionRecord{
		ID: id, CaseID: cs.ID, Decision: string(in.Decision), Reason: reason, Message: message, Actor: actor.String(), Stage: stage, CreatedAt: t,
	}); err != nil {
		return err
	}
	return s.audit.record(ctx, tx, auditEntry{
		Tenant: cs.Tenant, Actor: actor, Action: domain.EventCaseDecided, EntityID: cs.ID, Change: in,
		Meta: map[string]string{"decision": string(in.Decision), "stage": stage, "case_status": string(cs.Status), "decision_id": id, "customer_id": cs.CustomerID},
	})
}

// DispositionInput is a reviewer's verdict on a screening hit.
type DispositionInput struct {
	Disposition domain.Disposition
	Reason      string
}

// DispositionHit records whether a hit is a true match or a false positive.
// A confirmed match re-assesses the customer's risk in the same transaction
// (a sanctions match is a knock-out to prohibited).
func (s *Cases) DispositionHit(ctx context.Context, actor domain.Actor, hitID string, in DispositionInput) (domain.ScreeningHit, error) {
	if err := Authorize(actor, PermCasesWrite); err != nil {
		return domain.ScreeningHit{}, err
	}
	var v domain.Validation
	if in.Disposition != domain.DispositionTrueMatch && in.Disposition != domain.DispositionFalsePositive {
		v.Add("disposition", "Choose true_match or false_positive.")
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if in.Reason == "" {
		v.Add("reason", "Give the reason for the disposition.")
	} else if utf8.RuneCountInString(in.Reason) > 4000 {
		v.Add("reason", "Keep the reason under 4000 characters.")
	}
	if err := v.Err(); err != nil {
		return domain.ScreeningHit{}, err
	}
	var out domain.ScreeningHit
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		h, err := tx.Hits().Get(ctx, hitID)
		if err != nil {
			return notFound(err, "Screening hit")
		}
		crec, err := tx.Customers().GetForUpdate(ctx, h.CustomerID)
		if err != nil {
			return err
		}
		if !canSeeTenant(actor, crec.Tenant) {
			return domain.Errorf(domain.ECodeNotFound, "Screening hit not found.")
		}
		if h.CaseID != "" {
			cs, err := tx.Cases().Get(ctx, h.CaseID)
			if err != nil {
				return err
			}
			if cs.Status == domain.CaseClosed {
				return domain.Errorf(domain.ECodeConflict, "The case of this hit is closed.")
			}
		}
		now := s.d.now()
		prev := h.Disposition
		h.Disposition = string(in.Disposition)
		if h.DispositionReason, err = s.d.Crypt.Seal([]byte(in.Reason), hitAAD(h.ID, "reason")); err != nil {
			return err
		}
		h.DisposedBy, h.DisposedAt = actor.String(), &now
		if err := tx.Hits().Update(ctx, h); err != nil {
			return err
		}
		if err := s.audit.record(ctx, tx, auditEntry{
			Tenant: crec.Tenant, Actor: actor, Action: domain.EventHitDispositioned, EntityID: h.ID, Change: in,
			Meta: map[string]string{"from": orDash(prev), "to": h.Disposition, "list": h.List, "source_id": h.SourceID, "customer_id": h.CustomerID},
		}); err != nil {
			return err
		}
		if in.Disposition == domain.DispositionTrueMatch || prev == string(domain.DispositionTrueMatch) {
			if err := s.reassess(ctx, tx, h.CustomerID, actor); err != nil {
				return err
			}
		}
		out, err = hitFromRecord(s.d.Crypt, h)
		return err
	})
	return out, err
}

// reassess runs the risk model again with the confirmed matches.
func (s *Cases) reassess(ctx context.Context, tx store.Tx, customerID string, actor domain.Actor) error {
	crec, err := tx.Customers().GetForUpdate(ctx, customerID)
	if err != nil {
		return err
	}
	cust, err := customerFromRecord(s.d.Crypt, crec)
	if err != nil {
		return err
	}
	m, err := confirmedMatchesOf(ctx, tx, s.d.Crypt, cust)
	if err != nil {
		return err
	}
	doubt, err := identityDoubt(ctx, tx, customerID)
	if err != nil {
		return err
	}
	a := s.d.Risk.Assess(m.input(cust, doubt, s.d.now()))
	_, err = saveAssessment(ctx, tx, s.d, s.audit, &crec, "", a, actor, true)
	return err
}

// identityDoubt says why the identity of the customer is in doubt after
// its latest round of checks ("identity check needs_review"), or "" when
// the identity check passed or has not finished.
func identityDoubt(ctx context.Context, r store.Repos, customerID string) (string, error) {
	recs, err := r.Checks().ListByCustomer(ctx, customerID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	for _, c := range latestRound(recs) {
		if st := domain.CheckStatus(c.Status); c.Type == string(domain.CheckIdentity) && st.Done() && st != domain.CheckPassed {
			return "identity check " + string(st), nil
		}
	}
	return "", nil
}

// Hit returns one screening hit.
func (s *Cases) Hit(ctx context.Context, actor domain.Actor, id string) (domain.ScreeningHit, error) {
	if err := Authorize(actor, PermCasesRead); err != nil {
		return domain.ScreeningHit{}, err
	}
	r, err := s.d.Store.Hits().Get(ctx, id)
	if err != nil {
		return domain.ScreeningHit{}, notFound(err, "Screening hit")
	}
	crec, err := s.d.Store.Customers().Get(ctx, r.CustomerID)
	if err != nil {
		return domain.ScreeningHit{}, err
	}
	if !canSeeTenant(actor, crec.Tenant) {
		return domain.ScreeningHit{}, domain.Errorf(domain.ECodeNotFound, "Screening hit not found.")
	}
	return hitFromRecord(s.d.Crypt, r)
}
