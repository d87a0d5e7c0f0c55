package staff_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// TestCloseFromCustomerPage: an analyst closes an approved customer's
// relationship from its page (off-boarding, with a required reason); the
// page then shows when it closed and how long the records are kept. An
// auditor sees no form and is refused.
func TestCloseFromCustomerPage(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		d := person("Anna", "Berg", "DE", false)
		c := kyctest.SubmittedCustomer(t, e.Bundle, &kyctest.CustomerOpts{Actor: kyctest.Operator, Data: &d})
		cs := kyctest.OpenCase(t, e.Bundle, c.ID)
		if _, err := e.App.Cases.Decide(e.Ctx, e.Users["analyst"].Actor(), cs.ID, app.DecideInput{Decision: domain.DecisionApprove, Reason: "verified"}); err != nil {
			t.Fatal(err)
		}
		auditor := e.signIn("auditor")
		r := auditor.get("/staff/customers/" + c.ID)
		want(t, r, http.StatusOK)
		if contains(r.Body, `data-testid="close-customer"`) {
			t.Fatal("an auditor is offered the close form")
		}
		r = auditor.post("/staff/customers/"+c.ID+"/close", url.Values{"reason": {"x"}}, false)
		if r.Status != http.StatusForbidden {
			t.Fatalf("auditor close: %d", r.Status)
		}

		b := e.signIn("analyst")
		want(t, b.get("/staff/customers/"+c.ID), http.StatusOK, `data-testid="close-customer"`)
		want(t, b.post("/staff/customers/"+c.ID+"/close", url.Values{"reason": {"  "}}, false), http.StatusUnprocessableEntity, `id="close-reason-error"`)
		r = b.post("/staff/customers/"+c.ID+"/close", url.Values{"reason": {"Customer asked to end the relationship"}}, false)
		if r.Status != http.StatusSeeOther || r.Location != "/staff/customers/"+c.ID+"?done=closed" {
			t.Fatalf("close: %d %s", r.Status, r.Location)
		}
		r = b.get(r.Location)
		want(t, r, http.StatusOK, `data-testid="closed-at"`, `data-testid="retention-ends-at"`, "The relationship was closed")
		if contains(r.Body, `data-testid="close-customer"`) {
			t.Fatal("a closed customer is offered the close form")
		}
		got, err := e.App.Customers.Get(e.Ctx, kyctest.Operator, c.ID)
		if err != nil || got.Status != domain.StatusClosed {
			t.Fatalf("customer %+v %v", got, err)
		}
	})
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
