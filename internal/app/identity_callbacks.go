package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/verify"
)

// Callback outcomes, in the answer to the provider and the audit trail.
const (
	// CallbackAccepted: the result completed the check.
	CallbackAccepted = "accepted"
	// CallbackLate: the check already had a result (it timed out, or an
	// earlier message with another event id completed it); nothing changed.
	CallbackLate = "late"
	// CallbackReplayed: the event id was seen before; nothing changed.
	CallbackReplayed = "replayed"
)

// CallbackOutcome is what a callback did.
type CallbackOutcome struct {
	Outcome string `json:"outcome"`
	CheckID string `json:"check_id"`
}

// errReplay rolls back a callback whose event id was seen before.
var errReplay = errors.New("identity callback replayed")

// Callback receives a result of an asynchronous identity provider
// (POST /api/v1/identity-callbacks/{provider}): the provider authenticates
// it (a valid signature over the event id, timestamp and body, the
// timestamp within five minutes), the check it names must be one the
// provider took (its reference, its tenant), and its event id must be new:
// the event id, the result, the audit event of the callback and the
// decision policy are one transaction. A replayed event id changes nothing
// and is audited and logged as such. A callback that fails authentication is
// refused (401) and logged without its content; no audit event is written
// for it, since nothing proves who sent it.
func (s *Checks) Callback(ctx context.Context, provider string, cb verify.Callback) (CallbackOutcome, error) {
	p, ok := s.d.Identity.(verify.Asynchronous)
	if !ok || s.d.Identity.Name() != provider {
		return CallbackOutcome{}, domain.Errorf(domain.ECodeNotFound, "No identity provider %q takes callbacks here.", provider)
	}
	log := s.d.log().With("provider", provider)
	res, err := p.VerifyCallback(cb, s.d.now())
	switch {
	case errors.Is(err, verify.ErrCallbackSignature):
		log.WarnContext(ctx, "identity callback refused: signature missing or not valid")
		return CallbackOutcome{}, domain.Errorf(domain.ECodeUnauthorized, "The callback's signature is missing or not valid.")
	case errors.Is(err, verify.ErrCallbackStale):
		log.WarnContext(ctx, "identity callback refused: timestamp outside the tolerance", "event_id", safeID(cb.ID))
		return CallbackOutcome{}, domain.Errorf(domain.ECodeUnauthorized, "The callback's timestamp is missing or more than %s away.", verify.CallbackTolerance)
	case errors.Is(err, verify.ErrCallbackMalformed):
		return CallbackOutcome{}, domain.Errorf(domain.ECodeMalformed, "The callback's body is not a result message.")
	case err != nil:
		return CallbackOutcome{}, err
	}
	var v domain.Validation
	if res.CheckID == "" {
		v.Add("check_id", "Name the check.")
	}
	if res.Reference == "" {
		v.Add("reference", "Give the reference returned for the check.")
	}
	if err := v.Err(); err != nil {
		return CallbackOutcome{}, err
	}
	if len(res.EventID) > 200 {
		return CallbackOutcome{}, domain.Errorf(domain.ECodeInvalid, "The event id is too long.")
	}
	out := CallbackOutcome{CheckID: res.CheckID}
	wrote, err := s.complete(ctx, domain.SystemActor("identity-"+provider), CompleteInput{
		CheckID: res.CheckID, Provider: provider, Reference: res.Reference, Status: res.Status, Summary: res.Summary, Details: res.Details,
	}, func(ctx context.Context, tx store.Tx, tenant string, rec store.CheckRecord) error {
		// Another tenant's check is not found: the provider echoes the
		// tenant it was sent.
		if res.Tenant != "" && res.Tenant != tenant {
			return domain.Errorf(domain.ECodeNotFound, "Check not found.")
		}
		if err := tx.Checks().RecordCallback(ctx, provider, res.EventID, rec.ID, s.d.now()); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return errReplay
			}
			return err
		}
		outcome := CallbackAccepted
		if domain.CheckStatus(rec.Status).Done() {
			outcome = CallbackLate
		}
		out.Outcome = outcome
		return s.audit.record(ctx, tx, auditEntry{Tenant: tenant, Actor: domain.SystemActor("identity-" + provider), Action: domain.EventIdentityCallback, EntityID: rec.ID,
			Meta: map[string]string{"customer_id": rec.CustomerID, "provider": provider, "event_id": res.EventID, "status": string(res.Status), "outcome": outcome}})
	})
	if errors.Is(err, errReplay) {
		log.WarnContext(ctx, "identity callback replayed: ignored", "event_id", safeID(res.EventID), "check_id", res.CheckID)
		if aerr := s.auditReplay(ctx, provider, res); aerr != nil {
			return CallbackOutcome{}, aerr
		}
		return CallbackOutcome{Outcome: CallbackReplayed, CheckID: res.CheckID}, nil
	}
	if err != nil {
		if c := domain.ErrCode(err); c == domain.ECodeNotFound || c == domain.ECodeConflict {
			log.WarnContext(ctx, "identity callback refused", "event_id", safeID(res.EventID), "reason", string(c))
		}
		return CallbackOutcome{}, err
	}
	if !wrote && out.Outcome == CallbackAccepted {
		out.Outcome = CallbackLate
	}
	return out, nil
}

// auditReplay records a replayed callback against its check.
func (s *Checks) auditReplay(ctx context.Context, provider string, res verify.CallbackResult) error {
	rec, err := s.d.Store.Checks().Get(ctx, res.CheckID)
	if err != nil {
		return nil // the first message named a check; nothing to attach to
	}
	crec, err := s.d.Store.Customers().Get(ctx, rec.CustomerID)
	if err != nil {
		return nil
	}
	return s.d.Store.InTx(ctx, func(tx store.Tx) error {
		return s.audit.record(ctx, tx, auditEntry{Tenant: crec.Tenant, Actor: domain.SystemActor("identity-" + provider), Action: domain.EventIdentityCallback, EntityID: rec.ID,
			Meta: map[string]string{"customer_id": rec.CustomerID, "provider": provider, "event_id": res.EventID, "status": string(res.Status), "outcome": CallbackReplayed}})
	})
}

// safeID bounds an id taken from a request before it is logged.
func safeID(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if len(s) > 80 {
		s = s[:80]
	}
	return fmt.Sprintf("%q", s)
}
