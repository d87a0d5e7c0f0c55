package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/monitoring"
	"github.com/kyc-platform/kyc/internal/screening"
	"github.com/kyc-platform/kyc/internal/store"
)

// Alerts holds the alerts the monitoring rules raise: storing them into the
// customer's transaction_alert case of the rule, screening counterparties,
// listing and dispositioning them. Alerts are internal: nothing of them
// reaches the applicant.
type Alerts struct {
	d         *Deps
	audit     *AuditLog
	screening *Screening

	cacheMu sync.Mutex
	cache   counterpartyCache
}

// counterpartyCache keeps counterparty screening results per name for one
// set of active list snapshots (key); a new snapshot empties it.
type counterpartyCache struct {
	key     string
	results map[string]*monitoring.ScreeningResult
}

// maxCachedNames bounds the cache; it starts over when full.
const maxCachedNames = 100_000

// screenCounterparty screens a counterparty's name against the loaded
// lists, cached per name, country and type for the current snapshots. Nil
// when no list is loaded: a name screened against nothing is not a pass,
// and the rule sees no hit but no clearance either.
func (s *Alerts) screenCounterparty(cp domain.Counterparty) *monitoring.ScreeningResult {
	st := s.screening.current()
	if st.index.Len() == 0 {
		return nil
	}
	name := strings.Join(strings.Fields(cp.Name), " ")
	ck := strings.ToLower(name) + "\x1f" + cp.Country + "\x1f" + string(cp.Type)
	s.cacheMu.Lock()
	if s.cache.key != st.key || len(s.cache.results) >= maxCachedNames {
		s.cache = counterpartyCache{key: st.key, results: map[string]*monitoring.ScreeningResult{}}
	}
	if r, ok := s.cache.results[ck]; ok {
		s.cacheMu.Unlock()
		return r
	}
	s.cacheMu.Unlock()
	q := screening.Query{Name: name, Country: cp.Country, Threshold: screening.DefaultThreshold, Limit: 1}
	switch cp.Type {
	case domain.CounterpartyPerson:
		q.Type = screening.TypePerson
	case domain.CounterpartyOrganization:
		q.Type = screening.TypeOrganization
	}
	res := &monitoring.ScreeningResult{}
	if ms := st.index.Search(q); len(ms) > 0 {
		m := ms[0]
		res = &monitoring.ScreeningResult{Hit: true, Score: m.Score, List: m.List, MatchedName: m.MatchedName,
			EntityID: m.EntityID, Explanation: m.Explanation.Summary}
	}
	s.cacheMu.Lock()
	if s.cache.key == st.key {
		s.cache.results[ck] = res
	}
	s.cacheMu.Unlock()
	return res
}

func alertAAD(id, field string) []byte { return []byte("alert:" + id + ":" + field) }

// raise stores an alert found by the rules on transaction t and puts it
// into the customer's open transaction_alert case of the same rule,
// opening one when there is none.
func (s *Alerts) raise(ctx context.Context, tx store.Tx, actor domain.Actor, c *domain.Customer, t *domain.Transaction, a monitoring.Alert) (domain.Alert, error) {
	now := s.d.now()
	al := domain.Alert{
		ID: domain.NewID("alrt", now), Tenant: c.Tenant, CustomerID: c.ID, Rule: a.Rule, RuleVersion: a.RuleVersion,
		RuleSetVersion: a.RuleSetVersion, Severity: a.Severity, Parameters: a.Parameters, TransactionID: t.ID,
		TransactionIDs: a.TransactionIDs, Explanation: a.Explanation, Error: a.Error, Status: domain.AlertOpen, CreatedAt: now,
	}
	if len(al.TransactionIDs) == 0 {
		al.TransactionIDs = []string{t.ID}
	}
	caseID, err := tx.Alerts().OpenCase(ctx, c.ID, a.Rule)
	switch {
	case errors.Is(err, store.ErrNotFound):
		caseID, err = s.openCase(ctx, tx, c, a, now)
		if err != nil {
			return domain.Alert{}, err
		}
	case err != nil:
		return domain.Alert{}, err
	}
	al.CaseID = caseID
	rec, err := s.toRecord(al)
	if err != nil {
		return domain.Alert{}, err
	}
	if err := tx.Alerts().Create(ctx, rec); err != nil {
		return domain.Alert{}, err
	}
	meta := map[string]string{"customer_id": c.ID, "rule": al.Rule, "rule_version": al.RuleVersion, "transaction_id": t.ID, "case_id": caseID}
	if al.Error != "" {
		meta["error"] = "true"
	}
	if err := s.audit.record(ctx, tx, auditEntry{
		Tenant: c.Tenant, Actor: actor, Action: domain.EventAlertCreated, EntityID: al.ID,
		Change: map[string]any{"transaction_ids": al.TransactionIDs, "parameters": al.Parameters, "explanation": al.Explanation}, Meta: meta,
	}); err != nil {
		return domain.Alert{}, err
	}
	return al, nil
}

// openCase opens a transaction_alert case for the customer and the rule.
func (s *Alerts) openCase(ctx context.Context, tx store.Tx, c *domain.Customer, a monitoring.Alert, now time.Time) (string, error) {
	sla := s.d.Policy.CaseSLA
	reason := "Transaction monitoring: " + a.Rule
	cs := domain.Case{
		ID: domain.NewID("case", now), Tenant: c.Tenant, CustomerID: c.ID, Kind: domain.CaseTransactionAlert, Status: domain.CaseOpen,
		Reason: reason, DueAt: now.Add(sla), Version: 1, CreatedAt: now, UpdatedAt: now,
	}
	if err := tx.Cases().Create(ctx, cs); err != nil {
		return "", err
	}
	return cs.ID, s.audit.record(ctx, tx, auditEntry{
		Tenant: cs.Tenant, Actor: domain.SystemActor("transaction-monitoring"), Action: domain.EventCaseOpened, EntityID: cs.ID,
		Meta: map[string]string{"customer_id": c.ID, "kind": string(cs.Kind), "reason": reason, "rule": a.Rule},
	})
}

func (s *Alerts) toRecord(a domain.Alert) (store.AlertRecord, error) {
	params, err := json.Marshal(a.Parameters)
	if err != nil {
		return store.AlertRecord{}, fmt.Errorf("alert parameters: %w", err)
	}
	ids, err := json.Marshal(a.TransactionIDs)
	if err != nil {
		return store.AlertRecord{}, err
	}
	expl, err := s.d.Crypt.Seal([]byte(a.Explanation), alertAAD(a.ID, "explanation"))
	if err != nil {
		return store.AlertRecord{}, err
	}
	rec := store.AlertRecord{
		ID: a.ID, Tenant: a.Tenant, CustomerID: a.CustomerID, CaseID: a.CaseID, Rule: a.Rule, RuleVersion: a.RuleVersion,
		RuleSetVersion: a.RuleSetVersion, Severity: a.Severity, Parameters: string(params), TransactionID: a.TransactionID,
		TransactionIDs: string(ids), Explanation: expl, Error: a.Error, Status: string(a.Status),
		DispositionBy: a.DispositionBy, DispositionAt: a.DispositionAt, CreatedAt: a.CreatedAt,
	}
	if a.DispositionReason != "" {
		if rec.DispositionReason, err = s.d.Crypt.Seal([]byte(a.DispositionReason), alertAAD(a.ID, "reason")); err != nil {
			return store.AlertRecord{}, err
		}
	}
	return rec, nil
}

func (s *Alerts) fromRecord(r store.AlertRecord) (domain.Alert, error) {
	a := domain.Alert{
		ID: r.ID, Tenant: r.Tenant, CustomerID: r.CustomerID, CaseID: r.CaseID, Rule: r.Rule, RuleVersion: r.RuleVersion,
		RuleSetVersion: r.RuleSetVersion, Severity: r.Severity, TransactionID: r.TransactionID, Error: r.Error,
		Status: domain.AlertStatus(r.Status), DispositionBy: r.DispositionBy, DispositionAt: r.DispositionAt, CreatedAt: r.CreatedAt,
	}
	if err := json.Unmarshal([]byte(r.Parameters), &a.Parameters); err != nil {
		return domain.Alert{}, fmt.Errorf("alert %s parameters: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(r.TransactionIDs), &a.TransactionIDs); err != nil {
		return domain.Alert{}, fmt.Errorf("alert %s transaction ids: %w", r.ID, err)
	}
	expl, err := s.d.Crypt.Open(r.Explanation, alertAAD(r.ID, "explanation"))
	if err != nil {
		return domain.Alert{}, fmt.Errorf("alert %s: decrypt explanation: %w", r.ID, err)
	}
	a.Explanation = string(expl)
	if len(r.DispositionReason) > 0 {
		reason, err := s.d.Crypt.Open(r.DispositionReason, alertAAD(r.ID, "reason"))
		if err != nil {
			return domain.Alert{}, fmt.Errorf("alert %s: decrypt reason: %w", r.ID, err)
		}
		a.DispositionReason = string(reason)
	}
	return a, nil
}

// ListAlertsInput filters a page of alerts.
type ListAlertsInput struct {
	CustomerID string
	Rule       string
	Status     string
	CaseID     string
	Cursor     string
	Limit      int
}

// List returns a page of the alerts the actor may see, newest first, and
// the next cursor.
func (s *Alerts) List(ctx context.Context, actor domain.Actor, in ListAlertsInput) ([]domain.Alert, string, error) {
	if err := Authorize(actor, PermTransactionsRead); err != nil {
		return nil, "", err
	}
	if in.Status != "" && !domain.AlertStatus(in.Status).Valid() {
		return nil, "", &domain.Error{Code: domain.ECodeInvalid, Message: "Unknown alert status.",
			Fields: []domain.FieldError{{Location: "status", Message: "Use open, false_positive or suspicious."}}}
	}
	limit := clampLimit(in.Limit)
	if in.CaseID != "" {
		limit = max(limit, MaxCaseAlerts)
	}
	recs, err := s.d.Store.Alerts().List(ctx, store.AlertFilter{
		Tenant: tenantFilter(actor), CustomerID: in.CustomerID, Rule: in.Rule, Status: in.Status, CaseID: in.CaseID,
		After: in.Cursor, Limit: limit + 1,
	})
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(recs) > limit {
		recs = recs[:limit]
		next = recs[limit-1].ID
	}
	out := make([]domain.Alert, 0, len(recs))
	for _, r := range recs {
		a, err := s.fromRecord(r)
		if err != nil {
			return nil, "", err
		}
		out = append(out, a)
	}
	return out, next, nil
}

// MaxCaseAlerts is how many alerts of one case a page lists at most.
const MaxCaseAlerts = 1000

// listsLoaded reports whether any list is loaded to screen against.
func (s *Alerts) listsLoaded() bool { return s.screening.current().index.Len() > 0 }
