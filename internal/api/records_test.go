package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestErasureAndExportAPI: POST …/erasure-requests and GET …/export need
// data:export; a never-submitted draft is erased at once (202 erased), a
// closed customer inside retention is restricted (202 with
// retention_ends_at) and then answers 404 to clients; the export is one
// JSON document holding the decrypted personal data (GDPR art. 15, 17, 18;
// EU AMLD 2015/849 art. 40).
func TestErasureAndExportAPI(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("customers:read customers:write data:export")
		_, noExport := e.client("customers:read customers:write")

		draft := e.create(tok, individual())
		wantProblem(t, e.post("/api/v1/customers/"+draft.ID+"/erasure-requests", noExport, nil), http.StatusForbidden)
		var er struct {
			Status          string     `json:"status"`
			RetentionEndsAt *time.Time `json:"retention_ends_at"`
		}
		want(t, e.post("/api/v1/customers/"+draft.ID+"/erasure-requests", tok, nil), http.StatusAccepted, &er)
		if er.Status != "erased" || er.RetentionEndsAt != nil {
			t.Fatalf("draft erasure: %+v", er)
		}
		var got customer
		want(t, e.get("/api/v1/customers/"+draft.ID, tok), http.StatusOK, &got)
		if got.FamilyName != "" || got.Email != "" {
			t.Fatalf("erased draft still shows %+v", got)
		}

		e.ImportOFAC()
		c := e.create(tok, individual())
		e.submitAndRun(tok, c.ID)
		wantProblem(t, e.get("/api/v1/customers/"+c.ID+"/export", noExport), http.StatusForbidden)
		r := e.get("/api/v1/customers/"+c.ID+"/export", tok)
		want(t, r, http.StatusOK, nil)
		for _, v := range []string{"Eriksson", "anna.eriksson@example.com", "AB1234567", `"withheld"`} {
			if !strings.Contains(string(r.Body), v) {
				t.Fatalf("export lacks %s: %s", v, short(r.Body))
			}
		}
		if r.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("Cache-Control %q", r.Header.Get("Cache-Control"))
		}
		wantProblem(t, e.post("/api/v1/customers/"+c.ID+"/erasure-requests", tok, nil), http.StatusConflict)
		want(t, e.post("/api/v1/customers/"+c.ID+"/close", tok, map[string]any{"reason": "customer left"}), http.StatusOK, nil)
		want(t, e.post("/api/v1/customers/"+c.ID+"/erasure-requests", tok, nil), http.StatusAccepted, &er)
		if er.Status != "restricted" || er.RetentionEndsAt == nil {
			t.Fatalf("erasure inside retention: %+v", er)
		}
		wantProblem(t, e.get("/api/v1/customers/"+c.ID, tok), http.StatusNotFound)
		if strings.Contains(e.logs.String(), "Eriksson") {
			t.Fatal("personal data in the logs")
		}
	})
}
