package api_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

type caseOut struct {
	ID              string `json:"id"`
	Kind            string `json:"kind"`
	Status          string `json:"status"`
	CustomerID      string `json:"customer_id"`
	PendingDecision string `json:"pending_decision"`
	Hits            []struct {
		ID          string  `json:"id"`
		List        string  `json:"list"`
		SourceID    string  `json:"source_id"`
		Score       float64 `json:"score"`
		Disposition string  `json:"disposition"`
	} `json:"screening_hits"`
	Decisions []struct {
		Decision, Reason, Actor, Stage string
	} `json:"decisions"`
}

// screeningCase submits a listed person and returns the customer id and its case.
func (e *env) screeningCase(token string) (string, caseOut) {
	e.t.Helper()
	c := e.create(token, sanctioned())
	got := e.submitAndRun(token, c.ID)
	if got.Status != "in_review" {
		e.t.Fatalf("listed person: status %s", got.Status)
	}
	var page struct{ Data []caseOut }
	want(e.t, e.get("/api/v1/cases?customer_id="+c.ID, token), http.StatusOK, &page)
	if len(page.Data) != 1 {
		e.t.Fatalf("%d cases for the customer", len(page.Data))
	}
	var cs caseOut
	want(e.t, e.get("/api/v1/cases/"+page.Data[0].ID, token), http.StatusOK, &cs)
	return c.ID, cs
}

func TestScreeningHitCaseFourEyes(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		e.ImportOFAC()
		_, a := e.client("all")
		_, b := e.client("cases:read cases:write")
		custID, cs := e.screeningCase(a)

		r := e.get("/api/v1/cases/"+cs.ID, a)
		obj := keys(t, r.Body)
		wantKeys(t, obj, "id", "kind", "status", "customer_id", "assignee", "due_at", "created_at", "updated_at", "screening_hits", "decisions")
		if cs.Kind != "screening_hit" || cs.Status != "open" || cs.CustomerID != custID || len(cs.Hits) == 0 {
			t.Fatalf("case %s", short(r.Body))
		}
		var hits []map[string]json.RawMessage
		_ = json.Unmarshal(obj["screening_hits"], &hits)
		wantKeys(t, hits[0], "id", "customer_id", "entity_id", "list", "source_id", "name", "matched_name", "score", "explanation", "created_at")
		if cs.Hits[0].SourceID != "35025" || cs.Hits[0].List != "ofac_sdn" || cs.Hits[0].Score <= 0 {
			t.Fatalf("hit %+v", cs.Hits[0])
		}

		decide := func(token, decision, reason string) *response {
			return e.post("/api/v1/cases/"+cs.ID+"/decisions", token, map[string]any{"decision": decision, "reason": reason})
		}
		// Validation: each bad field is named.
		wantProblem(t, decide(a, "maybe", ""), http.StatusUnprocessableEntity, "body.decision")
		wantProblem(t, decide(a, "reject", "   "), http.StatusUnprocessableEntity, "body.reason")
		wantProblem(t, e.post("/api/v1/cases/"+cs.ID+"/decisions", a, map[string]any{}), http.StatusUnprocessableEntity, "body.decision", "body.reason")
		wantProblem(t, e.post("/api/v1/cases/"+cs.ID+"/decisions", a, map[string]any{"decision": "reject", "reason": "x", "stage": "second"}), http.StatusUnprocessableEntity, "body.stage")
		// Approving with an open hit is an illegal transition.
		wantProblem(t, decide(a, "approve", "looks fine"), http.StatusConflict)

		hitPath := "/api/v1/screening-hits/" + cs.Hits[0].ID
		dispose := func(token string, body any) *response {
			return e.do(req{Method: http.MethodPatch, Path: hitPath, Token: token, Body: body})
		}
		wantProblem(t, dispose(a, map[string]any{"disposition": "probably", "reason": "x"}), http.StatusUnprocessableEntity, "body.disposition")
		wantProblem(t, dispose(a, map[string]any{"disposition": "true_match"}), http.StatusUnprocessableEntity, "body.reason")
		r = dispose(a, map[string]any{"disposition": "true_match", "reason": "DOB and nationality match"})
		want(t, r, http.StatusOK, nil)
		hit := keys(t, r.Body)
		wantKeys(t, hit, "disposition", "disposition_reason", "disposed_by", "disposed_at")
		var risk struct{ Rating string }
		want(t, e.get("/api/v1/customers/"+custID+"/risk", a), http.StatusOK, &risk)
		if risk.Rating != "prohibited" {
			t.Fatalf("rating after a confirmed sanctions match: %s", risk.Rating)
		}

		// First rejection: 202, pending the second approver.
		var got caseOut
		want(t, decide(a, "reject", "sanctioned"), http.StatusAccepted, &got)
		if got.Status != "pending_second_approval" || got.PendingDecision != "reject" || len(got.Decisions) != 1 || got.Decisions[0].Stage != "first" {
			t.Fatalf("after the first rejection: %+v", got)
		}
		// The same client cannot be the second approver.
		wantProblem(t, decide(a, "reject", "again"), http.StatusForbidden)
		// While pending, only approve or reject.
		wantProblem(t, decide(b, "escalate", "not sure"), http.StatusConflict)
		want(t, decide(b, "reject", "confirmed"), http.StatusOK, &got)
		if got.Status != "closed" || len(got.Decisions) != 2 || got.Decisions[1].Stage != "second" || got.Decisions[1].Reason != "confirmed" {
			t.Fatalf("after the second rejection: %+v", got)
		}
		var cust customer
		want(t, e.get("/api/v1/customers/"+custID, a), http.StatusOK, &cust)
		if cust.Status != "rejected" {
			t.Fatalf("customer %s", cust.Status)
		}
		// A closed case takes no more decisions or dispositions.
		wantProblem(t, decide(b, "approve", "changed my mind"), http.StatusConflict)
		wantProblem(t, dispose(b, map[string]any{"disposition": "false_positive", "reason": "x"}), http.StatusConflict)
		// A rejected customer cannot be submitted again.
		wantProblem(t, e.post("/api/v1/customers/"+custID+"/submit", a, nil), http.StatusConflict)
	})
}

func TestCaseRequestInfoAndResubmit(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("all")
		medium := individual()
		medium["pep_declared"] = true
		c := e.create(tok, medium)
		e.submitAndRun(tok, c.ID)
		var page struct{ Data []caseOut }
		want(t, e.get("/api/v1/cases?customer_id="+c.ID+"&kind=onboarding&status=open", tok), http.StatusOK, &page)
		if len(page.Data) != 1 {
			t.Fatalf("%d open onboarding cases", len(page.Data))
		}
		cs := page.Data[0]
		// Tipping-off (AMLD art. 39, AMLR art. 73): a request for
		// information needs the message the applicant reads apart from the
		// internal reason; without it, 422 names the field.
		wantProblem(t, e.post("/api/v1/cases/"+cs.ID+"/decisions", tok, map[string]any{"decision": "request_info", "reason": "Source of wealth evidence"}), http.StatusUnprocessableEntity, "body.message_to_applicant")
		wantProblem(t, e.post("/api/v1/cases/"+cs.ID+"/decisions", tok, map[string]any{"decision": "escalate", "reason": "x", "message_to_applicant": "hello"}), http.StatusUnprocessableEntity, "body.message_to_applicant")
		var detail struct {
			Decisions []struct {
				Reason             string `json:"reason"`
				MessageToApplicant string `json:"message_to_applicant"`
			} `json:"decisions"`
		}
		want(t, e.post("/api/v1/cases/"+cs.ID+"/decisions", tok, map[string]any{"decision": "request_info", "reason": "Source of wealth evidence",
			"message_to_applicant": "Please upload evidence of your source of wealth."}), http.StatusOK, &detail)
		if n := len(detail.Decisions); n != 1 || detail.Decisions[0].Reason != "Source of wealth evidence" || detail.Decisions[0].MessageToApplicant != "Please upload evidence of your source of wealth." {
			t.Fatalf("decisions %+v", detail.Decisions)
		}
		var cust customer
		want(t, e.get("/api/v1/customers/"+c.ID, tok), http.StatusOK, &cust)
		if cust.Status != "info_requested" {
			t.Fatalf("status %s", cust.Status)
		}
		// Editable again, and resubmittable.
		want(t, e.patch("/api/v1/customers/"+c.ID, tok, map[string]any{"source_of_funds": "Salary and inheritance"}), http.StatusOK, nil)
		cust = e.submitAndRun(tok, c.ID)
		if cust.Status != "in_review" {
			t.Fatalf("after resubmission: %s", cust.Status)
		}
		var checks struct {
			Data []struct{ Round int }
		}
		want(t, e.get("/api/v1/customers/"+c.ID+"/checks", tok), http.StatusOK, &checks)
		if len(checks.Data) != 3 || checks.Data[0].Round != 2 {
			t.Fatalf("checks after resubmission: %+v", checks)
		}
		// Escalate keeps the case open.
		var got caseOut
		want(t, e.post("/api/v1/cases/"+cs.ID+"/decisions", tok, map[string]any{"decision": "escalate", "reason": "Needs the MLRO"}), http.StatusOK, &got)
		if got.Status != "open" {
			t.Fatalf("escalated case %+v", got)
		}
	})
}

func TestCaseListFiltersAndPagination(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("all")
		pep := individual()
		pep["pep_declared"] = true
		var ids []string
		for range 3 {
			c := e.create(tok, pep)
			e.submitAndRun(tok, c.ID)
			ids = append(ids, c.ID)
		}
		seen := map[string]bool{}
		cursor, pages := "", 0
		for {
			path := "/api/v1/cases?limit=2"
			if cursor != "" {
				path += "&cursor=" + cursor
			}
			r := e.get(path, tok)
			wantKeys(t, keys(t, r.Body), "data", "next_cursor")
			var page struct {
				Data       []caseOut `json:"data"`
				NextCursor string    `json:"next_cursor"`
			}
			want(t, r, http.StatusOK, &page)
			pages++
			for _, c := range page.Data {
				if seen[c.ID] {
					t.Fatalf("case %s on two pages", c.ID)
				}
				seen[c.ID] = true
			}
			if page.NextCursor == "" {
				break
			}
			cursor = page.NextCursor
		}
		if pages != 2 || len(seen) != 3 {
			t.Fatalf("%d pages, %d cases", pages, len(seen))
		}
		count := func(q string) int {
			var page struct{ Data []caseOut }
			want(t, e.get("/api/v1/cases?"+q, tok), http.StatusOK, &page)
			return len(page.Data)
		}
		for q, n := range map[string]int{
			"kind=onboarding": 3, "kind=screening_hit": 0, "status=open": 3, "status=closed": 0,
			"customer_id=" + ids[1]: 1, "customer_id=cus_nobody": 0,
		} {
			if got := count(q); got != n {
				t.Errorf("%s: %d cases, want %d", q, got, n)
			}
		}
		for _, q := range []string{"kind=bogus", "status=shut", "limit=0", "limit=201"} {
			wantProblem(t, e.get("/api/v1/cases?"+q, tok), http.StatusUnprocessableEntity, "query."+strings.SplitN(q, "=", 2)[0])
		}
	})
}

// Cases, hits and decisions of another client's customer must answer 404
// like unknown ids (README, "Tenants").
func TestCasesOfAnotherTenantAreHidden(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		e.ImportOFAC()
		_, a := e.client("all")
		_, b := e.clientIn("globex", "cases:read cases:write audit:read")
		_, cs := e.screeningCase(a)
		var page struct{ Data []caseOut }
		want(t, e.get("/api/v1/cases", b), http.StatusOK, &page)
		if len(page.Data) != 0 {
			t.Fatalf("a client of another tenant lists %d cases", len(page.Data))
		}
		wantProblem(t, e.get("/api/v1/cases/"+cs.ID, b), http.StatusNotFound)
		var evs struct {
			Data []struct{ Tenant, Action string }
		}
		e.SealAudit()
		want(t, e.get("/api/v1/audit-events", b), http.StatusOK, &evs)
		for _, ev := range evs.Data {
			if ev.Tenant != "globex" {
				t.Fatalf("a client of globex reads a %s event of tenant %q", ev.Action, ev.Tenant)
			}
		}
		wantProblem(t, e.post("/api/v1/cases/"+cs.ID+"/decisions", b, map[string]any{"decision": "reject", "reason": "x"}), http.StatusNotFound)
		wantProblem(t, e.do(req{Method: http.MethodPatch, Path: "/api/v1/screening-hits/" + cs.Hits[0].ID, Token: b, Body: map[string]any{"disposition": "false_positive", "reason": "x"}}), http.StatusNotFound)
	})
}

func TestScreeningsAndLists(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("screening:read lists:read")
		// Before any import: an empty list of snapshots and no matches.
		var lists struct {
			Data []map[string]json.RawMessage `json:"data"`
		}
		want(t, e.get("/api/v1/lists", tok), http.StatusOK, &lists)
		if len(lists.Data) != 0 {
			t.Fatalf("%d lists before import", len(lists.Data))
		}
		e.ImportOFAC()
		r := e.get("/api/v1/lists", tok)
		want(t, r, http.StatusOK, &lists)
		if len(lists.Data) != 1 {
			t.Fatalf("lists %s", short(r.Body))
		}
		wantKeys(t, lists.Data[0], "source", "version", "entity_count", "content_hash", "loaded_at")
		var src string
		var count int
		_ = json.Unmarshal(lists.Data[0]["source"], &src)
		_ = json.Unmarshal(lists.Data[0]["entity_count"], &count)
		if src != "ofac_sdn" || count == 0 {
			t.Fatalf("snapshot %s", short(r.Body))
		}

		r = e.post("/api/v1/screenings", tok, map[string]any{"name": "Andrey Georgiyevich Zakharov", "type": "person", "birth_date": "1969-01-08"})
		var res struct {
			Matches []map[string]json.RawMessage `json:"matches"`
		}
		want(t, r, http.StatusOK, &res)
		if len(res.Matches) == 0 {
			t.Fatalf("no match: %s", short(r.Body))
		}
		wantKeys(t, res.Matches[0], "entity_id", "list", "source_id", "name", "matched_name", "score", "explanation")
		var sid string
		_ = json.Unmarshal(res.Matches[0]["source_id"], &sid)
		if sid != "35025" {
			t.Fatalf("best match %s", short(r.Body))
		}
		var prev float64 = 2
		for _, m := range res.Matches {
			var s float64
			_ = json.Unmarshal(m["score"], &s)
			if s > prev {
				t.Fatalf("matches not best first: %s", short(r.Body))
			}
			prev = s
		}
		// Only matches at or above the threshold.
		want(t, e.post("/api/v1/screenings", tok, map[string]any{"name": "Zakharov", "threshold": 0.999}), http.StatusOK, &res)
		for _, m := range res.Matches {
			var s float64
			_ = json.Unmarshal(m["score"], &s)
			if s < 0.999 {
				t.Fatalf("match under the threshold: %v", s)
			}
		}
		want(t, e.post("/api/v1/screenings", tok, map[string]any{"name": "Completely Unlisted Person"}), http.StatusOK, &res)
		if res.Matches == nil || len(res.Matches) != 0 {
			t.Fatalf("want matches: [] for an unlisted name, got %v", res.Matches)
		}
		wantProblem(t, e.post("/api/v1/screenings", tok, map[string]any{"name": ""}), http.StatusUnprocessableEntity, "body.name")
		wantProblem(t, e.post("/api/v1/screenings", tok, map[string]any{"name": "x", "threshold": 1.5, "type": "planet", "limit": 0}), http.StatusUnprocessableEntity,
			"body.threshold", "body.type")
		wantProblem(t, e.post("/api/v1/screenings", tok, map[string]any{}), http.StatusUnprocessableEntity, "body.name")
	})
}

func TestAuditEvents(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("all")
		c := e.create(tok, individual())
		e.create(tok, business())
		want(t, e.patch("/api/v1/customers/"+c.ID, tok, map[string]any{"occupation": "Nurse"}), http.StatusOK, nil)
		e.submitAndRun(tok, c.ID)

		// Committed but not sealed yet: the trail does not show the events
		// and says how many wait, and for how long.
		var waiting struct {
			Data    []json.RawMessage `json:"data"`
			Sealing struct {
				SealedThrough int64   `json:"sealed_through"`
				Unsealed      int64   `json:"unsealed"`
				LagSeconds    float64 `json:"lag_seconds"`
			} `json:"sealing"`
		}
		r := e.get("/api/v1/audit-events?entity_type=customer&entity_id="+c.ID, tok)
		want(t, r, http.StatusOK, &waiting)
		if len(waiting.Data) != 0 || waiting.Sealing.Unsealed < 4 || waiting.Sealing.SealedThrough != 0 || waiting.Sealing.LagSeconds <= 0 {
			t.Fatalf("before sealing: %d events, sealing %+v", len(waiting.Data), waiting.Sealing)
		}
		if lag, err := strconv.ParseFloat(r.Header.Get("Audit-Sealing-Lag"), 64); err != nil || lag <= 0 {
			t.Fatalf("Audit-Sealing-Lag %q", r.Header.Get("Audit-Sealing-Lag"))
		}
		sealed := e.SealAudit()
		r = e.get("/api/v1/audit-events?entity_type=customer&entity_id="+c.ID, tok)
		want(t, r, http.StatusOK, &waiting)
		if waiting.Sealing.Unsealed != 0 || waiting.Sealing.SealedThrough != int64(sealed) || waiting.Sealing.LagSeconds != 0 || r.Header.Get("Audit-Sealing-Lag") != "0.000" {
			t.Fatalf("after sealing %d: sealing %+v, header %q", sealed, waiting.Sealing, r.Header.Get("Audit-Sealing-Lag"))
		}
		var page struct {
			Data       []map[string]json.RawMessage `json:"data"`
			NextCursor string                       `json:"next_cursor"`
		}
		want(t, r, http.StatusOK, &page)
		if len(page.Data) < 4 {
			t.Fatalf("%d events for the customer", len(page.Data))
		}
		var actions []string
		for _, ev := range page.Data {
			wantKeys(t, ev, "seq", "id", "occurred_at", "actor", "action", "entity_type", "entity_id", "prev_hash", "hash")
			var a, id string
			_ = json.Unmarshal(ev["action"], &a)
			_ = json.Unmarshal(ev["entity_id"], &id)
			if id != c.ID {
				t.Fatalf("filter by entity returned %s", id)
			}
			actions = append(actions, a)
		}
		if actions[0] != "customer.created" || actions[1] != "customer.updated" || actions[2] != "customer.submitted" {
			t.Fatalf("actions %v", actions)
		}
		for _, v := range personalValues {
			if strings.Contains(string(r.Body), v) {
				t.Fatalf("the audit trail shows personal data %q", v)
			}
		}

		// Pagination by sequence number, oldest first, chained hashes.
		var all []map[string]json.RawMessage
		cursor := ""
		for {
			path := "/api/v1/audit-events?limit=3"
			if cursor != "" {
				path += "&cursor=" + cursor
			}
			var page struct {
				Data       []map[string]json.RawMessage `json:"data"`
				NextCursor string                       `json:"next_cursor"`
			}
			want(t, e.get(path, tok), http.StatusOK, &page)
			all = append(all, page.Data...)
			if page.NextCursor == "" {
				break
			}
			cursor = page.NextCursor
		}
		if len(all) < 8 {
			t.Fatalf("%d events in all", len(all))
		}
		for i := 1; i < len(all); i++ {
			var prevHash, hash string
			var s0, s1 int64
			_ = json.Unmarshal(all[i-1]["hash"], &hash)
			_ = json.Unmarshal(all[i]["prev_hash"], &prevHash)
			_ = json.Unmarshal(all[i-1]["seq"], &s0)
			_ = json.Unmarshal(all[i]["seq"], &s1)
			if prevHash != hash || s1 <= s0 {
				t.Fatalf("event %d does not chain to %d", s1, s0)
			}
		}
		for _, q := range []string{"limit=0", "limit=501", "cursor=-1"} {
			wantProblem(t, e.get("/api/v1/audit-events?"+q, tok), http.StatusUnprocessableEntity, "query."+strings.SplitN(q, "=", 2)[0])
		}
	})
}

// A check that could not be completed shows status error and its reason.
func TestCheckErrorVisible(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("all")
		c := e.create(tok, individual())
		want(t, e.post("/api/v1/customers/"+c.ID+"/submit", tok, nil), http.StatusAccepted, nil)
		ids := e.Queue.Take()
		if err := e.App.Checks.Fail(e.Ctx, ids[0], 5, "Failed after 5 attempts: provider unavailable"); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids[1:] {
			if err := e.App.Checks.Run(e.Ctx, id, 1); err != nil {
				t.Fatal(err)
			}
		}
		var checks struct {
			Identity struct {
				Status   string `json:"status"`
				Error    string `json:"error"`
				Attempts int    `json:"attempts"`
			} `json:"identity"`
		}
		want(t, e.get("/api/v1/customers/"+c.ID+"/checks", tok), http.StatusOK, &checks)
		if checks.Identity.Status != "error" || checks.Identity.Attempts != 5 || !strings.Contains(checks.Identity.Error, "provider unavailable") {
			t.Fatalf("identity check %+v", checks.Identity)
		}
		var page struct{ Data []caseOut }
		want(t, e.get("/api/v1/cases?customer_id="+c.ID, tok), http.StatusOK, &page)
		if len(page.Data) != 1 || page.Data[0].Kind != "onboarding" {
			t.Fatalf("cases %+v", page.Data)
		}
	})
}

func TestScreeningEvidenceEndpoint(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		e.ImportOFAC()
		_, tok := e.client("screening:read")
		_, other := e.clientIn("globex", "screening:read")
		var res struct {
			ID        string            `json:"id"`
			Snapshots []string          `json:"snapshots"`
			Matches   []json.RawMessage `json:"matches"`
		}
		want(t, e.post("/api/v1/screenings", tok, map[string]any{"name": "Kim Jong Un"}), http.StatusOK, &res)
		if res.ID == "" || len(res.Matches) == 0 || len(res.Snapshots) != 1 {
			t.Fatalf("screening %+v", res)
		}
		var got map[string]json.RawMessage
		want(t, e.get("/api/v1/screenings/"+res.ID, tok), http.StatusOK, &got)
		wantKeys(t, got, "id", "query", "matches", "snapshots", "algorithm_version", "threshold", "created_at")
		if !strings.Contains(string(got["query"]), `"name":"Kim Jong Un"`) {
			t.Fatalf("stored query %s", got["query"])
		}
		wantProblem(t, e.get("/api/v1/screenings/"+res.ID, other), http.StatusNotFound)
		wantProblem(t, e.get("/api/v1/screenings/scr_unknown", tok), http.StatusNotFound)
	})
}
