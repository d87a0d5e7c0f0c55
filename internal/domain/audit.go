package domain

import "time"

// ActorType says who performed an action.
type ActorType string

// Actor types.
const (
	ActorClient    ActorType = "client"
	ActorUser      ActorType = "user"
	ActorApplicant ActorType = "applicant"
	ActorSystem    ActorType = "system"
)

// Actor is who performed an action.
type Actor struct {
	Type ActorType
	ID   string
	// Tenant scopes an API client to its tenant's records; "" (staff users,
	// the operator, jobs) sees every tenant.
	Tenant string
	// Scopes (API clients) or role (users) granted to the actor.
	Scopes []string
	Role   string
}

// String renders the actor as "type:id".
func (a Actor) String() string { return string(a.Type) + ":" + a.ID }

// DefaultTenant is the tenant of clients created without one: a deployment
// serving one institution needs no other.
const DefaultTenant = "default"

// SystemActor is the actor of background jobs.
func SystemActor(job string) Actor { return Actor{Type: ActorSystem, ID: job} }

// AuditEvent is one link of the append-only, hash-chained audit trail.
// A change appends it without Seq, PrevHash and Hash; the sealer gives it
// those when it chains it (SealedAt).
type AuditEvent struct {
	Seq        int64
	ID         string
	OccurredAt time.Time
	Tenant     string // tenant of the record the event is about ("" for system-wide events)
	Actor      string // "type:id"
	Action     string // a registered EventType (Events), e.g. "customer.created"
	EntityType string
	EntityID   string
	Digest     string // hex SHA-256 of the canonical change, no raw personal data
	Meta       string // small JSON of non-personal facts (statuses, codes)
	PrevHash   string
	Hash       string
	// SealedAt is when the sealer chained the event; zero for the events
	// chained inside their own transaction by versions before sealing.
	SealedAt time.Time
}
