package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// TestRiskOverrideAPI: POST /api/v1/customers/{id}/risk-overrides stores a
// pending override beside the computed rating (201), effective only once a
// staff mlro approves it (RISK_MODEL.md; PRODUCT.md section 3); GET of the
// customer shows the computed rating, the override and the rating in
// force. Bad input is a 422 naming each bad field; another tenant's
// customer is 404; the scope is cases:write.
func TestRiskOverrideAPI(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("customers:read customers:write cases:write")
		_, reader := e.client("customers:read customers:write")
		_, other := e.clientIn("globex", "customers:read cases:write")
		e.ImportOFAC()
		c := e.create(tok, individual())
		if got := e.submitAndRun(tok, c.ID); got.Status != "approved" {
			t.Fatalf("customer is %s", got.Status)
		}
		path := "/api/v1/customers/" + c.ID + "/risk-overrides"
		wantProblem(t, e.post(path, tok, map[string]any{"rating": "extreme"}), http.StatusUnprocessableEntity, "body.rating", "body.reason")
		wantProblem(t, e.post(path, tok, map[string]any{"rating": "prohibited", "reason": "x"}), http.StatusUnprocessableEntity, "body.rating")
		wantProblem(t, e.post(path, other, map[string]any{"rating": "high", "reason": "adverse media"}), http.StatusNotFound)
		wantProblem(t, e.post(path, reader, map[string]any{"rating": "high", "reason": "adverse media"}), http.StatusForbidden)

		const reason = "Adverse media about the employer"
		r := e.post(path, tok, map[string]any{"rating": "high", "reason": reason})
		var raw map[string]any
		want(t, r, http.StatusCreated, &raw)
		if raw["status"] != "pending" || raw["rating"] != "high" || raw["computed_rating"] != "low" || raw["due_diligence"] != "enhanced" {
			t.Fatalf("override: %s", r.Body)
		}
		if strings.Contains(string(r.Body), "Adverse") {
			t.Fatalf("the internal reason is echoed: %s", r.Body)
		}
		wantProblem(t, e.post(path, tok, map[string]any{"rating": "medium", "reason": "again"}), http.StatusConflict)

		var got map[string]any
		want(t, e.get("/api/v1/customers/"+c.ID, tok), http.StatusOK, &got)
		ov, _ := got["risk_override"].(map[string]any)
		if got["risk_rating"] != "low" || got["computed_risk_rating"] != "low" || got["effective_risk_rating"] != "low" || ov == nil || ov["status"] != "pending" {
			t.Fatalf("customer with a pending override: %v", got)
		}

		// An mlro approves it in the back office (app.RiskOverrides.Decide).
		mlro := kyctest.StaffUser(t, e.Bundle, &kyctest.StaffUserOpts{Role: app.RoleMLRO}).Actor()
		if _, err := e.App.RiskOverrides.Decide(e.Ctx, mlro, raw["id"].(string), app.DecideOverrideInput{Approve: true}); err != nil {
			t.Fatal(err)
		}
		want(t, e.get("/api/v1/customers/"+c.ID, tok), http.StatusOK, &got)
		ov, _ = got["risk_override"].(map[string]any)
		if got["risk_rating"] != "high" || got["due_diligence"] != "enhanced" || got["computed_risk_rating"] != "low" || got["computed_due_diligence"] != "simplified" ||
			got["effective_risk_rating"] != "high" || ov == nil || ov["status"] != "approved" {
			t.Fatalf("customer with an approved override: %v", got)
		}
		// The assessment is untouched.
		var risk map[string]any
		want(t, e.get("/api/v1/customers/"+c.ID+"/risk", tok), http.StatusOK, &risk)
		if risk["rating"] != "low" {
			t.Fatalf("assessment after the override: %v", risk)
		}
	})
}
