package app

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
)

// Per-person identity results of a business (PRODUCT.md section 5: "For a
// business, every ubo and control person is verified, one result per
// person"). The provider reports them in its details as "persons"
// (verify.PersonResult); when its result is recorded, the app keeps one
// result for every person the business must verify (domain.Business.
// ToVerify) under "person_results" in the check's encrypted details, and
// the check of the business passes only when every one of them passed: a
// person failed, needing review, still pending, or missing from a
// provider's list makes the company's identity check no better than that.

// Sources of a person's result.
const (
	// PersonFromProvider: the provider reported this person's result.
	PersonFromProvider = "provider"
	// PersonFromOverall: the provider reported no per-person results, so
	// each person carries the check's overall result (the provider was
	// asked to verify every one of them).
	PersonFromOverall = "overall"
	// PersonMissing: the provider listed results for others but not for
	// this person, who therefore needs review.
	PersonMissing = "missing"
)

// personResultKey is the key of the per-person results in a check's details.
const personResultKey = "person_results"

// PersonResult is the stored identity result of one person of a business.
type PersonResult struct {
	PartyID string             `json:"party_id"`
	Status  domain.CheckStatus `json:"status"`
	Summary string             `json:"summary"`
	Source  string             `json:"source"`
	// Raw is the provider's own entry for the person, if any.
	Raw json.RawMessage `json:"raw,omitempty"`
}

// providerPerson is what the app reads of a provider's entry.
type providerPerson struct {
	ID      string             `json:"id"`
	Status  domain.CheckStatus `json:"status"`
	Summary string             `json:"summary"`
}

// providerPersons finds the provider's per-person results in its details:
// "persons" at the top, or under "details" (an asynchronous provider's
// response, kept beside its reference).
func providerPersons(details []byte) map[string]json.RawMessage {
	var top map[string]json.RawMessage
	if json.Unmarshal(details, &top) != nil {
		return nil
	}
	raw, ok := top["persons"]
	if !ok {
		var inner map[string]json.RawMessage
		if d, ok := top["details"]; ok && json.Unmarshal(d, &inner) == nil {
			raw = inner["persons"]
		}
	}
	var list []json.RawMessage
	if len(raw) == 0 || json.Unmarshal(raw, &list) != nil {
		return nil
	}
	out := make(map[string]json.RawMessage, len(list))
	for _, e := range list {
		var p providerPerson
		if json.Unmarshal(e, &p) == nil && strings.TrimSpace(p.ID) != "" {
			if _, dup := out[p.ID]; !dup {
				out[strings.TrimSpace(p.ID)] = e
			}
		}
	}
	return out
}

// identitySeverity orders the statuses of a person's result for the
// company's: failed > needs_review (pending counts as needs_review once the
// check is done) > passed.
func identitySeverity(s domain.CheckStatus) int {
	switch s {
	case domain.CheckFailed:
		return 3
	case domain.CheckNeedsReview, domain.CheckPending:
		return 2
	case domain.CheckPassed:
		return 1
	}
	return 2 // anything else a provider says is doubt
}

// withPersonResults completes the outcome of a business's identity check:
// one result per person to verify, stored in the details, and the check's
// status no better than any of them (a pending person counts as
// needs_review). Other checks and customers pass unchanged.
func withPersonResults(cust *domain.Customer, out checkOutcome) (checkOutcome, error) {
	b := cust.Data.Business
	if b == nil || (out.Status != domain.CheckPassed && out.Status != domain.CheckFailed && out.Status != domain.CheckNeedsReview) {
		return out, nil
	}
	details := []byte("{}")
	if out.Details != nil {
		var err error
		if details, err = json.Marshal(out.Details); err != nil {
			return out, err
		}
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(details, &obj); err != nil || obj == nil {
		// Details that are not an object are kept beside the results.
		obj = map[string]json.RawMessage{"provider_details": details}
	}
	given := providerPersons(details)
	var results []PersonResult
	var problems []string
	status := out.Status
	for _, i := range b.ToVerify() {
		rp := b.RelatedPersons[i]
		r := PersonResult{PartyID: rp.ID}
		switch raw, ok := given[rp.ID]; {
		case ok:
			var p providerPerson
			_ = json.Unmarshal(raw, &p)
			r.Status, r.Summary, r.Source, r.Raw = p.Status, clip(strings.TrimSpace(p.Summary), maxSummary), PersonFromProvider, raw
			switch r.Status {
			case domain.CheckPassed, domain.CheckFailed, domain.CheckNeedsReview, domain.CheckPending:
			default:
				r.Status, r.Summary = domain.CheckNeedsReview, "The provider's result for this person is not one kyc knows; verify by hand."
			}
		case len(given) > 0:
			r.Status, r.Summary, r.Source = domain.CheckNeedsReview, "The provider returned no result for this person; verify by hand.", PersonMissing
		default:
			r.Status, r.Summary, r.Source = out.Status, "Covered by the provider's overall result.", PersonFromOverall
		}
		results = append(results, r)
		if identitySeverity(r.Status) > identitySeverity(status) {
			status = domain.CheckNeedsReview
			if r.Status == domain.CheckFailed {
				status = domain.CheckFailed
			}
		}
		if r.Status != domain.CheckPassed && r.Source != PersonFromOverall {
			// Role and party id: no personal data in the summary.
			problems = append(problems, fmt.Sprintf("%s %s: %s", rp.RoleLabel(), rp.ID, strings.ReplaceAll(string(r.Status), "_", " ")))
		}
	}
	enc, err := json.Marshal(results)
	if err != nil {
		return out, err
	}
	obj[personResultKey] = enc
	out.Details = obj
	if len(problems) > 0 {
		out.Summary = clip(strings.TrimRight(out.Summary, ". ")+". Persons not verified: "+strings.Join(problems, "; ")+".", maxSummary)
	}
	out.Status = status
	return out, nil
}

// clip cuts s to at most n bytes, on a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := 0
	for i := range s {
		if i > n-len("…") {
			break
		}
		cut = i
	}
	return s[:cut] + "…"
}

// PersonIdentity is one row of the per-person identity panel of a
// business's case page: a beneficial owner or control person with the
// result of their identity verification in the latest round.
type PersonIdentity struct {
	PartyID string
	// Roles and Role (the most significant, in words).
	Roles []domain.RelatedRole
	Role  string
	Name  string
	// Ownership is the person's effective share of the customer, in
	// percent (0 for a control person who holds none).
	Ownership float64
	// Status is the person's result: pending while the check runs.
	Status   domain.CheckStatus
	Provider string
	// CheckedAt is when the result was recorded (nil while pending).
	CheckedAt *time.Time
	Summary   string
	Source    string
	// Raw is the provider's entry for the person (JSON), if any.
	Raw json.RawMessage
}

// PersonIdentities lists, for a business, every person it must verify
// (beneficial owners and control persons) with their identity result from
// the identity check among checks (the latest round, as ListChecks
// returns it). It returns nil for an individual. Checks recorded before
// per-person results were kept carry the check's overall result.
func PersonIdentities(c *domain.Customer, checks []domain.Check) []PersonIdentity {
	b := c.Data.Business
	if b == nil {
		return nil
	}
	var chk *domain.Check
	for i := range checks {
		if checks[i].Type == domain.CheckIdentity {
			chk = &checks[i]
			break
		}
	}
	stored := map[string]PersonResult{}
	if chk != nil && chk.Status.Done() && len(chk.Details) > 0 {
		var d struct {
			Persons []PersonResult `json:"person_results"`
		}
		if json.Unmarshal(chk.Details, &d) == nil {
			for _, r := range d.Persons {
				stored[r.PartyID] = r
			}
		}
	}
	own := domain.ComputeOwnership(b.RelatedPersons)
	var out []PersonIdentity
	for _, i := range b.ToVerify() {
		rp := b.RelatedPersons[i]
		row := PersonIdentity{PartyID: rp.ID, Roles: rp.Roles, Role: rp.RoleLabel(), Name: rp.FullName(), Status: domain.CheckPending}
		if ow, ok := own.OwnerOf(i); ok {
			row.Ownership = ow.Effective
		}
		switch {
		case chk == nil:
			row.Summary = "Not checked yet."
		case !chk.Status.Done():
			row.Provider, row.Summary = chk.Provider, "Waiting for the provider's result."
		default:
			row.Provider, row.CheckedAt = chk.Provider, chk.FinishedAt
			if r, ok := stored[rp.ID]; ok {
				row.Status, row.Summary, row.Source, row.Raw = r.Status, r.Summary, r.Source, r.Raw
			} else {
				row.Status, row.Summary, row.Source = chk.Status, "Covered by the check's overall result.", PersonFromOverall
				if chk.Status == domain.CheckError {
					row.Summary = "The check could not be completed."
				}
			}
		}
		out = append(out, row)
	}
	return out
}
