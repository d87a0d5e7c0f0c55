package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/domain"
)

// riskRoutes registers GET /api/v1/customers/{id}/risk.
func (s *server) riskRoutes() {
	register(s, huma.Operation{
		OperationID: "get-risk", Method: http.MethodGet, Path: "/api/v1/customers/{id}/risk",
		Summary: "Read the latest risk assessment", Tags: []string{"Customers"}, Security: security(auth.ScopeCustomersRead),
		Errors: errs(http.StatusNotFound),
	}, func(ctx context.Context, in *idPath) (*struct{ Body domain.RiskAssessment }, error) {
		a, err := s.App.Customers.LatestRisk(ctx, actorFrom(ctx), in.ID)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body domain.RiskAssessment }{Body: a}, nil
	})
}
