package api_test

import (
	"net/http"
	"testing"
)

// TestScreeningEvidenceCheckedAsCustomers: the birth date and country of an
// ad-hoc screening are evidence that moves scores, so a value /customers
// refuses (1984-13-45, XX) is refused here too, 422 naming each field,
// instead of being screened as if it meant something (issue 14).
func TestScreeningEvidenceCheckedAsCustomers(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("all")
		r := e.post("/api/v1/screenings", tok, map[string]any{"name": "Anna Eriksson", "birth_date": "1984-13-45", "country": "XX"})
		wantProblem(t, r, http.StatusUnprocessableEntity, "body.birth_date", "body.country")
		// The same values in a customer: the same fields refused.
		b := individual()
		b["birth_date"], b["nationality"] = "1984-13-45", "XX"
		wantProblem(t, e.post("/api/v1/customers", tok, b), http.StatusUnprocessableEntity, "body.birth_date", "body.nationality")

		for _, bad := range []string{"2999-01-01", "1984-02-30", "84-01-01", "1984-13", "3000", "1850-01-01"} {
			r := e.post("/api/v1/screenings", tok, map[string]any{"name": "Anna Eriksson", "birth_date": bad})
			wantProblem(t, r, http.StatusUnprocessableEntity, "body.birth_date")
		}
		for _, good := range []string{"1984-12-31", "1984-12", "1984"} {
			r := e.post("/api/v1/screenings", tok, map[string]any{"name": "Anna Eriksson", "birth_date": good, "country": "SE"})
			want(t, r, http.StatusOK, nil)
		}
	})
}

// TestScreeningThresholdZeroIsNotReplaced: an absent threshold is the
// recommended default; an explicit 0 is refused (422 naming it) rather than
// silently replaced by the default, and any threshold given is the one
// applied and kept as evidence (issue 14).
func TestScreeningThresholdZeroIsNotReplaced(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("all")
		wantProblem(t, e.post("/api/v1/screenings", tok, map[string]any{"name": "Anna Eriksson", "threshold": 0}), http.StatusUnprocessableEntity, "body.threshold")
		var res struct {
			Threshold float64 `json:"threshold"`
		}
		want(t, e.post("/api/v1/screenings", tok, map[string]any{"name": "Anna Eriksson"}), http.StatusOK, &res)
		if res.Threshold != 0.88 {
			t.Errorf("absent threshold: applied %v, want the default 0.88", res.Threshold)
		}
		want(t, e.post("/api/v1/screenings", tok, map[string]any{"name": "Anna Eriksson", "threshold": 0.5}), http.StatusOK, &res)
		if res.Threshold != 0.5 {
			t.Errorf("threshold 0.5: applied %v", res.Threshold)
		}
	})
}
