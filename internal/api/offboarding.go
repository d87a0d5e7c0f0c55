package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/auth"
)

// CloseBody is the body of POST /api/v1/customers/{id}/close.
type CloseBody struct {
	Reason string `json:"reason,omitempty" required:"true" maxLength:"4000" doc:"Required. Why the relationship ends (internal: kept encrypted, never shown to the applicant)"`
}

// offboardingRoutes registers the end of a customer relationship.
func (s *server) offboardingRoutes() {
	register(s, huma.Operation{
		OperationID: "close-customer", Method: http.MethodPost, Path: "/api/v1/customers/{id}/close",
		Summary: "Close a customer relationship",
		Description: "Off-boarding: an approved customer becomes closed. Ongoing monitoring stops (no periodic review, no re-screening) and the retention period starts: " +
			"the personal data is kept until retention_ends_at (KYC_RETENTION, five years by default) and then purged. Any status but approved answers 409.",
		Tags: []string{"Customers"}, Security: security(auth.ScopeCustomersWrite),
		Errors: errs(http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct {
		ID   string `path:"id" maxLength:"64" doc:"Customer id"`
		Body CloseBody
	}) (*customerOutput, error) {
		c, err := s.App.Customers.Close(ctx, actorFrom(ctx), in.ID, app.CloseInput{Reason: in.Body.Reason})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return customerResult(c), nil
	})
}
