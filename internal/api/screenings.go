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
	Name      string `json:"name" minLength:"1" maxLength:"300" doc:"The name to screen, in any order and script"`
	Type      string `json:"type,omitempty" enum:"person,organization,vessel,aircraft"`
	BirthDate string `json:"birth_date,omitempty" maxLength:"10" doc:"Evidence: the date of birth, YYYY-MM-DD, checked as a customer's is (a real date in the past); a year (YYYY) or a month (YYYY-MM) alone is also accepted, as lists often give no more"`
	Country   string `json:"country,omitempty" maxLength:"2" doc:"Evidence: a country of the person or organisation, ISO 3166-1 alpha-2, checked as a customer's nationality is"`
	// Threshold is a pointer so that an absent threshold (the default) is
	// told apart from 0, which is refused rather than silently replaced.
	Threshold *float64 `json:"threshold,omitempty" exclusiveMinimum:"0" maximum:"1" doc:"The minimum score of a match, above 0 and at most 1; absent: the recommended 0.88"`
	Limit     int      `json:"limit,omitempty" minimum:"1" maximum:"100" doc:"The most matches returned; absent: 10"`
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
		q := screening.Query{
			Name: in.Body.Name, Type: screening.EntityType(in.Body.Type), BirthDate: in.Body.BirthDate,
			Country: in.Body.Country, Threshold: screening.DefaultThreshold, Limit: in.Body.Limit,
		}
		if in.Body.Threshold != nil {
			q.Threshold = *in.Body.Threshold
		}
		res, err := s.App.Screening.Screen(ctx, actorFrom(ctx), q)
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
