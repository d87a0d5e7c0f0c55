package app

import (
	"context"
	"errors"
	"strings"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// DecisionBlock names the rule that keeps an actor from recording a
// decision on a case now; "" when nothing does.
type DecisionBlock string

// Decision blocks, in the order the rules are applied.
const (
	// BlockClosed: the case is closed.
	BlockClosed DecisionBlock = "closed"
	// BlockAwaitingSecond: the case awaits a second approval, which only
	// approves or rejects.
	BlockAwaitingSecond DecisionBlock = "awaiting_second_approval"
	// BlockSameApprover: four-eyes; the actor gave the first approval, so
	// the second must come from a different person.
	BlockSameApprover DecisionBlock = "same_approver"
	// BlockNeedsMLRO: the second approval of enhanced due diligence must
	// come from a staff user with the mlro role.
	BlockNeedsMLRO DecisionBlock = "needs_mlro"
	// BlockProhibited: a customer rated prohibited is never approved.
	BlockProhibited DecisionBlock = "prohibited"
	// BlockCustomerStatus: the customer's status does not allow the
	// decision (e.g. approving a customer that is not in review).
	BlockCustomerStatus DecisionBlock = "customer_status"
	// BlockOpenHit: a screening hit of the customer is not dispositioned
	// yet, so it cannot be approved.
	BlockOpenHit DecisionBlock = "open_hit"
	// BlockSanctionsMatch: a hit was confirmed as a sanctions match, which
	// is never approved.
	BlockSanctionsMatch DecisionBlock = "sanctions_match"
	// BlockRole: the actor may read the case but not decide it (no
	// cases:write). It is named only when no rule of the case blocks first,
	// so that a reader of the case still sees why it is held.
	BlockRole DecisionBlock = "role"
	// BlockEDDEvidence: enhanced due diligence is approved only with
	// evidence of the source of funds and of the source of wealth
	// (documents of those kinds; FATF R.12, EU AMLR art. 34).
	BlockEDDEvidence DecisionBlock = "edd_evidence"
	// BlockAlertCase: a transaction_alert case is closed through its
	// alerts' dispositions (Alerts.CloseCase), not by deciding on the
	// customer; it may only be escalated, or the customer closed.
	BlockAlertCase DecisionBlock = "alert_case"
)

// DecisionOption says whether one decision is open to an actor on a case.
type DecisionOption struct {
	Decision domain.DecisionKind
	// Offered is true when the case's state admits the decision at all:
	// every decision while the case is open, approve and reject while it
	// awaits a second approval, none once it is closed. A form offers
	// these, even when something must be done first (Allowed false).
	Offered bool
	// Allowed is true when the actor may record the decision now.
	Allowed bool
	// SecondApproval is true when recording the decision in the case's
	// current state does not take effect but leaves the case
	// pending_second_approval for a different approver (four-eyes). It is
	// said even while the decision is not allowed yet.
	SecondApproval bool
	// Block names the rule in the way when Allowed is false ("" for a
	// decision kind that does not exist).
	Block DecisionBlock
	// Reason explains Block in a sentence (the message of the error Decide
	// returns for it); "" when allowed.
	Reason string
	// Missing names the kinds of evidence document still missing when
	// Block is edd_evidence (source_of_funds, source_of_wealth).
	Missing []string

	err error
}

// DecisionOptions says which decisions are open to an actor on a case.
type DecisionOptions struct {
	// Choices holds one option per decision kind, in the order a form
	// shows them: approve, reject, request_info, escalate, close_customer.
	Choices []DecisionOption
}

// For returns the option of decision d; an unknown d is neither offered
// nor allowed.
func (o DecisionOptions) For(d domain.DecisionKind) DecisionOption {
	for _, c := range o.Choices {
		if c.Decision == d {
			return c
		}
	}
	err := domain.Errorf(domain.ECodeInvalid, "Unknown decision %q.", d)
	return DecisionOption{Decision: d, Reason: domain.ErrMessage(err), err: err}
}

// Offered lists the decisions the case's state admits, in form order.
func (o DecisionOptions) Offered() []domain.DecisionKind {
	var out []domain.DecisionKind
	for _, c := range o.Choices {
		if c.Offered {
			out = append(out, c.Decision)
		}
	}
	return out
}

// decisionOrder is the order of DecisionOptions.Choices.
var decisionOrder = []domain.DecisionKind{domain.DecisionApprove, domain.DecisionReject, domain.DecisionRequestInfo, domain.DecisionEscalate, domain.DecisionCloseCustomer}

// Options says which decisions are open to the actor on a case, which of
// them would need a second approver, and why the others are not (the
// rules Decide applies; the back office shows its buttons and hints from
// it). Reading it needs cases:read only.
func (s *Cases) Options(ctx context.Context, actor domain.Actor, caseID string) (DecisionOptions, error) {
	cs, err := s.Get(ctx, actor, caseID)
	if err != nil {
		return DecisionOptions{}, err
	}
	crec, err := s.d.Store.Customers().Get(ctx, cs.CustomerID)
	if err != nil {
		return DecisionOptions{}, notFound(err, "Customer")
	}
	cust, err := customerFromRecord(s.d.Crypt, crec)
	if err != nil {
		return DecisionOptions{}, err
	}
	hits, err := customerHitFacts(ctx, s.d.Store, cust.ID)
	if err != nil {
		return DecisionOptions{}, err
	}
	ev, err := customerEvidence(ctx, s.d.Store, cust.ID)
	if err != nil {
		return DecisionOptions{}, err
	}
	return decisionOptions(actor, cs, cust, hits, ev), nil
}

// eddEvidence says which evidence enhanced due diligence asks for the
// customer has: a document of kind source_of_funds, of kind
// source_of_wealth (of the customer or of one of its related persons).
type eddEvidence struct {
	SourceOfFunds, SourceOfWealth bool
}

// missing names the kinds of document still missing.
func (e eddEvidence) missing() []string {
	var out []string
	if !e.SourceOfFunds {
		out = append(out, "source_of_funds")
	}
	if !e.SourceOfWealth {
		out = append(out, "source_of_wealth")
	}
	return out
}

// customerEvidence reads which evidence documents the customer has.
func customerEvidence(ctx context.Context, r store.Repos, customerID string) (eddEvidence, error) {
	docs, err := r.Documents().ListByCustomer(ctx, customerID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return eddEvidence{}, err
	}
	var e eddEvidence
	for _, d := range docs {
		e.SourceOfFunds = e.SourceOfFunds || d.Kind == "source_of_funds"
		e.SourceOfWealth = e.SourceOfWealth || d.Kind == "source_of_wealth"
	}
	return e, nil
}

// hitFact is what the decision rules need to know of a screening hit.
type hitFact struct {
	ID          string
	CaseID      string
	Disposition domain.Disposition
	// PEPOnly is true for a politically exposed person's entry with no
	// sanctions topic: confirming it raises the risk but does not forbid
	// approval.
	PEPOnly bool
}

// customerHitFacts reads the hits of a customer, in the store's order.
func customerHitFacts(ctx context.Context, r store.Repos, customerID string) ([]hitFact, error) {
	recs, err := r.Hits().ListByCustomer(ctx, customerID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	out := make([]hitFact, len(recs))
	for i, h := range recs {
		out[i] = hitFact{ID: h.ID, CaseID: h.CaseID, Disposition: domain.Disposition(h.Disposition), PEPOnly: isPEPHit(h)}
	}
	return out, nil
}

// decisionOptions applies the decision rules (README, "The KYC process";
// ARCHITECTURE.md, "A decision") to a case, its customer and the customer's hits, for one actor. It is
// pure: Decide calls it inside its transaction, on the rows it locked, and
// Cases.Options on a plain read.
func decisionOptions(actor domain.Actor, cs domain.Case, cust *domain.Customer, hits []hitFact, ev eddEvidence) DecisionOptions {
	o := DecisionOptions{Choices: make([]DecisionOption, len(decisionOrder))}
	for i, d := range decisionOrder {
		o.Choices[i] = decisionOption(actor, cs, cust, hits, ev, d)
	}
	return o
}

// decisionOption applies the rules to one decision, in the order Decide
// reports them: the case's state, four-eyes, what the customer allows,
// then the actor's permission.
func decisionOption(actor domain.Actor, cs domain.Case, cust *domain.Customer, hits []hitFact, ev eddEvidence, d domain.DecisionKind) DecisionOption {
	opt := DecisionOption{Decision: d}
	block := func(b DecisionBlock, err error) DecisionOption {
		opt.Allowed, opt.Block, opt.Reason, opt.err = false, b, domain.ErrMessage(err), err
		if b == BlockEDDEvidence {
			opt.Missing = ev.missing()
		}
		return opt
	}
	if cs.Kind == domain.CaseTransactionAlert && cs.Status != domain.CaseClosed && d != domain.DecisionEscalate && d != domain.DecisionCloseCustomer {
		return block(BlockAlertCase, domain.Errorf(domain.ECodeConflict, "A transaction-alert case is closed through its alerts' dispositions (close as suspicious or not suspicious), not by a decision on the customer."))
	}
	switch cs.Status {
	case domain.CaseClosed:
		return block(BlockClosed, domain.Errorf(domain.ECodeConflict, "The case is closed."))
	case domain.CasePendingSecondApproval:
		if d != domain.DecisionApprove && d != domain.DecisionReject {
			return block(BlockAwaitingSecond, domain.Errorf(domain.ECodeConflict, "The case awaits a second approval: approve or reject only."))
		}
		opt.Offered = true
		if cs.PendingBy == actor.String() {
			return block(BlockSameApprover, domain.Errorf(domain.ECodeForbidden, "Four-eyes: the second approval must come from a different person than the first (%s).", cs.PendingBy))
		}
		// The approval that completes four-eyes on enhanced due diligence
		// comes from a staff user with the mlro role (FATF R.12: senior
		// management approval; EU AMLR art. 34(1)(b)): an API client may
		// give the first approval, never this one.
		if cust.DueDiligence == domain.DDEnhanced && (actor.Type != domain.ActorUser || actor.Role != RoleMLRO) {
			if actor.Type != domain.ActorUser {
				return block(BlockNeedsMLRO, domain.Errorf(domain.ECodeForbidden, "The approval that completes four-eyes on enhanced due diligence must come from a staff user with the mlro role, in the back office; an API client may give the first approval only (FATF R.12: senior management approval)."))
			}
			return block(BlockNeedsMLRO, domain.Errorf(domain.ECodeForbidden, "Only an MLRO may give the second approval of enhanced due diligence."))
		}
		// The same decision completes four-eyes and takes effect; the
		// other one sends the case back to open for a new first decision.
		if d == cs.PendingDecision {
			if b, err := takesEffect(cs, cust, hits, ev, d); err != nil {
				return block(b, err)
			}
		}
	default:
		opt.Offered = true
		if d == domain.DecisionCloseCustomer && cust.Status != domain.StatusApproved {
			// Closing is offered only on a case about an approved customer
			// (a review, a list update, a change of circumstances). Not
			// offered, it is refused for the reader's role first, as Decide
			// does.
			opt.Offered = false
			if err := Authorize(actor, PermCasesWrite); err != nil {
				return block(BlockRole, err)
			}
			return block(BlockCustomerStatus, domain.Errorf(domain.ECodeConflict, "Only an approved customer can be closed; this one is %q.", cust.Status))
		}
		if d == domain.DecisionReject && cust.Status == domain.StatusApproved {
			// An approved customer is not rejected: the relationship is
			// closed (close_customer), which starts retention. Not offered,
			// like closing a customer who is not approved.
			opt.Offered = false
			if err := Authorize(actor, PermCasesWrite); err != nil {
				return block(BlockRole, err)
			}
			return block(BlockCustomerStatus, domain.Errorf(domain.ECodeConflict, "An approved customer is not rejected; close the relationship (close_customer) instead."))
		}
		switch d {
		case domain.DecisionApprove:
			// Approving enhanced due diligence or a high-risk customer needs
			// four eyes.
			opt.SecondApproval = cust.DueDiligence == domain.DDEnhanced || cust.RiskRating == domain.RiskHigh
			if b, err := approvable(cs, cust, hits, ev); err != nil {
				return block(b, err)
			}
		case domain.DecisionReject:
			// Rejecting a customer on a screening hit needs four eyes.
			opt.SecondApproval = cs.Kind == domain.CaseScreeningHit || cs.Kind == domain.CaseListUpdate
			for _, h := range hits {
				opt.SecondApproval = opt.SecondApproval || h.CaseID == cs.ID
			}
		}
		if !opt.SecondApproval {
			if b, err := takesEffect(cs, cust, hits, ev, d); err != nil {
				return block(b, err)
			}
		}
	}
	if err := Authorize(actor, PermCasesWrite); err != nil {
		return block(BlockRole, err)
	}
	opt.Allowed = true
	return opt
}

// takesEffect checks that the customer can take decision d now.
func takesEffect(cs domain.Case, cust *domain.Customer, hits []hitFact, ev eddEvidence, d domain.DecisionKind) (DecisionBlock, error) {
	switch d {
	case domain.DecisionApprove:
		if b, err := approvable(cs, cust, hits, ev); err != nil {
			return b, err
		}
		if keepsApproved(cs, cust) {
			return "", nil
		}
		return statusAllows(cust, domain.StatusApproved)
	case domain.DecisionReject:
		return statusAllows(cust, domain.StatusRejected)
	case domain.DecisionRequestInfo:
		if cust.Status == domain.StatusApproved && !cs.Kind.Ongoing() {
			return BlockCustomerStatus, domain.Errorf(domain.ECodeConflict, "Information is asked of an approved customer only in a review (periodic, list update, change of circumstances, document expiry).")
		}
		return statusAllows(cust, domain.StatusInfoRequested)
	case domain.DecisionCloseCustomer:
		return statusAllows(cust, domain.StatusClosed)
	}
	return "", nil
}

func statusAllows(cust *domain.Customer, to domain.CustomerStatus) (DecisionBlock, error) {
	if err := cust.Status.Transition(to); err != nil {
		return BlockCustomerStatus, err
	}
	return "", nil
}

// keepsApproved reports whether approving the case leaves an approved
// customer approved: a case of ongoing due diligence (a periodic review, a
// list update, a change of circumstances, an expiring document) about a
// customer who is still approved. Approving it confirms the relationship
// and sets the next review date (PRODUCT.md section 7).
func keepsApproved(cs domain.Case, cust *domain.Customer) bool {
	return cs.Kind.Ongoing() && cust.Status == domain.StatusApproved
}

// approvable refuses approval when the rating is prohibited, the customer
// is not awaiting a decision (nor approved, in a case of ongoing due
// diligence), or a hit is open or confirmed as a sanctions match: a
// confirmed sanctions match is never approved.
func approvable(cs domain.Case, cust *domain.Customer, hits []hitFact, ev eddEvidence) (DecisionBlock, error) {
	if cust.RiskRating == domain.RiskProhibited {
		return BlockProhibited, domain.Errorf(domain.ECodeConflict, "A customer rated prohibited can never be approved.")
	}
	if cust.Status != domain.StatusInReview && cust.Status != domain.StatusSubmitted && !keepsApproved(cs, cust) {
		return BlockCustomerStatus, domain.Errorf(domain.ECodeConflict, "A customer in status %q cannot be approved.", cust.Status)
	}
	for _, h := range hits {
		switch h.Disposition {
		case domain.DispositionOpen:
			return BlockOpenHit, domain.Errorf(domain.ECodeConflict, "Disposition every screening hit before approving (hit %s is open).", h.ID)
		case domain.DispositionTrueMatch:
			if !h.PEPOnly {
				return BlockSanctionsMatch, domain.Errorf(domain.ECodeConflict, "A confirmed sanctions match can never be approved (hit %s).", h.ID)
			}
		}
	}
	// Enhanced due diligence establishes the source of funds and of wealth
	// with evidence before approval (FATF R.12; EU AMLR art. 34(1)(a)).
	if missing := ev.missing(); cust.DueDiligence == domain.DDEnhanced && len(missing) > 0 {
		return BlockEDDEvidence, domain.Errorf(domain.ECodeConflict, "Enhanced due diligence needs evidence of the source of funds and of the source of wealth before approval: upload documents of kind %s (or request them from the applicant).", strings.Join(missing, " and "))
	}
	return "", nil
}
