package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/domain"
)

// Hit is a screening hit.
type Hit struct {
	ID                string          `json:"id"`
	CustomerID        string          `json:"customer_id"`
	EntityID          string          `json:"entity_id"`
	List              string          `json:"list"`
	SourceID          string          `json:"source_id"`
	Name              string          `json:"name"`
	MatchedName       string          `json:"matched_name"`
	Subject           string          `json:"subject" doc:"The customer's name that matched"`
	Score             float64         `json:"score"`
	Explanation       json.RawMessage `json:"explanation,omitempty"`
	Topics            []string        `json:"topics,omitempty"`
	Disposition       string          `json:"disposition,omitempty"`
	DispositionReason string          `json:"disposition_reason,omitempty"`
	DisposedBy        string          `json:"disposed_by,omitempty"`
	DisposedAt        *time.Time      `json:"disposed_at,omitempty"`
	CreatedAt         time.Time       `json:"created_at"`
	EntityRemovedAt   *time.Time      `json:"entity_removed_at,omitempty" doc:"Set when the list entity left its list while the hit was open (a list update); the hit stays open until dispositioned"`
}

func hitOut(h domain.ScreeningHit) Hit {
	out := Hit{
		ID: h.ID, CustomerID: h.CustomerID, EntityID: h.EntityID, List: h.List, SourceID: h.SourceID, Name: h.Name,
		MatchedName: h.MatchedName, Subject: h.Subject, Score: h.Score, Topics: h.Topics, Disposition: string(h.Disposition),
		DispositionReason: h.DispositionReason, DisposedBy: h.DisposedBy, DisposedAt: h.DisposedAt, CreatedAt: h.CreatedAt,
		EntityRemovedAt: h.EntityRemovedAt,
	}
	if h.Explanation != "" && json.Valid([]byte(h.Explanation)) {
		out.Explanation = json.RawMessage(h.Explanation)
	}
	return out
}

// hitRoutes registers PATCH /api/v1/screening-hits/{id}.
func (s *server) hitRoutes() {
	register(s, huma.Operation{
		OperationID: "disposition-hit", Method: http.MethodPatch, Path: "/api/v1/screening-hits/{id}",
		Summary: "Disposition a screening hit", Description: "true_match or false_positive with a reason. A false positive is remembered for this customer and list entity and raised again only when the entity's record changes.",
		Tags: []string{"Cases"}, Security: security(auth.ScopeCasesWrite),
		Errors: errs(http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct {
		ID   string `path:"id" maxLength:"64"`
		Body struct {
			Disposition string `json:"disposition"`
			Reason      string `json:"reason,omitempty" required:"true" maxLength:"4000" doc:"Required, free text"`
		}
	}) (*struct{ Body Hit }, error) {
		h, err := s.App.Cases.DispositionHit(ctx, actorFrom(ctx), in.ID, app.DispositionInput{Disposition: domain.Disposition(in.Body.Disposition), Reason: in.Body.Reason})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body Hit }{Body: hitOut(h)}, nil
	})
}
