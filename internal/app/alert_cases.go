package app

import (
	"context"
	"errors"
	"strings"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// Outcomes of a transaction_alert case: the case's Outcome once closed.
const (
	// OutcomeSuspicious: the activity is suspicious (a report to the FIU
	// follows). Needs four eyes, the second an MLRO.
	OutcomeSuspicious domain.DecisionKind = "close_suspicious"
	// OutcomeNotSuspicious: every alert was a false positive.
	OutcomeNotSuspicious domain.DecisionKind = "close_not_suspicious"
)

// AlertDispositionInput is a reviewer's verdict on one alert.
type AlertDispositionInput struct {
	Status domain.AlertStatus // false_positive or suspicious
	Reason string
}

// Disposition records a reviewer's verdict on an alert, with a reason,
// while its case is open. It may be changed until the case closes.
func (s *Alerts) Disposition(ctx context.Context, actor domain.Actor, alertID string, in AlertDispositionInput) (domain.Alert, error) {
	if err := Authorize(actor, PermCasesWrite); err != nil {
		return domain.Alert{}, err
	}
	var v domain.Validation
	if in.Status != domain.AlertFalsePositive && in.Status != domain.AlertSuspicious {
		v.Add("status", "Use false_positive or suspicious.")
	}
	in.Reason = strings.TrimSpace(in.Reason)
	switch {
	case in.Reason == "":
		v.Add("reason", "Give the reason for the disposition.")
	case len(in.Reason) > 4000:
		v.Add("reason", "Use at most 4,000 characters.")
	}
	if err := v.Err(); err != nil {
		return domain.Alert{}, err
	}
	var out domain.Alert
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		rec, err := tx.Alerts().Get(ctx, alertID)
		if err != nil {
			return notFound(err, "Alert")
		}
		if !canSeeTenant(actor, rec.Tenant) {
			return domain.Errorf(domain.ECodeNotFound, "Alert not found.")
		}
		if rec.CaseID != "" {
			cs, err := tx.Cases().GetForUpdate(ctx, rec.CaseID)
			if err != nil {
				return err
			}
			if cs.Status == domain.CaseClosed {
				return domain.Errorf(domain.ECodeConflict, "The alert's case is closed.")
			}
		}
		a, err := s.fromRecord(rec)
		if err != nil {
			return err
		}
		now := s.d.now()
		a.Status, a.DispositionReason, a.DispositionBy, a.DispositionAt = in.Status, in.Reason, actor.String(), &now
		upd, err := s.toRecord(a)
		if err != nil {
			return err
		}
		if err := tx.Alerts().Disposition(ctx, upd); err != nil {
			return err
		}
		out = a
		return s.audit.record(ctx, tx, auditEntry{
			Tenant: a.Tenant, Actor: actor, Action: domain.EventAlertDispositioned, EntityID: a.ID, Change: in,
			Meta: map[string]string{"status": string(a.Status), "case_id": a.CaseID, "rule": a.Rule},
		})
	})
	return out, err
}

// CloseAlertCaseInput closes a transaction_alert case.
type CloseAlertCaseInput struct {
	Outcome domain.DecisionKind // OutcomeSuspicious or OutcomeNotSuspicious
	Reason  string
}

// CloseAlertCaseResult is the case after a close.
type CloseAlertCaseResult struct {
	Case domain.Case
	// AwaitingSecondApproval is true when the close waits for a second
	// reviewer (closing as suspicious).
	AwaitingSecondApproval bool
}

// CloseCase closes a transaction_alert case once every alert of it has a
// disposition. Closing as not suspicious (no alert marked suspicious) takes
// effect at once. Closing as suspicious needs four eyes: the first close
// leaves the case pending_second_approval, and the same close by a
// different staff user with the mlro role completes it (the MLRO is the
// one who answers for suspicious-activity reporting: EU AMLR 2024/1624
// art. 11; FATF Recommendation 18 on compliance management).
func (s *Alerts) CloseCase(ctx context.Context, actor domain.Actor, caseID string, in CloseAlertCaseInput) (CloseAlertCaseResult, error) {
	if err := Authorize(actor, PermCasesWrite); err != nil {
		return CloseAlertCaseResult{}, err
	}
	var v domain.Validation
	if in.Outcome != OutcomeSuspicious && in.Outcome != OutcomeNotSuspicious {
		v.Add("outcome", "Use close_suspicious or close_not_suspicious.")
	}
	in.Reason = strings.TrimSpace(in.Reason)
	switch {
	case in.Reason == "":
		v.Add("reason", "Give the reason for closing the case.")
	case len(in.Reason) > 4000:
		v.Add("reason", "Use at most 4,000 characters.")
	}
	if err := v.Err(); err != nil {
		return CloseAlertCaseResult{}, err
	}
	cases := &Cases{d: s.d, audit: s.audit}
	var res CloseAlertCaseResult
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		cs, err := tx.Cases().GetForUpdate(ctx, caseID)
		if err != nil {
			return notFound(err, "Case")
		}
		if !canSeeTenant(actor, cs.Tenant) {
			return domain.Errorf(domain.ECodeNotFound, "Case not found.")
		}
		if cs.Kind != domain.CaseTransactionAlert {
			return domain.Errorf(domain.ECodeConflict, "Only a transaction_alert case is closed this way; decide the others.")
		}
		if cs.Status == domain.CaseClosed {
			return domain.Errorf(domain.ECodeConflict, "The case is closed.")
		}
		alerts, err := tx.Alerts().List(ctx, store.AlertFilter{CaseID: cs.ID})
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		suspicious := false
		for _, a := range alerts {
			switch domain.AlertStatus(a.Status) {
			case domain.AlertOpen:
				return domain.Errorf(domain.ECodeConflict, "Disposition every alert of the case before closing it (alert %s is open).", a.ID)
			case domain.AlertSuspicious:
				suspicious = true
			}
		}
		if suspicious != (in.Outcome == OutcomeSuspicious) {
			if suspicious {
				return domain.Errorf(domain.ECodeConflict, "An alert of the case is marked suspicious: close it as suspicious.")
			}
			return domain.Errorf(domain.ECodeConflict, "No alert of the case is marked suspicious: close it as not suspicious.")
		}
		now := s.d.now()
		stage := "final"
		if in.Outcome == OutcomeSuspicious {
			switch {
			case cs.Status != domain.CasePendingSecondApproval || cs.PendingDecision != OutcomeSuspicious:
				cs.Status = domain.CasePendingSecondApproval
				cs.PendingDecision, cs.PendingBy, cs.PendingAt = in.Outcome, actor.String(), &now
				if err := cases.saveCase(ctx, tx, &cs); err != nil {
					return err
				}
				res = CloseAlertCaseResult{Case: cs, AwaitingSecondApproval: true}
				return cases.recordDecision(ctx, tx, actor, cs, DecideInput{Decision: in.Outcome, Reason: in.Reason}, "first")
			case cs.PendingBy == actor.String():
				return domain.Errorf(domain.ECodeForbidden, "Four-eyes: the second approval must come from a different person than the first (%s).", cs.PendingBy)
			case actor.Type != domain.ActorUser || actor.Role != RoleMLRO:
				return domain.Errorf(domain.ECodeForbidden, "Only an MLRO may give the second approval of closing a case as suspicious.")
			}
			stage = "second"
		}
		cs.Status, cs.Outcome, cs.ClosedAt = domain.CaseClosed, in.Outcome, &now
		cs.PendingDecision, cs.PendingBy, cs.PendingReason, cs.PendingAt = "", "", "", nil
		if err := cases.saveCase(ctx, tx, &cs); err != nil {
			return err
		}
		res = CloseAlertCaseResult{Case: cs}
		return cases.recordDecision(ctx, tx, actor, cs, DecideInput{Decision: in.Outcome, Reason: in.Reason}, stage)
	})
	return res, err
}
