package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/auth"
)

// WebhookEndpointOut is a registered webhook endpoint (never its secret,
// except once in the answer that creates or rotates it).
type WebhookEndpointOut struct {
	ID                  string     `json:"id"`
	URL                 string     `json:"url"`
	Description         string     `json:"description"`
	EventTypes          []string   `json:"event_types" doc:"The subscribed event types, or [\"*\"] for all"`
	PreviousSecretUntil *time.Time `json:"previous_secret_until,omitempty" doc:"After a rotation: until when the previous secret still signs beside the new one"`
	CreatedAt           time.Time  `json:"created_at"`
	Secret              string     `json:"secret,omitempty" doc:"The signing secret (whsec_…), shown only in the answer that creates or rotates it"`
}

func endpointOut(e app.WebhookEndpoint, secret string) WebhookEndpointOut {
	return WebhookEndpointOut{ID: e.ID, URL: e.URL, Description: e.Description, EventTypes: e.EventTypes,
		PreviousSecretUntil: e.PreviousSecretUntil, CreatedAt: e.CreatedAt, Secret: secret}
}

// WebhookEndpointIn registers an endpoint.
type WebhookEndpointIn struct {
	URL         string   `json:"url" maxLength:"2000" doc:"https URL resolving to public addresses only (KYC_WEBHOOK_ALLOW_PRIVATE=true allows http and private addresses, for development)"`
	EventTypes  []string `json:"event_types" maxItems:"20" doc:"Event types to receive: customer.submitted, customer.approved, customer.rejected, customer.info_requested, customer.closed, check.completed, case.opened, case.decided, screening.hit_created, review.due, alert.created; or [\"*\"] for all"`
	Description string   `json:"description,omitempty" maxLength:"200"`
}

// WebhookAttemptOut is one attempt of a delivery.
type WebhookAttemptOut struct {
	Attempt    int       `json:"attempt"`
	At         time.Time `json:"at"`
	StatusCode int       `json:"status_code" doc:"The receiver's HTTP status; 0 when it did not answer"`
	DurationMS int64     `json:"duration_ms"`
	Error      string    `json:"error,omitempty" doc:"Why the attempt failed: HTTP status, timeout, connection reset or refused, address refused by the SSRF guard"`
	Manual     bool      `json:"manual" doc:"Sent by a manual retry"`
}

// WebhookDeliveryOut is the delivery of one event to one endpoint.
type WebhookDeliveryOut struct {
	ID            string              `json:"id"`
	EndpointID    string              `json:"endpoint_id"`
	EventID       string              `json:"event_id" doc:"The webhook-id header of the message"`
	EventType     string              `json:"event_type"`
	Status        string              `json:"status" enum:"pending,succeeded,failed"`
	NextAttemptAt *time.Time          `json:"next_attempt_at,omitempty"`
	CreatedAt     time.Time           `json:"created_at"`
	Attempts      []WebhookAttemptOut `json:"attempts"`
}

func deliveryOut(d app.WebhookDelivery) WebhookDeliveryOut {
	out := WebhookDeliveryOut{ID: d.ID, EndpointID: d.EndpointID, EventID: d.EventID, EventType: d.EventType, Status: d.Status,
		NextAttemptAt: d.NextAttemptAt, CreatedAt: d.CreatedAt, Attempts: make([]WebhookAttemptOut, 0, len(d.Attempts))}
	for _, a := range d.Attempts {
		out.Attempts = append(out.Attempts, WebhookAttemptOut{Attempt: a.Attempt, At: a.At, StatusCode: a.StatusCode,
			DurationMS: a.Duration.Milliseconds(), Error: a.Error, Manual: a.Manual})
	}
	return out
}

// webhookRoutes registers the webhook endpoints and their delivery log.
func (s *server) webhookRoutes() {
	tags := []string{"Webhooks"}
	sec := security(auth.ScopeWebhooksWrite)
	register(s, huma.Operation{
		OperationID: "create-webhook-endpoint", Method: http.MethodPost, Path: "/api/v1/webhook-endpoints",
		Summary: "Register a webhook endpoint",
		Description: "Registers an https URL to receive the chosen events, signed as Standard Webhooks specify. The answer holds the secret, shown once. " +
			"The URL must resolve to public addresses only (checked now and at every delivery). Honours Idempotency-Key.",
		Tags: tags, Security: sec, DefaultStatus: http.StatusCreated, Errors: errs(http.StatusUnprocessableEntity),
	}, func(ctx context.Context, in *struct {
		IdempotencyKey string `header:"Idempotency-Key" maxLength:"255" doc:"Repeat a request safely: the same key returns the first response"`
		Body           WebhookEndpointIn
	}) (*struct{ Body WebhookEndpointOut }, error) {
		ep, err := s.App.Webhooks.CreateEndpoint(ctx, actorFrom(ctx), app.WebhookEndpointInput{URL: in.Body.URL, EventTypes: in.Body.EventTypes, Description: in.Body.Description})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body WebhookEndpointOut }{Body: endpointOut(ep.WebhookEndpoint, ep.Secret)}, nil
	})
	register(s, huma.Operation{
		OperationID: "list-webhook-endpoints", Method: http.MethodGet, Path: "/api/v1/webhook-endpoints",
		Summary: "List webhook endpoints", Tags: tags, Security: sec, Errors: errs(),
	}, func(ctx context.Context, _ *struct{}) (*struct{ Body Page[WebhookEndpointOut] }, error) {
		eps, err := s.App.Webhooks.ListEndpoints(ctx, actorFrom(ctx))
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out := &struct{ Body Page[WebhookEndpointOut] }{Body: Page[WebhookEndpointOut]{Data: make([]WebhookEndpointOut, 0, len(eps))}}
		for _, e := range eps {
			out.Body.Data = append(out.Body.Data, endpointOut(e, ""))
		}
		return out, nil
	})
	register(s, huma.Operation{
		OperationID: "get-webhook-endpoint", Method: http.MethodGet, Path: "/api/v1/webhook-endpoints/{id}",
		Summary: "Read a webhook endpoint", Tags: tags, Security: sec, Errors: errs(http.StatusNotFound),
	}, func(ctx context.Context, in *webhookIDPath) (*struct{ Body WebhookEndpointOut }, error) {
		ep, err := s.App.Webhooks.GetEndpoint(ctx, actorFrom(ctx), in.ID)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body WebhookEndpointOut }{Body: endpointOut(ep, "")}, nil
	})
	register(s, huma.Operation{
		OperationID: "delete-webhook-endpoint", Method: http.MethodDelete, Path: "/api/v1/webhook-endpoints/{id}",
		Summary: "Remove a webhook endpoint", Description: "Nothing more is sent to it; its pending deliveries end as failed.",
		Tags: tags, Security: sec, DefaultStatus: http.StatusNoContent, Errors: errs(http.StatusNotFound),
	}, func(ctx context.Context, in *webhookIDPath) (*struct{}, error) {
		if err := s.App.Webhooks.DeleteEndpoint(ctx, actorFrom(ctx), in.ID); err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{}{}, nil
	})
	register(s, huma.Operation{
		OperationID: "rotate-webhook-secret", Method: http.MethodPost, Path: "/api/v1/webhook-endpoints/{id}/rotate-secret",
		Summary:     "Rotate an endpoint's signing secret",
		Description: "Returns the new secret, shown once. The previous secret keeps signing beside it (two signatures in webhook-signature) for 24 hours.",
		Tags:        tags, Security: sec, Errors: errs(http.StatusNotFound),
	}, func(ctx context.Context, in *webhookIDPath) (*struct{ Body WebhookEndpointOut }, error) {
		ep, err := s.App.Webhooks.RotateSecret(ctx, actorFrom(ctx), in.ID)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body WebhookEndpointOut }{Body: endpointOut(ep.WebhookEndpoint, ep.Secret)}, nil
	})
	register(s, huma.Operation{
		OperationID: "list-webhook-deliveries", Method: http.MethodGet, Path: "/api/v1/webhook-endpoints/{id}/deliveries",
		Summary: "An endpoint's delivery log", Description: "Deliveries newest first, each with every attempt (status code, duration, error).",
		Tags: tags, Security: sec, Errors: errs(http.StatusNotFound),
	}, func(ctx context.Context, in *struct {
		ID     string `path:"id" maxLength:"64"`
		Limit  int    `query:"limit" minimum:"1" maximum:"100" default:"20"`
		Cursor string `query:"cursor" maxLength:"64"`
	}) (*struct{ Body Page[WebhookDeliveryOut] }, error) {
		if err := checkCursor(in.Cursor, "whd"); err != nil {
			return nil, s.fail(ctx, err)
		}
		ds, next, err := s.App.Webhooks.ListDeliveries(ctx, actorFrom(ctx), in.ID, in.Cursor, in.Limit)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out := &struct{ Body Page[WebhookDeliveryOut] }{Body: Page[WebhookDeliveryOut]{Data: make([]WebhookDeliveryOut, 0, len(ds)), NextCursor: next}}
		for _, d := range ds {
			out.Body.Data = append(out.Body.Data, deliveryOut(d))
		}
		return out, nil
	})
	register(s, huma.Operation{
		OperationID: "retry-webhook-delivery", Method: http.MethodPost, Path: "/api/v1/webhook-deliveries/{id}/retry",
		Summary:     "Send a delivery again",
		Description: "Sends the delivery once more, now (202). 409 while it already waits for an attempt or when its endpoint was removed.",
		Tags:        tags, Security: sec, DefaultStatus: http.StatusAccepted, Errors: errs(http.StatusNotFound, http.StatusConflict),
	}, func(ctx context.Context, in *webhookIDPath) (*struct{ Body WebhookDeliveryOut }, error) {
		d, err := s.App.Webhooks.Retry(ctx, actorFrom(ctx), in.ID)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &struct{ Body WebhookDeliveryOut }{Body: deliveryOut(d)}, nil
	})
}

type webhookIDPath struct {
	ID string `path:"id" maxLength:"64" doc:"Webhook endpoint or delivery id"`
}
