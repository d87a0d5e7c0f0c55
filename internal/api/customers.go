package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/domain"
)

// CustomerCreateBody is the body of POST /api/v1/customers.
type CustomerCreateBody struct {
	// Type is optional in the schema so that a missing type is reported by
	// the app's validation as body.type rather than by huma as "body".
	Type        string `json:"type" doc:"individual or business; fixed once created"`
	ExternalRef string `json:"external_ref,omitempty" maxLength:"100" doc:"Your own reference (no personal data)"`
	CustomerFields
}

// Customer is a customer as the API shows it.
type Customer struct {
	ID           string     `json:"id"`
	Type         string     `json:"type"`
	Status       string     `json:"status"`
	RiskRating   string     `json:"risk_rating,omitempty"`
	DueDiligence string     `json:"due_diligence,omitempty"`
	ExternalRef  string     `json:"external_ref,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	SubmittedAt  *time.Time `json:"submitted_at,omitempty"`
	DecidedAt    *time.Time `json:"decided_at,omitempty"`
	NextReviewAt *time.Time `json:"next_review_at,omitempty"`
	// ClosedAt and RetentionEndsAt describe the end of the relationship.
	ClosedAt        *time.Time `json:"closed_at,omitempty" doc:"When the relationship was closed (off-boarding)"`
	RetentionEndsAt *time.Time `json:"retention_ends_at,omitempty" doc:"When the retention period of the records ends (KYC_RETENTION after closure or rejection); the personal data is purged then"`
	// The rating in force beside the computed one (GET by id): risk_rating
	// and due_diligence are those in force, as before.
	ComputedRiskRating    string         `json:"computed_risk_rating,omitempty" doc:"GET by id: the rating the risk model computed (the latest assessment)"`
	ComputedDueDiligence  string         `json:"computed_due_diligence,omitempty" doc:"GET by id: the due diligence the risk model computed"`
	EffectiveRiskRating   string         `json:"effective_risk_rating,omitempty" doc:"GET by id: the rating in force (equal to risk_rating): the computed one, or an approved risk override's"`
	EffectiveDueDiligence string         `json:"effective_due_diligence,omitempty" doc:"GET by id: the due diligence in force (equal to due_diligence)"`
	RiskOverride          *RiskOverride  `json:"risk_override,omitempty" doc:"GET by id: the newest open risk override (pending, or approved and in force)"`
	RiskOverrides         []RiskOverride `json:"risk_overrides,omitempty" doc:"GET by id: every open risk override, newest first (one in force and one pending at most)"`
	// Unreadable marks, in a list, a record whose personal data could not
	// be decrypted (a wrong master key or damage); its other fields are
	// empty and reading it by id fails.
	Unreadable bool `json:"unreadable,omitempty" doc:"In a list: the record's personal data could not be decrypted (wrong master key or damage); it is logged for the operator and GET by id fails"`
	CustomerFields
}

func customerOut(c *domain.Customer) Customer {
	out := Customer{
		ID: c.ID, Type: string(c.Type), Status: string(c.Status), RiskRating: string(c.RiskRating),
		DueDiligence: string(c.DueDiligence), ExternalRef: c.ExternalRef, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
		SubmittedAt: c.SubmittedAt, DecidedAt: c.DecidedAt, NextReviewAt: c.NextReviewAt,
		ClosedAt: c.ClosedAt, RetentionEndsAt: c.RetentionEndsAt, Unreadable: c.Unreadable,
		CustomerFields: fieldsFromDomain(c.Data),
	}
	if c.OverridesRead {
		out.ComputedRiskRating, out.ComputedDueDiligence = string(c.ComputedRiskRating), string(c.ComputedDueDiligence)
		out.EffectiveRiskRating, out.EffectiveDueDiligence = string(c.RiskRating), string(c.DueDiligence)
		for _, o := range c.RiskOverrides {
			out.RiskOverrides = append(out.RiskOverrides, riskOverrideOut(o))
		}
		if len(out.RiskOverrides) > 0 {
			out.RiskOverride = &out.RiskOverrides[0]
		}
	}
	return out
}

// customerOutput is a response with a customer. Its Body is a pointer so
// that huma, which takes the body as an interface value, does not copy the
// struct (some 700 bytes) on every response.
type customerOutput struct {
	Body *Customer
}

func customerResult(c *domain.Customer) *customerOutput {
	out := customerOut(c)
	return &customerOutput{Body: &out}
}

type idPath struct {
	ID string `path:"id" maxLength:"64" doc:"Customer id"`
}

// customerRoutes registers the /api/v1/customers operations: create, list,
// read, edit (merge patch) and submit.
func (s *server) customerRoutes() {
	register(s, huma.Operation{
		OperationID: "create-customer", Method: http.MethodPost, Path: "/api/v1/customers",
		Summary: "Create a customer", Description: "Creates a draft individual or business. Fields are checked for format now; the full rule set applies at submit. Honours Idempotency-Key.",
		Tags: []string{"Customers"}, Security: security(auth.ScopeCustomersWrite), DefaultStatus: http.StatusCreated,
		Errors: errs(http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct {
		IdempotencyKey string `header:"Idempotency-Key" maxLength:"255" doc:"Repeat a request safely: the same key returns the first response"`
		jsonBody[CustomerCreateBody]
	}) (*customerOutput, error) {
		t := domain.CustomerType(in.body.Type)
		data, err := fieldsToDomain(t, in.body.CustomerFields)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		c, err := s.App.Customers.Create(ctx, actorFrom(ctx), app.CreateCustomerInput{Type: t, Data: data, ExternalRef: in.body.ExternalRef})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return customerResult(c), nil
	})

	register(s, huma.Operation{
		OperationID: "list-customers", Method: http.MethodGet, Path: "/api/v1/customers",
		Summary: "List customers", Tags: []string{"Customers"}, Security: security(auth.ScopeCustomersRead),
		Errors: errs(http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct {
		Status     string `query:"status"`
		RiskRating string `query:"risk_rating"`
		Type       string `query:"type"`
		Email      string `query:"email" maxLength:"254" doc:"Exact email (matched through a keyed blind index)"`
		Limit      int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
		Cursor     string `query:"cursor" maxLength:"64"`
	}) (*struct{ Body Page[Customer] }, error) {
		if err := checkCursor(in.Cursor, "cus"); err != nil {
			return nil, s.fail(ctx, err)
		}
		cs, next, err := s.App.Customers.ReadList(ctx, actorFrom(ctx), app.ListCustomersInput{
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
		Summary: "Read a customer", Tags: []string{"Customers"}, Security: security(auth.ScopeCustomersRead),
		Errors: errs(http.StatusNotFound),
	}, func(ctx context.Context, in *idPath) (*customerOutput, error) {
		c, err := s.App.Customers.Read(ctx, actorFrom(ctx), in.ID)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return customerResult(c), nil
	})

	register(s, huma.Operation{
		OperationID: "patch-customer", Method: http.MethodPatch, Path: "/api/v1/customers/{id}",
		Summary:     "Edit a customer",
		Description: "JSON merge patch (RFC 7396) of the customer fields, allowed while the customer is draft or info_requested. `null` removes a field. On an approved customer it is a change of circumstances (names, nationalities, address, document, occupation, related persons, expected volume, contact details): validated in full, the previous values kept in the customer's history, the checks run again; the customer stays approved unless the result is worse, which opens a change_review case. Other fields (birth date, registration) cannot change after approval (422 naming them).",
		Tags:        []string{"Customers"}, Security: security(auth.ScopeCustomersWrite),
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
		for _, fixed := range []string{"id", "type", "status", "risk_rating", "due_diligence", "created_at", "updated_at", "submitted_at", "decided_at", "next_review_at", "closed_at", "retention_ends_at",
			"computed_risk_rating", "computed_due_diligence", "effective_risk_rating", "effective_due_diligence", "risk_override", "risk_overrides"} {
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
		return customerResult(c), nil
	})

	register(s, huma.Operation{
		OperationID: "submit-customer", Method: http.MethodPost, Path: "/api/v1/customers/{id}/submit",
		Summary:     "Submit a customer for checks",
		Description: "Validates every rule, moves the customer to submitted and starts the identity, screening and risk checks in the background (202).",
		Tags:        []string{"Customers"}, Security: security(auth.ScopeCustomersWrite), DefaultStatus: http.StatusAccepted,
		Errors: errs(http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *idPath) (*customerOutput, error) {
		c, err := s.App.Customers.Submit(ctx, actorFrom(ctx), in.ID)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return customerResult(c), nil
	})
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

// decodeStrict decodes JSON, rejecting unknown fields.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			return &domain.Error{Code: domain.ECodeInvalid, Message: "The request has invalid fields.", Fields: []domain.FieldError{{Location: "body." + jsonPath(ute.Field), Message: "Expected " + jsonKind(ute.Type.String()) + "."}}}
		}
		msg := err.Error()
		if strings.HasPrefix(msg, "json: unknown field ") {
			f := strings.Trim(strings.TrimPrefix(msg, "json: unknown field "), `"`)
			return &domain.Error{Code: domain.ECodeInvalid, Message: "The request has invalid fields.", Fields: []domain.FieldError{{Location: "body." + f, Message: "Unknown field; it cannot be set here."}}}
		}
		return domain.Errorf(domain.ECodeMalformed, "The body is not valid JSON.")
	}
	return nil
}

// jsonPath drops the Go names of embedded structs (PersonFields) that
// encoding/json puts in an UnmarshalTypeError's field path, leaving the
// JSON names the client sent; ours are all lower case.
func jsonPath(field string) string {
	parts := strings.Split(field, ".")
	out := parts[:0]
	for _, p := range parts {
		if p != "" && p[0] >= 'A' && p[0] <= 'Z' {
			continue
		}
		out = append(out, p)
	}
	return strings.Join(out, ".")
}
