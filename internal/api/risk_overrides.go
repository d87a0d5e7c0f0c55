package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/domain"
)

// RiskOverrideBody is the body of POST /api/v1/customers/{id}/risk-overrides.
type RiskOverrideBody struct {
	Rating string `json:"rating" maxLength:"20" doc:"The rating to put in force: low, medium or high (prohibited comes only from a knock-out factor and cannot be lowered; a floor of the model cannot be undercut)"`
	Reason string `json:"reason" minLength:"1" maxLength:"4000" doc:"Why the computed rating is wrong (internal: kept encrypted, never shown to the applicant)"`
}

// RiskOverride is a risk override as the API shows it (its reason is not
// repeated: it is internal, and the requester knows it).
type RiskOverride struct {
	ID                   string     `json:"id"`
	CustomerID           string     `json:"customer_id"`
	Status               string     `json:"status" enum:"pending,approved,rejected,superseded" doc:"pending until an mlro decides it in the back office; approved: in force"`
	Rating               string     `json:"rating" doc:"The overriding rating"`
	DueDiligence         string     `json:"due_diligence" doc:"The due diligence it gives once approved (never below a floor of the model)"`
	ComputedRating       string     `json:"computed_rating" doc:"The computed rating it overrides (kept in the risk assessment)"`
	ComputedDueDiligence string     `json:"computed_due_diligence"`
	RequestedAt          time.Time  `json:"requested_at"`
	DecidedAt            *time.Time `json:"decided_at,omitempty"`
	EndedAt              *time.Time `json:"ended_at,omitempty" doc:"When it stopped being in force (superseded by a new assessment or a later override)"`
}

func riskOverrideOut(o domain.RiskOverride) RiskOverride {
	return RiskOverride{
		ID: o.ID, CustomerID: o.CustomerID, Status: string(o.Status), Rating: string(o.Rating), DueDiligence: string(o.DueDiligence),
		ComputedRating: string(o.ComputedRating), ComputedDueDiligence: string(o.ComputedDueDiligence),
		RequestedAt: o.RequestedAt, DecidedAt: o.DecidedAt, EndedAt: o.EndedAt,
	}
}

// riskOverrideRoutes registers POST /api/v1/customers/{id}/risk-overrides.
func (s *server) riskOverrideRoutes() {
	register(s, huma.Operation{
		OperationID: "create-risk-override", Method: http.MethodPost, Path: "/api/v1/customers/{id}/risk-overrides",
		Summary: "Request a risk override",
		Description: "Asks to replace the customer's computed risk rating with another, for a reason. The override is stored beside the computed rating (GET /api/v1/customers/{id}/risk keeps showing the assessment) and " +
			"takes effect only when a staff mlro other than the requester approves it in the back office; it answers 201 with the override pending. Once approved, the customer's risk_rating and due_diligence are the override's " +
			"(effective_risk_rating; computed_risk_rating keeps the model's) and drive due diligence and the review interval. A new assessment that computes another rating supersedes it. " +
			"Refused with 422 naming the field: a rating other than low, medium or high; a missing reason; lowering a knock-out (prohibited); going below a floor of the model (a PEP: high, enhanced; doubt about identity: standard); " +
			"the rating already in force. 409: the customer is not assessed or no longer under due diligence, or an override already waits. Needs the cases:write scope (an override is a compliance judgement, like a case decision).",
		Tags: []string{"Customers"}, Security: security(auth.ScopeCasesWrite), DefaultStatus: http.StatusCreated,
		Errors: errs(http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct {
		ID   string `path:"id" maxLength:"64" doc:"Customer id"`
		Body RiskOverrideBody
	}) (*struct{ Body RiskOverride }, error) {
		o, err := s.App.RiskOverrides.Request(ctx, actorFrom(ctx), in.ID, app.RequestOverrideInput{Rating: domain.RiskRating(in.Body.Rating), Reason: in.Body.Reason})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body RiskOverride }{Body: riskOverrideOut(*o)}, nil
	})
}
