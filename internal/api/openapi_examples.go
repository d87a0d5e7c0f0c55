package api

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// requestExamples are example bodies of the main operations, shown by
// viewers and generators (a linter checks each against its schema).
var requestExamples = []struct {
	method, path string
	body         map[string]any
}{
	{http.MethodPost, "/api/v1/customers", map[string]any{
		"type": "individual", "external_ref": "crm-10442",
		"given_names": "Anna Maria", "family_name": "Eriksson", "birth_date": "1990-08-12",
		"place_of_birth": map[string]any{"city": "Uppsala", "country": "SE"}, "nationality": "SE",
		"email": "anna.eriksson@example.com", "phone": "+46701234567",
		"address":    map[string]any{"line1": "Storgatan 1", "city": "Stockholm", "postal_code": "11122", "country": "SE"},
		"occupation": "Teacher", "expected_monthly_volume": map[string]any{"amount": 300000, "currency": "EUR"}, "source_of_funds": "Salary",
		"document": map[string]any{"type": "id_card", "number": "SE1234567", "issuing_country": "SE", "expiry_date": "2031-05-31"},
	}},
	{http.MethodPost, "/api/v1/screenings", map[string]any{"name": "Vladimir Putin", "type": "person", "birth_date": "1952-10-07", "country": "RU", "threshold": 0.88, "limit": 10}},
	{http.MethodPost, "/api/v1/cases/{id}/decisions", map[string]any{"decision": "approve", "reason": "Identity verified; the screening hit is a different person (other birth date)."}},
	{http.MethodPatch, "/api/v1/screening-hits/{id}", map[string]any{"disposition": "false_positive", "reason": "Different birth date and nationality."}},
	{http.MethodPost, "/api/v1/transactions", map[string]any{
		"external_id": "pay-2026-000187", "customer_id": "cus_06h2ba9rjhr7713tpgjy1kcb4w", "amount": 250000, "currency": "EUR",
		"direction": "in", "channel": "wire", "counterparty": map[string]any{"name": "Nordic Supplies AB", "country": "SE", "type": "organization"},
		"occurred_at": "2026-03-02T10:15:00Z",
	}},
	{http.MethodPost, "/api/v1/webhook-endpoints", map[string]any{"url": "https://crm.example.com/hooks/kyc", "event_types": []string{"customer.approved", "customer.rejected"}, "description": "CRM"}},
	{http.MethodPost, "/api/v1/customers/{id}/close", map[string]any{"reason": "The customer asked to end the relationship."}},
}

// addExamples attaches requestExamples to their operations' JSON bodies.
func addExamples(oapi *huma.OpenAPI) {
	for _, ex := range requestExamples {
		op := operation(oapi, ex.method, ex.path)
		mt := op.RequestBody.Content["application/json"]
		if mt == nil {
			panic("api: example for an operation without a JSON body: " + ex.method + " " + ex.path)
		}
		mt.Example = ex.body
	}
}
