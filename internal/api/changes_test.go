package api_test

import (
	"net/http"
	"testing"
)

// TestPatchApprovedCustomer: PATCH on an approved customer is a change of
// circumstances (PRODUCT.md section 3): accepted (200, still approved),
// the checks run again; a field that cannot change after approval, or an
// invalid value, is a 422 naming the field, and nothing changes.
func TestPatchApprovedCustomer(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		e.ImportOFAC()
		_, tok := e.client("customers:read customers:write")
		c := e.create(tok, individual())
		if got := e.submitAndRun(tok, c.ID); got.Status != "approved" {
			t.Fatalf("customer %s, want approved", got.Status)
		}
		var got customer
		want(t, e.patch("/api/v1/customers/"+c.ID, tok, map[string]any{"occupation": "Architect"}), http.StatusOK, &got)
		if got.Status != "approved" || got.Occupation != "Architect" {
			t.Fatalf("after PATCH: %+v", got)
		}
		if n := e.RunChecks(); n != 3 {
			t.Fatalf("checks re-run: %d, want 3", n)
		}
		want(t, e.get("/api/v1/customers/"+c.ID, tok), http.StatusOK, &got)
		if got.Status != "approved" {
			t.Fatalf("after the checks: %s", got.Status)
		}
		wantProblem(t, e.patch("/api/v1/customers/"+c.ID, tok, map[string]any{"birth_date": "1980-01-02"}), http.StatusUnprocessableEntity, "body.birth_date")
		wantProblem(t, e.patch("/api/v1/customers/"+c.ID, tok, map[string]any{"nationality": "XX"}), http.StatusUnprocessableEntity, "body.nationality")
		if n := e.RunChecks(); n != 0 {
			t.Fatalf("%d checks ran after refused changes", n)
		}
	})
}
