package app_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/docstore"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

// TestInspectDocument: the type of an upload is decided by its content, a
// declared type that disagrees is refused, and polyglots and active content
// are refused (OWASP File Upload Cheat Sheet: "File Content Validation",
// "Content-Type validation"; OWASP ASVS 5.0 V5.2.2 file type by content,
// V5.2.6 no active content in uploads).
func TestInspectDocument(t *testing.T) {
	t.Parallel()
	jpg, png, pdf := kyctest.JPEG(), kyctest.PNG(), kyctest.PDF("hello", 0)
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	pdfWith := func(obj string) []byte {
		return bytes.Replace(pdf, []byte("<< /Type /Catalog"), []byte("<< "+obj+" /Type /Catalog"), 1)
	}
	tests := []struct {
		name, declared string
		in             []byte
		want           string // content type, or "" when refused
		msg            string // part of the refusal
	}{
		{"jpeg", "image/jpeg", jpg, "image/jpeg", ""},
		{"jpeg declared image/jpg", "image/jpg", jpg, "image/jpeg", ""},
		{"png", "image/png", png, "image/png", ""},
		{"pdf", "application/pdf; charset=binary", pdf, "application/pdf", ""},
		{"no claim", "", png, "image/png", ""},
		{"octet-stream claim", "application/octet-stream", pdf, "application/pdf", ""},
		{"jpeg padded with zeros", "", cat(jpg, make([]byte, 16)), "image/jpeg", ""},
		{"png sent as jpeg (a lie)", "image/jpeg", png, "", "sent as image/jpeg but its content is PNG image"},
		{"pdf sent as png (a lie)", "image/png", pdf, "", "sent as image/png"},
		{"html sent as jpeg", "image/jpeg", []byte("<html><script>alert(1)</script></html>"), "", "JPEG or PNG image or a PDF"},
		{"gif", "image/gif", []byte("GIF89a\x01\x00\x01\x00"), "", "JPEG or PNG image or a PDF"},
		{"svg", "image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), "", "JPEG or PNG"},
		{"jpeg magic only", "", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10}, "", "not a valid JPEG image"},
		{"png magic and filler", "", cat([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)), "", "not a valid PNG image"},
		{"jpeg with a zip appended (GIFAR-style polyglot)", "", cat(jpg, []byte("PK\x03\x04rest of an archive")), "", "data after the end of the JPEG image"},
		{"png with a script appended", "", cat(png, []byte("<script>alert(1)</script>")), "", "data after the end of the PNG image"},
		{"png holding a PDF (polyglot)", "", pngWithChunk(png, "tEXt", []byte("c\x00%PDF-1.4 1 0 obj")), "", "an embedded PDF"},
		{"png holding html (polyglot)", "", pngWithChunk(png, "tEXt", []byte("c\x00<html><body>hi")), "", "markup <html"},
		{"pdf with a zip appended", "", cat(pdf, []byte("PK\x03\x04")), "", "data after the end of the PDF"},
		{"pdf without end", "", []byte("%PDF-1.4\n1 0 obj\n"), "", "data after the end of the PDF"},
		{"pdf with JavaScript", "", pdfWith("/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), "", "JavaScript"},
		{"pdf with hex-escaped JavaScript name", "", pdfWith("/OpenAction << /S /J#61vaScript >>"), "", "JavaScript"},
		{"pdf with a launch action", "", pdfWith("/OpenAction << /S /Launch /F (calc.exe) >>"), "", "a launch action"},
		{"pdf with an embedded file", "", pdfWith("/Names << /EmbeddedFiles 9 0 R >>"), "", "an embedded file"},
		{"pdf holding html", "", pdfWith("/Title (<html><script>x</script>)"), "", "markup"},
	}
	for _, tt := range tests {
		got, err := app.InspectDocument(tt.in, tt.declared)
		if tt.want != "" {
			if err != nil || got != tt.want {
				t.Errorf("%s: %q %v, want %q", tt.name, got, err, tt.want)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: accepted as %q", tt.name, got)
			continue
		}
		if domain.ErrCode(err) != domain.ECodeUnsupported || !strings.Contains(domain.ErrMessage(err), tt.msg) {
			t.Errorf("%s: %v (%s), want 415 saying %q", tt.name, err, domain.ErrCode(err), tt.msg)
		}
	}
}

// pngWithChunk inserts an ancillary chunk after IHDR (the CRC is not
// checked by DecodeConfig, so any value will do for the test).
func pngWithChunk(png []byte, typ string, data []byte) []byte {
	const afterIHDR = 8 + 25
	var c bytes.Buffer
	c.Write([]byte{byte(len(data) >> 24), byte(len(data) >> 16), byte(len(data) >> 8), byte(len(data))})
	c.WriteString(typ)
	c.Write(data)
	c.Write([]byte{0, 0, 0, 0})
	return bytes.Join([][]byte{png[:afterIHDR], c.Bytes(), png[afterIHDR:]}, nil)
}

// countingStore records what the document store holds, to check that
// contents go there (not into the database) and leave with a purge.
type countingStore struct {
	mu      sync.Mutex
	objects map[string][]byte
	failPut bool
}

func (s *countingStore) Put(_ context.Context, key string, b []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failPut {
		return errors.New("store down")
	}
	s.objects[key] = append([]byte(nil), b...)
	return nil
}

func (s *countingStore) Get(_ context.Context, key string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.objects[key]
	if !ok {
		return nil, docstore.ErrNotFound
	}
	return b, nil
}

func (s *countingStore) Delete(_ context.Context, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.objects, key)
	return nil
}

func (s *countingStore) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.objects)
}

// Documents are kept encrypted in the document store (never in clear,
// never in the database row), read back with an audited read, and their
// contents are deleted with the purge at the end of retention (EU AMLD
// 2015/849 art. 40(1); GDPR art. 5(1)(e)).
func TestDocumentContentsInTheStore(t *testing.T) {
	t.Parallel()
	kyctest.Engines(t, func(t *testing.T, engine string) {
		contents := &countingStore{objects: map[string][]byte{}}
		h := kyctest.New(t, kyctest.WithEngine(engine), kyctest.WithDocumentContents(contents), kyctest.WithPolicy(func(p *app.Policy) { p.Retention = domain.Period{Days: 1} }))
		h.ImportOFAC()
		c := kyctest.Customer(t, h, nil)
		jpg := kyctest.JPEG()
		doc, err := h.App.Documents.UploadDocument(h.Ctx, kyctest.Client, app.UploadInput{CustomerID: c.ID, Kind: "identity_document", DeclaredType: "image/jpeg", Content: jpg})
		if err != nil {
			t.Fatal(err)
		}
		rec, err := h.Store.Documents().Get(h.Ctx, doc.ID)
		if err != nil || len(rec.Content) != 0 || rec.ContentKey == "" {
			t.Fatalf("row keeps %d bytes of content, key %q (%v)", len(rec.Content), rec.ContentKey, err)
		}
		sealed, err := contents.Get(h.Ctx, rec.ContentKey)
		if err != nil || bytes.Contains(sealed, jpg[:64]) {
			t.Fatalf("store holds the document in clear or nothing (%v)", err)
		}
		got, err := h.App.Documents.Open(h.Ctx, kyctest.Client, doc.ID, app.DocumentPreview)
		if err != nil || !bytes.Equal(got.Content, jpg) || got.SHA256 != doc.SHA256 {
			t.Fatalf("read back: %v", err)
		}
		h.SealAudit()
		evs, err := h.App.Audit.ListEvents(h.Ctx, kyctest.Operator, app.AuditQuery{EntityType: domain.EntityDocument, EntityID: doc.ID, Limit: 100})
		if err != nil || len(evs) == 0 {
			t.Fatalf("audit of the document: %v", err)
		}
		if ev := evs[len(evs)-1]; ev.Action != string(domain.EventDocumentViewed) || !strings.Contains(ev.Meta, `"purpose":"preview"`) {
			t.Fatalf("read not audited: %s %s", ev.Action, ev.Meta)
		}
		// The store failing refuses the upload; nothing is recorded.
		contents.mu.Lock()
		contents.failPut = true
		contents.mu.Unlock()
		_, err = h.App.Documents.Upload(h.Ctx, kyctest.Client, c.ID, "other", kyctest.PNG())
		contents.mu.Lock()
		contents.failPut = false
		contents.mu.Unlock()
		if err == nil {
			t.Fatal("upload succeeded without its content stored")
		}
		if docs, _ := h.App.Documents.List(h.Ctx, kyctest.Client, c.ID); len(docs) != 1 {
			t.Fatalf("%d documents after a failed upload", len(docs))
		}
		// A refused transaction (the customer is no longer editable)
		// leaves no content behind.
		c = kyctest.SubmitAndRun(t, h, kyctest.Client, c.ID)
		before := contents.len()
		_, err = h.App.Documents.Upload(h.Ctx, kyctest.Client, c.ID, "other", kyctest.PNG())
		kyctest.WantCode(t, err, domain.ECodeConflict)
		if contents.len() != before {
			t.Fatal("a refused upload left its content in the store")
		}
		if c.Status != domain.StatusApproved {
			t.Fatalf("customer is %s", c.Status)
		}
		if _, err := h.App.Customers.Close(h.Ctx, kyctest.Client, c.ID, app.CloseInput{Reason: "customer left"}); err != nil {
			t.Fatal(err)
		}
		h.Advance(48 * time.Hour)
		if n, err := h.App.Records.PurgeDue(h.Ctx, 1); err != nil || n != 1 {
			t.Fatalf("purge: %d %v", n, err)
		}
		if _, err := contents.Get(h.Ctx, rec.ContentKey); !errors.Is(err, docstore.ErrNotFound) {
			t.Fatalf("the document's content survived the purge: %v", err)
		}
	})
}

// A document may name the related person of a business it is about; a
// name the customer does not have is refused naming the field.
func TestDocumentOfRelatedPerson(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		b := kyctest.Business(t, h, nil)
		rp := b.Data.Business.RelatedPersons[0].ID
		doc, err := h.App.Documents.UploadDocument(h.Ctx, kyctest.Client, app.UploadInput{CustomerID: b.ID, Kind: "identity_document", RelatedPersonID: rp, Content: kyctest.PDF("id", 0)})
		if err != nil || doc.RelatedPersonID != rp {
			t.Fatalf("upload: %+v %v", doc, err)
		}
		if list, _ := h.App.Documents.List(h.Ctx, kyctest.Client, b.ID); len(list) != 1 || list[0].RelatedPersonID != rp {
			t.Fatalf("list: %+v", list)
		}
		_, err = h.App.Documents.UploadDocument(h.Ctx, kyctest.Client, app.UploadInput{CustomerID: b.ID, Kind: "identity_document", RelatedPersonID: "nobody", Content: kyctest.PDF("id", 0)})
		kyctest.WantCode(t, err, domain.ECodeInvalid)
		var de *domain.Error
		if !errors.As(err, &de) || len(de.Fields) != 1 || de.Fields[0].Location != "related_person_id" {
			t.Fatalf("fields of %v", err)
		}
		_, err = h.App.Documents.UploadDocument(h.Ctx, kyctest.Client, app.UploadInput{CustomerID: b.ID, Kind: "company_registry_extract", Content: kyctest.PDF("extract", 0)})
		if err != nil {
			t.Fatalf("company_registry_extract (PRODUCT.md section 3): %v", err)
		}
	})
}
