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

// Report is a suspicious-transaction report's state; its XML is served by
// GET /api/v1/reports/{id}.
type Report struct {
	ID           string     `json:"id"`
	CaseID       string     `json:"case_id"`
	CustomerID   string     `json:"customer_id"`
	Type         string     `json:"type"`
	Status       string     `json:"status"`
	CreatedAt    time.Time  `json:"created_at"`
	SubmittedAt  *time.Time `json:"submitted_at,omitempty"`
	FIUReference string     `json:"fiu_reference,omitempty"`
}

func reportOut(r domain.Report) Report {
	return Report{ID: r.ID, CaseID: r.CaseID, CustomerID: r.CustomerID, Type: string(r.Type), Status: string(r.Status),
		CreatedAt: r.CreatedAt, SubmittedAt: r.SubmittedAt, FIUReference: r.FIUReference}
}

// reportRoutes registers POST /api/v1/cases/{id}/reports and GET
// /api/v1/reports/{id}.
func (s *server) reportRoutes() {
	register(s, huma.Operation{
		OperationID: "create-report", Method: http.MethodPost, Path: "/api/v1/cases/{id}/reports",
		Summary: "Build a suspicious-transaction report",
		Description: "Builds a goAML STR from a transaction_alert case (the reporting entity from configuration, the customer as subject, the transactions of the case's alerts, the reason), " +
			"validated against the goAML schema, as a draft. An MLRO files it in the back office.",
		Tags: []string{"Cases"}, Security: security(auth.ScopeCasesWrite), DefaultStatus: http.StatusCreated,
		Errors: errs(http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct {
		ID   string `path:"id" maxLength:"64"`
		Body struct {
			Type   string `json:"type"`
			Reason string `json:"reason,omitempty" maxLength:"4000" doc:"The grounds for suspicion; default: the reasons given for the alerts marked suspicious"`
		}
	}) (*struct{ Body Report }, error) {
		r, err := s.App.Reports.Create(ctx, actorFrom(ctx), in.ID, app.CreateReportInput{Type: domain.ReportType(in.Body.Type), Reason: in.Body.Reason})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body Report }{Body: reportOut(r)}, nil
	})

	register(s, huma.Operation{
		OperationID: "get-report", Method: http.MethodGet, Path: "/api/v1/reports/{id}",
		Summary: "Read a report's goAML XML", Tags: []string{"Cases"}, Security: security(auth.ScopeCasesRead),
		Errors:    errs(http.StatusNotFound),
		Responses: map[string]*huma.Response{"200": {Description: "The goAML XML", Content: map[string]*huma.MediaType{"application/xml": {}}}},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id" maxLength:"64"`
	}) (*struct {
		ContentType string `header:"Content-Type"`
		ReportState string `header:"Report-Status"`
		Body        []byte
	}, error) {
		r, err := s.App.Reports.Get(ctx, actorFrom(ctx), in.ID)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct {
			ContentType string `header:"Content-Type"`
			ReportState string `header:"Report-Status"`
			Body        []byte
		}{ContentType: "application/xml", ReportState: string(r.Status), Body: r.XML}, nil
	})
}
