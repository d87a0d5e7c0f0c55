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

// Case is a case as the API shows it.
type Case struct {
	ID              string     `json:"id"`
	Kind            string     `json:"kind"`
	Status          string     `json:"status"`
	CustomerID      string     `json:"customer_id"`
	Assignee        string     `json:"assignee"`
	DueAt           time.Time  `json:"due_at"`
	Reason          string     `json:"reason,omitempty"`
	PendingDecision string     `json:"pending_decision,omitempty"`
	FirstApprover   string     `json:"first_approver,omitempty"`
	Outcome         string     `json:"outcome,omitempty"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	ClosedAt        *time.Time `json:"closed_at,omitempty"`
}

// CaseDetail is a case with its screening hits and decisions.
type CaseDetail struct {
	Case
	Hits      []Hit      `json:"screening_hits"`
	Decisions []Decision `json:"decisions"`
}

// Decision is a recorded decision.
type Decision struct {
	ID       string `json:"id"`
	Decision string `json:"decision"`
	Reason   string `json:"reason" doc:"Internal, never shown to the applicant"`
	// MessageToApplicant is what a request for information asked of the
	// applicant.
	MessageToApplicant string    `json:"message_to_applicant,omitempty" doc:"What a request_info asked of the applicant (the only text they see)"`
	Actor              string    `json:"actor"`
	Stage              string    `json:"stage" doc:"final, first (awaiting a second approver), second, or second_disagreed"`
	CreatedAt          time.Time `json:"created_at"`
}

func caseOut(c domain.Case) Case {
	return Case{
		ID: c.ID, Kind: string(c.Kind), Status: string(c.Status), CustomerID: c.CustomerID, Assignee: c.Assignee,
		DueAt: c.DueAt, Reason: c.Reason, PendingDecision: string(c.PendingDecision), FirstApprover: c.PendingBy,
		Outcome: string(c.Outcome), CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, ClosedAt: c.ClosedAt,
	}
}

func (s *server) caseDetail(ctx context.Context, c domain.Case) (CaseDetail, error) {
	actor := actorFrom(ctx)
	d := CaseDetail{Case: caseOut(c), Hits: []Hit{}, Decisions: []Decision{}}
	hits, err := s.App.Cases.Hits(ctx, actor, c.ID)
	if err != nil {
		return d, err
	}
	for _, h := range hits {
		d.Hits = append(d.Hits, hitOut(h))
	}
	decs, err := s.App.Cases.Decisions(ctx, actor, c.ID)
	if err != nil {
		return d, err
	}
	for _, x := range decs {
		d.Decisions = append(d.Decisions, Decision{ID: x.ID, Decision: string(x.Decision), Reason: x.Reason, MessageToApplicant: x.MessageToApplicant, Actor: x.Actor, Stage: x.Stage, CreatedAt: x.CreatedAt})
	}
	return d, nil
}

// caseRoutes registers the /api/v1/cases operations: list, read and decide.
func (s *server) caseRoutes() {
	register(s, huma.Operation{
		OperationID: "list-cases", Method: http.MethodGet, Path: "/api/v1/cases",
		Summary: "List cases", Tags: []string{"Cases"}, Security: security(auth.ScopeCasesRead),
		Errors: errs(http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct {
		Kind       string `query:"kind"`
		Status     string `query:"status"`
		CustomerID string `query:"customer_id" maxLength:"64"`
		Assignee   string `query:"assignee" maxLength:"200"`
		Limit      int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
		Cursor     string `query:"cursor" maxLength:"64"`
	}) (*struct{ Body Page[Case] }, error) {
		if err := checkCursor(in.Cursor, "case"); err != nil {
			return nil, s.fail(ctx, err)
		}
		cs, next, err := s.App.Cases.List(ctx, actorFrom(ctx), app.ListCasesInput{Kind: in.Kind, Status: in.Status, CustomerID: in.CustomerID, Assignee: in.Assignee, Cursor: in.Cursor, Limit: in.Limit})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out := &struct{ Body Page[Case] }{Body: Page[Case]{Data: make([]Case, 0, len(cs)), NextCursor: next}}
		for _, c := range cs {
			out.Body.Data = append(out.Body.Data, caseOut(c))
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "get-case", Method: http.MethodGet, Path: "/api/v1/cases/{id}",
		Summary: "Read a case with its screening hits and decisions", Tags: []string{"Cases"}, Security: security(auth.ScopeCasesRead),
		Errors: errs(http.StatusNotFound),
	}, func(ctx context.Context, in *struct {
		ID string `path:"id" maxLength:"64"`
	}) (*struct{ Body CaseDetail }, error) {
		c, err := s.App.Cases.Get(ctx, actorFrom(ctx), in.ID)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		d, err := s.caseDetail(ctx, c)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body CaseDetail }{Body: d}, nil
	})

	register(s, huma.Operation{
		OperationID: "decide-case", Method: http.MethodPost, Path: "/api/v1/cases/{id}/decisions",
		Summary: "Decide a case",
		Description: "approve, reject, request_info, escalate or close_customer (an approved customer only: off-boarding, as POST /api/v1/customers/{id}/close), with a required reason (internal, never shown to the applicant) and, for request_info, the message_to_applicant the applicant reads on the hosted pages. Approving enhanced due diligence and rejecting on a screening hit need a second approver who is a different client or person: " +
			"the first such decision leaves the case pending_second_approval (202) and the second one (same decision) makes it take effect.",
		Tags: []string{"Cases"}, Security: security(auth.ScopeCasesWrite),
		Errors: errs(http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct {
		ID   string `path:"id" maxLength:"64"`
		Body struct {
			Decision string `json:"decision" doc:"What is decided"`
			Reason   string `json:"reason" minLength:"1" maxLength:"4000" doc:"Free text; internal: staff, auditors and API clients read it, the applicant never does (tipping-off: AMLD art. 39, AMLR art. 73)"`
			// MessageToApplicant is the only text of a decision the
			// applicant sees.
			MessageToApplicant string `json:"message_to_applicant,omitempty" maxLength:"2000" doc:"Required with request_info, refused with any other decision: the only text the applicant sees (on the hosted pages), what to send or correct"`
		}
	}) (*struct {
		Status int
		Body   CaseDetail
	}, error) {
		res, err := s.App.Cases.Decide(ctx, actorFrom(ctx), in.ID, app.DecideInput{Decision: domain.DecisionKind(in.Body.Decision), Reason: in.Body.Reason, MessageToApplicant: in.Body.MessageToApplicant})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		d, err := s.caseDetail(ctx, res.Case)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		status := http.StatusOK
		if res.AwaitingSecondApproval {
			status = http.StatusAccepted
		}
		return &struct {
			Status int
			Body   CaseDetail
		}{Status: status, Body: d}, nil
	})
}
