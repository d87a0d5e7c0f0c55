package api_test

import (
	"net/http"
	"testing"
)

// TestCustomerReadsAudited: an API client's read of a customer's personal
// data — by id, or in a list — is in the audit trail with the client as
// actor (hardening item 13; GDPR art. 30 and 32(1)(d)).
func TestCustomerReadsAudited(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		clientID, tok := e.client("customers:read customers:write")
		var c struct {
			ID string `json:"id"`
		}
		want(t, e.post("/api/v1/customers", tok, individual()), http.StatusCreated, &c)
		want(t, e.get("/api/v1/customers/"+c.ID, tok), http.StatusOK, nil)
		want(t, e.get("/api/v1/customers?limit=10", tok), http.StatusOK, nil)
		_, audTok := e.client("audit:read")
		e.SealAudit()
		var ev struct {
			Data []struct {
				Action string            `json:"action"`
				Actor  string            `json:"actor"`
				Meta   map[string]string `json:"meta"`
			} `json:"data"`
		}
		want(t, e.get("/api/v1/audit-events?entity_type=customer&entity_id="+c.ID, audTok), http.StatusOK, &ev)
		via := map[string]bool{}
		for _, x := range ev.Data {
			if x.Action != "customer.read" {
				continue
			}
			if x.Actor != "client:"+clientID {
				t.Errorf("customer.read by %v, want client %s", x.Actor, clientID)
			}
			via[x.Meta["via"]] = true
		}
		if !via["get"] || !via["list"] {
			t.Fatalf("customer.read events via %v, want get and list: %+v", via, ev.Data)
		}
	})
}
