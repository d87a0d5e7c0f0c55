package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// Documents stores identity and supporting documents uploaded for a
// customer, encrypted at rest; the type is decided by the content, never by
// the name or the declared type (OWASP ASVS 5.2.2).
type Documents struct {
	d     *Deps
	audit *AuditLog
	cust  *Customers
}

// DocumentKinds are the accepted document kinds.
var DocumentKinds = []string{"identity_document", "identity_document_back", "selfie", "proof_of_address", "source_of_funds", "source_of_wealth", "company_registration", "ownership_structure", "other"}

// MaxDocumentBytes is the largest accepted document unless
// Policy.MaxDocumentBytes (KYC_MAX_UPLOAD_BYTES) sets another limit.
const MaxDocumentBytes = 10 << 20

// MaxBytes is the size of the largest document Upload accepts; transports
// cap request bodies with it and tell the applicant.
func (s *Documents) MaxBytes() int64 {
	if s.d.Policy.MaxDocumentBytes > 0 {
		return s.d.Policy.MaxDocumentBytes
	}
	return MaxDocumentBytes
}

// SizeText writes a size for people: whole megabytes as "10 MB", other
// sizes in kilobytes ("512 KB") or bytes.
func SizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Document is an uploaded document's metadata (and content when read).
type Document struct {
	ID          string    `json:"id"`
	CustomerID  string    `json:"customer_id"`
	Kind        string    `json:"kind"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	CreatedAt   time.Time `json:"created_at"`
	Content     []byte    `json:"-"`
}

// SniffDocument returns the content type of an accepted file (JPEG, PNG or
// PDF, by their magic numbers), or "" when the content is none of these.
func SniffDocument(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return "application/pdf"
	}
	return ""
}

func documentAAD(id string) []byte { return []byte("document:" + id) }

// Upload stores a document for a customer that is still editable.
func (s *Documents) Upload(ctx context.Context, actor domain.Actor, customerID, kind string, content []byte) (Document, error) {
	if err := Authorize(actor, PermCustomersWrite); err != nil {
		return Document{}, err
	}
	kind = strings.TrimSpace(kind)
	var v domain.Validation
	if !contains(DocumentKinds, kind) {
		v.Add("kind", "Choose one of: "+strings.Join(DocumentKinds, ", ")+".")
	}
	if err := v.Err(); err != nil {
		return Document{}, err
	}
	if max := s.MaxBytes(); int64(len(content)) > max {
		return Document{}, domain.Errorf(domain.ECodeTooLarge, "Documents may be at most %s.", SizeText(max))
	}
	if len(content) == 0 {
		return Document{}, &domain.Error{Code: domain.ECodeInvalid, Message: "The file is empty.", Fields: []domain.FieldError{{Location: "file", Message: "Choose a file to upload."}}}
	}
	ctype := SniffDocument(content)
	if ctype == "" {
		return Document{}, domain.Errorf(domain.ECodeUnsupported, "Upload a JPEG or PNG image or a PDF file.")
	}
	sum := sha256.Sum256(content)
	var out Document
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		c, err := s.cust.load(ctx, tx, actor, customerID, true)
		if err != nil {
			return err
		}
		if !c.Status.Editable() {
			return domain.Errorf(domain.ECodeConflict, "Documents can be added while the customer is draft or info_requested, not %s.", c.Status)
		}
		now := s.d.now()
		out = Document{ID: domain.NewID("doc", now), CustomerID: c.ID, Kind: kind, ContentType: ctype, Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:]), CreatedAt: now}
		sealed, err := s.d.Crypt.Seal(content, documentAAD(out.ID))
		if err != nil {
			return err
		}
		if err := tx.Documents().Create(ctx, store.DocumentRecord{
			ID: out.ID, CustomerID: c.ID, Kind: kind, ContentType: ctype, Size: out.Size, SHA256: out.SHA256, Content: sealed, CreatedAt: now,
		}); err != nil {
			return err
		}
		return s.audit.record(ctx, tx, auditEntry{
			Tenant: c.Tenant, Actor: actor, Action: domain.EventDocumentUploaded, EntityID: out.ID,
			Meta: map[string]string{"customer_id": c.ID, "kind": kind, "content_type": ctype, "size": fmt.Sprint(out.Size), "sha256": out.SHA256},
		})
	})
	return out, err
}

// List returns the documents of a customer (metadata only).
func (s *Documents) List(ctx context.Context, actor domain.Actor, customerID string) ([]Document, error) {
	if err := Authorize(actor, PermCustomersRead); err != nil {
		return nil, err
	}
	if _, err := s.cust.load(ctx, s.d.Store, actor, customerID, false); err != nil {
		return nil, err
	}
	recs, err := s.d.Store.Documents().ListByCustomer(ctx, customerID)
	if err != nil {
		return nil, err
	}
	out := make([]Document, 0, len(recs))
	for _, r := range recs {
		out = append(out, Document{ID: r.ID, CustomerID: r.CustomerID, Kind: r.Kind, ContentType: r.ContentType, Size: r.Size, SHA256: r.SHA256, CreatedAt: r.CreatedAt})
	}
	return out, nil
}

// Get returns a document with its decrypted content.
func (s *Documents) Get(ctx context.Context, actor domain.Actor, id string) (Document, error) {
	if err := Authorize(actor, PermCustomersRead); err != nil {
		return Document{}, err
	}
	r, err := s.d.Store.Documents().Get(ctx, id)
	if err != nil {
		return Document{}, notFound(err, "Document")
	}
	if _, err := s.cust.load(ctx, s.d.Store, actor, r.CustomerID, false); err != nil {
		return Document{}, domain.Errorf(domain.ECodeNotFound, "Document not found.")
	}
	content, err := s.d.Crypt.Open(r.Content, documentAAD(r.ID))
	if err != nil {
		return Document{}, fmt.Errorf("decrypt document %s: %w", r.ID, err)
	}
	return Document{ID: r.ID, CustomerID: r.CustomerID, Kind: r.Kind, ContentType: r.ContentType, Size: r.Size, SHA256: r.SHA256, CreatedAt: r.CreatedAt, Content: content}, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
