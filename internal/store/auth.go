package store

import (
	"context"
	"time"
)

// ClientRecord is an API client. SecretHash is a hash, never the secret.
type ClientRecord struct {
	ID         string
	Tenant     string
	Name       string
	SecretHash []byte
	Scopes     string // space separated
	Disabled   bool
	CreatedAt  time.Time
	// LastUsedAt is when the client last obtained an access token (kept to
	// the minute); SecretRotatedAt is when its secret was last replaced:
	// tokens issued before it are refused. Nil: never.
	LastUsedAt      *time.Time
	SecretRotatedAt *time.Time
}

// Clients stores API clients.
type Clients interface {
	Create(ctx context.Context, c ClientRecord) error
	// Get returns a client that has not been deleted, or ErrNotFound.
	Get(ctx context.Context, id string) (ClientRecord, error)
	// List returns every client that has not been deleted.
	List(ctx context.Context) ([]ClientRecord, error)
	// SetDisabled disables or re-enables a client; ErrNotFound when it does
	// not exist or was deleted.
	SetDisabled(ctx context.Context, id string, disabled bool) error
	// RotateSecret replaces the secret hash and records the time.
	RotateSecret(ctx context.Context, id string, secretHash []byte, at time.Time) error
	// Delete marks the client deleted and erases its secret hash; the row
	// stays so that its id is never reused.
	Delete(ctx context.Context, id string, at time.Time) error
	// Touch records that the client obtained a token at t (written only
	// when the stored time is older than a minute).
	Touch(ctx context.Context, id string, t time.Time) error
}

// KeyRecord is a token-signing key; Private is encrypted with the master key.
type KeyRecord struct {
	KID       string
	Alg       string
	Private   []byte
	Public    []byte // JWK JSON
	CreatedAt time.Time
	RetiredAt *time.Time // no longer signs from this time
}

// Keys stores token-signing keys.
type Keys interface {
	Create(ctx context.Context, k KeyRecord) error
	List(ctx context.Context) ([]KeyRecord, error)
	Retire(ctx context.Context, kid string, at time.Time) error
	// Delete removes a key that no unexpired token can reference.
	Delete(ctx context.Context, kid string) error
}

// IdempotencyRecord remembers the response to a POST with an
// Idempotency-Key, per client.
type IdempotencyRecord struct {
	ClientID    string
	Key         string
	RequestHash string
	Status      int
	Body        []byte // encrypted response body
	CreatedAt   time.Time
	// EntityType and EntityID name what the request created, recorded in
	// the transaction of its business write ("" until then): a retry after
	// a crash between that commit and the stored response answers with it.
	EntityType, EntityID string
}

// Idempotency stores idempotent responses. A record with Status 0 is a
// reservation: the first request with the key is still being handled.
type Idempotency interface {
	// Get returns the stored response or ErrNotFound.
	Get(ctx context.Context, clientID, key string) (IdempotencyRecord, error)
	// Put stores a response or a reservation (Status 0); ErrConflict when
	// the key is already taken, on any replica.
	Put(ctx context.Context, r IdempotencyRecord) error
	// Complete fills a reservation with the response; ErrNotFound when
	// there is no reservation for the key.
	Complete(ctx context.Context, clientID, key string, status int, body []byte) error
	// Release deletes a reservation (the request failed and may be
	// retried), unless its business write committed (an entity is attached).
	Release(ctx context.Context, clientID, key string) error
	// Attach records on a reservation, in the transaction of the business
	// write, the entity the request created; ErrConflict when there is no
	// reservation without an entity for the key (another request with the
	// same key got there first, or the reservation was taken over).
	Attach(ctx context.Context, clientID, key, entityType, entityID string) error
	// DeleteBefore removes records older than t.
	DeleteBefore(ctx context.Context, t time.Time) (int64, error)
}
