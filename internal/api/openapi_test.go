package api_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
)

// document is the served OpenAPI document, decoded loosely.
type document struct {
	raw        []byte
	Servers    []struct{ URL string } `json:"servers"`
	Paths      map[string]map[string]*docOperation
	Components struct {
		Schemas         map[string]*docSchema `json:"schemas"`
		SecuritySchemes map[string]struct {
			Type  string `json:"type"`
			Flows struct {
				ClientCredentials *struct {
					TokenURL string `json:"tokenUrl"`
				} `json:"clientCredentials"`
			} `json:"flows"`
		} `json:"securitySchemes"`
	} `json:"components"`
}

type docSchema struct {
	Ref        string                `json:"$ref"`
	Type       any                   `json:"type"`
	Enum       []string              `json:"enum"`
	Items      *docSchema            `json:"items"`
	Required   []string              `json:"required"`
	Properties map[string]*docSchema `json:"properties"`
}

type docMedia struct {
	Schema  *docSchema `json:"schema"`
	Example any        `json:"example"`
}

type docOperation struct {
	OperationID string `json:"operationId"`
	Parameters  []struct {
		Name   string     `json:"name"`
		In     string     `json:"in"`
		Schema *docSchema `json:"schema"`
	} `json:"parameters"`
	RequestBody *struct {
		Required bool                 `json:"required"`
		Content  map[string]*docMedia `json:"content"`
	} `json:"requestBody"`
	Responses map[string]*struct {
		Headers map[string]any       `json:"headers"`
		Content map[string]*docMedia `json:"content"`
	} `json:"responses"`
	Security []map[string][]string `json:"security"`
}

// served fetches and decodes /openapi.json.
func served(t *testing.T, e *env) *document {
	t.Helper()
	r := e.get("/openapi.json", "")
	want(t, r, http.StatusOK, nil)
	var d document
	if err := json.Unmarshal(r.Body, &d); err != nil {
		t.Fatal(err)
	}
	d.raw = r.Body
	return &d
}

// enum returns the enum of a component schema's property (of its items for
// an array).
func (d *document) enum(schema, prop string) []string {
	s := d.Components.Schemas[schema]
	if s == nil || s.Properties[prop] == nil {
		return nil
	}
	p := s.Properties[prop]
	if p.Items != nil {
		return p.Items.Enum
	}
	return p.Enum
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// TestDocumentEnumsAreTheDomains: every field and parameter with a closed
// set of values lists it in the served document, and the list is the
// domain's (issue 14: no enums on status, risk_rating, due_diligence,
// rating; hand-copied lists drift).
func TestDocumentEnumsAreTheDomains(t *testing.T) {
	t.Parallel()
	d := served(t, setup(t, "sqlite"))
	customerType, customerStatus := strs(domain.CustomerTypes), strs(domain.CustomerStatuses)
	rating, dd := strs(domain.RiskRatings), strs(domain.DueDiligenceLevels)
	for _, c := range []struct {
		schema, prop string
		want         []string
	}{
		{"Customer", "type", customerType}, {"Customer", "status", customerStatus},
		{"Customer", "risk_rating", rating}, {"Customer", "due_diligence", dd},
		{"CustomerCreateBody", "type", customerType},
		{"Export", "status", customerStatus}, {"Export", "risk_rating", rating}, {"Export", "due_diligence", dd},
		{"RiskAssessment", "rating", rating}, {"RiskAssessment", "due_diligence", dd},
		{"Case", "kind", strs(domain.CaseKinds)}, {"Case", "status", strs(domain.CaseStatuses)},
		{"CaseDetail", "status", strs(domain.CaseStatuses)}, {"Case", "pending_decision", strs(domain.DecisionKinds)},
		{"Decision", "decision", strs(domain.DecisionKinds)}, {"Decide-caseRequest", "decision", strs(domain.DecisionKinds)},
		{"Check", "status", strs(domain.CheckStatuses)},
		{"Hit", "disposition", strs(domain.HitDispositions)}, {"Disposition-hitRequest", "disposition", strs(domain.HitDispositions)},
		{"DocumentBody", "type", strs(domain.DocumentTypes)},
		{"RelatedPersonBody", "kind", strs(domain.PartyKinds)}, {"RelatedPersonBody", "roles", strs(domain.RelatedRoles())},
		{"TransactionIn", "direction", strs(domain.TxDirections)}, {"TransactionIn", "channel", strs(domain.TxChannels)},
		{"Transaction", "channel", strs(domain.TxChannels)}, {"CounterpartyIn", "type", strs(domain.CounterpartyTypes)},
		{"Alert", "status", strs(domain.AlertStatuses)}, {"Disposition-alertRequest", "status", []string{"false_positive", "suspicious"}},
		{"Close-alert-caseRequest", "outcome", []string{string(app.OutcomeSuspicious), string(app.OutcomeNotSuspicious)}},
		{"Report", "type", strs(domain.ReportTypes)}, {"Report", "status", strs(domain.ReportStatuses)},
	} {
		if got := d.enum(c.schema, c.prop); !slices.Equal(got, c.want) {
			t.Errorf("%s.%s enum %v, want %v", c.schema, c.prop, got, c.want)
		}
	}
	params := func(path, method string) map[string][]string {
		out := map[string][]string{}
		for _, p := range d.Paths[path][method].Parameters {
			if p.Schema != nil {
				out[p.Name] = p.Schema.Enum
			}
		}
		return out
	}
	cust := params("/api/v1/customers", "get")
	cases := params("/api/v1/cases", "get")
	alerts := params("/api/v1/alerts", "get")
	for name, c := range map[string]struct{ got, want []string }{
		"customers status": {cust["status"], customerStatus}, "customers risk_rating": {cust["risk_rating"], rating},
		"customers type": {cust["type"], customerType}, "cases kind": {cases["kind"], strs(domain.CaseKinds)},
		"cases status": {cases["status"], strs(domain.CaseStatuses)}, "alerts status": {alerts["status"], strs(domain.AlertStatuses)},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("query parameter %s: enum %v, want %v", name, c.got, c.want)
		}
	}
	// Every string property named like a closed set has an enum, so a new
	// one cannot be added without it.
	closed := []string{"status", "risk_rating", "due_diligence", "rating", "disposition", "decision", "kind", "direction", "channel", "outcome", "pending_decision"}
	for name, s := range d.Components.Schemas {
		for prop, p := range s.Properties {
			if !slices.Contains(closed, prop) || p.Ref != "" {
				continue
			}
			if len(p.Enum) == 0 && (p.Items == nil || len(p.Items.Enum) == 0) {
				if name == "ErrorModel" || (name == "Evidence" && prop == "kind") || name == "CustomerPatch" {
					continue // a problem's HTTP status; screening evidence kinds; a patch cannot set them
				}
				t.Errorf("%s.%s has no enum", name, prop)
			}
		}
	}
}

// TestEnumsAreEnforced: the enums from the domain are the ones the server
// validates against: a value outside them is a 422 naming the field or
// parameter.
func TestEnumsAreEnforced(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("all")
		wantProblem(t, e.get("/api/v1/customers?status=bogus", tok), http.StatusUnprocessableEntity, "query.status")
		wantProblem(t, e.get("/api/v1/cases?kind=bogus", tok), http.StatusUnprocessableEntity, "query.kind")
		b := individual()
		b["type"] = "trust"
		wantProblem(t, e.post("/api/v1/customers", tok, b), http.StatusUnprocessableEntity, "body.type")
		var page struct{ Data []customer }
		want(t, e.get("/api/v1/customers?status=info_requested&risk_rating=prohibited", tok), http.StatusOK, &page)
	})
}

// TestDocumentForGenerators: what a generated client needs is in the
// served document (issue 14): the 202 of a first four-eyes approval with
// its body, a typed merge-patch body, required fields, 429 and 503 on
// every API operation, servers, the token operation and the
// client-credentials scheme pointing at it, and examples.
func TestDocumentForGenerators(t *testing.T) {
	t.Parallel()
	d := served(t, setup(t, "sqlite"))

	for _, path := range []string{"/api/v1/cases/{id}/decisions", "/api/v1/cases/{id}/alert-closures"} {
		res := d.Paths[path]["post"].Responses
		for _, code := range []string{"200", "202"} {
			if res[code] == nil || res[code].Content["application/json"] == nil || res[code].Content["application/json"].Schema.Ref == "" {
				t.Errorf("POST %s: %s has no JSON body", path, code)
			}
		}
	}

	patch := d.Paths["/api/v1/customers/{id}"]["patch"].RequestBody
	if patch == nil || !patch.Required || patch.Content["application/merge-patch+json"] == nil ||
		patch.Content["application/merge-patch+json"].Schema.Ref != "#/components/schemas/CustomerPatch" {
		t.Fatalf("PATCH /api/v1/customers/{id} body %+v", patch)
	}
	cp := d.Components.Schemas["CustomerPatch"]
	for _, f := range []string{"family_name", "given_names", "address", "occupation", "related_persons", "email"} {
		if cp.Properties[f] == nil {
			t.Errorf("CustomerPatch lacks %s", f)
		}
	}
	for _, f := range []string{"type", "status", "id"} {
		if cp.Properties[f] != nil {
			t.Errorf("CustomerPatch offers %s, which cannot be patched", f)
		}
	}
	if typ, ok := cp.Properties["family_name"].Type.([]any); !ok || !slices.Contains(typ, any("null")) {
		t.Errorf("CustomerPatch.family_name type %v: null (remove the field) not allowed", cp.Properties["family_name"].Type)
	}

	for schema, fields := range map[string][]string{
		"CustomerCreateBody": {"type"}, "ScreeningBody": {"name"}, "Decide-caseRequest": {"decision", "reason"},
		"Disposition-hitRequest": {"disposition", "reason"}, "CloseBody": {"reason"},
		"TransactionIn":  {"external_id", "customer_id", "amount", "currency", "direction", "channel", "counterparty", "occurred_at"},
		"CounterpartyIn": {"name"}, "WebhookEndpointIn": {"url", "event_types"}, "Disposition-alertRequest": {"status", "reason"},
		"Close-alert-caseRequest": {"outcome", "reason"}, "Create-reportRequest": {"type"},
	} {
		s := d.Components.Schemas[schema]
		if s == nil {
			t.Errorf("no schema %s", schema)
			continue
		}
		for _, f := range fields {
			if !slices.Contains(s.Required, f) {
				t.Errorf("%s.%s is not required (required: %v)", schema, f, s.Required)
			}
		}
	}

	for path, item := range d.Paths {
		if !strings.HasPrefix(path, "/api/v1/") {
			continue
		}
		for method, op := range item {
			for _, code := range []string{"429", "503"} {
				r := op.Responses[code]
				if r == nil || r.Content["application/problem+json"] == nil {
					t.Errorf("%s %s: %s is not documented as problem+json", method, path, code)
				}
			}
			if op.Responses["429"] != nil && op.Responses["429"].Headers["Retry-After"] == nil {
				t.Errorf("%s %s: 429 without Retry-After", method, path)
			}
		}
	}

	if len(d.Servers) != 1 || d.Servers[0].URL != "http://localhost" {
		t.Errorf("servers %+v, want the public URL", d.Servers)
	}
	bearer := d.Components.SecuritySchemes["bearer"]
	if bearer.Type != "oauth2" || bearer.Flows.ClientCredentials == nil || bearer.Flows.ClientCredentials.TokenURL != "http://localhost/oauth/token" {
		t.Errorf("bearer scheme %+v", bearer)
	}
	tok := d.Paths["/oauth/token"]["post"]
	if tok == nil || tok.RequestBody == nil || tok.RequestBody.Content["application/x-www-form-urlencoded"] == nil || tok.Responses["200"] == nil {
		t.Fatalf("POST /oauth/token is not documented: %+v", tok)
	}
	if s := d.Components.Schemas["TokenResponse"]; s == nil || !slices.Contains(s.Required, "access_token") {
		t.Errorf("TokenResponse %+v", s)
	}

	for path, method := range map[string]string{"/api/v1/customers": "post", "/api/v1/screenings": "post", "/api/v1/cases/{id}/decisions": "post", "/api/v1/transactions": "post", "/api/v1/webhook-endpoints": "post"} {
		if m := d.Paths[path][method].RequestBody.Content["application/json"]; m == nil || m.Example == nil {
			t.Errorf("%s %s: no example body", method, path)
		}
	}
}

// TestMissingRequiredFieldsAreNamed: a required field that is absent is
// a 422 naming it (body.<field>), like every other invalid field.
func TestMissingRequiredFieldsAreNamed(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("all")
		wantProblem(t, e.post("/api/v1/customers", tok, map[string]any{"given_names": "Anna"}), http.StatusUnprocessableEntity, "body.type")
		wantProblem(t, e.post("/api/v1/screenings", tok, map[string]any{"country": "SE"}), http.StatusUnprocessableEntity, "body.name")
		wantProblem(t, e.post("/api/v1/cases/case_x/decisions", tok, map[string]any{}), http.StatusUnprocessableEntity, "body.decision", "body.reason")
		wantProblem(t, e.post("/api/v1/transactions", tok, map[string]any{"counterparty": map[string]any{}}), http.StatusUnprocessableEntity,
			"body.external_id", "body.customer_id", "body.amount", "body.currency", "body.direction", "body.channel", "body.occurred_at", "body.counterparty.name")
	})
}
