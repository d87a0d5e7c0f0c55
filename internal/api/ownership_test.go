package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// ownedBusiness is business() owned through a holding: Nordic Holding AB
// holds 60% directly, Ali Rezai holds 50% of it, Lars Nilsson directs.
func ownedBusiness() map[string]any {
	b := business()
	lars := b["related_persons"].([]any)[0].(map[string]any)
	lars["roles"], lars["ownership_percent"] = []string{"director"}, 0
	ali := map[string]any{
		"roles": []string{"ubo"}, "ownership_percent": 50, "owned_via": "holding",
		"given_names": "Ali", "family_name": "Rezai", "birth_date": "1970-01-01", "nationality": "SE",
		"address":  lars["address"],
		"document": map[string]any{"type": "id_card", "number": "CD7654329", "issuing_country": "SE", "expiry_date": "2031-01-01"},
	}
	holding := map[string]any{"id": "holding", "kind": "company", "legal_name": "Nordic Holding AB",
		"registration_number": "556000-1111", "incorporation_country": "SE", "ownership_percent": 60, "roles": []string{"shareholder"}}
	b["related_persons"] = []any{holding, ali, lars}
	return b
}

type partyOut struct {
	ID        string  `json:"id"`
	Kind      string  `json:"kind"`
	OwnedVia  string  `json:"owned_via"`
	LegalName string  `json:"legal_name"`
	Percent   float64 `json:"ownership_percent"`
}

// Related companies, owned_via and assigned ids through the API: created,
// read back, kept across a merge patch; a loop is refused naming the party
// (README, "Businesses and their owners"; EU AMLR 2024/1624 art. 52).
func TestRelatedCompaniesThroughAPI(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("customers:read customers:write")
		c := e.create(tok, ownedBusiness())
		var got struct {
			RelatedPersons []partyOut `json:"related_persons"`
		}
		want(t, e.get("/api/v1/customers/"+c.ID, tok), http.StatusOK, &got)
		rps := got.RelatedPersons
		if len(rps) != 3 || rps[0].ID != "holding" || rps[0].Kind != "company" || rps[0].LegalName != "Nordic Holding AB" ||
			rps[1].OwnedVia != "holding" || rps[1].ID == "" || rps[2].ID == "" {
			t.Fatalf("related persons %+v", rps)
		}
		// A merge patch replaces the list; sent without ids, the same
		// parties keep theirs.
		body := ownedBusiness()
		delete(body, "type")
		want(t, e.patch("/api/v1/customers/"+c.ID, tok, map[string]any{"related_persons": body["related_persons"]}), http.StatusOK, &got)
		if got.RelatedPersons[1].ID != rps[1].ID || got.RelatedPersons[2].ID != rps[2].ID {
			t.Fatalf("ids changed: %+v, were %+v", got.RelatedPersons, rps)
		}
		want(t, e.post("/api/v1/customers/"+c.ID+"/submit", tok, nil), http.StatusAccepted, nil)

		// A loop: the holding is held through a company it owns.
		loop := ownedBusiness()
		parties := loop["related_persons"].([]any)
		parties[0].(map[string]any)["owned_via"] = "sub"
		loop["related_persons"] = append(parties, map[string]any{"id": "sub", "kind": "company", "legal_name": "Sub AB",
			"registration_number": "556000-2222", "incorporation_country": "SE", "ownership_percent": 50, "owned_via": "holding"})
		p := wantProblem(t, e.post("/api/v1/customers", tok, loop), http.StatusUnprocessableEntity, "body.related_persons[0].owned_via", "body.related_persons[3].owned_via")
		for _, fe := range p.Errors {
			if fe.Location == "body.related_persons[0].owned_via" && !strings.Contains(fe.Message, `"holding"`) {
				t.Fatalf("the loop's message does not name the party: %q", fe.Message)
			}
		}
	})
}

// The OpenAPI document describes the related-party fields.
func TestOpenAPIRelatedParties(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	r := e.get("/openapi.json", "")
	want(t, r, http.StatusOK, nil)
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		t.Fatal(err)
	}
	props := doc.Components.Schemas["RelatedPersonBody"].Properties
	for _, name := range []string{"id", "kind", "owned_via", "legal_name", "registration_number", "incorporation_country", "roles", "ownership_percent"} {
		if _, ok := props[name]; !ok {
			t.Errorf("RelatedPersonBody has no %s (%d properties)", name, len(props))
		}
	}
	if !strings.Contains(string(props["roles"]), "senior_managing_official") {
		t.Errorf("roles do not mention senior_managing_official: %s", props["roles"])
	}
}
