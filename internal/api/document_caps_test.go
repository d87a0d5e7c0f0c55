package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// Issue 12, item 9: one customer's documents are capped in number and in
// total size; the upload past a cap is 422 problem+json naming the file
// field, and nothing is stored.
func TestDocumentCapsAPI(t *testing.T) {
	t.Parallel()
	kyctest.Engines(t, func(t *testing.T, engine string) {
		pdf := kyctest.PDF("scan", 0)
		e := setupWith(t, engine, nil, kyctest.WithPolicy(func(p *app.Policy) {
			p.DocumentsPerCustomer = 2
			p.DocumentBytesPerCustomer = int64(3*len(pdf)) + 10
		}))
		_, tok := e.client("customers:read customers:write")
		upload := func(id string, body []byte) *response {
			return e.upload(tok, id, part{Name: "kind", Body: []byte("other")}, part{Name: "file", Filename: "f", Body: body})
		}
		problem := func(r *response, status int, field string) {
			t.Helper()
			var p struct {
				Detail string `json:"detail"`
				Errors []struct {
					Location string `json:"location"`
					Message  string `json:"message"`
				} `json:"errors"`
			}
			if r.Status != status || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") || json.Unmarshal(r.Body, &p) != nil {
				t.Fatalf("want %d problem+json, got %d %s", status, r.Status, short(r.Body))
			}
			if field != "" && (len(p.Errors) != 1 || !strings.HasSuffix(p.Errors[0].Location, field)) {
				t.Fatalf("problem does not name %s: %s", field, short(r.Body))
			}
		}
		c := e.create(tok, individual())
		want(t, upload(c.ID, pdf), http.StatusCreated, nil)
		want(t, upload(c.ID, pdf), http.StatusCreated, nil)
		problem(upload(c.ID, pdf), http.StatusUnprocessableEntity, "file")

		// The total size: a second customer's large file passes once, the
		// next one would go past the total.
		d := e.create(tok, individual())
		big := kyctest.PDF("large scan", 2*len(pdf))
		want(t, upload(d.ID, big), http.StatusCreated, nil)
		problem(upload(d.ID, big), http.StatusUnprocessableEntity, "file")
		var page struct {
			Data []documentOut `json:"data"`
		}
		want(t, e.get("/api/v1/customers/"+d.ID+"/documents", tok), http.StatusOK, &page)
		if len(page.Data) != 1 {
			t.Fatalf("a refused document was stored: %+v", page.Data)
		}
	})
}
