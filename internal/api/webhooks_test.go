package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/webhook"
)

type endpointBody struct {
	ID                  string     `json:"id"`
	URL                 string     `json:"url"`
	EventTypes          []string   `json:"event_types"`
	Secret              string     `json:"secret"`
	PreviousSecretUntil *time.Time `json:"previous_secret_until"`
}

type deliveryBody struct {
	ID        string `json:"id"`
	EventType string `json:"event_type"`
	EventID   string `json:"event_id"`
	Status    string `json:"status"`
	Attempts  []struct {
		Attempt    int    `json:"attempt"`
		StatusCode int    `json:"status_code"`
		Error      string `json:"error"`
		Manual     bool   `json:"manual"`
	} `json:"attempts"`
}

// TestWebhookAPI: register (secret shown once, bad fields named in the
// problem), list, deliveries with their attempts, manual retry, secret
// rotation and removal, scoped to webhooks:write and to the tenant.
func TestWebhookAPI(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		var mu sync.Mutex
		var bodies []string
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			bodies = append(bodies, string(b))
			mu.Unlock()
		}))
		defer rcv.Close()
		_, tok := e.client("webhooks:write customers:read customers:write")
		_, other := e.clientIn("globex", "webhooks:write")
		_, noScope := e.client("customers:read customers:write")

		wantProblem(t, e.post("/api/v1/webhook-endpoints", tok, map[string]any{"url": "ftp://x.example/", "event_types": []string{"customer.exploded"}}),
			http.StatusUnprocessableEntity, "body.url", "body.event_types[0]")
		wantProblem(t, e.post("/api/v1/webhook-endpoints", noScope, map[string]any{"url": rcv.URL, "event_types": []string{"*"}}), http.StatusForbidden)

		var ep endpointBody
		want(t, e.post("/api/v1/webhook-endpoints", tok, map[string]any{"url": rcv.URL + "/in", "event_types": []string{"customer.submitted"}, "description": "CRM"}), http.StatusCreated, &ep)
		if !strings.HasPrefix(ep.Secret, "whsec_") || ep.ID == "" || ep.URL != rcv.URL+"/in" {
			t.Fatalf("created %+v", ep)
		}
		r := e.get("/api/v1/webhook-endpoints", tok)
		if r.Status != http.StatusOK || strings.Contains(string(r.Body), ep.Secret) || !strings.Contains(string(r.Body), ep.ID) {
			t.Fatalf("list: %s", r)
		}
		if r := e.get("/api/v1/webhook-endpoints", other); strings.Contains(string(r.Body), ep.ID) {
			t.Fatalf("another tenant lists the endpoint: %s", r)
		}
		wantProblem(t, e.get("/api/v1/webhook-endpoints/"+ep.ID, other), http.StatusNotFound)
		wantProblem(t, e.get("/api/v1/webhook-endpoints/"+ep.ID+"/deliveries", other), http.StatusNotFound)

		c := e.create(tok, individual())
		want(t, e.post("/api/v1/customers/"+c.ID+"/submit", tok, nil), http.StatusAccepted, nil)
		if n := e.RunWebhooks(); n != 1 {
			t.Fatalf("%d deliveries ran", n)
		}
		var page struct {
			Data []deliveryBody `json:"data"`
		}
		want(t, e.get("/api/v1/webhook-endpoints/"+ep.ID+"/deliveries", tok), http.StatusOK, &page)
		if len(page.Data) != 1 || page.Data[0].EventType != "customer.submitted" || page.Data[0].Status != "succeeded" ||
			len(page.Data[0].Attempts) != 1 || page.Data[0].Attempts[0].StatusCode != 200 {
			t.Fatalf("deliveries %+v", page)
		}
		d := page.Data[0]
		mu.Lock()
		var p webhook.Payload
		if len(bodies) != 1 || json.Unmarshal([]byte(bodies[0]), &p) != nil || p.Data["customer_id"] != c.ID {
			t.Fatalf("received %v", bodies)
		}
		mu.Unlock()

		wantProblem(t, e.post("/api/v1/webhook-deliveries/"+d.ID+"/retry", other, nil), http.StatusNotFound)
		var retried deliveryBody
		want(t, e.post("/api/v1/webhook-deliveries/"+d.ID+"/retry", tok, nil), http.StatusAccepted, &retried)
		if retried.Status != "pending" {
			t.Fatalf("retried %+v", retried)
		}
		wantProblem(t, e.post("/api/v1/webhook-deliveries/"+d.ID+"/retry", tok, nil), http.StatusConflict)
		e.RunWebhooks()
		want(t, e.get("/api/v1/webhook-endpoints/"+ep.ID+"/deliveries", tok), http.StatusOK, &page)
		if a := page.Data[0].Attempts; len(a) != 2 || !a[1].Manual || page.Data[0].Status != "succeeded" {
			t.Fatalf("after the retry %+v", page.Data[0])
		}

		var rot endpointBody
		want(t, e.post("/api/v1/webhook-endpoints/"+ep.ID+"/rotate-secret", tok, nil), http.StatusOK, &rot)
		if rot.Secret == ep.Secret || !strings.HasPrefix(rot.Secret, "whsec_") || rot.PreviousSecretUntil == nil {
			t.Fatalf("rotated %+v", rot)
		}
		if until := time.Until(*rot.PreviousSecretUntil); until < 23*time.Hour || until > 25*time.Hour {
			t.Errorf("previous secret signs for %v, want 24 h", until)
		}
		wantProblem(t, e.do(req{Method: http.MethodDelete, Path: "/api/v1/webhook-endpoints/" + ep.ID, Token: other}), http.StatusNotFound)
		if r := e.do(req{Method: http.MethodDelete, Path: "/api/v1/webhook-endpoints/" + ep.ID, Token: tok}); r.Status != http.StatusNoContent {
			t.Fatalf("delete: %s", r)
		}
		wantProblem(t, e.do(req{Method: http.MethodDelete, Path: "/api/v1/webhook-endpoints/" + ep.ID, Token: tok}), http.StatusNotFound)
		wantProblem(t, e.post("/api/v1/webhook-deliveries/"+d.ID+"/retry", tok, nil), http.StatusConflict)
		// The secret never reaches the logs.
		if strings.Contains(e.logs.String(), strings.TrimPrefix(ep.Secret, "whsec_")) || strings.Contains(e.logs.String(), strings.TrimPrefix(rot.Secret, "whsec_")) {
			t.Error("a webhook secret is in the logs")
		}
	})
}
