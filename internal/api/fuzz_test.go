package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// fuzzOps are the operations that decode a JSON body, with a valid body
// each as a seed. {customer} is a draft created by the fuzz setup.
var fuzzOps = []struct{ method, path, seed string }{
	{http.MethodPost, "/api/v1/customers", `{"type":"individual","given_names":"Anna","family_name":"Berg","birth_date":"1990-01-02","nationality":"SE","address":{"line1":"Storgatan 1","city":"Stockholm","postal_code":"11122","country":"SE"}}`},
	{http.MethodPost, "/api/v1/customers", `{"type":"business","name":"Acme AB","registration_number":"556000-0000","country":"SE","related_persons":[{"role":"ubo","given_names":"Anna","family_name":"Berg","ownership_percent":60}]}`},
	{http.MethodPatch, "/api/v1/customers/{customer}", `{"occupation":"Teacher","address":{"line1":"Kungsgatan 2"}}`},
	{http.MethodPost, "/api/v1/screenings", `{"name":"Vladimir Putin","type":"person","birth_date":"1952-10-07","country":"RU","threshold":0.8,"limit":5}`},
	{http.MethodPost, "/api/v1/transactions", `{"external_id":"t1","customer_id":"{customer}","amount":1000,"currency":"EUR","direction":"in","channel":"wire","counterparty":{"name":"Bo","country":"SE"},"occurred_at":"2026-01-02T03:04:05Z"}`},
	{http.MethodPost, "/api/v1/transactions/batch", `[{"external_id":"t2","customer_id":"{customer}","amount":1,"currency":"EUR","direction":"out","channel":"card","counterparty":{"name":"Bo"},"occurred_at":"2026-01-02T03:04:05Z"}]`},
	{http.MethodPost, "/api/v1/webhook-endpoints", `{"url":"https://example.com/hook","event_types":["*"],"description":"x"}`},
	{http.MethodPost, "/api/v1/cases/case_unknown/decisions", `{"decision":"request_info","reason":"why","message_to_applicant":"please"}`},
	{http.MethodPatch, "/api/v1/screening-hits/hit_unknown", `{"disposition":"false_positive","reason":"different person"}`},
	{http.MethodPost, "/api/v1/customers/{customer}/close", `{"reason":"asked"}`},
}

// FuzzAPIDecoding sends arbitrary bodies to every operation that decodes
// JSON. Whatever the bytes, the API answers (no panic, no hang), never
// with a 5xx, and every refusal is an RFC 9457 problem document
// (application/problem+json) that does not echo the body back.
//
//	go test ./internal/api -run '^$' -fuzz FuzzAPIDecoding -fuzztime 30s
func FuzzAPIDecoding(f *testing.F) {
	e := setup(f, testdb.SQLite)
	nc, err := e.App.Clients.CreateInTenant(e.Ctx, kyctest.Operator, "acme", "fuzz", "customers:read customers:write screening:read cases:read cases:write transactions:read transactions:write webhooks:write data:export")
	if err != nil {
		f.Fatal(err)
	}
	form := url.Values{"grant_type": {"client_credentials"}}
	treq, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/oauth/token", strings.NewReader(form.Encode()))
	treq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	treq.SetBasicAuth(url.QueryEscape(nc.ClientID), url.QueryEscape(nc.ClientSecret))
	tres, err := http.DefaultClient.Do(treq)
	if err != nil {
		f.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(tres.Body).Decode(&tok)
	tres.Body.Close()
	if tok.AccessToken == "" {
		f.Fatalf("token: status %d", tres.StatusCode)
	}
	customer := func() string {
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/api/v1/customers", strings.NewReader(fuzzOps[0].seed))
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			f.Fatal(err)
		}
		defer res.Body.Close()
		var cu struct {
			ID string `json:"id"`
		}
		if err := json.NewDecoder(res.Body).Decode(&cu); err != nil || cu.ID == "" {
			f.Fatalf("seed customer: status %d %v", res.StatusCode, err)
		}
		return cu.ID
	}()
	for i, op := range fuzzOps {
		f.Add(uint8(i), []byte(strings.ReplaceAll(op.seed, "{customer}", customer)))
	}
	f.Add(uint8(0), []byte(`{"type":"individual","birth_date":"1984-13-45","nationality":"XX"}`))
	f.Add(uint8(3), []byte(`{"name":"a","threshold":1e400,"limit":99999999999999999999}`))
	f.Add(uint8(4), []byte(`{"amount":-1,"currency":"eur","occurred_at":"yesterday"}`))
	f.Add(uint8(0), []byte(`{"type":"individual","given_names":"`+strings.Repeat("A", 5000)+`"}`))
	f.Add(uint8(0), []byte(`[1,2,{"a":`))
	f.Add(uint8(2), []byte("\xff\xfe{\x00}"))

	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		op := fuzzOps[int(which)%len(fuzzOps)]
		req, err := http.NewRequest(op.method, e.srv.URL+strings.ReplaceAll(op.path, "{customer}", customer), bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		req.Header.Set("Content-Type", "application/json")
		if op.method == http.MethodPatch {
			req.Header.Set("Content-Type", "application/merge-patch+json")
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: no answer: %v", op.method, op.path, err)
		}
		out, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode >= 500 {
			t.Fatalf("%s %s answered %d to %q: %s", op.method, op.path, res.StatusCode, body, out)
		}
		if res.StatusCode >= 400 {
			mt, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type"))
			if mt != "application/problem+json" {
				t.Fatalf("%s %s: %d with Content-Type %q, want application/problem+json: %s", op.method, op.path, res.StatusCode, res.Header.Get("Content-Type"), out)
			}
			var p struct {
				Status int `json:"status"`
			}
			if err := json.Unmarshal(out, &p); err != nil || p.Status != res.StatusCode {
				t.Fatalf("%s %s: problem document %s does not parse or names status %d", op.method, op.path, out, p.Status)
			}
		}
	})
}
