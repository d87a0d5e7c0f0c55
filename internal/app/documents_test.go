package app_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store/testdb"
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
	engines(t, func(t *testing.T, h *harness) {
		c := h.create(clientA, person())
		pdf := []byte("%PDF-1.4\n% a passport scan\n")
		doc, err := h.app.Documents.Upload(h.ctx, clientA, c.ID, "identity_document", pdf)
		if err != nil || doc.ContentType != "application/pdf" || doc.Size != int64(len(pdf)) {
			t.Fatalf("upload: %+v %v", doc, err)
		}
		got, err := h.app.Documents.Get(h.ctx, clientA, doc.ID)
		if err != nil || !bytes.Equal(got.Content, pdf) {
			t.Fatalf("read back: %v", err)
		}
		list, err := h.app.Documents.List(h.ctx, clientA, c.ID)
		if err != nil || len(list) != 1 || list[0].Content != nil {
			t.Fatalf("list: %+v %v", list, err)
		}
		_, err = h.app.Documents.Upload(h.ctx, clientA, c.ID, "identity_document", []byte("<svg onload=alert(1)>"))
		wantCode(t, err, domain.ECodeUnsupported)
		_, err = h.app.Documents.Upload(h.ctx, clientA, c.ID, "passport-ish", pdf)
		wantCode(t, err, domain.ECodeInvalid)
		_, err = h.app.Documents.Upload(h.ctx, clientA, c.ID, "other", make([]byte, app.MaxDocumentBytes+1))
		wantCode(t, err, domain.ECodeTooLarge)
		// Another tenant's client sees neither the customer nor the document.
		_, err = h.app.Documents.Get(h.ctx, otherTenant, doc.ID)
		wantCode(t, err, domain.ECodeNotFound)
		_, err = h.app.Documents.Upload(h.ctx, otherTenant, c.ID, "other", pdf)
		wantCode(t, err, domain.ECodeNotFound)
		// Not after submission.
		h.submitAndRun(clientA, c.ID)
		_, err = h.app.Documents.Upload(h.ctx, clientA, c.ID, "other", pdf)
		wantCode(t, err, domain.ECodeConflict)
	})
}

// The upload limit is the configured one (KYC_MAX_UPLOAD_BYTES), not only
// the default.
func TestDocumentUploadLimitIsConfigured(t *testing.T) {
	t.Parallel()
	for _, e := range testdb.Engines() {
		t.Run(e, func(t *testing.T) {
			t.Parallel()
			h := setupWith(t, e, func(d *app.Deps) { d.Policy.MaxDocumentBytes = 64 << 10 })
			if got := h.app.Documents.MaxBytes(); got != 64<<10 {
				t.Fatalf("MaxBytes %d, want the configured 64 KB", got)
			}
			c := h.create(clientA, person())
			pdf := append([]byte("%PDF-1.4\n"), make([]byte, 64<<10-9)...)
			if _, err := h.app.Documents.Upload(h.ctx, clientA, c.ID, "other", pdf); err != nil {
				t.Fatalf("a document of exactly the limit: %v", err)
			}
			_, err := h.app.Documents.Upload(h.ctx, clientA, c.ID, "other", append(pdf, 0))
			wantCode(t, err, domain.ECodeTooLarge)
			if !strings.Contains(domain.ErrMessage(err), "64 KB") {
				t.Fatalf("message does not name the limit: %v", err)
			}
		})
	}
	if h := setupWith(t, "sqlite", func(*app.Deps) {}); h.app.Documents.MaxBytes() != app.MaxDocumentBytes {
		t.Fatalf("unset limit %d, want the default %d", h.app.Documents.MaxBytes(), app.MaxDocumentBytes)
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
