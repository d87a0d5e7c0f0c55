package api_test

import (
	"net/http"
	"slices"
	"testing"
)

// TestIdentificationDataThroughTheAPI: the API records the place of birth
// and all nationalities (EU AMLR 2024/1624 art. 22(1)(a)), refuses a
// post-office box as an address when it is sent (31 CFR
// 1020.220(a)(2)(i)(A)(3)), and does not submit a US person without a US
// taxpayer identification number (31 CFR 1020.220(a)(2)(i)(A)(4)), naming
// each field in the problem.
func TestIdentificationDataThroughTheAPI(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("all")
		box := individual()
		box["address"] = map[string]any{"line1": "PO Box 123", "city": "Stockholm", "country": "SE"}
		wantProblem(t, e.post("/api/v1/customers", tok, box), http.StatusUnprocessableEntity, "body.address.line1")

		us := individual()
		us["other_nationalities"] = []string{"US", "FI"}
		c := e.create(tok, us)
		var got struct {
			PlaceOfBirth       map[string]string `json:"place_of_birth"`
			OtherNationalities []string          `json:"other_nationalities"`
		}
		want(t, e.get("/api/v1/customers/"+c.ID, tok), http.StatusOK, &got)
		if got.PlaceOfBirth["city"] != "Uppsala" || got.PlaceOfBirth["country"] != "SE" || !slices.Equal(got.OtherNationalities, []string{"US", "FI"}) {
			t.Fatalf("read back %+v", got)
		}
		// A US national (second nationality) without a tax id, and without
		// a place of birth, is not submitted.
		want(t, e.patch("/api/v1/customers/"+c.ID, tok, map[string]any{"place_of_birth": nil}), http.StatusOK, nil)
		wantProblem(t, e.post("/api/v1/customers/"+c.ID+"/submit", tok, nil), http.StatusUnprocessableEntity, "body.place_of_birth", "body.tax_id")
		want(t, e.patch("/api/v1/customers/"+c.ID, tok, map[string]any{"tax_id": "123-45-6789", "place_of_birth": map[string]any{"city": "Turku", "country": "FI"}}), http.StatusOK, nil)
		want(t, e.post("/api/v1/customers/"+c.ID+"/submit", tok, nil), http.StatusAccepted, nil)

		// Only individuals have them at the top level.
		b := business()
		b["other_nationalities"] = []string{"FR"}
		wantProblem(t, e.post("/api/v1/customers", tok, b), http.StatusUnprocessableEntity, "body.other_nationalities")
	})
}
