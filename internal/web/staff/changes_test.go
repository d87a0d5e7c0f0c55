package staff_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// TestChangeHistoryOnCasePage: a change of circumstances that comes out
// worse opens a change_review case whose page shows the history of
// changes with the values they replaced, masked until a reviewer reveals
// them (the reveal is audited, as every access to masked personal data).
func TestChangeHistoryOnCasePage(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		d := person("Anna", "Berg", "DE", false)
		c := kyctest.SubmittedCustomer(t, e.Bundle, &kyctest.CustomerOpts{Actor: kyctest.Operator, Data: &d})
		onboarding := kyctest.OpenCase(t, e.Bundle, c.ID)
		if _, err := e.App.Cases.Decide(e.Ctx, e.Users["analyst"].Actor(), onboarding.ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "verified"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.App.Customers.Update(e.Ctx, kyctest.Operator, c.ID, func(d domain.CustomerData) (domain.CustomerData, error) {
			d.Individual.OtherNationalities = []string{"RU"}
			d.Individual.Address = &domain.Address{Line1: "Lindenallee 7", City: "Potsdam", PostalCode: "14467", Country: "DE"}
			return d, nil
		}); err != nil {
			t.Fatal(err)
		}
		e.RunChecks()
		cs, _, err := e.App.Cases.List(e.Ctx, kyctest.Operator, app.ListCasesInput{CustomerID: c.ID, Kind: string(domain.CaseChangeReview)})
		if err != nil || len(cs) != 1 {
			t.Fatalf("change review: %d %v", len(cs), err)
		}
		b := e.signIn("analyst")
		r := b.get("/staff/cases/" + cs[0].ID)
		want(t, r, http.StatusOK, `data-testid="changes"`, "Changes of circumstances", "address before", "change review opened")
		if contains(r.Body, "Hauptstraße") {
			t.Fatal("the previous address is shown before it is revealed")
		}
		r = b.post("/staff/customers/"+c.ID+"/changes/reveal", url.Values{}, true)
		want(t, r, http.StatusOK, "Hauptstraße 5", `data-testid="revealed"`)
		e.SealAudit()
		evs, err := e.App.Audit.ListEvents(e.Ctx, kyctest.Operator, app.AuditQuery{EntityType: domain.EntityCustomer, EntityID: c.ID, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		revealed := false
		for _, ev := range evs {
			revealed = revealed || (ev.Action == string(domain.EventCustomerRevealed) && contains(ev.Meta, `"section":"changes"`))
		}
		if !revealed {
			t.Fatal("revealing the change history was not audited")
		}
	})
}
