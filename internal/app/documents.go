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

// DocumentKinds are the accepted document kinds: those of the API
// contract (PRODUCT.md section 3: identity_document, proof_of_address,
// source_of_funds, source_of_wealth, company_registry_extract, other) and
// those the hosted pages ask for.
var DocumentKinds = []string{"identity_document", "identity_document_back", "selfie", "proof_of_address", "source_of_funds", "source_of_wealth", "company_registry_extract", "company_registration", "ownership_structure", "other"}

// The caps on one customer's documents unless Policy sets others (issue
// 12, item 9: a self-service visitor must not be able to fill the disk).
const (
	DefaultDocumentsPerCustomer           = 50
	DefaultDocumentBytesPerCustomer int64 = 200 << 20
	DefaultApplicantUploads               = 20
	defaultApplicantUploadWindow          = time.Hour
)

// documentCaps returns the caps in force.
func (s *Documents) documentCaps() (count int, bytes int64, uploads int, window time.Duration) {
	p := s.d.Policy
	count, bytes, uploads, window = p.DocumentsPerCustomer, p.DocumentBytesPerCustomer, p.ApplicantUploads, p.ApplicantUploadWindow
	if count <= 0 {
		count = DefaultDocumentsPerCustomer
	}
	if bytes <= 0 {
		bytes = DefaultDocumentBytesPerCustomer
	}
	if uploads <= 0 || window <= 0 {
		uploads, window = DefaultApplicantUploads, defaultApplicantUploadWindow
	}
	return count, bytes, uploads, window
}

// checkCaps refuses a document of size bytes that would take the
// customer past a cap: 422 naming the file for the count and the total
// size, 429 when an applicant (the hosted pages) uploads faster than the
// rate allows. It runs before the content is written and again inside the
// transaction, after the customer is locked, so that concurrent uploads
// cannot both slip under a cap.
func (s *Documents) checkCaps(ctx context.Context, r store.Repos, actor domain.Actor, customerID string, size int64) error {
	maxCount, maxBytes, uploads, window := s.documentCaps()
	t, err := r.Documents().Totals(ctx, customerID, s.d.now().Add(-window))
	if err != nil {
		return err
	}
	if t.Count >= int64(maxCount) {
		return &DocumentCapError{Cap: CapCount, Limit: int64(maxCount), err: &domain.Error{Code: domain.ECodeInvalid,
			Message: fmt.Sprintf("A customer may have at most %d documents.", maxCount),
			Fields:  []domain.FieldError{{Location: "file", Message: fmt.Sprintf("This customer already has %d documents, the most allowed.", t.Count)}}}}
	}
	if t.Bytes+size > maxBytes {
		return &DocumentCapError{Cap: CapBytes, Limit: maxBytes, err: &domain.Error{Code: domain.ECodeInvalid,
			Message: fmt.Sprintf("A customer's documents may total at most %s.", SizeText(maxBytes)),
			Fields: []domain.FieldError{{Location: "file", Message: fmt.Sprintf("This file (%s) would take the customer's documents past %s (%s already).",
				SizeText(size), SizeText(maxBytes), SizeText(t.Bytes))}}}}
	}
	if actor.Type == domain.ActorApplicant && t.Recent >= int64(uploads) {
		return &DocumentCapError{Cap: CapUploadRate, Limit: int64(uploads), Window: window, err: domain.Errorf(domain.ECodeRateLimited,
			"Too many uploads: at most %d per %s. Please wait a while before uploading another document.", uploads, humanWindow(window))}
	}
	return nil
}

// The caps a DocumentCapError names.
const (
	CapCount      = "count"
	CapBytes      = "bytes"
	CapUploadRate = "upload_rate"
)

// DocumentCapError is a document refused by a cap: its *domain.Error
// (errors.As finds it) says so to API clients; the hosted pages word it
// from Cap, Limit and Window in the applicant's language.
type DocumentCapError struct {
	Cap    string
	Limit  int64
	Window time.Duration
	err    *domain.Error
}

func (e *DocumentCapError) Error() string { return e.err.Error() }
func (e *DocumentCapError) Unwrap() error { return e.err }

// humanWindow says a rate window in words ("hour", "10 minutes").
func humanWindow(d time.Duration) string {
	switch {
	case d == time.Hour:
		return "hour"
	case d == time.Minute:
		return "minute"
	case d%time.Hour == 0:
		return fmt.Sprintf("%d hours", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%d minutes", d/time.Minute)
	}
	return d.String()
}

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
	ID              string    `json:"id"`
	CustomerID      string    `json:"customer_id"`
	RelatedPersonID string    `json:"related_person_id,omitempty"`
	Kind            string    `json:"kind"`
	ContentType     string    `json:"content_type"`
	Size            int64     `json:"size"`
	SHA256          string    `json:"sha256"`
	CreatedAt       time.Time `json:"created_at"`
	Content         []byte    `json:"-"`
}

func documentFromRecord(r store.DocumentRecord) Document {
	return Document{ID: r.ID, CustomerID: r.CustomerID, RelatedPersonID: r.RelatedPersonID, Kind: r.Kind, ContentType: r.ContentType, Size: r.Size, SHA256: r.SHA256, CreatedAt: r.CreatedAt}
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

// UploadInput is one document to store.
type UploadInput struct {
	CustomerID string
	// Kind is one of DocumentKinds.
	Kind string
	// RelatedPersonID optionally names the related person (of a business)
	// the document is about.
	RelatedPersonID string
	// DeclaredType is the media type the sender claimed (a multipart
	// part's Content-Type); empty when none. The content decides the type;
	// a claim that disagrees with it is refused.
	DeclaredType string
	Content      []byte
}

// Upload stores a document for a customer that is still editable.
func (s *Documents) Upload(ctx context.Context, actor domain.Actor, customerID, kind string, content []byte) (Document, error) {
	return s.UploadDocument(ctx, actor, UploadInput{CustomerID: customerID, Kind: kind, Content: content})
}

// UploadDocument stores a document for a customer that is still editable
// (draft or info_requested): its type decided by its content
// (InspectDocument), its SHA-256, its content sealed by the vault (bound to
// the document id) and kept in DocumentContents, its row and the audit
// event in one transaction. The content is written before that transaction
// and removed again when it does not commit.
func (s *Documents) UploadDocument(ctx context.Context, actor domain.Actor, in UploadInput) (Document, error) {
	if err := Authorize(actor, PermCustomersWrite); err != nil {
		return Document{}, err
	}
	kind := strings.TrimSpace(in.Kind)
	rel := strings.TrimSpace(in.RelatedPersonID)
	var v domain.Validation
	if !contains(DocumentKinds, kind) {
		v.Add("kind", "Choose one of: "+strings.Join(DocumentKinds, ", ")+".")
	}
	if len(rel) > 64 {
		v.Add("related_person_id", "Must be at most 64 characters.")
	}
	if err := v.Err(); err != nil {
		return Document{}, err
	}
	content := in.Content
	if max := s.MaxBytes(); int64(len(content)) > max {
		return Document{}, domain.Errorf(domain.ECodeTooLarge, "Documents may be at most %s.", SizeText(max))
	}
	if len(content) == 0 {
		return Document{}, &domain.Error{Code: domain.ECodeInvalid, Message: "The file is empty.", Fields: []domain.FieldError{{Location: "file", Message: "Choose a file to upload."}}}
	}
	ctype, err := InspectDocument(content, in.DeclaredType)
	if err != nil {
		return Document{}, err
	}
	// Authorize on the record before anything is written anywhere.
	pre, err := s.editable(ctx, s.d.Store, actor, in.CustomerID, rel, false)
	if err != nil {
		return Document{}, err
	}
	if err := s.checkCaps(ctx, s.d.Store, actor, pre.ID, int64(len(content))); err != nil {
		return Document{}, err
	}
	sum := sha256.Sum256(content)
	now := s.d.now()
	out := Document{ID: domain.NewID("doc", now), Kind: kind, RelatedPersonID: rel, ContentType: ctype, Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:]), CreatedAt: now}
	sealed, err := s.d.Crypt.Seal(content, documentAAD(out.ID))
	if err != nil {
		return Document{}, err
	}
	rec := store.DocumentRecord{ID: out.ID, Kind: kind, RelatedPersonID: rel, ContentType: ctype, Size: out.Size, SHA256: out.SHA256, CreatedAt: now}
	if s.d.Contents != nil {
		rec.ContentKey = documentKey(out.ID)
		if err := s.d.Contents.Put(ctx, rec.ContentKey, sealed); err != nil {
			return Document{}, fmt.Errorf("store document content: %w", err)
		}
	} else {
		rec.Content = sealed
	}
	err = s.d.Store.InTx(ctx, func(tx store.Tx) error {
		c, err := s.editable(ctx, tx, actor, in.CustomerID, rel, true)
		if err != nil {
			return err
		}
		if err := s.checkCaps(ctx, tx, actor, c.ID, int64(len(content))); err != nil {
			return err
		}
		out.CustomerID, rec.CustomerID = c.ID, c.ID
		if err := tx.Documents().Create(ctx, rec); err != nil {
			return err
		}
		meta := map[string]string{"customer_id": c.ID, "kind": kind, "content_type": ctype, "size": fmt.Sprint(out.Size), "sha256": out.SHA256}
		if rel != "" {
			meta["related_person_id"] = rel
		}
		return s.audit.record(ctx, tx, auditEntry{Tenant: c.Tenant, Actor: actor, Action: domain.EventDocumentUploaded, EntityID: out.ID, Meta: meta})
	})
	if err != nil {
		if rec.ContentKey != "" {
			if derr := s.d.Contents.Delete(context.WithoutCancel(ctx), rec.ContentKey); derr != nil {
				s.d.log().Warn("removing the content of a document that was not stored failed", "document_id", out.ID, "err", derr)
			}
		}
		return Document{}, err
	}
	return out, nil
}

// editable loads the customer a document is added to and checks that it
// takes documents: still editable, and rel (when given) one of its related
// persons.
func (s *Documents) editable(ctx context.Context, r store.Repos, actor domain.Actor, customerID, rel string, forUpdate bool) (*domain.Customer, error) {
	c, err := s.cust.load(ctx, r, actor, customerID, forUpdate)
	if err != nil {
		return nil, err
	}
	if !c.Status.Editable() {
		return nil, domain.Errorf(domain.ECodeConflict, "Documents can be added while the customer is draft or info_requested, not %s.", c.Status)
	}
	if rel != "" {
		found := false
		if b := c.Data.Business; b != nil {
			for _, p := range b.RelatedPersons {
				if p.ID == rel {
					found = true
					break
				}
			}
		}
		if !found {
			return nil, &domain.Error{Code: domain.ECodeInvalid, Message: "The document names a related person the customer does not have.",
				Fields: []domain.FieldError{{Location: "related_person_id", Message: "Name the id of one of the customer's related persons."}}}
		}
	}
	return c, nil
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
		out = append(out, documentFromRecord(r))
	}
	return out, nil
}

// Document read purposes, kept in the audit event of the read.
const (
	DocumentDownload = "download"
	DocumentPreview  = "preview"
)

// Get returns a document with its decrypted content, for download.
func (s *Documents) Get(ctx context.Context, actor domain.Actor, id string) (Document, error) {
	return s.Open(ctx, actor, id, DocumentDownload)
}

// Open returns a document with its decrypted content and records the read
// in the audit trail (document.viewed, with the purpose: download or
// preview), as every read of personal data is. A document of a customer
// the actor may not see is not found.
func (s *Documents) Open(ctx context.Context, actor domain.Actor, id, purpose string) (Document, error) {
	return s.Read(ctx, actor, "", id, purpose)
}

// Read is Open of a document of the named customer: a document of another
// customer is not found (customerID empty: any customer the actor sees).
func (s *Documents) Read(ctx context.Context, actor domain.Actor, customerID, id, purpose string) (Document, error) {
	if err := Authorize(actor, PermCustomersRead); err != nil {
		return Document{}, err
	}
	if purpose != DocumentPreview {
		purpose = DocumentDownload
	}
	r, err := s.d.Store.Documents().Get(ctx, id)
	if err != nil {
		return Document{}, notFound(err, "Document")
	}
	if customerID != "" && r.CustomerID != customerID {
		return Document{}, domain.Errorf(domain.ECodeNotFound, "Document not found.")
	}
	c, err := s.cust.load(ctx, s.d.Store, actor, r.CustomerID, false)
	if err != nil {
		return Document{}, domain.Errorf(domain.ECodeNotFound, "Document not found.")
	}
	content, err := documentContent(ctx, s.d, r)
	if err != nil {
		return Document{}, err
	}
	err = s.d.Store.InTx(ctx, func(tx store.Tx) error {
		return s.audit.record(ctx, tx, auditEntry{Tenant: c.Tenant, Actor: actor, Action: domain.EventDocumentViewed, EntityID: r.ID,
			Meta: map[string]string{"customer_id": c.ID, "kind": r.Kind, "purpose": purpose}})
	})
	if err != nil {
		return Document{}, err
	}
	out := documentFromRecord(r)
	out.Content = content
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
