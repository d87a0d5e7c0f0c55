package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestCloseCustomerAPI: POST /api/v1/customers/{id}/close moves an approved
// customer to closed and GET shows closed_at and retention_ends_at (five
// years later by default: EU AMLD 2015/849 art. 40(1)(b)); any other
// status answers 409, a missing reason 422 naming it, another tenant 404
// and a client without customers:write 403.
func TestCloseCustomerAPI(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("customers:read customers:write")
		_, reader := e.client("customers:read")
		_, other := e.clientIn("globex", "customers:read customers:write")

		draft := e.create(tok, individual())
		wantProblem(t, e.post("/api/v1/customers/"+draft.ID+"/close", tok, map[string]any{"reason": "not needed"}), http.StatusConflict)

		e.ImportOFAC()
		c := e.create(tok, individual())
		if got := e.submitAndRun(tok, c.ID); got.Status != "approved" {
			t.Fatalf("customer is %s", got.Status)
		}
		wantProblem(t, e.post("/api/v1/customers/"+c.ID+"/close", tok, map[string]any{}), http.StatusUnprocessableEntity, "body.reason")
		wantProblem(t, e.post("/api/v1/customers/"+c.ID+"/close", other, map[string]any{"reason": "not needed"}), http.StatusNotFound)
		wantProblem(t, e.post("/api/v1/customers/"+c.ID+"/close", reader, map[string]any{"reason": "not needed"}), http.StatusForbidden)

		r := e.post("/api/v1/customers/"+c.ID+"/close", tok, map[string]any{"reason": "Customer asked to end the relationship"})
		var closed struct {
			Status          string     `json:"status"`
			ClosedAt        *time.Time `json:"closed_at"`
			RetentionEndsAt *time.Time `json:"retention_ends_at"`
			NextReviewAt    *time.Time `json:"next_review_at"`
		}
		want(t, r, http.StatusOK, &closed)
		if closed.Status != "closed" || closed.ClosedAt == nil || closed.RetentionEndsAt == nil || closed.NextReviewAt != nil {
			t.Fatalf("closed: %s", r.Body)
		}
		if strings.Contains(string(r.Body), "relationship") {
			t.Fatalf("the internal reason is in the response: %s", r.Body)
		}
		want(t, e.get("/api/v1/customers/"+c.ID, reader), http.StatusOK, &closed)
		if !closed.RetentionEndsAt.Equal(closed.ClosedAt.AddDate(5, 0, 0)) {
			t.Fatalf("retention ends %s, closed %s", closed.RetentionEndsAt, closed.ClosedAt)
		}
		wantProblem(t, e.post("/api/v1/customers/"+c.ID+"/close", tok, map[string]any{"reason": "again"}), http.StatusConflict)
	})
}
