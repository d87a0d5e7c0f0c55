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

// This file holds the risk assessment of the checks: the risk check of a
// submission round, the confirmed screening matches the model weighs, and
// the assessment stored on the customer (again with the identity in doubt
// when the identity check did not pass).

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
			return saveAssessment(ctx, tx, s.d, s.audit, &cust, chk.ID, a, domain.SystemActor("risk"), false)
		},
		// The round writes the customer's new rating once, with the
		// decision it reaches (one non-HOT update of the customers row
		// and its nine indexes fewer per onboarding).
		customerUnwritten: true,
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
// the record as written, or, write false, as changed for the caller to
// write (its version not yet moved on).
func saveAssessment(ctx context.Context, tx store.Tx, d *Deps, audit *AuditLog, crec *store.CustomerRecord, checkID string, a domain.RiskAssessment, actor domain.Actor, write bool) (store.CustomerRecord, error) {
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
	nrec.UpdatedAt = now
	if write {
		nrec.Version++
		if err := tx.Customers().Update(ctx, nrec); err != nil {
			return store.CustomerRecord{}, err
		}
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
	nrec, err := saveAssessment(ctx, tx, s.d, s.audit, &crec, riskCheckID, a, domain.SystemActor("decision-policy"), true)
	if err != nil {
		return nil, err
	}
	return customerFromRecord(s.d.Crypt, nrec)
}
