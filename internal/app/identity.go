package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/verify"
)

// The identity check: the configured verify.Provider runs it. A synchronous
// provider answers at once and the check finishes like the others. An
// asynchronous provider answers pending with its reference: the check stays
// pending (with the provider recorded, so a retried job does not ask twice)
// until Complete records the provider's result, or ExpirePending hands it to
// a person after the timeout. Either way the result goes through finish, the
// path of every check: one transaction with the audit event and the decision
// policy.

// maxSummary bounds the summary a provider reports.
const maxSummary = 500

func (s *Checks) identity(ctx context.Context, c *domain.Customer, rec store.CheckRecord, now time.Time) (checkOutcome, error) {
	if s.d.Identity == nil {
		return checkOutcome{}, errors.New("no identity provider configured")
	}
	name := s.d.Identity.Name()
	res, err := s.d.Identity.Verify(ctx, verify.Request{CheckID: rec.ID, Customer: c, Now: now})
	if err != nil {
		return checkOutcome{}, fmt.Errorf("identity provider %s: %w", name, err)
	}
	switch res.Status {
	case domain.CheckPassed, domain.CheckFailed, domain.CheckNeedsReview:
	case domain.CheckPending:
		if res.Reference == "" {
			return checkOutcome{}, fmt.Errorf("identity provider %s: pending without a reference", name)
		}
	default:
		return checkOutcome{}, fmt.Errorf("identity provider %s: unexpected status %q", name, res.Status)
	}
	return checkOutcome{Status: res.Status, Provider: name, Summary: res.Summary, Details: res.Details, Reference: res.Reference}, nil
}

// awaitingProvider reports whether a check was handed to an asynchronous
// provider and waits for its result: pending, with the provider recorded
// (the synchronous checks record their provider only when they finish).
func awaitingProvider(rec store.CheckRecord) bool {
	return domain.CheckStatus(rec.Status) == domain.CheckPending && rec.Provider != ""
}

// asyncDetails are the stored (encrypted) details of a check taken by an
// asynchronous provider: its reference, and what it returned with pending
// or, once complete, with its result.
type asyncDetails struct {
	// Reference is the provider's reference of the verification.
	Reference string `json:"provider_reference"`
	// Details is what the provider returned, if anything.
	Details any `json:"details,omitempty"`
}

// recordPending records that an asynchronous provider took the check: the
// check stays pending with the provider and its reference, and no policy
// runs.
func (s *Checks) recordPending(ctx context.Context, tx store.Tx, tenant string, rec store.CheckRecord, attempt int, out checkOutcome) error {
	b, err := json.Marshal(asyncDetails{Reference: out.Reference, Details: out.Details})
	if err != nil {
		return err
	}
	if rec.Details, err = s.d.Crypt.Seal(b, checkAAD(rec.ID)); err != nil {
		return err
	}
	rec.Provider = out.Provider
	rec.Summary = out.Summary
	if rec.Summary == "" {
		rec.Summary = "Waiting for the result of " + out.Provider + "."
	}
	if attempt > 0 {
		rec.Attempts = attempt
	}
	rec.UpdatedAt = s.d.now()
	if err := tx.Checks().Update(ctx, rec); err != nil {
		return err
	}
	return s.audit.record(ctx, tx, auditEntry{
		Tenant: tenant, Actor: out.auditActor(), Action: domain.EventCheckPending, EntityID: rec.ID,
		Meta: map[string]string{"customer_id": rec.CustomerID, "type": rec.Type, "provider": out.Provider, "provider_reference": out.Reference},
	})
}

// awaitingReference returns the reference stored with a waiting check.
func (s *Checks) awaitingReference(rec store.CheckRecord) (string, error) {
	if len(rec.Details) == 0 {
		return "", nil
	}
	plain, err := s.d.Crypt.Open(rec.Details, checkAAD(rec.ID))
	if err != nil {
		return "", fmt.Errorf("decrypt check %s: %w", rec.ID, err)
	}
	var det struct {
		Reference string `json:"provider_reference"`
	}
	if err := json.Unmarshal(plain, &det); err != nil {
		return "", fmt.Errorf("check %s: details of a waiting check: %w", rec.ID, err)
	}
	return det.Reference, nil
}

// CompleteInput is the result of an asynchronous identity check, as its
// provider reports it.
type CompleteInput struct {
	// CheckID names the check (the provider received it in verify.Request).
	CheckID string
	// Provider is the name of the reporting provider; it must be the one the
	// check was handed to.
	Provider string
	// Reference, when given, must equal the reference the provider returned
	// when it took the check.
	Reference string
	// Status is passed, failed or needs_review.
	Status domain.CheckStatus
	// Summary is a short sentence without personal data.
	Summary string
	// Details is JSON-encodable and may hold personal data; it is stored
	// encrypted.
	Details any
}

// Complete records the result of an asynchronous identity check: in one
// transaction it finishes the check, writes the audit event and runs the
// decision policy, exactly as for a synchronous result. It is idempotent:
// it returns false and changes nothing when the check already has a result
// (a repeated or late callback). Only the system (the transport that
// authenticated the provider) may report results.
func (s *Checks) Complete(ctx context.Context, actor domain.Actor, in CompleteInput) (bool, error) {
	return s.complete(ctx, actor, in, nil)
}

// complete is Complete with inTx run in its transaction on the locked check
// (before the result is written, also when the check is already done).
func (s *Checks) complete(ctx context.Context, actor domain.Actor, in CompleteInput, inTx func(ctx context.Context, tx store.Tx, tenant string, rec store.CheckRecord) error) (bool, error) {
	if actor.Type != domain.ActorSystem {
		return false, domain.Errorf(domain.ECodeForbidden, "Only the identity provider reports the result of a check.")
	}
	in.CheckID, in.Provider, in.Reference = strings.TrimSpace(in.CheckID), strings.TrimSpace(in.Provider), strings.TrimSpace(in.Reference)
	in.Summary = strings.TrimSpace(in.Summary)
	var v domain.Validation
	if in.CheckID == "" {
		v.Add("check_id", "Name the check.")
	}
	if in.Provider == "" {
		v.Add("provider", "Name the provider.")
	}
	switch in.Status {
	case domain.CheckPassed, domain.CheckFailed, domain.CheckNeedsReview:
	default:
		v.Add("status", "Use passed, failed or needs_review.")
	}
	if in.Summary == "" {
		v.Add("summary", "Give a short summary of the result.")
	} else if len(in.Summary) > maxSummary {
		v.Add("summary", fmt.Sprintf("Keep the summary within %d characters.", maxSummary))
	}
	if err := v.Err(); err != nil {
		return false, err
	}
	// The reference is read before the transaction to store it with the
	// result; expect checks it again on the locked row.
	rec, err := s.d.Store.Checks().Get(ctx, in.CheckID)
	if err != nil {
		return false, notFound(err, "Check")
	}
	var ref string
	if awaitingProvider(rec) {
		if ref, err = s.awaitingReference(rec); err != nil {
			return false, err
		}
	}
	out := checkOutcome{
		Status: in.Status, Provider: in.Provider, Summary: in.Summary, Reference: ref, actor: actor,
		Details: asyncDetails{Reference: ref, Details: in.Details},
		inTx:    inTx,
		expect: func(rec store.CheckRecord) error {
			if domain.CheckType(rec.Type) != domain.CheckIdentity || (rec.Provider != "" && rec.Provider != in.Provider) {
				return domain.Errorf(domain.ECodeNotFound, "Check not found.")
			}
			if !domain.CheckStatus(rec.Status).Done() && rec.Provider == "" {
				return domain.Errorf(domain.ECodeConflict, "The check has not been handed to the provider yet; retry later.")
			}
			if !awaitingProvider(rec) {
				return nil // done: finish leaves it as it is
			}
			cur, err := s.awaitingReference(rec)
			if err != nil {
				return err
			}
			if cur != ref || (in.Reference != "" && in.Reference != cur) {
				return domain.Errorf(domain.ECodeConflict, "The reference does not match the one the provider gave for this check.")
			}
			return nil
		},
	}
	return s.finish(ctx, in.CheckID, 0, out)
}

// expireBatch is how many waiting checks ExpirePending reads at a time.
const expireBatch = 100

// ExpirePending hands to a person every identity check that has waited for
// its asynchronous provider longer than olderThan: the check becomes
// needs_review (the decision policy then opens a case), each in its own
// transaction with its audit event. It returns how many checks it expired.
func (s *Checks) ExpirePending(ctx context.Context, olderThan time.Duration) (int, error) {
	if olderThan <= 0 {
		return 0, fmt.Errorf("expire pending checks: the timeout must be positive, not %s", olderThan)
	}
	n := 0
	for {
		cutoff := s.d.now().Add(-olderThan)
		recs, err := s.d.Store.Checks().ListAwaiting(ctx, cutoff, expireBatch)
		if err != nil {
			return n, err
		}
		expired := 0
		for _, rec := range recs {
			if domain.CheckType(rec.Type) != domain.CheckIdentity {
				continue
			}
			ref, err := s.awaitingReference(rec)
			if err != nil {
				return n, err
			}
			wrote, err := s.finish(ctx, rec.ID, 0, checkOutcome{
				Status: domain.CheckNeedsReview, Provider: rec.Provider, Reference: ref,
				Summary: fmt.Sprintf("No result from %s within %s; verify the identity by hand.", rec.Provider, olderThan),
				actor:   domain.SystemActor("identity-timeout"),
				expect: func(cur store.CheckRecord) error {
					if awaitingProvider(cur) && !cur.UpdatedAt.Before(cutoff) {
						return errNotDue
					}
					return nil
				},
			})
			if errors.Is(err, errNotDue) {
				continue
			}
			if err != nil {
				return n, err
			}
			if wrote {
				n++
				expired++
			}
		}
		if len(recs) < expireBatch || expired == 0 {
			return n, nil
		}
	}
}

// errNotDue stops ExpirePending from expiring a check that was updated
// after it was listed.
var errNotDue = errors.New("check not due")
