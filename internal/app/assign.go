package app

import (
	"context"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

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
		return s.audit.record(ctx, tx, auditEntry{Tenant: cs.Tenant, Actor: actor, Action: "case.assigned", EntityType: "case", EntityID: cs.ID,
			Meta: map[string]string{"from": orDash(from), "to": orDash(assignee)}})
	})
	return out, err
}
