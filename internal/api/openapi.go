package api

import (
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// The OpenAPI document huma derives from the operations, completed with
// what it cannot derive, so that a client generated from /openapi.json
// works as is: the servers, the token operation and the client-credentials
// scheme wired to it, the statuses every operation may answer (429, 503),
// the merge-patch body of PATCH /api/v1/customers/{id}, the enums of the
// domain (openapi_enums.go), tags and examples.

// tagDescriptions describes each tag of the operations.
var tagDescriptions = map[string]string{
	"Authentication":     "OAuth 2.0 client-credentials tokens (RFC 6749 section 4.4)",
	"Customers":          "Individuals and businesses: create, edit, submit for checks, read, documents, risk, access links, close, export, erase",
	"Cases":              "Work for reviewers: cases, screening hits, decisions, alerts' cases and suspicious-transaction reports",
	"Screening":          "Ad-hoc screening against the loaded sanctions and PEP lists, its evidence, and the loaded lists",
	"Transactions":       "Transaction monitoring: transactions in, alerts out",
	"Webhooks":           "Endpoints that receive signed event notifications, and their deliveries",
	"Audit":              "The audit trail",
	"Identity providers": "Signed results from external identity providers",
}

// completeDocument adds to the derived document what the operations
// cannot say themselves. It runs once, after every operation is
// registered.
func (s *server) completeDocument() {
	oapi := s.api.OpenAPI()
	problem := s.problemSchema()
	oapi.Servers = []*huma.Server{{URL: s.PublicURL, Description: "This deployment (KYC_BASE_URL)"}}
	oapi.Info.Contact = &huma.Contact{Name: "The operator of this deployment", URL: s.PublicURL}
	s.documentTokenOperation(oapi)
	for path, item := range oapi.Paths {
		if !strings.HasPrefix(path, "/api/v1/") {
			continue
		}
		for _, op := range operations(item) {
			documentCommonErrors(op, problem)
			if op.Description == "" {
				op.Description = op.Summary + "."
			}
		}
	}
	s.documentMergePatch(oapi)
	s.documentAcceptedDecisions(oapi)
	applyEnums(oapi)
	addExamples(oapi)
	defineTags(oapi)
}

// operations lists the operations of a path item.
func operations(item *huma.PathItem) []*huma.Operation {
	var out []*huma.Operation
	for _, op := range []*huma.Operation{item.Get, item.Put, item.Post, item.Delete, item.Options, item.Head, item.Patch, item.Trace} {
		if op != nil {
			out = append(out, op)
		}
	}
	return out
}

// problemSchema is the schema of an RFC 9457 problem body, as huma
// registers it for the documented errors.
func (s *server) problemSchema() *huma.Schema {
	t := reflect.TypeOf(huma.ErrorModel{})
	return s.api.OpenAPI().Components.Schemas.Schema(t, true, "ErrorModel")
}

// documentCommonErrors documents the statuses any /api/v1 operation may
// answer whatever it does: 429 when the caller is over its rate limit
// (with Retry-After and the RateLimit fields of the IETF httpapi draft)
// and 503 when a dependency (the database) is not available; both as
// problem+json. 400 (a body that is not JSON) is on the operations that
// take one.
func documentCommonErrors(op *huma.Operation, problem *huma.Schema) {
	content := func() map[string]*huma.MediaType {
		return map[string]*huma.MediaType{"application/problem+json": {Schema: problem}}
	}
	if op.Responses["429"] == nil {
		op.Responses["429"] = &huma.Response{
			Description: "Too many requests: the caller is over its rate limit; retry after the time Retry-After gives",
			Headers: map[string]*huma.Header{
				"Retry-After":      {Description: "Seconds to wait before retrying", Schema: &huma.Schema{Type: huma.TypeInteger, Minimum: new(0.0)}},
				"RateLimit":        {Description: "The remaining quota and the time until it resets (IETF draft-ietf-httpapi-ratelimit-headers)", Schema: &huma.Schema{Type: huma.TypeString}},
				"RateLimit-Policy": {Description: "The quota policy applied (IETF draft-ietf-httpapi-ratelimit-headers)", Schema: &huma.Schema{Type: huma.TypeString}},
			},
			Content: content(),
		}
	}
	if op.Responses["503"] == nil {
		op.Responses["503"] = &huma.Response{
			Description: "Service unavailable: a dependency such as the database cannot be reached; retry later (Retry-After when known)",
			Headers: map[string]*huma.Header{
				"Retry-After": {Description: "Seconds to wait before retrying, when known", Schema: &huma.Schema{Type: huma.TypeInteger, Minimum: new(0.0)}},
			},
			Content: content(),
		}
	}
	if op.RequestBody != nil && op.Responses["400"] == nil {
		op.Responses["400"] = &huma.Response{Description: "Bad request: the body could not be parsed", Content: content()}
	}
}

// defineTags lists every tag the operations use at the top of the
// document, so that generators and viewers group them.
func defineTags(oapi *huma.OpenAPI) {
	seen := map[string]bool{}
	for _, item := range oapi.Paths {
		for _, op := range operations(item) {
			for _, t := range op.Tags {
				seen[t] = true
			}
		}
	}
	oapi.Tags = nil
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for t := range seen {
			if !yield(t) {
				return
			}
		}
	}) {
		desc := tagDescriptions[name]
		if desc == "" {
			desc = name
		}
		oapi.Tags = append(oapi.Tags, &huma.Tag{Name: name, Description: desc})
	}
}

// operation returns the operation of method on path, or panics: every
// caller names an operation this package registers.
func operation(oapi *huma.OpenAPI, method, path string) *huma.Operation {
	item := oapi.Paths[path]
	if item != nil {
		for _, op := range operations(item) {
			if op.Method == method {
				return op
			}
		}
	}
	panic("api: no operation " + method + " " + path)
}

// documentAcceptedDecisions documents the 202 of the operations that
// record a first approval of a four-eyes decision: the body is the case,
// pending_second_approval, as with 200 (generated clients otherwise treat
// the 202 as an error or drop its body although the decision was
// recorded).
func (s *server) documentAcceptedDecisions(oapi *huma.OpenAPI) {
	for _, path := range []string{"/api/v1/cases/{id}/decisions", "/api/v1/cases/{id}/alert-closures"} {
		op := operation(oapi, http.MethodPost, path)
		ok := op.Responses["200"]
		op.Responses["200"].Description = "The decision took effect"
		op.Responses["202"] = &huma.Response{
			Description: "Recorded as the first of two approvals (four eyes): the case is pending_second_approval until a second, different approver makes the same decision",
			Content:     map[string]*huma.MediaType{"application/json": {Schema: ok.Content["application/json"].Schema}},
		}
	}
}

// TokenRequest is the form of POST /oauth/token.
type TokenRequest struct {
	GrantType    string `json:"grant_type" enum:"client_credentials" doc:"Always client_credentials (RFC 6749 section 4.4)"`
	Scope        string `json:"scope,omitempty" maxLength:"2000" doc:"Space-separated scopes, a subset of the client's; absent: all of them"`
	ClientID     string `json:"client_id,omitempty" maxLength:"200" doc:"With client_secret, when the client does not authenticate with HTTP Basic (client_secret_post); never both"`
	ClientSecret string `json:"client_secret,omitempty" maxLength:"200" doc:"See client_id"`
}

// TokenResponse is a successful answer of POST /oauth/token.
type TokenResponse struct {
	AccessToken string `json:"access_token" doc:"A JWT to send as Authorization: Bearer"`
	TokenType   string `json:"token_type" enum:"Bearer"`
	ExpiresIn   int64  `json:"expires_in" minimum:"1" doc:"Seconds until the token expires"`
	Scope       string `json:"scope" doc:"The scopes granted, space separated"`
}

// OAuthError is an error of POST /oauth/token (RFC 6749 section 5.2).
type OAuthError struct {
	Error       string `json:"error" enum:"invalid_request,invalid_client,unsupported_grant_type,invalid_scope,server_error"`
	Description string `json:"error_description,omitempty"`
}

// documentTokenOperation documents POST /oauth/token, which auth serves
// outside huma, and points the client-credentials scheme at it with an
// absolute URL (a relative tokenUrl is not a URL to OpenAPI 3.1).
func (s *server) documentTokenOperation(oapi *huma.OpenAPI) {
	tokenURL := strings.TrimRight(s.PublicURL, "/") + "/oauth/token"
	oapi.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {
			Type:        "oauth2",
			Description: "A token from POST /oauth/token (client credentials), sent as Authorization: Bearer",
			Flows: &huma.OAuthFlows{ClientCredentials: &huma.OAuthFlow{
				TokenURL: tokenURL,
				Scopes:   scopeDescriptions(),
			}},
		},
		"clientSecretBasic": {
			Type:        "http",
			Scheme:      "basic",
			Description: "The client id and secret of an API client (kyc client create), for POST /oauth/token only (client_secret_basic)",
		},
	}
	reg := oapi.Components.Schemas
	schema := func(v any) *huma.Schema { return reg.Schema(reflect.TypeOf(v), true, "") }
	oauthErr := map[string]*huma.MediaType{"application/json": {Schema: schema(OAuthError{})}}
	req := schema(TokenRequest{})
	oapi.AddOperation(&huma.Operation{
		OperationID: "create-token", Method: http.MethodPost, Path: "/oauth/token",
		Summary: "Get an access token",
		Description: "The client-credentials grant (RFC 6749 section 4.4). The client authenticates with HTTP Basic (client_secret_basic) " +
			"or with client_id and client_secret in the form (client_secret_post), never both. Answers carry Cache-Control: no-store. " +
			"Repeated failures of one client from one address are throttled (429).",
		Tags: []string{"Authentication"},
		// Basic, or no scheme at all when the credentials are in the form.
		Security: []map[string][]string{{"clientSecretBasic": {}}, {}},
		RequestBody: &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
			"application/x-www-form-urlencoded": {Schema: req, Example: map[string]any{"grant_type": "client_credentials", "scope": "customers:read customers:write"}},
		}},
		Responses: map[string]*huma.Response{
			"200": {Description: "The token", Content: map[string]*huma.MediaType{"application/json": {
				Schema:  schema(TokenResponse{}),
				Example: map[string]any{"access_token": "eyJhbGciOiJFZERTQSIsImtpZCI6ImsxIn0.eyJzdWIiOiJjbGlfMSJ9.c2ln", "token_type": "Bearer", "expires_in": 900, "scope": "customers:read customers:write"},
			}}},
			"400": {Description: "A malformed request, an unsupported grant or a scope the client does not hold", Content: oauthErr},
			"401": {Description: "Unknown client, wrong secret or disabled client (invalid_client)", Content: oauthErr},
			"405": {Description: "Not POST", Content: oauthErr},
			"429": {Description: "Too many failed attempts of this client from this address; retry after Retry-After", Content: oauthErr,
				Headers: map[string]*huma.Header{"Retry-After": {Description: "Seconds to wait", Schema: &huma.Schema{Type: huma.TypeInteger, Minimum: new(0.0)}}}},
			"500": {Description: "Internal error (server_error)", Content: oauthErr},
		},
	})
}

// CustomerPatch is the body of PATCH /api/v1/customers/{id}: a JSON merge
// patch (RFC 7396) of the customer fields. It is documented, not decoded:
// the handler merges the raw patch into the current fields.
type CustomerPatch struct {
	CustomerFields
}

// documentMergePatch types the body of PATCH /api/v1/customers/{id} as a
// merge patch of the customer fields (huma documents a raw body as opaque
// bytes, which generated clients cannot send): the fields of
// CustomerFields, each of which may be null (remove it).
func (s *server) documentMergePatch(oapi *huma.OpenAPI) {
	reg := oapi.Components.Schemas
	reg.Schema(reflect.TypeOf(CustomerPatch{}), true, "")
	patch := reg.Map()["CustomerPatch"]
	patch.Description = "A JSON merge patch (RFC 7396) of the customer fields: a field given replaces the stored one, null removes it, " +
		"an absent field is kept; objects merge member by member, arrays are replaced whole. " +
		"id, type, status, risk_rating, due_diligence and the timestamps cannot be patched (422 naming them)."
	for _, p := range patch.Properties {
		if p.Ref == "" {
			p.Nullable = true
		}
	}
	ref := &huma.Schema{Ref: "#/components/schemas/CustomerPatch"}
	op := operation(oapi, http.MethodPatch, "/api/v1/customers/{id}")
	op.RequestBody = &huma.RequestBody{
		Required:    true,
		Description: "The changes, as a merge patch",
		Content: map[string]*huma.MediaType{
			"application/merge-patch+json": {Schema: ref, Example: map[string]any{"family_name": "Lindqvist", "address": map[string]any{"line1": "Drottninggatan 5", "postal_code": "11151"}, "occupation": nil}},
		},
	}
}
