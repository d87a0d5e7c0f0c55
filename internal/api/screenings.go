package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/screening"
)

// ScreeningBody is an ad-hoc screening request.
type ScreeningBody struct {
	Name      string  `json:"name,omitempty" minLength:"1" maxLength:"300" doc:"Required"`
	Type      string  `json:"type,omitempty" enum:"person,organization,vessel,aircraft"`
	BirthDate string  `json:"birth_date,omitempty" maxLength:"10"`
	Country   string  `json:"country,omitempty" maxLength:"2"`
	Threshold float64 `json:"threshold,omitempty" minimum:"0" maximum:"1"`
	Limit     int     `json:"limit,omitempty" minimum:"1" maximum:"100"`
}

// screeningRoutes registers POST /api/v1/screenings and
// GET /api/v1/screenings/{id}.
func (s *server) screeningRoutes() {
	register(s, huma.Operation{
		OperationID: "screen", Method: http.MethodPost, Path: "/api/v1/screenings",
		Summary: "Screen a name against the loaded lists", Tags: []string{"Screening"}, Security: security(auth.ScopeScreeningRead),
		Description: "Returns the matches at or above the threshold, best first, each with its explanation; the screening is kept as evidence under the returned id (GET /api/v1/screenings/{id}).",
		Errors:      errs(http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct{ Body ScreeningBody }) (*struct{ Body app.ScreenResult }, error) {
		res, err := s.App.Screening.Screen(ctx, actorFrom(ctx), screening.Query{
			Name: in.Body.Name, Type: screening.EntityType(in.Body.Type), BirthDate: in.Body.BirthDate,
			Country: in.Body.Country, Threshold: in.Body.Threshold, Limit: in.Body.Limit,
		})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body app.ScreenResult }{Body: res}, nil
	})

	register(s, huma.Operation{
		OperationID: "get-screening", Method: http.MethodGet, Path: "/api/v1/screenings/{id}",
		Summary:     "Read the evidence of a past screening",
		Description: "The query, the matches, the list snapshots, the algorithm version and the threshold of an earlier POST /api/v1/screenings, so the result can be explained and reproduced.",
		Tags:        []string{"Screening"}, Security: security(auth.ScopeScreeningRead),
		Errors: errs(http.StatusNotFound),
	}, func(ctx context.Context, in *struct {
		ID string `path:"id" maxLength:"64"`
	}) (*struct{ Body app.ScreenResult }, error) {
		res, err := s.App.Screening.GetScreening(ctx, actorFrom(ctx), in.ID)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body app.ScreenResult }{Body: res}, nil
	})
}
