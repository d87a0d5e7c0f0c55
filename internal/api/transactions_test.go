package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

type txResult struct {
	ID              string `json:"id"`
	ExternalID      string `json:"external_id"`
	ReportingAmount int64  `json:"reporting_amount"`
	Counterparty    struct {
		Name string `json:"name"`
	} `json:"counterparty"`
	Alerts []struct {
		ID             string   `json:"id"`
		Rule           string   `json:"rule"`
		RuleVersion    string   `json:"rule_version"`
		CaseID         string   `json:"case_id"`
		TransactionIDs []string `json:"transaction_ids"`
		Explanation    string   `json:"explanation"`
	} `json:"alerts"`
}

// txBody is a valid cash deposit of amount cents for customer id.
func (e *env) txBody(id, ext string, amount int64) map[string]any {
	return map[string]any{
		"external_id": ext, "customer_id": id, "amount": amount, "currency": "EUR", "direction": "in", "channel": "cash",
		"counterparty": map[string]any{"name": "Erika Mustermann", "country": "DE"},
		"occurred_at":  time.Now().Format(time.RFC3339Nano),
	}
}

// submitted returns a customer that is no longer a draft.
func (e *env) submitted(token string) string {
	e.t.Helper()
	c := e.create(token, individual())
	e.submitAndRun(token, c.ID)
	return c.ID
}

func TestTransactionsAPI(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("all")
		_, other := e.clientIn("globex", "all")
		_, readOnly := e.client("transactions:read")
		id := e.submitted(tok)

		var created txResult
		body := e.txBody(id, "t-1", 1_500_000)
		want(t, e.post("/api/v1/transactions", tok, body), http.StatusCreated, &created)
		if created.ID == "" || created.ReportingAmount != 1_500_000 || created.Counterparty.Name != "Erika Mustermann" {
			t.Fatalf("created %+v", created)
		}
		found := false
		for _, a := range created.Alerts {
			found = found || a.Rule == "large_cash" && a.CaseID != "" && a.RuleVersion != "" && len(a.TransactionIDs) == 1
		}
		if !found {
			t.Fatalf("no large_cash alert: %+v", created.Alerts)
		}
		var again txResult
		want(t, e.post("/api/v1/transactions", tok, body), http.StatusOK, &again)
		if again.ID != created.ID {
			t.Errorf("repeat gave %s, want %s", again.ID, created.ID)
		}
		body["amount"] = 1_500_001
		wantProblem(t, e.post("/api/v1/transactions", tok, body), http.StatusConflict, "body.external_id")

		bad := e.txBody(id, "t-2", -5)
		bad["currency"] = "XYZ"
		bad["occurred_at"] = time.Now().Add(time.Hour).Format(time.RFC3339)
		wantProblem(t, e.post("/api/v1/transactions", tok, bad), http.StatusUnprocessableEntity, "body.amount", "body.currency", "body.occurred_at")
		wantProblem(t, e.post("/api/v1/transactions", tok, e.txBody("cus_nobody", "t-3", 100)), http.StatusUnprocessableEntity, "body.customer_id")
		wantProblem(t, e.post("/api/v1/transactions", other, e.txBody(id, "t-4", 100)), http.StatusUnprocessableEntity, "body.customer_id")
		wantProblem(t, e.post("/api/v1/transactions", readOnly, e.txBody(id, "t-5", 100)), http.StatusForbidden)

		var page struct {
			Data []struct {
				ID string `json:"id"`
			} `json:"data"`
		}
		want(t, e.get("/api/v1/transactions?customer_id="+id, tok), http.StatusOK, &page)
		if len(page.Data) != 1 || page.Data[0].ID != created.ID {
			t.Fatalf("list %+v", page)
		}
		want(t, e.get("/api/v1/transactions", other), http.StatusOK, &page)
		if len(page.Data) != 0 {
			t.Errorf("another tenant lists %d transactions", len(page.Data))
		}
		var alerts struct {
			Data []struct {
				ID, Rule, Explanation string
			} `json:"data"`
		}
		want(t, e.get("/api/v1/alerts?rule=large_cash&customer_id="+id, readOnly), http.StatusOK, &alerts)
		if len(alerts.Data) != 1 || !strings.Contains(alerts.Data[0].Explanation, "15,000.00 EUR") {
			t.Fatalf("alerts %+v", alerts)
		}
		wantProblem(t, e.get("/api/v1/alerts?status=maybe", tok), http.StatusUnprocessableEntity)
		wantProblem(t, e.patch2("/api/v1/alerts/"+alerts.Data[0].ID, readOnly, map[string]any{"status": "suspicious", "reason": "x"}), http.StatusForbidden)
		wantProblem(t, e.patch2("/api/v1/alerts/"+alerts.Data[0].ID, tok, map[string]any{"status": "maybe"}), http.StatusUnprocessableEntity, "body.status", "body.reason")
		want(t, e.patch2("/api/v1/alerts/"+alerts.Data[0].ID, tok, map[string]any{"status": "false_positive", "reason": "Car sale"}), http.StatusOK, nil)
		wantProblem(t, e.patch2("/api/v1/alerts/"+alerts.Data[0].ID, other, map[string]any{"status": "false_positive", "reason": "x"}), http.StatusNotFound)
		for _, v := range []string{"Erika", "Mustermann"} {
			if strings.Contains(e.logs.String(), v) {
				t.Errorf("the logs hold %q", v)
			}
		}
	})
}

// patch2 sends a JSON PATCH.
func (e *env) patch2(path, token string, body any) *response {
	e.t.Helper()
	return e.do(req{Method: http.MethodPatch, Path: path, Token: token, Body: body})
}

type batchOut struct {
	Results []struct {
		Index  int      `json:"index"`
		Status string   `json:"status"`
		ID     string   `json:"id"`
		Code   string   `json:"code"`
		Alerts []string `json:"alerts"`
		Errors []struct {
			Location string `json:"location"`
		} `json:"errors"`
	} `json:"results"`
}

func TestTransactionsBatchAPI(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("all")
		id := e.submitted(tok)
		bad := e.txBody(id, "b-2", 0)
		first := e.txBody(id, "b-1", 100)
		items := []any{first, bad, map[string]any{"amount": "ten"}, first, e.txBody(id, "b-3", 2_000_000)}
		var out batchOut
		want(t, e.post("/api/v1/transactions/batch", tok, items), http.StatusOK, &out)
		wantStatus := []string{"created", "error", "error", "duplicate", "created"}
		if len(out.Results) != len(wantStatus) {
			t.Fatalf("results %+v", out)
		}
		for i, r := range out.Results {
			if r.Index != i || r.Status != wantStatus[i] {
				t.Errorf("item %d: %+v, want %s", i, r, wantStatus[i])
			}
		}
		if len(out.Results[1].Errors) != 1 || out.Results[1].Errors[0].Location != "amount" || out.Results[2].Code != "malformed" {
			t.Errorf("errors %+v / %+v", out.Results[1], out.Results[2])
		}
		if out.Results[3].ID != out.Results[0].ID || len(out.Results[4].Alerts) == 0 {
			t.Errorf("duplicate %+v, alerts %+v", out.Results[3], out.Results[4])
		}

		// NDJSON: one transaction a line.
		var lines []string
		for i := range 3 {
			j, _ := json.Marshal(e.txBody(id, fmt.Sprintf("n-%d", i), 100))
			lines = append(lines, string(j))
		}
		r := e.do(req{Method: http.MethodPost, Path: "/api/v1/transactions/batch", Token: tok, Body: strings.Join(lines, "\n") + "\n", ContentType: "application/x-ndjson"})
		want(t, r, http.StatusOK, &out)
		if len(out.Results) != 3 || out.Results[2].Status != "created" {
			t.Fatalf("ndjson %+v", out)
		}
		wantProblem(t, e.do(req{Method: http.MethodPost, Path: "/api/v1/transactions/batch", Token: tok, Body: "x", ContentType: "text/plain"}), http.StatusUnsupportedMediaType)
		wantProblem(t, e.do(req{Method: http.MethodPost, Path: "/api/v1/transactions/batch", Token: tok, Body: `{"not":"an array"}`}), http.StatusBadRequest)
		wantProblem(t, e.do(req{Method: http.MethodPost, Path: "/api/v1/transactions/batch", Token: tok, Body: strings.Repeat("{}\n", 10_001), ContentType: "application/x-ndjson"}), http.StatusUnprocessableEntity, "body")
	})
}

func TestReportsAPI(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("all")
		id := e.submitted(tok)
		var created txResult
		want(t, e.post("/api/v1/transactions", tok, e.txBody(id, "r-1", 1_500_000)), http.StatusCreated, &created)
		caseID := created.Alerts[0].CaseID
		// The test server has no reporting entity configured.
		wantProblem(t, e.post("/api/v1/cases/"+caseID+"/reports", tok, map[string]any{"type": "STR", "reason": "x"}), http.StatusConflict)
		wantProblem(t, e.post("/api/v1/cases/"+caseID+"/reports", tok, map[string]any{"type": "SAR"}), http.StatusUnprocessableEntity, "body.type")
		wantProblem(t, e.get("/api/v1/reports/rep_nothing", tok), http.StatusNotFound)
	})
}
