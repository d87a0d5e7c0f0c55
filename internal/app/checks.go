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
	"github.com/kyc-platform/kyc/internal/risk"
	"github.com/kyc-platform/kyc/internal/store"
)

// Checks runs the registered checks of a submission (identity, screening
// and risk; checktypes.go) from background jobs and applies the decision
// policy once all of them are done.
type Checks struct {
	d         *Deps
	audit     *AuditLog
	screening *Screening
}

func checkAAD(id string) []byte { return []byte("check:" + id) }

func checkFromRecord(cr Crypter, r store.CheckRecord) (domain.Check, error) {
	c := domain.Check{
		ID: r.ID, CustomerID: r.CustomerID, Type: domain.CheckType(r.Type), Status: domain.CheckStatus(r.Status),
		Provider: r.Provider, Summary: r.Summary, Error: r.Error, Attempts: r.Attempts, Round: r.Round,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, FinishedAt: r.FinishedAt,
	}
	if len(r.Details) > 0 {
		plain, err := cr.Open(r.Details, checkAAD(r.ID))
		if err != nil {
			return c, fmt.Errorf("decrypt check %s: %w", r.ID, err)
		}
		c.Details = plain
	}
	return c, nil
}

// checkOutcome is what one check produced.
type checkOutcome struct {
	Status   domain.CheckStatus
	Provider string
	Summary  string
	// Details replaces the stored details; nil keeps them.
	Details any
	// Reference is an asynchronous provider's reference (audited).
	Reference string
	// actor records the outcome in the audit trail; zero means the checks
	// job.
	actor domain.Actor
	// expect, when set, sees the locked check before anything is written
	// and may refuse the outcome (the completion of an asynchronous check
	// names its provider and reference).
	expect func(rec store.CheckRecord) error
	// after runs in the same transaction once the check row is written,
	// with the customer's record as locked (and maybe changed) so far; it
	// returns the record as it left it.
	after func(tx store.Tx, chk store.CheckRecord, cust store.CustomerRecord) (store.CustomerRecord, error)
	// customerID, when known, spares finish reading the check before it
	// locks the customer.
	customerID string
	// inTx runs in the transaction after expect, on the locked check and
	// with the customer's tenant, whether or not the check is done.
	inTx func(ctx context.Context, tx store.Tx, tenant string, rec store.CheckRecord) error
}

// Run executes one pending check. It is idempotent: a check that is already
// done is left alone, so a retried job never runs twice to completion.
// attempt is the job's attempt number (for the record).
func (s *Checks) Run(ctx context.Context, checkID string, attempt int) error {
	rec, err := s.d.Store.Checks().Get(ctx, checkID)
	if err != nil {
		return notFound(err, "Check")
	}
	if domain.CheckStatus(rec.Status).Done() || awaitingProvider(rec) {
		return nil // done, or waiting for an asynchronous provider's result
	}
	cust, err := customerFromRecordByID(ctx, s.d, rec.CustomerID)
	if err != nil {
		return err
	}
	now := s.d.now()
	kind, err := lookupCheck(domain.CheckType(rec.Type))
	if err != nil {
		return err
	}
	out, err := kind.run(s, ctx, cust, rec, now)
	if err != nil {
		return err
	}
	out.customerID = rec.CustomerID
	_, err = s.finish(ctx, rec.ID, attempt, out)
	return err
}

// RunRound runs the checks of one submission round (checkIDs, all of one
// customer) as one job: each check not done yet runs in turn, and every
// outcome obtained is recorded in one transaction, which applies the
// decision policy once. A check that could not be run (its provider
// failing, say) does not hold the others back: they are recorded, and the
// returned *CheckRoundError names it, so that a retry runs only the checks
// still to do. Like Run it is idempotent.
func (s *Checks) RunRound(ctx context.Context, checkIDs []string, attempt int) error {
	return s.RunRoundOf(ctx, "", checkIDs, attempt)
}

// RunRoundOf is RunRound for checks known to be of customerID (from the
// job, RoundEnqueuer), which spares reading the first check to find the
// customer; "" finds it so. A check that turns out not to be the
// customer's is run on its own, as RunRound does with strays.
func (s *Checks) RunRoundOf(ctx context.Context, customerID string, checkIDs []string, attempt int) error {
	if len(checkIDs) == 0 {
		return nil
	}
	if customerID == "" {
		first, err := s.d.Store.Checks().Get(ctx, checkIDs[0])
		if err != nil {
			return notFound(err, "Check")
		}
		customerID = first.CustomerID
	}
	first := store.CheckRecord{CustomerID: customerID}
	recs, err := s.d.Store.Checks().ListByCustomer(ctx, customerID)
	if err != nil {
		return err
	}
	byID := make(map[string]store.CheckRecord, len(recs))
	for _, r := range recs {
		byID[r.ID] = r
	}
	failed := &CheckRoundError{Errs: map[string]error{}}
	var todo []store.CheckRecord
	for _, id := range checkIDs {
		rec, ok := byID[id]
		if !ok {
			// Not a check of this customer: run it on its own.
			if err := s.Run(ctx, id, attempt); err != nil {
				failed.Errs[id] = err
			}
			continue
		}
		if domain.CheckStatus(rec.Status).Done() || awaitingProvider(rec) {
			continue
		}
		todo = append(todo, rec)
	}
	if len(todo) > 0 {
		cust, err := customerFromRecordByID(ctx, s.d, first.CustomerID)
		if err != nil {
			return err
		}
		now := s.d.now()
		items := make([]roundOutcome, 0, len(todo))
		rctx := withRoundHits(ctx, customerID)
		for _, rec := range todo {
			kind, err := lookupCheck(domain.CheckType(rec.Type))
			if err == nil {
				var out checkOutcome
				if out, err = kind.run(s, rctx, cust, rec, now); err == nil {
					out.customerID = rec.CustomerID
					items = append(items, roundOutcome{checkID: rec.ID, out: out})
					continue
				}
			}
			failed.Errs[rec.ID] = err
		}
		if len(items) > 0 {
			if _, err := s.finishRound(ctx, first.CustomerID, attempt, items); err != nil {
				return err
			}
		}
	}
	if len(failed.Errs) > 0 {
		return failed
	}
	return nil
}

// CheckRoundError says which checks of a round could not be run, and why.
type CheckRoundError struct {
	// Errs maps the id of each check that failed to its error.
	Errs map[string]error
}

func (e *CheckRoundError) Error() string {
	ids := make([]string, 0, len(e.Errs))
	for id := range e.Errs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf("check %s: %v", id, e.Errs[id])
	}
	return strings.Join(parts, "; ")
}

// Fail records that a check could not be completed after its last attempt,
// with a reason safe to show, and lets the decision policy open a case.
func (s *Checks) Fail(ctx context.Context, checkID string, attempt int, reason string) error {
	_, err := s.finish(ctx, checkID, attempt, checkOutcome{Status: domain.CheckError, Summary: "The check could not be completed.", Details: map[string]string{"error": reason}})
	return err
}

func customerFromRecordByID(ctx context.Context, d *Deps, id string) (*domain.Customer, error) {
	rec, err := d.Store.Customers().Get(ctx, id)
	if err != nil {
		return nil, notFound(err, "Customer")
	}
	return customerFromRecord(d.Crypt, rec)
}

func (s *Checks) risk(ctx context.Context, c *domain.Customer, rec store.CheckRecord, now time.Time) (checkOutcome, error) {
	m, err := confirmedMatchesOf(ctx, s.d.Store, s.d.Crypt, c)
	if err != nil {
		return checkOutcome{}, err
	}
	a := s.d.Risk.Assess(m.input(c, "", now))
	status := domain.CheckPassed
	switch a.Rating {
	case domain.RiskHigh:
		status = domain.CheckNeedsReview
	case domain.RiskProhibited:
		status = domain.CheckFailed
	}
	summary := fmt.Sprintf("Score %d, rating %s, due diligence %s (model %s).", a.Score, a.Rating, orDash(string(a.DueDiligence)), a.ModelVersion)
	return checkOutcome{
		Status: status, Provider: "risk-model " + a.ModelVersion, Summary: summary, Details: a,
		after: func(tx store.Tx, chk store.CheckRecord, cust store.CustomerRecord) (store.CustomerRecord, error) {
			return saveAssessment(ctx, tx, s.d, s.audit, &cust, chk.ID, a, domain.SystemActor("risk"))
		},
	}, nil
}

func orDash(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// saveAssessment stores an assessment and sets the customer's rating. crec
// is the customer's record, locked by the caller's transaction; it returns
// the record as written.
func saveAssessment(ctx context.Context, tx store.Tx, d *Deps, audit *AuditLog, crec *store.CustomerRecord, checkID string, a domain.RiskAssessment, actor domain.Actor) (store.CustomerRecord, error) {
	now := d.now()
	customerID := crec.ID
	factors, err := json.Marshal(a.Factors)
	if err != nil {
		return store.CustomerRecord{}, err
	}
	rr := store.RiskRecord{
		ID: domain.NewID("rsk", now), CustomerID: customerID, CheckID: checkID, Score: a.Score,
		Rating: string(a.Rating), DueDiligence: string(a.DueDiligence), ModelVersion: a.ModelVersion,
		Factors: factors, CreatedAt: now,
	}
	if err := tx.Checks().SaveRisk(ctx, rr); err != nil {
		return store.CustomerRecord{}, err
	}
	// The computed rating is in the assessment just saved; the customer
	// carries the rating in force (an approved risk override that still
	// holds, risk_overrides.go). Only the rating columns change: the
	// personal data is written back as it was read, without decrypting
	// and sealing it again (issue 13).
	rating, dd, err := overridesInForce(ctx, tx, d, audit, actor, crec.Tenant, customerID, a)
	if err != nil {
		return store.CustomerRecord{}, err
	}
	nrec := *crec
	nrec.RiskRating, nrec.DueDiligence = string(rating), string(dd)
	nrec.Version++
	nrec.UpdatedAt = now
	if err := tx.Customers().Update(ctx, nrec); err != nil {
		return store.CustomerRecord{}, err
	}
	return nrec, audit.record(ctx, tx, auditEntry{
		Tenant: crec.Tenant, Actor: actor, Action: domain.EventRiskAssessed, EntityID: customerID,
		Change: a, Meta: map[string]string{"score": fmt.Sprint(a.Score), "rating": string(a.Rating), "model_version": a.ModelVersion},
	})
}

// confirmedMatches is what reviewers confirmed among the customer's
// screening hits: a true match on a sanctions list, on a PEP list, and the
// related parties of a business whose sanctions hit is a true match (the
// OFAC 50% rule weighs their shares).
type confirmedMatches struct {
	sanctions, pep bool
	parties        []string
}

// input is the risk model's input for the customer with these matches.
func (m confirmedMatches) input(c *domain.Customer, doubt string, now time.Time) risk.Input {
	return risk.Input{Customer: c, ConfirmedSanctionsMatch: m.sanctions, ConfirmedPEPMatch: m.pep, SanctionedParties: m.parties, IdentityDoubt: doubt, Now: now}
}

// confirmedMatchesOf reads the confirmed matches of customer c. A hit is
// tied to a related party by the name it was screened under (the party's
// full name, or a related company's legal name; screeningQueries).
func confirmedMatchesOf(ctx context.Context, r store.Repos, cr Crypter, c *domain.Customer) (confirmedMatches, error) {
	var out confirmedMatches
	hits, err := customerHits(ctx, r, c.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return out, err
	}
	for _, h := range hits {
		if h.Disposition != string(domain.DispositionTrueMatch) {
			continue
		}
		if isPEPHit(h) {
			out.pep = true
			continue
		}
		out.sanctions = true
		b := c.Data.Business
		if b == nil || len(h.Subject) == 0 {
			continue
		}
		subj, err := cr.Open(h.Subject, hitAAD(h.ID, "subject"))
		if err != nil {
			return out, fmt.Errorf("decrypt hit %s subject: %w", h.ID, err)
		}
		name := domain.FoldName(string(subj))
		for _, rp := range b.RelatedPersons {
			if rp.ID != "" && name != "" && domain.FoldName(rp.Name()) == name && !slices.Contains(out.parties, rp.ID) {
				out.parties = append(out.parties, rp.ID)
			}
		}
	}
	return out, nil
}

// isPEPHit reports whether a hit is a PEP-only entity (no sanction topic).
func isPEPHit(h store.HitRecord) bool {
	topics := "," + h.Topics + ","
	return strings.Contains(topics, ",role.pep,") && !strings.Contains(topics, ",sanction")
}

// finish writes the outcome of a check and, in the same transaction, applies
// the decision policy when it was the last check of the round. A pending
// outcome (an asynchronous provider took the check) is recorded without
// finishing the check. It reports whether it wrote anything: a check that is
// already done is left as it is. attempt 0 keeps the recorded attempts.
func (s *Checks) finish(ctx context.Context, checkID string, attempt int, out checkOutcome) (bool, error) {
	return s.finishRound(ctx, out.customerID, attempt, []roundOutcome{{checkID: checkID, out: out}})
}

// roundOutcome is the outcome of one check among those finishRound writes.
type roundOutcome struct {
	checkID string
	out     checkOutcome
}

// finishRound writes the outcomes of checks of one customer in one
// transaction, as finish does for one, and applies the decision policy once
// after all of them. customerID may be empty when it is not known (then
// items holds one outcome). It reports whether it wrote anything.
func (s *Checks) finishRound(ctx context.Context, customerID string, attempt int, items []roundOutcome) (bool, error) {
	type finished struct{ typ, status string }
	var done []finished
	wrote := false
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		done, wrote = done[:0], false
		if customerID == "" {
			rec, err := tx.Checks().Get(ctx, items[0].checkID)
			if err != nil {
				return notFound(err, "Check")
			}
			customerID = rec.CustomerID
		}
		// Lock the customer first: checks of one customer finishing at the
		// same time serialise here, so exactly one of them sees all three
		// done and applies the policy.
		crec, err := tx.Customers().GetForUpdate(ctx, customerID)
		if err != nil {
			return err
		}
		// The customer's checks as the lock lets this transaction see
		// them: read one by one for a single outcome, else all at once
		// (and handed, as written, to the policy).
		var all []store.CheckRecord
		get := func(id string) (int, store.CheckRecord, error) {
			if len(items) == 1 {
				rec, err := tx.Checks().Get(ctx, id)
				return -1, rec, err
			}
			if all == nil {
				if all, err = tx.Checks().ListByCustomer(ctx, customerID); err != nil {
					return 0, store.CheckRecord{}, err
				}
			}
			for i, r := range all {
				if r.ID == id {
					return i, r, nil
				}
			}
			return 0, store.CheckRecord{}, store.ErrNotFound
		}
		for _, it := range items {
			i, rec, err := get(it.checkID)
			if err != nil {
				return notFound(err, "Check")
			}
			if rec.CustomerID != customerID {
				return fmt.Errorf("check %s: customer %s, not %s", it.checkID, rec.CustomerID, customerID)
			}
			rec, w, f, err := s.finishLocked(ctx, tx, &crec, rec, attempt, it.out)
			if err != nil {
				return err
			}
			if i >= 0 {
				all[i] = rec
			}
			wrote = wrote || w
			if f {
				done = append(done, finished{rec.Type, rec.Status})
			}
		}
		if len(done) == 0 {
			return nil
		}
		return s.applyPolicy(ctx, tx, crec, all)
	})
	if err != nil {
		return false, err
	}
	if s.d.Metrics != nil {
		for _, f := range done {
			s.d.Metrics.CheckFinished(f.typ, f.status)
		}
	}
	return wrote, nil
}

// finishLocked writes one check's outcome in tx, whose customer record
// crec is locked (and updated there when the outcome changes the
// customer). It returns the check as written, whether it wrote anything,
// and whether it finished the check (pending outcomes do not).
func (s *Checks) finishLocked(ctx context.Context, tx store.Tx, crec *store.CustomerRecord, rec store.CheckRecord, attempt int, out checkOutcome) (store.CheckRecord, bool, bool, error) {
	if out.expect != nil {
		if err := out.expect(rec); err != nil {
			return rec, false, false, err
		}
	}
	if out.inTx != nil {
		if err := out.inTx(ctx, tx, crec.Tenant, rec); err != nil {
			return rec, false, false, err
		}
	}
	if domain.CheckStatus(rec.Status).Done() {
		return rec, false, false, nil
	}
	if out.Status == domain.CheckPending {
		if err := s.recordPending(ctx, tx, crec.Tenant, rec, attempt, out); err != nil {
			return rec, false, false, err
		}
		return rec, true, false, nil
	}
	if domain.CheckType(rec.Type) == domain.CheckIdentity && crec.Type == string(domain.CustomerBusiness) {
		// One result per ubo and control person; the company's check is
		// no better than any of them (identity_persons.go).
		cust, err := customerFromRecord(s.d.Crypt, *crec)
		if err != nil {
			return rec, false, false, err
		}
		if out, err = withPersonResults(cust, out); err != nil {
			return rec, false, false, err
		}
	}
	now := s.d.now()
	rec.Status = string(out.Status)
	rec.Provider = out.Provider
	rec.Summary = out.Summary
	if attempt > 0 {
		rec.Attempts = attempt
	}
	rec.UpdatedAt = now
	rec.FinishedAt = &now
	if out.Status == domain.CheckError {
		if m, ok := out.Details.(map[string]string); ok {
			rec.Error = m["error"]
		}
	}
	if out.Details != nil {
		b, err := json.Marshal(out.Details)
		if err != nil {
			return rec, false, false, err
		}
		if rec.Details, err = s.d.Crypt.Seal(b, checkAAD(rec.ID)); err != nil {
			return rec, false, false, err
		}
	}
	if err := tx.Checks().Update(ctx, rec); err != nil {
		return rec, false, false, err
	}
	if out.after != nil {
		nrec, err := out.after(tx, rec, *crec)
		if err != nil {
			return rec, false, false, err
		}
		*crec = nrec
	}
	meta := map[string]string{"customer_id": rec.CustomerID, "type": rec.Type, "status": rec.Status}
	if out.Reference != "" {
		meta["provider"], meta["provider_reference"] = rec.Provider, out.Reference
	}
	if err := s.audit.record(ctx, tx, auditEntry{
		Tenant: crec.Tenant, Actor: out.auditActor(), Action: domain.EventCheckCompleted, EntityID: rec.ID,
		Meta: meta,
	}); err != nil {
		return rec, false, false, err
	}
	return rec, true, true, nil
}

func (o checkOutcome) auditActor() domain.Actor {
	if o.actor.Type == "" {
		return domain.SystemActor("checks")
	}
	return o.actor
}

// applyPolicy applies the decision policy (domain.Decide; README, "The KYC
// process") once every check of the latest round is done: it gathers the
// policy's inputs inside the transaction, and approves the customer or moves
// it to review with a case, as the policy decides. crec is the customer's
// record as the transaction locked and last wrote it; recs, when not nil,
// are all the customer's checks as the transaction wrote them.
func (s *Checks) applyPolicy(ctx context.Context, tx store.Tx, crec store.CustomerRecord, recs []store.CheckRecord) error {
	customerID := crec.ID
	if recs == nil {
		var err error
		if recs, err = tx.Checks().ListByCustomer(ctx, customerID); err != nil {
			return err
		}
	}
	latest := latestRound(recs)
	if len(latest) < len(CheckTypes()) {
		return nil
	}
	byType := map[string]store.CheckRecord{}
	for _, r := range latest {
		if !domain.CheckStatus(r.Status).Done() {
			return nil
		}
		byType[r.Type] = r
	}
	cust, err := customerFromRecord(s.d.Crypt, crec)
	if err != nil {
		return err
	}
	screeningID := byType[string(domain.CheckScreening)].ID
	if cust.Status == domain.StatusApproved {
		// Fresh checks of an approved customer (a periodic review, a
		// change of circumstances).
		return s.ongoingRoundDone(ctx, tx, cust, latest[0].Round, byType)
	}
	if cust.Status != domain.StatusSubmitted {
		return nil // already decided or being reviewed
	}
	// Doubt about the identity rules out simplified due diligence (FATF
	// R.10, INR.10 para. 21): the risk is assessed again with the doubt,
	// whose floor (identity_doubt, standard) holds until a later round
	// verifies the identity.
	if st := domain.CheckStatus(byType[string(domain.CheckIdentity)].Status); st != domain.CheckPassed && cust.RiskRating != "" {
		if cust, err = s.assessWithIdentityDoubt(ctx, tx, cust, byType[string(domain.CheckRisk)].ID, "identity check "+string(st)); err != nil {
			return err
		}
	}
	in := domain.PolicyInput{
		Identity:    domain.CheckStatus(byType[string(domain.CheckIdentity)].Status),
		Screening:   domain.CheckStatus(byType[string(domain.CheckScreening)].Status),
		Risk:        domain.CheckStatus(byType[string(domain.CheckRisk)].Status),
		Rating:      cust.RiskRating,
		AutoApprove: s.d.Policy.AutoApprove,
	}
	hits, err := tx.Hits().ListByCustomer(ctx, customerID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	for _, h := range hits {
		if h.CheckID == screeningID && h.Disposition != string(domain.DispositionFalsePositive) {
			in.OpenHits++
		}
		if h.Disposition == string(domain.DispositionTrueMatch) && !isPEPHit(h) {
			in.ConfirmedSanctionsMatch = true
		}
	}
	// A customer with a case still open (a resubmission after a request for
	// information) goes back to the person working that case.
	open, err := tx.Cases().OpenForCustomer(ctx, customerID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	// A transaction_alert case is about transactions, not onboarding: it
	// is never reused for the customer's checks.
	open = slices.DeleteFunc(open, func(c domain.Case) bool { return c.Kind == domain.CaseTransactionAlert })
	in.CaseOpen = len(open) > 0

	out := domain.Decide(in)
	now := s.d.now()
	actor := domain.SystemActor("decision-policy")
	if out.Approve {
		if err := approveCustomer(s.d, cust, now); err != nil {
			return err
		}
		if err := writeCustomer(ctx, tx, s.d, cust); err != nil {
			return err
		}
		if s.d.Metrics != nil {
			s.d.Metrics.Decision("auto_approve")
		}
		return s.audit.record(ctx, tx, auditEntry{
			Tenant: cust.Tenant, Actor: actor, Action: domain.EventCustomerApproved, EntityID: cust.ID,
			Meta: map[string]string{"from": string(domain.StatusSubmitted), "to": string(cust.Status), "rating": string(in.Rating), "automatic": "true"},
		})
	}

	sla := s.d.Policy.CaseSLA
	if out.CaseKind == domain.CaseScreeningHit {
		sla = s.d.Policy.HitSLA
	}
	if err := cust.Status.Transition(domain.StatusInReview); err != nil {
		return err
	}
	cust.Status = domain.StatusInReview
	cust.UpdatedAt = now
	if err := writeCustomer(ctx, tx, s.d, cust); err != nil {
		return err
	}
	if err := s.audit.record(ctx, tx, auditEntry{
		Tenant: cust.Tenant, Actor: actor, Action: domain.EventCustomerStatusChanged, EntityID: cust.ID,
		Meta: map[string]string{"from": string(domain.StatusSubmitted), "to": string(cust.Status)},
	}); err != nil {
		return err
	}
	return openOrReuseCase(ctx, tx, s.d, s.audit, cust.Tenant, cust.ID, out.CaseKind, sla, out.Reason, screeningID)
}

// assessWithIdentityDoubt assesses the customer's risk again with the
// identity in doubt and, when that changes the rating or the due
// diligence, stores the assessment (under the round's risk check) and
// returns the customer as it now is.
func (s *Checks) assessWithIdentityDoubt(ctx context.Context, tx store.Tx, cust *domain.Customer, riskCheckID, doubt string) (*domain.Customer, error) {
	m, err := confirmedMatchesOf(ctx, tx, s.d.Crypt, cust)
	if err != nil {
		return nil, err
	}
	a := s.d.Risk.Assess(m.input(cust, doubt, s.d.now()))
	if a.Rating == cust.RiskRating && a.DueDiligence == cust.DueDiligence {
		return cust, nil
	}
	crec, err := tx.Customers().GetForUpdate(ctx, cust.ID)
	if err != nil {
		return nil, err
	}
	nrec, err := saveAssessment(ctx, tx, s.d, s.audit, &crec, riskCheckID, a, domain.SystemActor("decision-policy"))
	if err != nil {
		return nil, err
	}
	return customerFromRecord(s.d.Crypt, nrec)
}

// openOrReuseCase opens a case for the customer unless one is already open
// (a resubmission after a request for information goes back to its case).
func openOrReuseCase(ctx context.Context, tx store.Tx, d *Deps, audit *AuditLog, tenant, customerID string, kind domain.CaseKind, sla time.Duration, reason, screeningCheckID string) error {
	now := d.now()
	open, err := tx.Cases().OpenForCustomer(ctx, customerID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	// A transaction_alert case is about transactions, not onboarding: it
	// is never reused for the customer's checks.
	open = slices.DeleteFunc(open, func(c domain.Case) bool { return c.Kind == domain.CaseTransactionAlert })
	var cs domain.Case
	action := domain.EventCaseOpened
	if len(open) > 0 {
		cs = open[0]
		if kind == domain.CaseScreeningHit {
			cs.Kind = kind
		}
		cs.Reason = reason
		cs.Version++
		cs.UpdatedAt = now
		if err := tx.Cases().Update(ctx, cs); err != nil {
			return err
		}
		action = domain.EventCaseReopened
	} else {
		cs = domain.Case{
			ID: domain.NewID("case", now), Tenant: tenant, CustomerID: customerID, Kind: kind, Status: domain.CaseOpen,
			Reason: reason, DueAt: now.Add(sla), Version: 1, CreatedAt: now, UpdatedAt: now,
		}
		if err := tx.Cases().Create(ctx, cs); err != nil {
			return err
		}
	}
	if screeningCheckID != "" {
		hits, err := tx.Hits().ListByCheck(ctx, screeningCheckID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		for _, h := range hits {
			if h.CaseID == "" {
				h.CaseID = cs.ID
				if err := tx.Hits().Update(ctx, h); err != nil {
					return err
				}
			}
		}
	}
	return audit.record(ctx, tx, auditEntry{
		Tenant: cs.Tenant, Actor: domain.SystemActor("decision-policy"), Action: action, EntityID: cs.ID,
		Meta: map[string]string{"customer_id": customerID, "kind": string(cs.Kind), "reason": reason},
	})
}

// approveCustomer moves a customer to approved and sets the next periodic
// review from the risk model's interval for its rating (RISK_MODEL.md,
// review_intervals: by default high 1 year, medium 2, low 3).
func approveCustomer(d *Deps, c *domain.Customer, now time.Time) error {
	if c.RiskRating == domain.RiskProhibited {
		return domain.Errorf(domain.ECodeConflict, "A customer rated prohibited can never be approved.")
	}
	if err := c.Status.Transition(domain.StatusApproved); err != nil {
		return err
	}
	next := d.nextReview(c.RiskRating, now)
	c.Status = domain.StatusApproved
	c.DecidedAt = &now
	c.NextReviewAt = &next
	c.UpdatedAt = now
	return nil
}

// writeCustomer bumps the version and stores the customer, and keeps an
// approved customer's document expiry dates (document_expiry.go).
func writeCustomer(ctx context.Context, tx store.Tx, d *Deps, c *domain.Customer) error {
	c.Version++
	rec, err := customerToRecord(d.Crypt, c)
	if err != nil {
		return err
	}
	if err := tx.Customers().Update(ctx, rec); err != nil {
		return conflict(err, "The customer was changed at the same time; retry.")
	}
	return syncDocumentExpiries(ctx, tx, c)
}
