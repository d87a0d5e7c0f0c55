package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kyc-platform/kyc/internal/verify"
	"github.com/kyc-platform/kyc/internal/verify/signed"
)

// CallbackOut is the answer to an identity provider's callback.
type CallbackOut struct {
	Outcome string `json:"outcome" enum:"accepted,late,replayed" doc:"accepted: the result completed the check; late: the check already had a result; replayed: this event id was received before. Nothing changed unless accepted."`
	CheckID string `json:"check_id"`
}

// identityCallbackRoutes registers the callback of asynchronous identity
// providers. It takes no bearer token: the provider authenticates each
// message with its signature (authenticate lets the path through).
func (s *server) identityCallbackRoutes() {
	register(s, huma.Operation{
		OperationID: "identity-callback", Method: http.MethodPost, Path: "/api/v1/identity-callbacks/{provider}",
		Summary: "Receive an identity provider's result",
		Description: "For asynchronous identity providers (sandbox, http). Signed the Standard Webhooks way with KYC_IDENTITY_SECRET: " +
			"webhook-id (the event id, never reused), webhook-timestamp (Unix seconds, within 5 minutes), webhook-signature " +
			"(v1,base64 HMAC-SHA256 over id.timestamp.body). The body is {check_id, reference, tenant, status: passed|failed|needs_review, summary, details}. " +
			"A bad signature or stale timestamp answers 401, an unknown check (or another tenant's) 404, a reference that does not match 409; " +
			"a replayed event id answers 200 with outcome replayed and changes nothing.",
		Tags:         []string{"Identity providers"},
		Errors:       []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusNotFound, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity},
		MaxBodyBytes: signed.MaxBody, SkipValidateBody: true,
	}, func(ctx context.Context, in *struct {
		Provider  string `path:"provider" maxLength:"32" doc:"The provider's name (KYC_IDENTITY_PROVIDER)"`
		ID        string `header:"webhook-id" maxLength:"200" required:"false"`
		Timestamp string `header:"webhook-timestamp" maxLength:"20" required:"false"`
		Signature string `header:"webhook-signature" maxLength:"2000" required:"false"`
		RawBody   []byte `contentType:"application/json"`
	}) (*struct{ Body CallbackOut }, error) {
		out, err := s.App.Checks.Callback(ctx, in.Provider, verify.Callback{ID: in.ID, Timestamp: in.Timestamp, Signature: in.Signature, Body: in.RawBody})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body CallbackOut }{Body: CallbackOut{Outcome: out.Outcome, CheckID: out.CheckID}}, nil
	})
}
