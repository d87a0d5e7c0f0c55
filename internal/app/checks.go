package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// Checks runs the registered checks of a submission (identity, screening
// and risk; checktypes.go) from background jobs and applies the decision
// policy once all of them are done. This file runs the checks and records
// their outcomes; the risk check and the assessment it stores are in
// risk_assessment.go, the decision policy in decision_policy.go.
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
	// customerUnwritten says that after changes the customer's record
	// without writing it: the round writes it once, with the decision
	// policy's change when there is one (finishRound, applyPolicy).
	customerUnwritten bool
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
	wrote, unwritten := false, false
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		done, wrote, unwritten = done[:0], false, false
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
				// A finished outcome ran its after.
				unwritten = unwritten || (it.out.after != nil && it.out.customerUnwritten)
			}
		}
		if len(done) == 0 {
			return nil
		}
		return s.applyPolicy(ctx, tx, crec, all, unwritten)
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
