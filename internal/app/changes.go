package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// Changes of circumstances (PRODUCT.md sections 3 and 7): a PATCH on an
// approved customer. The new data is validated in full and stored, the
// values it replaced are kept in the customer's change history, and a new
// round of checks runs; when it is done, ongoingRoundDone compares it with
// the approval: an outcome that still allows approval keeps the customer
// approved, anything worse opens a change_review case.

// changeable lists the fields a change of circumstances may change, per
// customer type: names, nationalities, address, identity document,
// occupation, related persons and expected volume (PRODUCT.md section 3),
// and the contact details, declarations and funds that go with them. The
// anchors of identity (birth date and place, a company's registration) are
// not changed after approval: a different one is a different customer.
var changeable = map[domain.CustomerType][]string{
	domain.CustomerIndividual: {
		"given_names", "family_name", "nationality", "other_nationalities", "address", "document", "occupation",
		"expected_monthly_volume", "email", "phone", "pep_declared", "source_of_funds", "source_of_wealth", "tax_id",
	},
	domain.CustomerBusiness: {
		"legal_name", "address", "related_persons", "expected_monthly_volume", "website", "email", "phone",
		"industry", "legal_form", "ownership_layers", "nominee_or_bearer_shares", "source_of_funds",
	},
}

// Change outcomes.
const (
	// ChangePending: the change's checks are still running.
	ChangePending = ""
	// ChangeKept: the re-run checks still allow approval; the customer
	// stays approved.
	ChangeKept = "kept"
	// ChangeCase: the re-run checks came out worse; a change_review case
	// opened.
	ChangeCase = "case"
)

// Change is one change of circumstances of an approved customer, with the
// values it replaced.
type Change struct {
	ID         string
	CustomerID string
	Actor      string
	// Fields names the changed fields.
	Fields []string
	// Previous holds each changed field's former value, as JSON (null when
	// it had none).
	Previous       map[string]json.RawMessage
	PreviousRating domain.RiskRating
	Round          int
	// Outcome is ChangePending, ChangeKept or ChangeCase (then CaseID).
	Outcome   string
	CaseID    string
	CreatedAt time.Time
	DecidedAt *time.Time
}

func changeAAD(id string) []byte { return []byte("customer-change:" + id) }

// changeCircumstances applies mutate to a locked, approved customer as a
// change of circumstances. A change that changes nothing is a no-op.
func (s *Customers) changeCircumstances(ctx context.Context, tx store.Tx, actor domain.Actor, c *domain.Customer, mutate func(domain.CustomerData) (domain.CustomerData, error)) error {
	before, _ := json.Marshal(c.Data)
	data, err := mutate(cloneData(c.Data))
	if err != nil {
		return err
	}
	if err := checkShape(c.Type, data); err != nil {
		return err
	}
	assignPartyIDs(&c.Data, &data)
	changed := changedFields(before, data)
	if len(changed) == 0 {
		return nil
	}
	var v domain.Validation
	for _, f := range changed {
		if !slices.Contains(changeable[c.Type], f) {
			v.Add(f, "This cannot be changed once the customer is approved; only "+strings.Join(changeable[c.Type], ", ")+" can.")
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	now := s.d.now()
	if err := domain.ValidateCustomer(c.Type, data, now, s.d.validationOptions()); err != nil {
		return err
	}
	previous := map[string]json.RawMessage{}
	old := topLevelFields(before)
	for _, f := range changed {
		if raw, ok := old[f]; ok {
			previous[f] = raw
		} else {
			previous[f] = json.RawMessage("null")
		}
	}
	plain, err := json.Marshal(previous)
	if err != nil {
		return err
	}
	id := domain.NewID("chg", now)
	sealed, err := s.d.Crypt.Seal(plain, changeAAD(id))
	if err != nil {
		return err
	}
	c.Data = data
	c.UpdatedAt = now
	if err := writeCustomer(ctx, tx, s.d, c); err != nil {
		return err
	}
	round, err := startCheckRound(ctx, tx, s.d, c.ID, now)
	if err != nil {
		return err
	}
	if err := tx.Reviews().AddChange(ctx, store.ChangeRecord{
		ID: id, CustomerID: c.ID, Actor: actor.String(), Fields: strings.Join(changed, ","), Previous: sealed,
		PreviousRating: string(c.RiskRating), Round: int64(round), CreatedAt: now,
	}); err != nil {
		return err
	}
	return s.audit.record(ctx, tx, auditEntry{
		Tenant: c.Tenant, Actor: actor, Action: domain.EventCustomerUpdated, EntityID: c.ID, Change: c.Data,
		Meta: map[string]string{"fields": strings.Join(changed, ","), "change_id": id, "round": fmt.Sprint(round), "status": string(c.Status)},
	})
}

// topLevelFields returns the person's or company's fields of customer
// data as JSON, by name.
func topLevelFields(data []byte) map[string]json.RawMessage {
	var d struct {
		Individual map[string]json.RawMessage `json:"individual"`
		Business   map[string]json.RawMessage `json:"business"`
	}
	_ = json.Unmarshal(data, &d)
	if d.Individual != nil {
		return d.Individual
	}
	return d.Business
}

// Changes returns the changes of circumstances of a customer, oldest
// first, with the values they replaced (personal data: reading it needs
// customers:read on the customer, as reading the customer does).
func (s *Customers) Changes(ctx context.Context, actor domain.Actor, customerID string) ([]Change, error) {
	if _, err := s.load(ctx, s.d.Store, actor, customerID, false); err != nil {
		return nil, err
	}
	recs, err := s.d.Store.Reviews().Changes(ctx, customerID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	return changesFromRecords(s.d.Crypt, recs)
}

// RevealChanges returns the change history like Changes, for a staff
// page that shows the previous values in full only when asked: the access
// is audited (customer.revealed, section "changes"), as revealing any
// other masked section is.
func (s *Customers) RevealChanges(ctx context.Context, actor domain.Actor, customerID string) ([]Change, error) {
	if err := Authorize(actor, PermCustomersRead); err != nil {
		return nil, err
	}
	var out []Change
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		c, err := s.load(ctx, tx, actor, customerID, false)
		if err != nil {
			return err
		}
		recs, err := tx.Reviews().Changes(ctx, customerID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if out, err = changesFromRecords(s.d.Crypt, recs); err != nil {
			return err
		}
		return s.audit.record(ctx, tx, auditEntry{Tenant: c.Tenant, Actor: actor, Action: domain.EventCustomerRevealed, EntityID: c.ID,
			Meta: map[string]string{"section": "changes"}})
	})
	return out, err
}

// changesFromRecords opens the stored changes of circumstances.
func changesFromRecords(cr Crypter, recs []store.ChangeRecord) ([]Change, error) {
	out := make([]Change, 0, len(recs))
	for _, r := range recs {
		plain, err := cr.Open(r.Previous, changeAAD(r.ID))
		if err != nil {
			return nil, fmt.Errorf("decrypt change %s: %w", r.ID, err)
		}
		ch := Change{
			ID: r.ID, CustomerID: r.CustomerID, Actor: r.Actor, PreviousRating: domain.RiskRating(r.PreviousRating),
			Round: int(r.Round), Outcome: r.Outcome, CaseID: r.CaseID, CreatedAt: r.CreatedAt, DecidedAt: r.DecidedAt,
		}
		if r.Fields != "" {
			ch.Fields = strings.Split(r.Fields, ",")
		}
		if err := json.Unmarshal(plain, &ch.Previous); err != nil {
			return nil, fmt.Errorf("change %s: %w", r.ID, err)
		}
		out = append(out, ch)
	}
	return out, nil
}

// ratingRank orders ratings from none to prohibited.
func ratingRank(r domain.RiskRating) int {
	switch r {
	case domain.RiskLow:
		return 1
	case domain.RiskMedium:
		return 2
	case domain.RiskHigh:
		return 3
	case domain.RiskProhibited:
		return 4
	}
	return 0
}

// changeWorse says what in a change's round of checks is worse than the
// approval allowed, in the words of a case reason; none means the change
// keeps the customer approved (the decision policy's conditions for
// approval, with the rating no higher than before).
func changeWorse(prev domain.RiskRating, now domain.RiskRating, byType map[string]store.CheckRecord, openHits int, confirmedSanctions bool) []string {
	var why []string
	if st := domain.CheckStatus(byType[string(domain.CheckIdentity)].Status); st != domain.CheckPassed {
		why = append(why, "identity "+string(st))
	}
	if openHits > 0 {
		why = append(why, fmt.Sprintf("%d screening hit(s)", openHits))
	} else if st := domain.CheckStatus(byType[string(domain.CheckScreening)].Status); st != domain.CheckPassed {
		why = append(why, "screening "+string(st))
	}
	if domain.CheckStatus(byType[string(domain.CheckRisk)].Status) == domain.CheckError {
		why = append(why, "risk check error")
	} else if ratingRank(now) > ratingRank(prev) {
		why = append(why, fmt.Sprintf("risk rating %s → %s", orDash(string(prev)), now))
	}
	if confirmedSanctions {
		why = append(why, "confirmed sanctions match")
	}
	return why
}

// changeRoundDone concludes the change of circumstances whose round of
// checks just finished, if any: it keeps the customer approved, or opens
// (or joins) a change_review case with the round's hits. It reports
// whether the round was a change's.
func (s *Checks) changeRoundDone(ctx context.Context, tx store.Tx, cust *domain.Customer, round int, byType map[string]store.CheckRecord) (bool, error) {
	changes, err := tx.Reviews().Changes(ctx, cust.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	var ch *store.ChangeRecord
	for i := range changes {
		if int(changes[i].Round) == round && changes[i].Outcome == ChangePending {
			ch = &changes[i]
		}
	}
	if ch == nil {
		return false, nil
	}
	screeningID := byType[string(domain.CheckScreening)].ID
	hits, err := tx.Hits().ListByCustomer(ctx, cust.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return true, err
	}
	openHits, sanctions := 0, false
	for _, h := range hits {
		if h.CheckID == screeningID && h.Disposition != string(domain.DispositionFalsePositive) {
			openHits++
		}
		if h.Disposition == string(domain.DispositionTrueMatch) && !isPEPHit(h) {
			sanctions = true
		}
	}
	now := s.d.now()
	why := changeWorse(domain.RiskRating(ch.PreviousRating), cust.RiskRating, byType, openHits, sanctions)
	ch.DecidedAt = &now
	meta := map[string]string{"change_id": ch.ID, "round": fmt.Sprint(round)}
	if len(why) == 0 {
		ch.Outcome = ChangeKept
		if err := tx.Reviews().UpdateChange(ctx, *ch); err != nil {
			return true, err
		}
		meta["outcome"] = ChangeKept
		return true, s.audit.record(ctx, tx, auditEntry{
			Tenant: cust.Tenant, Actor: domain.SystemActor("decision-policy"), Action: domain.EventCustomerChangeChecked, EntityID: cust.ID, Meta: meta,
		})
	}
	reason := "change of circumstances (" + strings.ReplaceAll(ch.Fields, ",", ", ") + "): " + strings.Join(why, "; ")
	cs, err := openOngoingCase(ctx, tx, s.d, s.audit, cust.Tenant, cust.ID, domain.CaseChangeReview, reason)
	if err != nil {
		return true, err
	}
	if err := linkRoundHits(ctx, tx, screeningID, cs.ID); err != nil {
		return true, err
	}
	ch.Outcome, ch.CaseID = ChangeCase, cs.ID
	if err := tx.Reviews().UpdateChange(ctx, *ch); err != nil {
		return true, err
	}
	meta["outcome"], meta["case_id"] = ChangeCase, cs.ID
	return true, s.audit.record(ctx, tx, auditEntry{
		Tenant: cust.Tenant, Actor: domain.SystemActor("decision-policy"), Action: domain.EventCustomerChangeChecked, EntityID: cust.ID, Meta: meta,
	})
}

// openOngoingCase opens a case of ongoing due diligence of kind for an
// approved customer, or adds the reason to the one of that kind already
// open (a customer has at most one open case of each such kind).
func openOngoingCase(ctx context.Context, tx store.Tx, d *Deps, audit *AuditLog, tenant, customerID string, kind domain.CaseKind, reason string) (domain.Case, error) {
	now := d.now()
	open, err := tx.Cases().OpenForCustomer(ctx, customerID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return domain.Case{}, err
	}
	for _, cs := range open {
		if cs.Kind != kind {
			continue
		}
		cs.Reason = cs.Reason + "; " + reason
		cs.Version++
		cs.UpdatedAt = now
		if err := tx.Cases().Update(ctx, cs); err != nil {
			return cs, conflict(err, "The case was changed at the same time; retry.")
		}
		return cs, audit.record(ctx, tx, auditEntry{
			Tenant: tenant, Actor: domain.SystemActor("decision-policy"), Action: domain.EventCaseReopened, EntityID: cs.ID,
			Meta: map[string]string{"customer_id": customerID, "kind": string(kind), "reason": reason},
		})
	}
	cs := domain.Case{
		ID: domain.NewID("case", now), Tenant: tenant, CustomerID: customerID, Kind: kind, Status: domain.CaseOpen,
		Reason: reason, DueAt: now.Add(d.Policy.CaseSLA), Version: 1, CreatedAt: now, UpdatedAt: now,
	}
	if err := tx.Cases().Create(ctx, cs); err != nil {
		return cs, conflict(err, "A case of this kind is already open for the customer.")
	}
	return cs, audit.record(ctx, tx, auditEntry{
		Tenant: tenant, Actor: domain.SystemActor("decision-policy"), Action: domain.EventCaseOpened, EntityID: cs.ID,
		Meta: map[string]string{"customer_id": customerID, "kind": string(kind), "reason": reason},
	})
}

// linkRoundHits gives the hits of a screening check that belong to no case
// yet to the case.
func linkRoundHits(ctx context.Context, tx store.Tx, screeningCheckID, caseID string) error {
	if screeningCheckID == "" {
		return nil
	}
	hits, err := tx.Hits().ListByCheck(ctx, screeningCheckID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	for _, h := range hits {
		if h.CaseID == "" {
			h.CaseID = caseID
			if err := tx.Hits().Update(ctx, h); err != nil {
				return err
			}
		}
	}
	return nil
}
