package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/httpx"
)

// uploadOverhead is what a multipart body may hold beside the file: the
// boundaries, the part headers and the small fields.
const uploadOverhead = 64 << 10

// DocumentOut is an uploaded document's metadata.
type DocumentOut struct {
	ID              string    `json:"id"`
	CustomerID      string    `json:"customer_id"`
	Kind            string    `json:"kind"`
	RelatedPersonID string    `json:"related_person_id,omitempty" doc:"The related person of a business the document is about"`
	ContentType     string    `json:"content_type" doc:"Decided by the content: image/jpeg, image/png or application/pdf"`
	Size            int64     `json:"size" doc:"Bytes"`
	SHA256          string    `json:"sha256" doc:"Hex SHA-256 of the content"`
	CreatedAt       time.Time `json:"created_at"`
}

func documentOut(d app.Document) DocumentOut {
	return DocumentOut{ID: d.ID, CustomerID: d.CustomerID, Kind: d.Kind, RelatedPersonID: d.RelatedPersonID, ContentType: d.ContentType, Size: d.Size, SHA256: d.SHA256, CreatedAt: d.CreatedAt}
}

// uploadForm is the multipart body of an upload.
type uploadForm struct {
	Kind            string        `form:"kind" required:"false" doc:"One of: identity_document, proof_of_address, source_of_funds, source_of_wealth, company_registry_extract, other (and the hosted pages' identity_document_back, selfie, company_registration, ownership_structure)"`
	RelatedPersonID string        `form:"related_person_id" required:"false" doc:"Optional: the id of the business's related person the document is about"`
	File            huma.FormFile `form:"file" required:"false" doc:"The document: a JPEG or PNG image or a PDF, decided by its content"`
}

// documentRoutes registers the documents of a customer.
func (s *server) documentRoutes() {
	max := s.App.Documents.MaxBytes()
	register(s, huma.Operation{
		OperationID: "upload-document", Method: http.MethodPost, Path: "/api/v1/customers/{id}/documents",
		Summary: "Upload a document",
		Description: fmt.Sprintf("multipart/form-data with kind, file and optionally related_person_id, while the customer is draft or info_requested. "+
			"The type is decided by the content (JPEG, PNG or PDF); a part Content-Type that disagrees with it, a file that is also another format "+
			"(a polyglot), data after the end of the image or PDF, or active content in a PDF is refused with 415; an empty file with 422; "+
			"a file over %s with 413. The content is stored encrypted; the answer gives its SHA-256.", app.SizeText(max)),
		Tags: []string{"Customers"}, Security: security(auth.ScopeCustomersWrite), DefaultStatus: http.StatusCreated,
		Errors:       errs(http.StatusNotFound, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity),
		MaxBodyBytes: max + uploadOverhead,
		Middlewares:  huma.Middlewares{s.readUpload(max)},
	}, func(ctx context.Context, in *struct {
		ID      string `path:"id" maxLength:"64" doc:"Customer id"`
		RawBody huma.MultipartFormFiles[uploadForm]
	}) (*struct {
		Body DocumentOut
	}, error) {
		form := in.RawBody.Data()
		var content []byte
		declared := ""
		if form != nil && form.File.IsSet {
			defer form.File.Close()
			b, err := io.ReadAll(io.LimitReader(form.File, max+1))
			if err != nil {
				return nil, s.fail(ctx, err)
			}
			content = b
			declared = form.File.ContentType
		}
		var kind, rel string
		if form != nil {
			kind, rel = form.Kind, form.RelatedPersonID
		}
		d, err := s.App.Documents.UploadDocument(ctx, actorFrom(ctx), app.UploadInput{CustomerID: in.ID, Kind: kind, RelatedPersonID: rel, DeclaredType: declared, Content: content})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body DocumentOut }{Body: documentOut(d)}, nil
	})

	register(s, huma.Operation{
		OperationID: "list-documents", Method: http.MethodGet, Path: "/api/v1/customers/{id}/documents",
		Summary: "List a customer's documents", Description: "Metadata only; read a document's content with GET …/documents/{doc_id}.",
		Tags: []string{"Customers"}, Security: security(auth.ScopeCustomersRead),
		Errors: errs(http.StatusNotFound),
	}, func(ctx context.Context, in *struct {
		ID string `path:"id" maxLength:"64" doc:"Customer id"`
	}) (*struct {
		Body Page[DocumentOut]
	}, error) {
		docs, err := s.App.Documents.List(ctx, actorFrom(ctx), in.ID)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out := Page[DocumentOut]{Data: make([]DocumentOut, 0, len(docs))}
		for _, d := range docs {
			out.Data = append(out.Data, documentOut(d))
		}
		return &struct{ Body Page[DocumentOut] }{Body: out}, nil
	})

	register(s, huma.Operation{
		OperationID: "get-document", Method: http.MethodGet, Path: "/api/v1/customers/{id}/documents/{doc_id}",
		Summary:     "Read a document's content",
		Description: "The decrypted content, as an attachment with its sniffed type. Every read is recorded in the audit trail (document.viewed).",
		Tags:        []string{"Customers"}, Security: security(auth.ScopeCustomersRead),
		Errors: errs(http.StatusNotFound),
		Responses: map[string]*huma.Response{"200": {Description: "The document", Content: map[string]*huma.MediaType{
			"image/jpeg": {}, "image/png": {}, "application/pdf": {},
		}}},
	}, func(ctx context.Context, in *struct {
		ID    string `path:"id" maxLength:"64" doc:"Customer id"`
		DocID string `path:"doc_id" maxLength:"64" doc:"Document id"`
	}) (*documentContent, error) {
		d, err := s.App.Documents.Read(ctx, actorFrom(ctx), in.ID, in.DocID, app.DocumentDownload)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &documentContent{
			ContentType:        d.ContentType,
			ContentDisposition: mime.FormatMediaType("attachment", map[string]string{"filename": d.ID + documentExt(d.ContentType)}),
			ETag:               `"` + d.SHA256 + `"`,
			CacheControl:       "no-store",
			Body:               d.Content,
		}, nil
	})
}

// documentContent is the answer of get-document.
type documentContent struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	ETag               string `header:"ETag"`
	CacheControl       string `header:"Cache-Control"`
	Body               []byte
}

func documentExt(ctype string) string {
	switch ctype {
	case "image/jpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	case "application/pdf":
		return ".pdf"
	}
	return ""
}

// readUpload reads a multipart upload before huma does, so that its limit
// answers 413 with the limit named, a body that is not multipart 415, and
// the file stays in memory: Go's multipart reader writes file parts larger
// than its memory budget to a temporary file, which would leave a
// document in clear on disk.
func (s *server) readUpload(max int64) func(huma.Context, func(huma.Context)) {
	return func(hctx huma.Context, next func(huma.Context)) {
		r, w := humago.Unwrap(hctx)
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mt != "multipart/form-data" {
			httpx.WriteProblem(w, r, s.Logger, &domain.Error{Code: domain.ECodeUnsupported, Message: "Send the document as multipart/form-data with the fields kind and file.",
				Fields: []domain.FieldError{{Location: "header.Content-Type", Message: "Must be multipart/form-data."}}})
			return
		}
		limit := max + uploadOverhead
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if err := r.ParseMultipartForm(limit); err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				httpx.WriteProblem(w, r, s.Logger, domain.Errorf(domain.ECodeTooLarge, "Documents may be at most %s.", app.SizeText(max)))
				return
			}
			httpx.WriteProblem(w, r, s.Logger, domain.Errorf(domain.ECodeMalformed, "The multipart body could not be read."))
			return
		}
		if r.MultipartForm != nil {
			for name := range r.MultipartForm.File {
				if name != "file" {
					httpx.WriteProblem(w, r, s.Logger, &domain.Error{Code: domain.ECodeInvalid, Message: "Send one file, in the field file.",
						Fields: []domain.FieldError{{Location: "body." + name, Message: "Unknown file field; use file."}}})
					return
				}
			}
		}
		next(hctx)
	}
}
