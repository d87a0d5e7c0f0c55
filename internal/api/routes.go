package api

import (
	"context"
	"encoding/json"
	"mime"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/screening"
	"github.com/kyc-platform/kyc/internal/store"
)

func (s *server) routes() {
	s.customerRoutes()
	s.caseRoutes()
	s.screeningRoutes()
	s.auditRoutes()
	s.accessLinkRoutes()
}

// ---- customers

type customerOutput struct {
	Body Customer
}

type idPath struct {
	ID string `path:"id" maxLength:"64" doc:"Customer id"`
}

func (s *server) customerRoutes() {
	register(s, huma.Operation{
		OperationID: "create-customer", Method: http.MethodPost, Path: "/api/v1/customers",
		Summary: "Create a customer", Description: "Creates a draft individual or business. Fields are checked for format now; the full rule set applies at submit. Honours Idempotency-Key.",
		Tags: []string{"Customers"}, Security: security("customers:write"), DefaultStatus: http.StatusCreated,
		Errors: errs(http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct {
		IdempotencyKey string `header:"Idempotency-Key" maxLength:"255" doc:"Repeat a request safely: the same key returns the first response"`
		Body           CustomerCreateBody
	}) (*customerOutput, error) {
		t := domain.CustomerType(in.Body.Type)
		data, err := fieldsToDomain(t, in.Body.CustomerFields)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		c, err := s.App.Customers.Create(ctx, actorFrom(ctx), app.CreateCustomerInput{Type: t, Data: data, ExternalRef: in.Body.ExternalRef})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &customerOutput{Body: customerOut(c)}, nil
	})

	register(s, huma.Operation{
		OperationID: "list-customers", Method: http.MethodGet, Path: "/api/v1/customers",
		Summary: "List customers", Tags: []string{"Customers"}, Security: security("customers:read"),
		Errors: errs(http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct {
		Status     string `query:"status" enum:"draft,submitted,in_review,info_requested,approved,rejected,closed"`
		RiskRating string `query:"risk_rating" enum:"low,medium,high,prohibited"`
		Type       string `query:"type" enum:"individual,business"`
		Email      string `query:"email" maxLength:"254" doc:"Exact email (matched through a keyed blind index)"`
		Limit      int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
		Cursor     string `query:"cursor" maxLength:"64"`
	}) (*struct{ Body Page[Customer] }, error) {
		cs, next, err := s.App.Customers.List(ctx, actorFrom(ctx), app.ListCustomersInput{
			Status: in.Status, RiskRating: in.RiskRating, Type: in.Type, Email: in.Email, Cursor: in.Cursor, Limit: in.Limit,
		})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out := &struct{ Body Page[Customer] }{Body: Page[Customer]{Data: make([]Customer, 0, len(cs)), NextCursor: next}}
		for _, c := range cs {
			out.Body.Data = append(out.Body.Data, customerOut(c))
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "get-customer", Method: http.MethodGet, Path: "/api/v1/customers/{id}",
		Summary: "Read a customer", Tags: []string{"Customers"}, Security: security("customers:read"),
		Errors: errs(http.StatusNotFound),
	}, func(ctx context.Context, in *idPath) (*customerOutput, error) {
		c, err := s.App.Customers.Get(ctx, actorFrom(ctx), in.ID)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &customerOutput{Body: customerOut(c)}, nil
	})

	register(s, huma.Operation{
		OperationID: "patch-customer", Method: http.MethodPatch, Path: "/api/v1/customers/{id}",
		Summary:     "Edit a customer",
		Description: "JSON merge patch (RFC 7396) of the customer fields, allowed while the customer is draft or info_requested. `null` removes a field.",
		Tags:        []string{"Customers"}, Security: security("customers:write"),
		Errors: errs(http.StatusBadRequest, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct {
		ID          string `path:"id" maxLength:"64"`
		ContentType string `header:"Content-Type" hidden:"true"`
		RawBody     []byte `contentType:"application/merge-patch+json"`
	}) (*customerOutput, error) {
		// huma does not check the media type of a raw body.
		if mt, _, err := mime.ParseMediaType(in.ContentType); err != nil || (mt != "application/merge-patch+json" && mt != "application/json") {
			return nil, s.fail(ctx, domain.Errorf(domain.ECodeUnsupported, "Send the patch as application/merge-patch+json (RFC 7396)."))
		}
		var patch map[string]any
		if err := json.Unmarshal(in.RawBody, &patch); err != nil || patch == nil {
			return nil, s.fail(ctx, domain.Errorf(domain.ECodeMalformed, "The body must be a JSON object (RFC 7396 merge patch)."))
		}
		for _, fixed := range []string{"id", "type", "status", "risk_rating", "due_diligence", "created_at", "updated_at", "submitted_at", "decided_at", "next_review_at"} {
			if _, ok := patch[fixed]; ok {
				return nil, s.fail(ctx, &domain.Error{Code: domain.ECodeInvalid, Message: "The request has invalid fields.", Fields: []domain.FieldError{{Location: "body." + fixed, Message: "This field cannot be changed."}}})
			}
		}
		var ctype domain.CustomerType
		c, err := s.App.Customers.Update(ctx, actorFrom(ctx), in.ID, func(cur domain.CustomerData) (domain.CustomerData, error) {
			ctype = domain.CustomerIndividual
			if cur.Business != nil {
				ctype = domain.CustomerBusiness
			}
			curJSON, err := json.Marshal(fieldsFromDomain(cur))
			if err != nil {
				return cur, err
			}
			var doc any
			if err := json.Unmarshal(curJSON, &doc); err != nil {
				return cur, err
			}
			merged, err := json.Marshal(mergePatch(doc, patch))
			if err != nil {
				return cur, err
			}
			var f CustomerFields
			if err := decodeStrict(merged, &f); err != nil {
				return cur, err
			}
			return fieldsToDomain(ctype, f)
		})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &customerOutput{Body: customerOut(c)}, nil
	})

	register(s, huma.Operation{
		OperationID: "submit-customer", Method: http.MethodPost, Path: "/api/v1/customers/{id}/submit",
		Summary:     "Submit a customer for checks",
		Description: "Validates every rule, moves the customer to submitted and starts the identity, screening and risk checks in the background (202).",
		Tags:        []string{"Customers"}, Security: security("customers:write"), DefaultStatus: http.StatusAccepted,
		Errors: errs(http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *idPath) (*customerOutput, error) {
		c, err := s.App.Customers.Submit(ctx, actorFrom(ctx), in.ID)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &customerOutput{Body: customerOut(c)}, nil
	})

	register(s, huma.Operation{
		OperationID: "list-checks", Method: http.MethodGet, Path: "/api/v1/customers/{id}/checks",
		Summary: "Read the checks of the latest submission", Tags: []string{"Customers"}, Security: security("customers:read"),
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
			switch out.Body.Data[i].Type {
			case "identity":
				out.Body.Identity = &out.Body.Data[i]
			case "screening":
				out.Body.Screening = &out.Body.Data[i]
			case "risk":
				out.Body.Risk = &out.Body.Data[i]
			}
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "get-risk", Method: http.MethodGet, Path: "/api/v1/customers/{id}/risk",
		Summary: "Read the latest risk assessment", Tags: []string{"Customers"}, Security: security("customers:read"),
		Errors: errs(http.StatusNotFound),
	}, func(ctx context.Context, in *idPath) (*struct{ Body domain.RiskAssessment }, error) {
		a, err := s.App.Customers.LatestRisk(ctx, actorFrom(ctx), in.ID)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body domain.RiskAssessment }{Body: a}, nil
	})
}

// Check is one check result.
type Check struct {
	ID         string          `json:"id"`
	Type       string          `json:"type" enum:"identity,screening,risk"`
	Status     string          `json:"status" enum:"pending,passed,failed,needs_review,error"`
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

// mergePatch applies an RFC 7396 merge patch.
func mergePatch(target any, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
			continue
		}
		t[k] = mergePatch(t[k], v)
	}
	return t
}

// ---- cases

// Case is a case as the API shows it.
type Case struct {
	ID              string     `json:"id"`
	Kind            string     `json:"kind" enum:"onboarding,screening_hit,periodic_review,list_update,transaction_alert"`
	Status          string     `json:"status" enum:"open,pending_second_approval,closed"`
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
	Disposition       string          `json:"disposition,omitempty" enum:"true_match,false_positive"`
	DispositionReason string          `json:"disposition_reason,omitempty"`
	DisposedBy        string          `json:"disposed_by,omitempty"`
	DisposedAt        *time.Time      `json:"disposed_at,omitempty"`
	CreatedAt         time.Time       `json:"created_at"`
}

// Decision is a recorded decision.
type Decision struct {
	ID        string    `json:"id"`
	Decision  string    `json:"decision"`
	Reason    string    `json:"reason"`
	Actor     string    `json:"actor"`
	Stage     string    `json:"stage" doc:"final, first (awaiting a second approver), second, or second_disagreed"`
	CreatedAt time.Time `json:"created_at"`
}

func caseOut(c domain.Case) Case {
	return Case{
		ID: c.ID, Kind: string(c.Kind), Status: string(c.Status), CustomerID: c.CustomerID, Assignee: c.Assignee,
		DueAt: c.DueAt, Reason: c.Reason, PendingDecision: string(c.PendingDecision), FirstApprover: c.PendingBy,
		Outcome: string(c.Outcome), CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, ClosedAt: c.ClosedAt,
	}
}

func hitOut(h domain.ScreeningHit) Hit {
	out := Hit{
		ID: h.ID, CustomerID: h.CustomerID, EntityID: h.EntityID, List: h.List, SourceID: h.SourceID, Name: h.Name,
		MatchedName: h.MatchedName, Subject: h.Subject, Score: h.Score, Topics: h.Topics, Disposition: string(h.Disposition),
		DispositionReason: h.DispositionReason, DisposedBy: h.DisposedBy, DisposedAt: h.DisposedAt, CreatedAt: h.CreatedAt,
	}
	if h.Explanation != "" && json.Valid([]byte(h.Explanation)) {
		out.Explanation = json.RawMessage(h.Explanation)
	}
	return out
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
		d.Decisions = append(d.Decisions, Decision{ID: x.ID, Decision: string(x.Decision), Reason: x.Reason, Actor: x.Actor, Stage: x.Stage, CreatedAt: x.CreatedAt})
	}
	return d, nil
}

func (s *server) caseRoutes() {
	register(s, huma.Operation{
		OperationID: "list-cases", Method: http.MethodGet, Path: "/api/v1/cases",
		Summary: "List cases", Tags: []string{"Cases"}, Security: security("cases:read"),
		Errors: errs(http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct {
		Kind       string `query:"kind" enum:"onboarding,screening_hit,periodic_review,list_update,transaction_alert"`
		Status     string `query:"status" enum:"open,pending_second_approval,closed"`
		CustomerID string `query:"customer_id" maxLength:"64"`
		Assignee   string `query:"assignee" maxLength:"200"`
		Limit      int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
		Cursor     string `query:"cursor" maxLength:"64"`
	}) (*struct{ Body Page[Case] }, error) {
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
		Summary: "Read a case with its screening hits and decisions", Tags: []string{"Cases"}, Security: security("cases:read"),
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
		Description: "approve, reject, request_info or escalate, with a required reason. Approving enhanced due diligence and rejecting on a screening hit need a second approver who is a different client or person: " +
			"the first such decision leaves the case pending_second_approval (202) and the second one (same decision) makes it take effect.",
		Tags: []string{"Cases"}, Security: security("cases:write"),
		Errors: errs(http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct {
		ID   string `path:"id" maxLength:"64"`
		Body struct {
			Decision string `json:"decision,omitempty" enum:"approve,reject,request_info,escalate" doc:"Required"`
			Reason   string `json:"reason,omitempty" maxLength:"4000" doc:"Required, free text"`
		}
	}) (*struct {
		Status int
		Body   CaseDetail
	}, error) {
		res, err := s.App.Cases.Decide(ctx, actorFrom(ctx), in.ID, app.DecideInput{Decision: domain.DecisionKind(in.Body.Decision), Reason: in.Body.Reason})
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

	register(s, huma.Operation{
		OperationID: "disposition-hit", Method: http.MethodPatch, Path: "/api/v1/screening-hits/{id}",
		Summary: "Disposition a screening hit", Description: "true_match or false_positive with a reason. A false positive is remembered for this customer and list entity and raised again only when the entity's record changes.",
		Tags: []string{"Cases"}, Security: security("cases:write"),
		Errors: errs(http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct {
		ID   string `path:"id" maxLength:"64"`
		Body struct {
			Disposition string `json:"disposition,omitempty" enum:"true_match,false_positive" doc:"Required"`
			Reason      string `json:"reason,omitempty" maxLength:"4000" doc:"Required, free text"`
		}
	}) (*struct{ Body Hit }, error) {
		h, err := s.App.Cases.DispositionHit(ctx, actorFrom(ctx), in.ID, app.DispositionInput{Disposition: domain.Disposition(in.Body.Disposition), Reason: in.Body.Reason})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body Hit }{Body: hitOut(h)}, nil
	})
}

// ---- screening and lists

// ScreeningBody is an ad-hoc screening request.
type ScreeningBody struct {
	Name      string  `json:"name,omitempty" minLength:"1" maxLength:"300" doc:"Required"`
	Type      string  `json:"type,omitempty" enum:"person,organization,vessel,aircraft"`
	BirthDate string  `json:"birth_date,omitempty" maxLength:"10"`
	Country   string  `json:"country,omitempty" maxLength:"2"`
	Threshold float64 `json:"threshold,omitempty" minimum:"0" maximum:"1"`
	Limit     int     `json:"limit,omitempty" minimum:"1" maximum:"100"`
}

// Snapshot is a loaded list snapshot.
type Snapshot struct {
	ID          string    `json:"id"`
	Source      string    `json:"source"`
	Version     string    `json:"version"`
	EntityCount int       `json:"entity_count"`
	ContentHash string    `json:"content_hash"`
	FetchedAt   time.Time `json:"fetched_at"`
	LoadedAt    time.Time `json:"loaded_at"`
}

func (s *server) screeningRoutes() {
	register(s, huma.Operation{
		OperationID: "screen", Method: http.MethodPost, Path: "/api/v1/screenings",
		Summary: "Screen a name against the loaded lists", Tags: []string{"Screening"}, Security: security("screening:read"),
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
		Tags:        []string{"Screening"}, Security: security("screening:read"),
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

	register(s, huma.Operation{
		OperationID: "list-lists", Method: http.MethodGet, Path: "/api/v1/lists",
		Summary: "Loaded list snapshots, one per source", Tags: []string{"Screening"}, Security: security("lists:read"),
	}, func(ctx context.Context, _ *struct{}) (*struct{ Body Page[Snapshot] }, error) {
		snaps, err := s.App.Screening.Snapshots(ctx, actorFrom(ctx))
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out := &struct{ Body Page[Snapshot] }{Body: Page[Snapshot]{Data: []Snapshot{}}}
		for _, sn := range snaps {
			out.Body.Data = append(out.Body.Data, snapshotOut(sn))
		}
		return out, nil
	})
}

func snapshotOut(sn store.SnapshotRecord) Snapshot {
	return Snapshot{ID: sn.ID, Source: sn.Source, Version: sn.Version, EntityCount: sn.EntityCount, ContentHash: sn.ContentHash, FetchedAt: sn.FetchedAt, LoadedAt: sn.LoadedAt}
}

// ---- audit

// AuditEvent is one link of the audit chain.
type AuditEvent struct {
	Seq        int64           `json:"seq"`
	ID         string          `json:"id"`
	OccurredAt time.Time       `json:"occurred_at"`
	Tenant     string          `json:"tenant,omitempty"`
	Actor      string          `json:"actor"`
	Action     string          `json:"action"`
	EntityType string          `json:"entity_type"`
	EntityID   string          `json:"entity_id"`
	Digest     string          `json:"digest,omitempty" doc:"Keyed digest of what changed (no personal data)"`
	Meta       json.RawMessage `json:"meta,omitempty"`
	PrevHash   string          `json:"prev_hash"`
	Hash       string          `json:"hash"`
}

func (s *server) auditRoutes() {
	register(s, huma.Operation{
		OperationID: "list-audit-events", Method: http.MethodGet, Path: "/api/v1/audit-events",
		Summary: "The audit trail, oldest first", Tags: []string{"Audit"}, Security: security("audit:read"),
		Errors: errs(http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct {
		EntityType string `query:"entity_type" maxLength:"40"`
		EntityID   string `query:"entity_id" maxLength:"64"`
		Limit      int    `query:"limit" minimum:"1" maximum:"500" default:"100"`
		Cursor     int64  `query:"cursor" minimum:"0" doc:"Sequence number of the last event of the previous page"`
	}) (*struct{ Body Page[AuditEvent] }, error) {
		evs, err := s.App.Audit.ListEvents(ctx, actorFrom(ctx), store.AuditFilter{EntityType: in.EntityType, EntityID: in.EntityID, AfterSeq: in.Cursor, Limit: in.Limit + 1})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out := &struct{ Body Page[AuditEvent] }{Body: Page[AuditEvent]{Data: []AuditEvent{}}}
		if len(evs) > in.Limit {
			evs = evs[:in.Limit]
			out.Body.NextCursor = itoa64(evs[len(evs)-1].Seq)
		}
		for _, e := range evs {
			ae := AuditEvent{Seq: e.Seq, ID: e.ID, OccurredAt: e.OccurredAt, Tenant: e.Tenant, Actor: e.Actor, Action: e.Action, EntityType: e.EntityType, EntityID: e.EntityID, Digest: e.Digest, PrevHash: e.PrevHash, Hash: e.Hash}
			if e.Meta != "" {
				ae.Meta = json.RawMessage(e.Meta)
			}
			out.Body.Data = append(out.Body.Data, ae)
		}
		return out, nil
	})
}

func itoa64(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
