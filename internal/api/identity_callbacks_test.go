package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/verify/sandbox"
	"github.com/kyc-platform/kyc/internal/verify/signed"
	"github.com/kyc-platform/kyc/internal/webhook"
)

// sandboxEnv serves the API with the sandbox identity provider, which
// answers through the server's real callback path.
func sandboxEnv(t *testing.T, engine string) (*env, *sandbox.Provider) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sb, err := sandbox.New(sandbox.Options{CallbackURL: "http://" + ln.Addr().String() + "/api/v1/identity-callbacks/sandbox", Delay: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	e := setupWith(t, engine, ln, kyctest.WithIdentity(sb))
	t.Cleanup(sb.Wait)
	return e, sb
}

// withDocument returns an individual with the given document number and
// name.
func withDocument(number, given, family string) map[string]any {
	c := individual()
	c["given_names"], c["family_name"] = given, family
	doc := c["document"].(map[string]any)
	c["document"] = map[string]any{"type": doc["type"], "number": number, "issuing_country": doc["issuing_country"], "expiry_date": doc["expiry_date"]}
	return c
}

type checkOut struct {
	ID      string `json:"id"`
	Type    string `json:"type"`
	Status  string `json:"status"`
	Summary string `json:"summary"`
}

func (e *env) identityCheck(tok, customerID string) checkOut {
	e.t.Helper()
	var page struct {
		Data []checkOut `json:"data"`
	}
	want(e.t, e.get("/api/v1/customers/"+customerID+"/checks", tok), http.StatusOK, &page)
	for _, c := range page.Data {
		if c.Type == "identity" {
			return c
		}
	}
	e.t.Fatalf("no identity check: %+v", page.Data)
	return checkOut{}
}

// TestSandboxProvider: the sandbox takes each identity check (pending) and
// answers later through POST /api/v1/identity-callbacks/sandbox with the
// outcome its test values choose (README, "Identity providers"); the
// decision policy then runs as for a synchronous result. "Sandbox Timeout"
// never answers and becomes needs_review after the timeout.
func TestSandboxProvider(t *testing.T) {
	t.Parallel()
	kyctest.Engines(t, func(t *testing.T, engine string) {
		e, sb := sandboxEnv(t, engine)
		e.ImportOFAC()
		_, tok := e.client("customers:read customers:write")
		cases := []struct {
			number, given, family, check, customer string
		}{
			{"AB1230001", "Anna", "Eriksson", "failed", "in_review"},
			{"AB1230002", "Anna", "Eriksson", "needs_review", "in_review"},
			{"AB1234567", "Anna", "Eriksson", "passed", "approved"},
			{"AB1234567", "Sandbox", "Timeout", "pending", "submitted"},
		}
		ids := make([]string, len(cases))
		for i, tc := range cases {
			c := e.create(tok, withDocument(tc.number, tc.given, tc.family))
			ids[i] = c.ID
			e.submitAndRun(tok, c.ID)
		}
		sb.Wait()
		for i, tc := range cases {
			ch := e.identityCheck(tok, ids[i])
			var c customer
			want(t, e.get("/api/v1/customers/"+ids[i], tok), http.StatusOK, &c)
			if ch.Status != tc.check || c.Status != tc.customer {
				t.Errorf("%s %s %s: check %s (%s), customer %s; want %s, %s", tc.number, tc.given, tc.family, ch.Status, ch.Summary, c.Status, tc.check, tc.customer)
			}
		}
		// The timeout hands the silent one to a person.
		if n, err := e.App.Checks.ExpirePending(e.Ctx, time.Nanosecond); err != nil || n != 1 {
			t.Fatalf("expire: %d %v", n, err)
		}
		var c customer
		want(t, e.get("/api/v1/customers/"+ids[3], tok), http.StatusOK, &c)
		if ch := e.identityCheck(tok, ids[3]); ch.Status != "needs_review" || c.Status != "in_review" {
			t.Fatalf("after the timeout: check %s, customer %s", ch.Status, c.Status)
		}
		// Every callback is audited.
		e.SealAudit()
		chk := e.identityCheck(tok, ids[0])
		evs, err := e.App.Audit.ListEvents(e.Ctx, kyctest.Operator, app.AuditQuery{EntityType: domain.EntityCheck, EntityID: chk.ID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		// The check was taken (pending), then completed by the callback.
		var actions []string
		for _, ev := range evs {
			if ev.Action == string(domain.EventIdentityCallback) && !strings.Contains(ev.Meta, `"outcome":"accepted"`) {
				t.Fatalf("callback audited as %s", ev.Meta)
			}
			actions = append(actions, ev.Action)
		}
		if strings.Join(actions, " ") != "check.pending check.callback_received check.completed" {
			t.Fatalf("audit of the identity check: %v", actions)
		}
	})
}

// pendingCheck submits a customer the sandbox never answers and returns
// its identity check id and the reference the sandbox gave.
func pendingCheck(t *testing.T, e *env, tok string) (checkID, ref string) {
	t.Helper()
	c := e.create(tok, withDocument("AB1234567", "Sandbox", "Timeout"))
	e.submitAndRun(tok, c.ID)
	checkID = e.identityCheck(tok, c.ID).ID
	e.SealAudit()
	evs, err := e.App.Audit.ListEvents(e.Ctx, kyctest.Operator, app.AuditQuery{EntityType: domain.EntityCheck, EntityID: checkID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		if ev.Action == string(domain.EventCheckPending) {
			var m map[string]string
			_ = json.Unmarshal([]byte(ev.Meta), &m)
			return checkID, m["provider_reference"]
		}
	}
	t.Fatal("no check.pending event")
	return "", ""
}

// TestIdentityCallbackBadInput: a callback is accepted only with a valid
// signature, a timestamp within five minutes and an event id never seen
// before, for a check the provider took in that tenant (PRODUCT.md section
// 5; OWASP ASVS V13.2 webhook authenticity). A replay changes nothing.
func TestIdentityCallbackBadInput(t *testing.T) {
	t.Parallel()
	kyctest.Engines(t, func(t *testing.T, engine string) {
		e, sb := sandboxEnv(t, engine)
		e.ImportOFAC()
		_, tok := e.client("customers:read customers:write")
		checkID, ref := pendingCheck(t, e, tok)
		url := e.srv.URL + "/api/v1/identity-callbacks/sandbox"
		result := func(mut func(*signed.Result)) []byte {
			r := signed.Result{CheckID: checkID, Reference: ref, Tenant: "acme", Status: "passed", Summary: "Verified by the test."}
			if mut != nil {
				mut(&r)
			}
			b, _ := json.Marshal(r)
			return b
		}
		post := func(secret webhook.Secret, id string, ts time.Time, body []byte) (int, string) {
			t.Helper()
			status, answer, err := signed.Post(context.Background(), http.DefaultClient, url, secret, id, ts, body)
			if err != nil {
				t.Fatal(err)
			}
			return status, answer
		}
		other, _ := webhook.GenerateSecret()
		now := time.Now()
		for _, tc := range []struct {
			name   string
			status int
			send   func() (int, string)
		}{
			{"signed with another secret", 401, func() (int, string) { return post(other, "evt_1", now, result(nil)) }},
			{"stale timestamp", 401, func() (int, string) { return post(sb.Secret(), "evt_2", now.Add(-6*time.Minute), result(nil)) }},
			{"timestamp from the future", 401, func() (int, string) { return post(sb.Secret(), "evt_3", now.Add(6*time.Minute), result(nil)) }},
			{"unsigned", 401, func() (int, string) {
				r := e.do(req{Method: http.MethodPost, Path: "/api/v1/identity-callbacks/sandbox", Body: result(nil)})
				return r.Status, string(r.Body)
			}},
			{"body changed after signing", 401, func() (int, string) {
				h := http.Header{}
				_ = webhook.SetHeaders(h, []webhook.Secret{sb.Secret()}, "evt_4", now, result(nil))
				r := e.do(req{Method: http.MethodPost, Path: "/api/v1/identity-callbacks/sandbox", Body: result(func(r *signed.Result) { r.Status = "failed" }),
					Header: map[string]string{"webhook-id": h.Get("webhook-id"), "webhook-timestamp": h.Get("webhook-timestamp"), "webhook-signature": h.Get("webhook-signature")}})
				return r.Status, string(r.Body)
			}},
			{"unknown check", 404, func() (int, string) {
				return post(sb.Secret(), "evt_5", now, result(func(r *signed.Result) { r.CheckID = "chk_unknown" }))
			}},
			{"another tenant's check", 404, func() (int, string) {
				return post(sb.Secret(), "evt_6", now, result(func(r *signed.Result) { r.Tenant = "globex" }))
			}},
			{"wrong reference", 409, func() (int, string) {
				return post(sb.Secret(), "evt_7", now, result(func(r *signed.Result) { r.Reference = "sbx_other" }))
			}},
			{"no reference", 422, func() (int, string) {
				return post(sb.Secret(), "evt_8", now, result(func(r *signed.Result) { r.Reference = "" }))
			}},
			{"bad status", 422, func() (int, string) {
				return post(sb.Secret(), "evt_9", now, result(func(r *signed.Result) { r.Status = "approved" }))
			}},
			{"not JSON", 400, func() (int, string) { return post(sb.Secret(), "evt_10", now, []byte("status=passed")) }},
			{"oversized", 413, func() (int, string) {
				return post(sb.Secret(), "evt_11", now, result(func(r *signed.Result) { r.Summary = strings.Repeat("x", signed.MaxBody) }))
			}},
			{"another provider's path", 404, func() (int, string) {
				r := e.do(req{Method: http.MethodPost, Path: "/api/v1/identity-callbacks/http", Body: result(nil)})
				return r.Status, string(r.Body)
			}},
		} {
			status, body := tc.send()
			if status != tc.status {
				t.Errorf("%s: %d %s, want %d", tc.name, status, body, tc.status)
			}
		}
		// None of that changed the check.
		if rec, err := e.Store.Checks().Get(e.Ctx, checkID); err != nil || rec.Status != "pending" {
			t.Fatalf("after the refused callbacks the check is %s (%v)", rec.Status, err)
		}
		// A valid one completes it; its replay changes nothing.
		status, body := post(sb.Secret(), "evt_ok", now, result(nil))
		if status != 200 || !strings.Contains(body, `"outcome":"accepted"`) {
			t.Fatalf("valid callback: %d %s", status, body)
		}
		status, body = post(sb.Secret(), "evt_ok", now, result(func(r *signed.Result) { r.Status = "failed" }))
		if status != 200 || !strings.Contains(body, `"outcome":"replayed"`) {
			t.Fatalf("replay: %d %s", status, body)
		}
		rec, err := e.Store.Checks().Get(e.Ctx, checkID)
		if err != nil || rec.Status != "passed" {
			t.Fatalf("after the replay the check is %s (%v)", rec.Status, err)
		}
		// A later message with a new id is late: nothing changes.
		status, body = post(sb.Secret(), "evt_late", now, result(func(r *signed.Result) { r.Status = "failed" }))
		if status != 200 || !strings.Contains(body, `"outcome":"late"`) {
			t.Fatalf("late: %d %s", status, body)
		}
		if rec, _ := e.Store.Checks().Get(e.Ctx, checkID); rec.Status != "passed" {
			t.Fatalf("a late callback changed the check to %s", rec.Status)
		}
		if !strings.Contains(e.logs.String(), "identity callback replayed") {
			t.Fatal("the replay is not logged")
		}
		if strings.Contains(e.logs.String(), "Verified by the test") || bytes.Contains([]byte(e.logs.String()), []byte(ref)) {
			t.Fatal("the log holds callback content")
		}
		e.SealAudit()
		evs, _ := e.App.Audit.ListEvents(e.Ctx, kyctest.Operator, app.AuditQuery{EntityType: domain.EntityCheck, EntityID: checkID, Limit: 100})
		outcomes := map[string]int{}
		for _, ev := range evs {
			if ev.Action == string(domain.EventIdentityCallback) {
				var m map[string]string
				_ = json.Unmarshal([]byte(ev.Meta), &m)
				outcomes[m["outcome"]]++
			}
		}
		if outcomes["accepted"] != 1 || outcomes["replayed"] != 1 || outcomes["late"] != 1 {
			t.Fatalf("audited callbacks %v", outcomes)
		}
	})
}
