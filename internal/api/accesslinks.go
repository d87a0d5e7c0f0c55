package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/routes"
)

// AccessLinkOut is a new access link to the hosted onboarding pages.
type AccessLinkOut struct {
	URL       string    `json:"url" doc:"Absolute URL of the hosted onboarding pages for this customer. Single-use: opening it starts a session; pass it to the applicant only."`
	ExpiresAt time.Time `json:"expires_at" doc:"The link cannot be opened after this time."`
}

// accessLinkRoutes registers POST /api/v1/customers/{id}/access-links.
func (s *server) accessLinkRoutes() {
	register(s, huma.Operation{
		OperationID: "create-access-link", Method: http.MethodPost, Path: "/api/v1/customers/{id}/access-links",
		Summary: "Create an access link to the hosted onboarding pages",
		Description: "Returns a short-lived, single-use link for the applicant to complete or correct their data and documents in the hosted onboarding pages. " +
			"It opens a session scoped to this customer only. The customer must be draft or info_requested (409 otherwise).",
		Tags: []string{"Customers"}, Security: security(auth.ScopeCustomersWrite), DefaultStatus: http.StatusCreated,
		Errors: errs(http.StatusNotFound, http.StatusConflict),
	}, func(ctx context.Context, in *idPath) (*struct{ Body AccessLinkOut }, error) {
		l, err := s.App.AccessLinks.Create(ctx, actorFrom(ctx), in.ID)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body AccessLinkOut }{Body: AccessLinkOut{URL: routes.AccessLinkURL(s.PublicURL, l.Token), ExpiresAt: l.ExpiresAt}}, nil
	})
}
