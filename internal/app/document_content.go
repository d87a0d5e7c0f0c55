package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/jpeg"
	"image/png"
	"strings"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// DocumentContents keeps the sealed (encrypted) content of uploaded
// documents outside the database: a directory under the data directory by
// default, an S3-compatible bucket with KYC_DOCUMENT_STORE=s3://bucket/prefix
// (package docstore; the composition root picks one). What it stores is
// already encrypted by the vault, bound to the document's id, so the store
// never sees a document in clear.
type DocumentContents interface {
	// Put stores sealed under key, replacing what was there.
	Put(ctx context.Context, key string, sealed []byte) error
	// Get returns what Put stored under key; an error wrapping
	// store.ErrNotFound when nothing is.
	Get(ctx context.Context, key string) ([]byte, error)
	// Delete removes key; a missing key is not an error, so that a purge
	// that is retried deletes what is left.
	Delete(ctx context.Context, key string) error
}

// documentKey is where a document's content is kept in DocumentContents: its
// id only, which is opaque and holds no personal data.
func documentKey(id string) string { return "documents/" + id }

// documentContent returns the decrypted content of a stored document,
// reading it from DocumentContents when it is kept there (ContentKey set)
// and from the row otherwise (documents uploaded before the store existed).
func documentContent(ctx context.Context, d *Deps, r store.DocumentRecord) ([]byte, error) {
	sealed := r.Content
	if r.ContentKey != "" {
		if d.Contents == nil {
			return nil, fmt.Errorf("document %s is kept in a document store, and none is configured", r.ID)
		}
		var err error
		if sealed, err = d.Contents.Get(ctx, r.ContentKey); err != nil {
			return nil, fmt.Errorf("read document %s: %w", r.ID, err)
		}
	}
	content, err := d.Crypt.Open(sealed, documentAAD(r.ID))
	if err != nil {
		return nil, fmt.Errorf("decrypt document %s: %w", r.ID, err)
	}
	return content, nil
}

// deleteDocumentContents removes the contents of the given documents from
// DocumentContents (those kept in their rows go with the rows).
func deleteDocumentContents(ctx context.Context, d *Deps, recs []store.DocumentRecord) error {
	var errs []error
	for _, r := range recs {
		if r.ContentKey == "" {
			continue
		}
		if d.Contents == nil {
			errs = append(errs, fmt.Errorf("document %s is kept in a document store, and none is configured", r.ID))
			continue
		}
		if err := d.Contents.Delete(ctx, r.ContentKey); err != nil {
			errs = append(errs, fmt.Errorf("delete document %s: %w", r.ID, err))
		}
	}
	return errors.Join(errs...)
}

// Content problems of an upload, each refused with 415 (ECodeUnsupported)
// and a message that says what to send instead. The rules follow the OWASP
// File Upload Cheat Sheet ("File Content Validation", "Content-Type
// validation"): the type is decided by the content, a declared type that
// disagrees is a lie, and a file that is at the same time another format
// (a polyglot) or carries active content is refused, because whoever opens
// it later (a reviewer's browser or PDF reader) might run that other part.
const (
	msgDocumentType      = "Upload a JPEG or PNG image or a PDF file."
	msgDocumentMalformed = "The file is not a valid %s; upload the original image or PDF."
	msgDocumentTrailing  = "The file holds data after the end of the %s; upload the original image or PDF."
	msgDocumentActive    = "The file holds active content (%s); upload a plain image or PDF."
	msgDocumentDeclared  = "The file was sent as %s but its content is %s."
)

// documentTypeNames names the accepted types for people.
var documentTypeNames = map[string]string{"image/jpeg": "JPEG image", "image/png": "PNG image", "application/pdf": "PDF document"}

// InspectDocument decides the type of an uploaded file from its content and
// refuses what must not be stored: a type other than JPEG, PNG or PDF; a
// declared type (the multipart part's Content-Type) that disagrees with the
// content; a structurally broken image; data after an image's or a PDF's
// end (an appended archive or script); markup or a PDF inside another type;
// and PDFs with active content (JavaScript, launch actions, embedded
// files, XFA forms, rich media). declared may be empty or
// application/octet-stream (no claim). It returns the content type.
func InspectDocument(b []byte, declared string) (string, error) {
	ctype := SniffDocument(b)
	if ctype == "" {
		return "", domain.Errorf(domain.ECodeUnsupported, msgDocumentType)
	}
	if d := normalizeMediaType(declared); d != "" && d != "application/octet-stream" && d != ctype && !(d == "image/jpg" && ctype == "image/jpeg") {
		return "", domain.Errorf(domain.ECodeUnsupported, msgDocumentDeclared, d, documentTypeNames[ctype])
	}
	name := documentTypeNames[ctype]
	switch ctype {
	case "image/jpeg":
		if _, err := jpeg.DecodeConfig(bytes.NewReader(b)); err != nil {
			return "", domain.Errorf(domain.ECodeUnsupported, msgDocumentMalformed, name)
		}
		// The image ends with the EOI marker; cameras may pad with zeros.
		end := bytes.TrimRight(b, "\x00")
		if !bytes.HasSuffix(end, []byte{0xFF, 0xD9}) {
			return "", domain.Errorf(domain.ECodeUnsupported, msgDocumentTrailing, name)
		}
	case "image/png":
		if _, err := png.DecodeConfig(bytes.NewReader(b)); err != nil {
			return "", domain.Errorf(domain.ECodeUnsupported, msgDocumentMalformed, name)
		}
		// The last chunk is IEND: length 0, type, CRC.
		if !bytes.HasSuffix(b, []byte("\x00\x00\x00\x00IEND\xAE\x42\x60\x82")) {
			return "", domain.Errorf(domain.ECodeUnsupported, msgDocumentTrailing, name)
		}
	case "application/pdf":
		// %%EOF closes the file, followed by at most an end of line. PDF
		// readers look for it within the last 1024 bytes; anything after it
		// is an appended file.
		end := bytes.TrimRight(b, "\r\n \t\x00")
		if !bytes.HasSuffix(end, []byte("%%EOF")) {
			return "", domain.Errorf(domain.ECodeUnsupported, msgDocumentTrailing, name)
		}
		if what := pdfActiveContent(b); what != "" {
			return "", domain.Errorf(domain.ECodeUnsupported, msgDocumentActive, what)
		}
	}
	if what := embeddedMarkup(b, ctype); what != "" {
		return "", domain.Errorf(domain.ECodeUnsupported, msgDocumentActive, what)
	}
	return ctype, nil
}

func normalizeMediaType(s string) string {
	s, _, _ = strings.Cut(s, ";")
	return strings.ToLower(strings.TrimSpace(s))
}

// markupMarkers are the openings a browser or an interpreter would act on
// in a file that is also an image or a PDF. Compressed image data holds
// such a sequence by chance with negligible probability (seven or more
// fixed bytes).
var markupMarkers = []string{"<script", "<html", "<body", "<svg", "<iframe", "<?php", "<?xml-stylesheet", "javascript:"}

// embeddedMarkup names markup found in b, or a PDF header inside an image
// (PDF readers accept one within the first kilobyte, so an image that holds
// one is also a PDF).
func embeddedMarkup(b []byte, ctype string) string {
	lower := bytes.ToLower(b)
	for _, m := range markupMarkers {
		if bytes.Contains(lower, []byte(m)) {
			return "markup " + strings.TrimSuffix(m, ":")
		}
	}
	if ctype != "application/pdf" && bytes.Contains(b, []byte("%PDF-")) {
		return "an embedded PDF"
	}
	return ""
}

// pdfActiveNames are the PDF name objects that make a document act when it
// is opened (ISO 32000-1: 12.6.4.16 JavaScript, 12.6.4.5 Launch, 7.11.4
// embedded files, 12.7.8 XFA, Adobe rich media).
var pdfActiveNames = map[string]string{
	"JavaScript": "JavaScript", "JS": "JavaScript", "Launch": "a launch action",
	"EmbeddedFile": "an embedded file", "EmbeddedFiles": "an embedded file",
	"XFA": "an XFA form", "RichMedia": "rich media",
}

// pdfActiveContent returns what active content the PDF declares, reading
// every name object (with #xx escapes decoded, ISO 32000-1 7.3.5, which
// would otherwise hide /JavaScript as /J#61vaScript).
func pdfActiveContent(b []byte) string {
	for i := 0; i < len(b); i++ {
		if b[i] != '/' {
			continue
		}
		j := i + 1
		var name []byte
		for j < len(b) && isPDFNameChar(b[j]) {
			if b[j] == '#' && j+2 < len(b) && isHex(b[j+1]) && isHex(b[j+2]) {
				name = append(name, unhex(b[j+1])<<4|unhex(b[j+2]))
				j += 3
				continue
			}
			name = append(name, b[j])
			j++
		}
		if what, ok := pdfActiveNames[string(name)]; ok {
			return what
		}
		i = j - 1
	}
	return ""
}

func isPDFNameChar(c byte) bool {
	if c <= ' ' || c >= 0x7F {
		return false
	}
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return false
	}
	return true
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}
