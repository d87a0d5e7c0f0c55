package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestProblemsNeverEchoValues: a rejected request's problem body names the
// fields and what is wrong, never the values sent — not for a body that is
// not JSON, not for a value of the wrong type or format, not as Go struct
// paths (hardening item 12: validation errors echoed passport numbers;
// GDPR art. 5(1)(c), data minimisation).
func TestProblemsNeverEchoValues(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("all")
		const secret = "P4SSP0RT998877"
		noEcho := func(what string, r *response) {
			t.Helper()
			for _, bad := range []string{secret, `"value"`, "Go struct", "Go value", "int64", "CustomerCreateBody"} {
				if strings.Contains(string(r.Body), bad) {
					t.Errorf("%s: problem body contains %q: %s", what, bad, r.Body)
				}
			}
		}
		// Not JSON at all.
		r := e.post("/api/v1/customers", tok, `{"type":"individual","document":{"number":"`+secret+`"`)
		wantProblem(t, r, http.StatusBadRequest, "body")
		noEcho("malformed JSON", r)

		// A value of the wrong type: a passport number where an object goes.
		b := individual()
		b["address"] = secret
		r = e.post("/api/v1/customers", tok, b)
		wantProblem(t, r, http.StatusUnprocessableEntity, "body.address")
		noEcho("wrong type", r)

		// A wrong format: a passport number typed into the birth date.
		b = individual()
		b["birth_date"] = secret
		r = e.post("/api/v1/customers", tok, b)
		wantProblem(t, r, http.StatusUnprocessableEntity, "body.birth_date")
		noEcho("wrong format", r)

		// An amount beyond 64 bits: named by field, no Go types.
		r = e.post("/api/v1/transactions", tok, `{"external_id":"t1","customer_id":"cus_x","amount":1e30,"currency":"EUR","direction":"in","channel":"cash","counterparty":{"name":"`+secret+`"},"occurred_at":"2026-01-01T00:00:00Z"}`)
		p := wantProblem(t, r, r.Status)
		if r.Status < 400 || r.Status >= 500 {
			t.Fatalf("amount overflow: status %d", r.Status)
		}
		noEcho("int64 overflow", r)
		if !strings.Contains(strings.Join(p.locations(), ","), "amount") {
			t.Errorf("amount overflow: errors %v do not name amount: %s", p.locations(), r.Body)
		}

		// The same overflow in a batch item and in a merge patch: no Go
		// type names either.
		r = e.post("/api/v1/transactions/batch", tok, `[{"external_id":"t1","customer_id":"cus_x","amount":99999999999999999999,"currency":"EUR","direction":"in","channel":"cash","counterparty":{"name":"`+secret+`"},"occurred_at":"2026-01-01T00:00:00Z"}]`)
		noEcho("batch int64 overflow", r)
		if !strings.Contains(string(r.Body), "amount must be a whole number within 64-bit range") {
			t.Errorf("batch int64 overflow: %s", r.Body)
		}
		c := e.create(tok, individual())
		r = e.patch("/api/v1/customers/"+c.ID, tok, `{"expected_monthly_volume":{"amount":99999999999999999999,"currency":"EUR"}}`)
		wantProblem(t, r, http.StatusUnprocessableEntity, "body.expected_monthly_volume.amount")
		noEcho("patch int64 overflow", r)
	})
}
