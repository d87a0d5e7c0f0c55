package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/auth"
)

// ErasureOut answers an erasure request.
type ErasureOut struct {
	Status          string     `json:"status" enum:"erased,restricted" doc:"erased: the personal data is gone; restricted: it is kept until retention_ends_at (the AML retention period), hidden from everyone but auditors, then purged"`
	RetentionEndsAt *time.Time `json:"retention_ends_at,omitempty"`
}

// recordsRoutes registers erasure requests and the data-subject export.
func (s *server) recordsRoutes() {
	register(s, huma.Operation{
		OperationID: "request-erasure", Method: http.MethodPost, Path: "/api/v1/customers/{id}/erasure-requests",
		Summary: "Request the erasure of a customer's personal data",
		Description: "A draft never submitted is erased at once (202, status erased). A closed or rejected customer's records are kept for the retention period (KYC_RETENTION): " +
			"the record is restricted (202, status restricted, with retention_ends_at), hidden from everyone but auditors, and purged when retention ends. " +
			"A relationship still running, or an application under review, answers 409: close it first.",
		Tags: []string{"Customers"}, Security: security(auth.ScopeDataExport), DefaultStatus: http.StatusAccepted,
		Errors: errs(http.StatusNotFound, http.StatusConflict),
	}, func(ctx context.Context, in *idPath) (*struct{ Body ErasureOut }, error) {
		r, err := s.App.Records.RequestErasure(ctx, actorFrom(ctx), in.ID)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body ErasureOut }{Body: ErasureOut{Status: r.Status, RetentionEndsAt: r.RetentionEndsAt}}, nil
	})

	register(s, huma.Operation{
		OperationID: "export-customer", Method: http.MethodGet, Path: "/api/v1/customers/{id}/export",
		Summary: "Export a customer's personal data",
		Description: "Every piece of personal data held about the customer and its related persons, decrypted, as one JSON document (data-subject access): " +
			"the customer's data, documents with their content (base64), check details, risk factors and which names matched which list entries. " +
			"Internal assessments (decision reasons, hit dispositions) are withheld, as the document says. Every export is audited (customer.exported).",
		Tags: []string{"Customers"}, Security: security(auth.ScopeDataExport),
		Errors: errs(http.StatusNotFound),
	}, func(ctx context.Context, in *idPath) (*struct {
		CacheControl string `header:"Cache-Control"`
		Body         *app.Export
	}, error) {
		x, err := s.App.Records.Export(ctx, actorFrom(ctx), in.ID)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct {
			CacheControl string `header:"Cache-Control"`
			Body         *app.Export
		}{CacheControl: "no-store", Body: x}, nil
	})
}
