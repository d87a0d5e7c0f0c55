// Package store declares the storage ports of kyc: small interfaces per
// aggregate, their parameter structs and ErrNotFound. The two implementations
// (store/sqlite and store/postgres) pass the same conformance suite
// (store/storetest). Stores hold no business rules: personal data arrives
// already encrypted and leaves encrypted; the app layer owns the keys.
package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
)

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrConflict is returned on a unique-key violation or a failed optimistic
// version check.
var ErrConflict = errors.New("store: conflict")

// Store is a database: one per process, shared by every request.
type Store interface {
	// Repos gives autocommit access for reads and single writes.
	Repos
	// InTx runs fn in one transaction; it commits when fn returns nil and
	// rolls back otherwise. The transaction is passed explicitly; never
	// carried in ctx.
	InTx(ctx context.Context, fn func(tx Tx) error) error
	// Dialect is "sqlite" or "postgres".
	Dialect() string
	// DB is the underlying handle, shared with River.
	DB() *sql.DB
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// MigrationStatus reports the applied and latest known schema versions.
	MigrationStatus(ctx context.Context) (current, latest int64, err error)
	// Close releases the handle.
	Close() error
}

// Tx is one open transaction with access to every repository.
type Tx interface {
	Repos
	// SQLTx is the transaction itself, for River's InsertTx so that jobs are
	// enqueued atomically with the business write.
	SQLTx() *sql.Tx
}

// Repos groups the per-aggregate repositories.
type Repos interface {
	Customers() Customers
	Checks() Checks
	Cases() Cases
	Hits() Hits
	Audit() Audit
	Clients() Clients
	Keys() Keys
	Idempotency() Idempotency
	Lists() Lists
	Documents() Documents
	StaffRepos
	AccessLinks() AccessLinks
	Screenings() Screenings
}

// ScreeningRecord is the evidence of one ad-hoc screening. Query is the
// encrypted request; Matches is JSON of the matches (public list data).
type ScreeningRecord struct {
	ID               string
	Tenant           string
	Actor            string
	Query            []byte
	Matches          string
	SnapshotIDs      string // comma separated
	AlgorithmVersion string
	Threshold        float64
	CreatedAt        time.Time
}

// Screenings stores ad-hoc screening evidence.
type Screenings interface {
	Create(ctx context.Context, s ScreeningRecord) error
	Get(ctx context.Context, id string) (ScreeningRecord, error)
}

// CustomerRecord is a customer row. Data is the encrypted personal data;
// the *Index fields are keyed blind indexes (HMAC) for exact lookups.
type CustomerRecord struct {
	ID            string
	Tenant        string
	Type          string
	Status        string
	RiskRating    string
	DueDiligence  string
	ExternalRef   string
	ClientID      string
	Data          []byte
	EmailIndex    string
	DocumentIndex string
	NameIndex     string
	Version       int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
	SubmittedAt   *time.Time
	DecidedAt     *time.Time
	NextReviewAt  *time.Time
}

// CustomerFilter selects customers for List. Zero fields do not filter.
// Results are ordered by ID descending (newest first); After is the last ID
// of the previous page.
type CustomerFilter struct {
	Status     string
	RiskRating string
	Type       string
	ClientID   string
	Tenant     string
	EmailIndex string
	NameIndex  string
	After      string
	Limit      int
}

// Customers stores customers.
type Customers interface {
	Create(ctx context.Context, c CustomerRecord) error
	Get(ctx context.Context, id string) (CustomerRecord, error)
	// GetForUpdate reads and locks the row (SELECT … FOR UPDATE on
	// PostgreSQL; SQLite transactions already hold the write lock).
	GetForUpdate(ctx context.Context, id string) (CustomerRecord, error)
	// Update writes every mutable column when the stored version equals
	// c.Version-1; otherwise ErrConflict (optimistic concurrency).
	Update(ctx context.Context, c CustomerRecord) error
	List(ctx context.Context, f CustomerFilter) ([]CustomerRecord, error)
	// CountByStatus returns the number of customers in each status.
	CountByStatus(ctx context.Context) (map[string]int64, error)
}

// CheckRecord is a check row; Details is encrypted.
type CheckRecord struct {
	ID         string
	CustomerID string
	Type       string
	Status     string
	Provider   string
	Summary    string
	Details    []byte
	Error      string
	Attempts   int
	Round      int
	CreatedAt  time.Time
	UpdatedAt  time.Time
	FinishedAt *time.Time
}

// Checks stores check results.
type Checks interface {
	Create(ctx context.Context, c CheckRecord) error
	Get(ctx context.Context, id string) (CheckRecord, error)
	Update(ctx context.Context, c CheckRecord) error
	// ListByCustomer returns the checks of the latest round first, by type.
	ListByCustomer(ctx context.Context, customerID string) ([]CheckRecord, error)
	// SaveRisk stores a risk assessment (Factors is JSON, not personal).
	SaveRisk(ctx context.Context, r RiskRecord) error
	// LatestRisk returns the newest assessment of a customer.
	LatestRisk(ctx context.Context, customerID string) (RiskRecord, error)
}

// RiskRecord is a stored risk assessment.
type RiskRecord struct {
	ID           string
	CustomerID   string
	CheckID      string
	Score        int
	Rating       string
	DueDiligence string
	ModelVersion string
	Factors      []byte // JSON []domain.RiskFactor
	CreatedAt    time.Time
}

// CaseFilter selects cases. Ordered by ID descending; After is the cursor.
type CaseFilter struct {
	Kind       string
	Status     string
	CustomerID string
	Assignee   string
	Tenant     string
	After      string
	Limit      int
}

// Cases stores cases and their decisions.
type Cases interface {
	Create(ctx context.Context, c domain.Case) error
	Get(ctx context.Context, id string) (domain.Case, error)
	GetForUpdate(ctx context.Context, id string) (domain.Case, error)
	// Update writes every mutable column when the stored version equals
	// c.Version-1; otherwise ErrConflict.
	Update(ctx context.Context, c domain.Case) error
	List(ctx context.Context, f CaseFilter) ([]domain.Case, error)
	// OpenForCustomer returns the customer's cases that are not closed.
	OpenForCustomer(ctx context.Context, customerID string) ([]domain.Case, error)
	// AddDecision records a decision; Reason arrives encrypted.
	AddDecision(ctx context.Context, d DecisionRecord) error
	ListDecisions(ctx context.Context, caseID string) ([]DecisionRecord, error)
}

// DecisionRecord is a stored decision; Reason is encrypted.
type DecisionRecord struct {
	ID        string
	CaseID    string
	Decision  string
	Reason    []byte
	Actor     string
	Stage     string
	CreatedAt time.Time
}

// HitRecord is a stored screening hit. Subject, Explanation and
// DispositionReason are encrypted; the list-side fields are public data.
type HitRecord struct {
	ID                string
	CustomerID        string
	CheckID           string
	CaseID            string
	EntityID          string
	List              string
	SourceID          string
	EntityHash        string
	Name              string
	MatchedName       string
	Subject           []byte
	Score             float64
	Explanation       []byte
	Topics            string // comma separated
	Disposition       string
	DispositionReason []byte
	DisposedBy        string
	DisposedAt        *time.Time
	CreatedAt         time.Time
}

// Hits stores screening hits.
type Hits interface {
	Create(ctx context.Context, h HitRecord) error
	Get(ctx context.Context, id string) (HitRecord, error)
	Update(ctx context.Context, h HitRecord) error
	ListByCustomer(ctx context.Context, customerID string) ([]HitRecord, error)
	ListByCheck(ctx context.Context, checkID string) ([]HitRecord, error)
	// LatestDisposition returns the newest dispositioned hit of this customer
	// for this list entity (to remember false positives), or ErrNotFound.
	LatestDisposition(ctx context.Context, customerID, list, entityID string) (HitRecord, error)
}

// AuditHead is the end of the audit hash chain.
type AuditHead struct {
	Seq  int64
	Hash string
}

// AuditFilter selects audit events in sequence order, after AfterSeq.
type AuditFilter struct {
	Tenant     string
	EntityType string
	EntityID   string
	AfterSeq   int64
	Limit      int
}

// Audit is the append-only audit trail.
type Audit interface {
	// LockHead returns the chain head and, inside a transaction, locks it
	// until commit so that appends are serialised (row lock on PostgreSQL;
	// SQLite write transactions are already exclusive).
	LockHead(ctx context.Context) (AuditHead, error)
	// Append inserts e (whose Seq must be head.Seq+1) and moves the head.
	Append(ctx context.Context, e domain.AuditEvent) error
	List(ctx context.Context, f AuditFilter) ([]domain.AuditEvent, error)
}

// ClientRecord is an API client. SecretHash is a hash, never the secret.
type ClientRecord struct {
	ID         string
	Tenant     string
	Name       string
	SecretHash []byte
	Scopes     string // space separated
	Disabled   bool
	CreatedAt  time.Time
}

// Clients stores API clients.
type Clients interface {
	Create(ctx context.Context, c ClientRecord) error
	Get(ctx context.Context, id string) (ClientRecord, error)
	List(ctx context.Context) ([]ClientRecord, error)
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
	// Release deletes a reservation (the request failed and may be retried).
	Release(ctx context.Context, clientID, key string) error
	// DeleteBefore removes records older than t.
	DeleteBefore(ctx context.Context, t time.Time) (int64, error)
}

// SnapshotRecord is one imported version of a list source.
type SnapshotRecord struct {
	ID          string    `json:"id"`
	Source      string    `json:"source"`
	Version     string    `json:"version"`
	ContentHash string    `json:"content_hash"`
	EntityCount int       `json:"entity_count"`
	FetchedAt   time.Time `json:"fetched_at"`
	LoadedAt    time.Time `json:"loaded_at"`
	Active      bool      `json:"active"`
}

// ListEntityRecord is one list entity of a snapshot; Data is the JSON of
// screening.Entity (public list data).
type ListEntityRecord struct {
	SnapshotID  string
	EntityID    string
	ContentHash string
	Data        []byte
}

// Lists stores list snapshots and their entities.
type Lists interface {
	CreateSnapshot(ctx context.Context, s SnapshotRecord) error
	// InsertEntities adds entities to a snapshot in batches.
	InsertEntities(ctx context.Context, es []ListEntityRecord) error
	// Activate makes the snapshot the active one of its source,
	// deactivating the others, in the caller's transaction.
	Activate(ctx context.Context, snapshotID string) error
	GetSnapshot(ctx context.Context, id string) (SnapshotRecord, error)
	// FindSnapshotByHash returns the snapshot of source with this content
	// hash, or ErrNotFound.
	FindSnapshotByHash(ctx context.Context, source, contentHash string) (SnapshotRecord, error)
	ActiveSnapshots(ctx context.Context) ([]SnapshotRecord, error)
	ListSnapshots(ctx context.Context, source string) ([]SnapshotRecord, error)
	// Entities returns every entity of a snapshot, ordered by EntityID.
	Entities(ctx context.Context, snapshotID string) ([]ListEntityRecord, error)
}

// DocumentRecord is an uploaded file; Content is encrypted.
type DocumentRecord struct {
	ID          string
	CustomerID  string
	Kind        string
	ContentType string
	Size        int64
	SHA256      string
	Content     []byte
	CreatedAt   time.Time
}

// Documents stores uploaded documents.
type Documents interface {
	Create(ctx context.Context, d DocumentRecord) error
	Get(ctx context.Context, id string) (DocumentRecord, error)
	// ListByCustomer returns metadata only (Content nil).
	ListByCustomer(ctx context.Context, customerID string) ([]DocumentRecord, error)
}

// AccessLinkRecord is a link that lets an applicant open the hosted
// onboarding pages of one customer. TokenHash is the SHA-256 of the token
// (hex); the token itself is never stored.
type AccessLinkRecord struct {
	ID         string
	TokenHash  string
	CustomerID string
	Tenant     string
	CreatedBy  string // the actor that created it (audit form, e.g. "client:kyc_ci_…")
	CreatedAt  time.Time
	ExpiresAt  time.Time
	UsedAt     *time.Time
}

// ApplicantSessionRecord is a server-side session of an applicant, started
// by an access link (or the public start page). TokenHash is the SHA-256 of
// the cookie value (hex).
type ApplicantSessionRecord struct {
	TokenHash  string
	CustomerID string
	LinkID     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute end
}

// AccessLinks stores access links and the applicant sessions they start.
type AccessLinks interface {
	Create(ctx context.Context, l AccessLinkRecord) error
	// GetByHash returns the link with this token hash or ErrNotFound.
	GetByHash(ctx context.Context, tokenHash string) (AccessLinkRecord, error)
	// Use marks the link used at at, if it is unused and expires after at;
	// otherwise (unknown, used or expired) ErrNotFound. It is atomic: of
	// two concurrent uses only one succeeds.
	Use(ctx context.Context, tokenHash string, at time.Time) error
	CreateSession(ctx context.Context, s ApplicantSessionRecord) error
	// GetSession returns the session with this token hash or ErrNotFound.
	GetSession(ctx context.Context, tokenHash string) (ApplicantSessionRecord, error)
	// TouchSession records activity; ErrNotFound when the session is gone.
	TouchSession(ctx context.Context, tokenHash string, at time.Time) error
	DeleteSession(ctx context.Context, tokenHash string) error
	// DeleteSessionsBefore removes sessions whose absolute end is before t.
	DeleteSessionsBefore(ctx context.Context, t time.Time) (int64, error)
}
