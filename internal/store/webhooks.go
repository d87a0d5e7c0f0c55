package store

import (
	"context"
	"time"
)

// WebhookEndpointRecord is an address a tenant registered for webhooks.
// Secret and PreviousSecret are sealed (encrypted) by app; PreviousSecret
// still signs until PreviousUntil after a rotation. A removed endpoint is
// kept (DeletedAt set) so that its delivery log stays readable.
type WebhookEndpointRecord struct {
	ID             string
	Tenant         string
	URL            string
	Description    string
	EventTypes     string // comma-separated event types, or "*"
	Secret         []byte
	PreviousSecret []byte
	PreviousUntil  *time.Time
	CreatedBy      string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	DeletedAt      *time.Time
}

// WebhookEventRecord is one outbox event: written in the transaction of
// the change it announces. Payload is the JSON body sent (ids and
// statuses only).
type WebhookEventRecord struct {
	ID        string
	Tenant    string
	Type      string
	Payload   []byte
	CreatedAt time.Time
}

// WebhookDeliveryRecord is the delivery of one event to one endpoint.
type WebhookDeliveryRecord struct {
	ID             string
	Tenant         string
	EventID        string
	EndpointID     string
	EventType      string
	Status         string // pending, succeeded, failed
	Attempts       int
	NextAttemptAt  *time.Time
	LastAttemptAt  *time.Time
	LastStatusCode int
	LastError      string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// WebhookAttemptRecord is one HTTP attempt of a delivery.
type WebhookAttemptRecord struct {
	DeliveryID string
	Attempt    int
	StartedAt  time.Time
	StatusCode int
	Duration   time.Duration // kept in microseconds
	Error      string
	Manual     bool
}

// WebhookDeliveryFilter selects deliveries, newest first; empty fields do
// not filter. BeforeID is the cursor: only deliveries with a smaller id.
type WebhookDeliveryFilter struct {
	EndpointID string
	Tenant     string
	Status     string
	BeforeID   string
	Limit      int
}

// Webhooks stores endpoints, the outbox, deliveries and attempts.
type Webhooks interface {
	CreateEndpoint(ctx context.Context, e WebhookEndpointRecord) error
	// GetEndpoint returns the endpoint, removed or not, or ErrNotFound.
	GetEndpoint(ctx context.Context, id string) (WebhookEndpointRecord, error)
	// ListEndpoints returns the endpoints not removed, of one tenant
	// ("" for every tenant), by id.
	ListEndpoints(ctx context.Context, tenant string) ([]WebhookEndpointRecord, error)
	// UpdateSecret replaces the secrets of an endpoint that is not
	// removed; ErrNotFound otherwise.
	UpdateSecret(ctx context.Context, id string, secret, previous []byte, previousUntil *time.Time, at time.Time) error
	// DeleteEndpoint marks the endpoint removed at at (its previous secret
	// is dropped); ErrNotFound when unknown or already removed.
	DeleteEndpoint(ctx context.Context, id string, at time.Time) error

	CreateEvent(ctx context.Context, e WebhookEventRecord) error
	GetEvent(ctx context.Context, id string) (WebhookEventRecord, error)

	CreateDelivery(ctx context.Context, d WebhookDeliveryRecord) error
	GetDelivery(ctx context.Context, id string) (WebhookDeliveryRecord, error)
	// UpdateDelivery writes d if the stored delivery still has
	// oldAttempts attempts and oldStatus: ErrConflict when another writer
	// moved it on, ErrNotFound when it does not exist.
	UpdateDelivery(ctx context.Context, d WebhookDeliveryRecord, oldAttempts int, oldStatus string) error
	ListDeliveries(ctx context.Context, f WebhookDeliveryFilter) ([]WebhookDeliveryRecord, error)
	CountDeliveries(ctx context.Context, f WebhookDeliveryFilter) (int64, error)
	// AddAttempt records an attempt; ErrConflict if that attempt number
	// of the delivery is already recorded.
	AddAttempt(ctx context.Context, a WebhookAttemptRecord) error
	ListAttempts(ctx context.Context, deliveryID string) ([]WebhookAttemptRecord, error)
}
