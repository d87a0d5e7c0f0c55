package api_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// part is one field of a multipart body; a file when Filename is set.
type part struct {
	Name, Filename, ContentType string
	Body                        []byte
}

// multipartBody encodes parts and returns the body and its Content-Type.
func multipartBody(t *testing.T, parts ...part) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		if p.Filename != "" {
			h.Set("Content-Disposition", `form-data; name="`+p.Name+`"; filename="`+p.Filename+`"`)
		} else {
			h.Set("Content-Disposition", `form-data; name="`+p.Name+`"`)
		}
		if p.ContentType != "" {
			h.Set("Content-Type", p.ContentType)
		}
		pw, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = pw.Write(p.Body)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), w.FormDataContentType()
}

func (e *env) upload(tok, customerID string, parts ...part) *response {
	e.t.Helper()
	body, ct := multipartBody(e.t, parts...)
	return e.do(req{Method: http.MethodPost, Path: "/api/v1/customers/" + customerID + "/documents", Token: tok, Body: body, ContentType: ct})
}

type documentOut struct {
	ID              string `json:"id"`
	Kind            string `json:"kind"`
	RelatedPersonID string `json:"related_person_id"`
	ContentType     string `json:"content_type"`
	Size            int64  `json:"size"`
	SHA256          string `json:"sha256"`
}

// TestDocumentsAPI: POST /api/v1/customers/{id}/documents stores a file
// whose type is decided by its content (PRODUCT.md section 3), GET lists
// them, GET …/{doc_id} returns the content (customers:read), audited.
func TestDocumentsAPI(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("customers:read customers:write")
		_, reader := e.client("customers:read")
		_, other := e.clientIn("globex", "customers:read customers:write")
		c := e.create(tok, individual())
		pdf := kyctest.PDF("passport scan", 0)

		var doc documentOut
		want(t, e.upload(tok, c.ID, part{Name: "kind", Body: []byte("identity_document")}, part{Name: "file", Filename: "scan.pdf", ContentType: "application/pdf", Body: pdf}), http.StatusCreated, &doc)
		if doc.ID == "" || doc.Kind != "identity_document" || doc.ContentType != "application/pdf" || doc.Size != int64(len(pdf)) || len(doc.SHA256) != 64 {
			t.Fatalf("upload: %+v", doc)
		}
		// No claimed type: the content decides.
		var img documentOut
		want(t, e.upload(tok, c.ID, part{Name: "kind", Body: []byte("proof_of_address")}, part{Name: "file", Filename: "x", Body: kyctest.PNG()}), http.StatusCreated, &img)
		if img.ContentType != "image/png" {
			t.Fatalf("sniffed %q", img.ContentType)
		}

		var page struct {
			Data []documentOut `json:"data"`
		}
		want(t, e.get("/api/v1/customers/"+c.ID+"/documents", reader), http.StatusOK, &page)
		if len(page.Data) != 2 || page.Data[0].ID != doc.ID {
			t.Fatalf("list: %+v", page.Data)
		}
		r := e.get("/api/v1/customers/"+c.ID+"/documents/"+doc.ID, reader)
		if r.Status != http.StatusOK || !bytes.Equal(r.Body, pdf) || r.Header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") || r.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("content: %d %v", r.Status, r.Header)
		}
		e.SealAudit()
		evs, err := e.App.Audit.ListEvents(e.Ctx, kyctest.Operator, app.AuditQuery{EntityType: domain.EntityDocument, EntityID: doc.ID, Limit: 10})
		if err != nil || len(evs) != 2 || evs[1].Action != string(domain.EventDocumentViewed) {
			t.Fatalf("audit of the document: %+v %v", evs, err)
		}
		// Not another tenant's, not under another customer, not without
		// the scope.
		wantProblem(t, e.get("/api/v1/customers/"+c.ID+"/documents/"+doc.ID, other), http.StatusNotFound)
		wantProblem(t, e.get("/api/v1/customers/"+c.ID+"/documents", other), http.StatusNotFound)
		c2 := e.create(tok, individual())
		wantProblem(t, e.get("/api/v1/customers/"+c2.ID+"/documents/"+doc.ID, reader), http.StatusNotFound)
		wantProblem(t, e.upload(reader, c.ID, part{Name: "kind", Body: []byte("other")}, part{Name: "file", Filename: "a.pdf", Body: pdf}), http.StatusForbidden)
		wantProblem(t, e.upload(other, c.ID, part{Name: "kind", Body: []byte("other")}, part{Name: "file", Filename: "a.pdf", Body: pdf}), http.StatusNotFound)
		// The content is not in any body or log line.
		if strings.Contains(e.logs.String(), "passport scan") {
			t.Fatal("the document's content is in the log")
		}
	})
}

// TestDocumentsAPIBadInput: every bad upload is refused with a problem
// naming what is wrong, and nothing is stored (OWASP File Upload Cheat
// Sheet; PRODUCT.md section 3: 413 too large, 415 wrong media type, 422
// validation).
func TestDocumentsAPIBadInput(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("customers:read customers:write")
		c := e.create(tok, individual())
		kind := part{Name: "kind", Body: []byte("identity_document")}
		file := func(ct string, b []byte) part { return part{Name: "file", Filename: "f", ContentType: ct, Body: b} }
		png := kyctest.PNG()

		// A lie: a PNG sent as a JPEG; HTML sent as a PDF.
		p := wantProblem(t, e.upload(tok, c.ID, kind, file("image/jpeg", png)), http.StatusUnsupportedMediaType)
		if !strings.Contains(p.Detail, "sent as image/jpeg") {
			t.Fatalf("detail %q", p.Detail)
		}
		wantProblem(t, e.upload(tok, c.ID, kind, file("application/pdf", []byte("<html><script>alert(1)</script>"))), http.StatusUnsupportedMediaType)
		// Polyglots: an image with an archive appended, a PDF with script.
		wantProblem(t, e.upload(tok, c.ID, kind, file("image/png", append(append([]byte(nil), png...), "PK\x03\x04zip"...))), http.StatusUnsupportedMediaType)
		js := bytes.Replace(kyctest.PDF("x", 0), []byte("<< /Type /Catalog"), []byte("<< /OpenAction << /S /JavaScript /JS (x) >> /Type /Catalog"), 1)
		wantProblem(t, e.upload(tok, c.ID, kind, file("application/pdf", js)), http.StatusUnsupportedMediaType)
		// Zero bytes, no file at all, a bad kind, an unknown related person.
		wantProblem(t, e.upload(tok, c.ID, kind, file("image/png", nil)), http.StatusUnprocessableEntity, "body.file")
		wantProblem(t, e.upload(tok, c.ID, kind), http.StatusUnprocessableEntity, "body.file")
		wantProblem(t, e.upload(tok, c.ID, part{Name: "kind", Body: []byte("passport-ish")}, file("", png)), http.StatusUnprocessableEntity, "body.kind")
		wantProblem(t, e.upload(tok, c.ID, file("", png)), http.StatusUnprocessableEntity, "body.kind")
		wantProblem(t, e.upload(tok, c.ID, kind, part{Name: "related_person_id", Body: []byte("rp_nobody")}, file("", png)), http.StatusUnprocessableEntity, "body.related_person_id")
		// Over the limit: one byte over (app), and far over (while read).
		limit := e.App.Documents.MaxBytes()
		big := append(append([]byte(nil), png...), make([]byte, int(limit)+1-len(png))...)
		p = wantProblem(t, e.upload(tok, c.ID, kind, file("image/png", big)), http.StatusRequestEntityTooLarge)
		if !strings.Contains(p.Detail, app.SizeText(limit)) {
			t.Fatalf("detail %q does not name the limit", p.Detail)
		}
		wantProblem(t, e.upload(tok, c.ID, kind, file("image/png", make([]byte, int(limit)+1<<20))), http.StatusRequestEntityTooLarge)
		// Not multipart at all.
		wantProblem(t, e.do(req{Method: http.MethodPost, Path: "/api/v1/customers/" + c.ID + "/documents", Token: tok, Body: png, ContentType: "image/png"}), http.StatusUnsupportedMediaType, "header.Content-Type")
		j, _ := json.Marshal(map[string]string{"kind": "other"})
		wantProblem(t, e.do(req{Method: http.MethodPost, Path: "/api/v1/customers/" + c.ID + "/documents", Token: tok, Body: j}), http.StatusUnsupportedMediaType)
		// A file in another field.
		wantProblem(t, e.upload(tok, c.ID, kind, part{Name: "attachment", Filename: "a", Body: png}), http.StatusUnprocessableEntity, "body.attachment")

		var page struct {
			Data []documentOut `json:"data"`
		}
		want(t, e.get("/api/v1/customers/"+c.ID+"/documents", tok), http.StatusOK, &page)
		if len(page.Data) != 0 {
			t.Fatalf("a refused upload was stored: %+v", page.Data)
		}
		// With an Idempotency-Key, a document larger than the JSON limit
		// is accepted once and replayed.
		pdf := kyctest.PDF("large", 200<<10)
		body, ct := multipartBody(t, kind, file("application/pdf", pdf))
		r1 := e.do(req{Method: http.MethodPost, Path: "/api/v1/customers/" + c.ID + "/documents", Token: tok, Body: body, ContentType: ct, Header: map[string]string{"Idempotency-Key": "doc-1"}})
		r2 := e.do(req{Method: http.MethodPost, Path: "/api/v1/customers/" + c.ID + "/documents", Token: tok, Body: body, ContentType: ct, Header: map[string]string{"Idempotency-Key": "doc-1"}})
		if r1.Status != http.StatusCreated || r2.Status != http.StatusCreated || !bytes.Equal(r1.Body, r2.Body) || r2.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("idempotent upload: %s / %s", r1, r2)
		}
	})
}
