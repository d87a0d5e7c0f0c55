package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/domain"
)

// Check is one check result.
type Check struct {
	ID         string          `json:"id"`
	Type       string          `json:"type"`
	Status     string          `json:"status"`
	Provider   string          `json:"provider,omitempty"`
	Summary    string          `json:"summary,omitempty"`
	Details    json.RawMessage `json:"details,omitempty"`
	Error      string          `json:"error,omitempty" doc:"Why the check ended in error"`
	Attempts   int             `json:"attempts"`
	Round      int             `json:"round" doc:"Submission round"`
	CreatedAt  time.Time       `json:"created_at"`
	FinishedAt *time.Time      `json:"finished_at,omitempty"`
}

// ChecksOut holds the checks by name and as a list.
type ChecksOut struct {
	Identity  *Check  `json:"identity,omitempty"`
	Screening *Check  `json:"screening,omitempty"`
	Risk      *Check  `json:"risk,omitempty"`
	Data      []Check `json:"data"`
}

// checkRoutes registers GET /api/v1/customers/{id}/checks.
func (s *server) checkRoutes() {
	register(s, huma.Operation{
		OperationID: "list-checks", Method: http.MethodGet, Path: "/api/v1/customers/{id}/checks",
		Summary: "Read the checks of the latest submission", Tags: []string{"Customers"}, Security: security(auth.ScopeCustomersRead),
		Errors: errs(http.StatusNotFound),
	}, func(ctx context.Context, in *idPath) (*struct{ Body ChecksOut }, error) {
		cs, err := s.App.Customers.ListChecks(ctx, actorFrom(ctx), in.ID)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out := &struct{ Body ChecksOut }{Body: ChecksOut{Data: []Check{}}}
		for _, c := range cs {
			ck := Check{ID: c.ID, Type: string(c.Type), Status: string(c.Status), Provider: c.Provider, Summary: c.Summary,
				Error: c.Error, Attempts: c.Attempts, Round: c.Round, CreatedAt: c.CreatedAt, FinishedAt: c.FinishedAt}
			if len(c.Details) > 0 {
				ck.Details = json.RawMessage(c.Details)
			}
			out.Body.Data = append(out.Body.Data, ck)
		}
		// Point at the named checks once the slice stopped growing.
		for i := range out.Body.Data {
			switch domain.CheckType(out.Body.Data[i].Type) {
			case domain.CheckIdentity:
				out.Body.Identity = &out.Body.Data[i]
			case domain.CheckScreening:
				out.Body.Screening = &out.Body.Data[i]
			case domain.CheckRisk:
				out.Body.Risk = &out.Body.Data[i]
			}
		}
		return out, nil
	})
}
