package app_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
)

func TestSniffDocument(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"jpeg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10}, "image/jpeg"},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00"), "image/png"},
		{"pdf", []byte("%PDF-1.7\n"), "application/pdf"},
		{"html named .pdf", []byte("<html><script>"), ""},
		{"gif", []byte("GIF89a"), ""},
		{"empty", nil, ""},
	}
	for _, tt := range tests {
		if got := app.SniffDocument(tt.in); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestDocumentUpload(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		c := kyctest.Customer(t, h, nil)
		pdf := kyctest.PDF("a passport scan", 0)
		doc, err := h.App.Documents.Upload(h.Ctx, kyctest.Client, c.ID, "identity_document", pdf)
		if err != nil || doc.ContentType != "application/pdf" || doc.Size != int64(len(pdf)) {
			t.Fatalf("upload: %+v %v", doc, err)
		}
		got, err := h.App.Documents.Get(h.Ctx, kyctest.Client, doc.ID)
		if err != nil || !bytes.Equal(got.Content, pdf) {
			t.Fatalf("read back: %v", err)
		}
		list, err := h.App.Documents.List(h.Ctx, kyctest.Client, c.ID)
		if err != nil || len(list) != 1 || list[0].Content != nil {
			t.Fatalf("list: %+v %v", list, err)
		}
		_, err = h.App.Documents.Upload(h.Ctx, kyctest.Client, c.ID, "identity_document", []byte("<svg onload=alert(1)>"))
		kyctest.WantCode(t, err, domain.ECodeUnsupported)
		_, err = h.App.Documents.Upload(h.Ctx, kyctest.Client, c.ID, "passport-ish", pdf)
		kyctest.WantCode(t, err, domain.ECodeInvalid)
		_, err = h.App.Documents.Upload(h.Ctx, kyctest.Client, c.ID, "other", make([]byte, app.MaxDocumentBytes+1))
		kyctest.WantCode(t, err, domain.ECodeTooLarge)
		// Another tenant's client sees neither the customer nor the document.
		_, err = h.App.Documents.Get(h.Ctx, kyctest.Outsider, doc.ID)
		kyctest.WantCode(t, err, domain.ECodeNotFound)
		_, err = h.App.Documents.Upload(h.Ctx, kyctest.Outsider, c.ID, "other", pdf)
		kyctest.WantCode(t, err, domain.ECodeNotFound)
		// Not after submission.
		kyctest.SubmitAndRun(t, h, kyctest.Client, c.ID)
		_, err = h.App.Documents.Upload(h.Ctx, kyctest.Client, c.ID, "other", pdf)
		kyctest.WantCode(t, err, domain.ECodeConflict)
	})
}

// The upload limit is the configured one (KYC_MAX_UPLOAD_BYTES), not only
// the default.
func TestDocumentUploadLimitIsConfigured(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		if got := h.App.Documents.MaxBytes(); got != 64<<10 {
			t.Fatalf("MaxBytes %d, want the configured 64 KB", got)
		}
		c := kyctest.Customer(t, h, nil)
		pdf := kyctest.PDF("a document of exactly the limit", 64<<10)
		if len(pdf) != 64<<10 {
			t.Fatalf("fixture is %d bytes", len(pdf))
		}
		if _, err := h.App.Documents.Upload(h.Ctx, kyctest.Client, c.ID, "other", pdf); err != nil {
			t.Fatalf("a document of exactly the limit: %v", err)
		}
		_, err := h.App.Documents.Upload(h.Ctx, kyctest.Client, c.ID, "other", append(pdf, 0))
		kyctest.WantCode(t, err, domain.ECodeTooLarge)
		if !strings.Contains(domain.ErrMessage(err), "64 KB") {
			t.Fatalf("message does not name the limit: %v", err)
		}
	}, kyctest.WithPolicy(func(p *app.Policy) { p.MaxDocumentBytes = 64 << 10 }))
	if h := kyctest.New(t); h.App.Documents.MaxBytes() != app.MaxDocumentBytes {
		t.Fatalf("unset limit %d, want the default %d", h.App.Documents.MaxBytes(), app.MaxDocumentBytes)
	}
}

func TestSizeText(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{10 << 20: "10 MB", 64 << 10: "64 KB", 1536 << 10: "1536 KB", 100: "100 bytes"} {
		if got := app.SizeText(n); got != want {
			t.Errorf("SizeText(%d) = %q, want %q", n, got, want)
		}
	}
}
