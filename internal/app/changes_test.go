package app_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// changeCases lists a customer's change_review cases.
func changeCases(t *testing.T, h *kyctest.Bundle, customerID string) []domain.Case {
	t.Helper()
	cs, _, err := h.App.Cases.List(h.Ctx, kyctest.Operator, app.ListCasesInput{CustomerID: customerID, Kind: string(domain.CaseChangeReview)})
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// TestChangeOfCircumstancesKept: an approved customer who moves house is
// changed in place (FATF R.10(d): CDD data kept up to date; EU AMLR
// 2024/1624 art. 26(2)); the former address is kept in the change history,
// the checks run again, and an outcome that still allows approval keeps
// the customer approved with no case for anyone.
func TestChangeOfCircumstancesKept(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		c := approved(t, h)
		got, err := h.App.Customers.Update(h.Ctx, kyctest.Client, c.ID, func(d domain.CustomerData) (domain.CustomerData, error) {
			d.Individual.Address = &domain.Address{Line1: "Drottninggatan 10", City: "Göteborg", PostalCode: "41103", Country: "SE"}
			return d, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != domain.StatusApproved || got.Data.Individual.Address.City != "Göteborg" {
			t.Fatalf("after the change: %s, %+v", got.Status, got.Data.Individual.Address)
		}
		if n := h.RunChecks(); n != 3 {
			t.Fatalf("checks re-run: %d, want 3", n)
		}
		after, err := h.App.Customers.Get(h.Ctx, kyctest.Client, c.ID)
		if err != nil || after.Status != domain.StatusApproved {
			t.Fatalf("after the checks: %v %v", after.Status, err)
		}
		if cs := changeCases(t, h, c.ID); len(cs) != 0 {
			t.Fatalf("change review opened for a change that keeps approval: %+v", cs)
		}
		changes, err := h.App.Customers.Changes(h.Ctx, kyctest.Client, c.ID)
		if err != nil || len(changes) != 1 {
			t.Fatalf("history: %+v %v", changes, err)
		}
		ch := changes[0]
		if ch.Outcome != app.ChangeKept || strings.Join(ch.Fields, ",") != "address" || ch.Round != 2 || ch.PreviousRating != domain.RiskLow || ch.DecidedAt == nil {
			t.Fatalf("change: %+v", ch)
		}
		var prev domain.Address
		if err := json.Unmarshal(ch.Previous["address"], &prev); err != nil || prev.City != "Stockholm" {
			t.Fatalf("previous address %s: %v", ch.Previous["address"], err)
		}
		// The previous values are personal data: encrypted at rest.
		recs, err := h.Store.Reviews().Changes(h.Ctx, c.ID)
		if err != nil || len(recs) != 1 || strings.Contains(string(recs[0].Previous), "Stockholm") {
			t.Fatalf("stored change: %v", err)
		}
		if ev := lastEventOf(t, h, c.ID, domain.EventCustomerChangeChecked); !strings.Contains(ev.Meta, `"outcome":"kept"`) || strings.Contains(ev.Meta, "Göteborg") {
			t.Fatalf("audit: %s", ev.Meta)
		}
		// The data subject's export holds the history (EU GDPR art. 15).
		x, err := h.App.Records.Export(h.Ctx, kyctest.Client, c.ID)
		if err != nil || len(x.Changes) != 1 || !strings.Contains(string(x.Changes[0].Previous["address"]), "Stockholm") {
			t.Fatalf("export: %+v %v", x.Changes, err)
		}
		// Another tenant's client sees nothing of it.
		if _, err := h.App.Customers.Changes(h.Ctx, kyctest.Outsider, c.ID); domain.ErrCode(err) != domain.ECodeNotFound {
			t.Fatalf("outsider reads the history: %v", err)
		}
	})
}

// TestChangeOfCircumstancesWorse: a change that makes the re-run checks
// worse than approval allows (here a new nationality under broad sectoral
// sanctions raises the rating from low to medium; RISK_MODEL.md) opens a
// change_review case; the customer stays approved until a person decides
// (PRODUCT.md section 7), and approving the case sets the next review by
// the new rating.
func TestChangeOfCircumstancesWorse(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		c := approved(t, h)
		if _, err := h.App.Customers.Update(h.Ctx, kyctest.Client, c.ID, func(d domain.CustomerData) (domain.CustomerData, error) {
			d.Individual.OtherNationalities = []string{"RU"}
			return d, nil
		}); err != nil {
			t.Fatal(err)
		}
		h.RunChecks()
		got, err := h.App.Customers.Get(h.Ctx, kyctest.Client, c.ID)
		if err != nil || got.Status != domain.StatusApproved || got.RiskRating != domain.RiskMedium {
			t.Fatalf("after the checks: %s %s %v", got.Status, got.RiskRating, err)
		}
		cs := changeCases(t, h, c.ID)
		if len(cs) != 1 || cs[0].Status != domain.CaseOpen || !strings.Contains(cs[0].Reason, "risk rating low → medium") || !strings.Contains(cs[0].Reason, "other_nationalities") {
			t.Fatalf("change review: %+v", cs)
		}
		changes, err := h.App.Customers.Changes(h.Ctx, kyctest.Client, c.ID)
		if err != nil || len(changes) != 1 || changes[0].Outcome != app.ChangeCase || changes[0].CaseID != cs[0].ID || string(changes[0].Previous["other_nationalities"]) != "null" {
			t.Fatalf("history: %+v %v", changes, err)
		}
		analyst := kyctest.StaffUser(t, h, &kyctest.StaffUserOpts{Role: app.RoleAnalyst}).Actor()
		res, err := h.App.Cases.Decide(h.Ctx, analyst, cs[0].ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "Second nationality explained; standard due diligence"})
		if err != nil {
			t.Fatal(err)
		}
		want := h.Risk.NextReview(domain.RiskMedium, h.Clock.Peek())
		if res.Customer.Status != domain.StatusApproved || res.Customer.NextReviewAt == nil || res.Customer.NextReviewAt.After(want) || res.Customer.NextReviewAt.Before(want.AddDate(0, 0, -1)) {
			t.Fatalf("after approving the change: %s, next review %v (want about %s)", res.Customer.Status, res.Customer.NextReviewAt, want)
		}
	})
}

// TestChangeOfCircumstancesRefused: a change is validated like the
// customer itself (422 naming the field), and the anchors of identity (a
// birth date) are not changed after approval; nothing is stored and no
// check runs.
func TestChangeOfCircumstancesRefused(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		c := approved(t, h)
		for _, tc := range []struct {
			field string
			edit  func(p *domain.Person)
		}{
			{"birth_date", func(p *domain.Person) { p.BirthDate = "1991-08-12" }},
			{"nationality", func(p *domain.Person) { p.Nationality = "XX" }},
		} {
			_, err := h.App.Customers.Update(h.Ctx, kyctest.Client, c.ID, func(d domain.CustomerData) (domain.CustomerData, error) {
				tc.edit(d.Individual)
				return d, nil
			})
			var e *domain.Error
			if domain.ErrCode(err) != domain.ECodeInvalid || !errors.As(err, &e) || len(e.Fields) == 0 || e.Fields[0].Location != tc.field {
				t.Fatalf("%s: %v", tc.field, err)
			}
		}
		if n := h.RunChecks(); n != 0 {
			t.Fatalf("%d checks ran for refused changes", n)
		}
		if changes, err := h.App.Customers.Changes(h.Ctx, kyctest.Client, c.ID); err != nil || len(changes) != 0 {
			t.Fatalf("history: %+v %v", changes, err)
		}
	})
}
