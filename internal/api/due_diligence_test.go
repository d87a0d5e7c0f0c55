package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/kyctest"
)

// TestEnhancedDueDiligenceThroughTheAPI reproduces a finding of issue #10:
// two API clients approved a PEP with enhanced due diligence, with no MLRO
// and no evidence of the source of funds or wealth. Approval now needs
// documents of kinds source_of_funds and source_of_wealth (409 naming
// them), and the approval completing four-eyes must come from a staff
// MLRO: a second API client gets 403 saying so (PRODUCT.md sections 3 and
// 6; FATF R.12).
func TestEnhancedDueDiligenceThroughTheAPI(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("all")
		_, second := e.client("all")
		body := individual()
		body["pep_declared"] = true
		c := e.create(tok, body)
		e.submitAndRun(tok, c.ID)
		var page struct{ Data []caseOut }
		want(t, e.get("/api/v1/cases?customer_id="+c.ID+"&status=open", tok), http.StatusOK, &page)
		if len(page.Data) != 1 {
			t.Fatalf("%d open cases", len(page.Data))
		}
		cs := page.Data[0]
		p := wantProblem(t, e.post("/api/v1/cases/"+cs.ID+"/decisions", tok, map[string]any{"decision": "approve", "reason": "PEP reviewed"}), http.StatusConflict)
		if !strings.Contains(p.Detail, "source_of_funds and source_of_wealth") {
			t.Fatalf("detail %q", p.Detail)
		}
		// The evidence is asked of the applicant, who sends it and resubmits.
		want(t, e.post("/api/v1/cases/"+cs.ID+"/decisions", tok, map[string]any{"decision": "request_info", "reason": "EDD: SoF/SoW evidence",
			"message_to_applicant": "Please upload evidence of your source of funds and of your wealth."}), http.StatusOK, nil)
		for _, kind := range []string{"source_of_funds", "source_of_wealth"} {
			want(t, e.upload(tok, c.ID, part{Name: "kind", Body: []byte(kind)}, part{Name: "file", Filename: "scan.pdf", ContentType: "application/pdf", Body: kyctest.PDF(kind, 0)}), http.StatusCreated, nil)
		}
		e.submitAndRun(tok, c.ID)
		want(t, e.post("/api/v1/cases/"+cs.ID+"/decisions", tok, map[string]any{"decision": "approve", "reason": "SoF and SoW evidenced"}), http.StatusAccepted, nil)
		p = wantProblem(t, e.post("/api/v1/cases/"+cs.ID+"/decisions", second, map[string]any{"decision": "approve", "reason": "agreed"}), http.StatusForbidden)
		if !strings.Contains(p.Detail, "staff user with the mlro role") {
			t.Fatalf("detail %q", p.Detail)
		}
	})
}
