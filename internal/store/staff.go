package store

import (
	"context"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
)

// StaffRepos are the repositories of the back office: staff users, their
// sessions and the read models of the case queue and dashboard.
type StaffRepos interface {
	Users() Users
	Sessions() Sessions
	Views() Views
	// UserIdentities links staff users to OpenID Connect accounts
	// (staff_identities.go).
	UserIdentities() UserIdentities
}

// UserRecord is a staff user. Email and TOTPSecret are encrypted by the app
// layer; EmailIndex is the keyed blind index used to find a user at sign-in.
type UserRecord struct {
	ID                 string
	EmailIndex         string
	Email              []byte
	Role               string
	PasswordHash       string // argon2id, PHC string format
	MustChangePassword bool
	TOTPSecret         []byte // nil until enrolment starts
	TOTPEnrolled       bool
	TOTPLastStep       int64 // last accepted TOTP time step (replay protection)
	FailedAttempts     int64
	LockedUntil        *time.Time
	Disabled           bool
	CreatedAt          time.Time
	UpdatedAt          time.Time
	LastSignInAt       *time.Time
}

// Users stores staff users.
type Users interface {
	// Create adds a user; ErrConflict when the e-mail index is taken.
	Create(ctx context.Context, u UserRecord) error
	Get(ctx context.Context, id string) (UserRecord, error)
	GetByEmailIndex(ctx context.Context, emailIndex string) (UserRecord, error)
	List(ctx context.Context) ([]UserRecord, error)
	// Update writes every mutable column.
	Update(ctx context.Context, u UserRecord) error
	// AddFailure counts one failed sign-in atomically and returns the count.
	AddFailure(ctx context.Context, id string, at time.Time) (int64, error)
	// Lock locks the account until until and resets the failure count.
	Lock(ctx context.Context, id string, until, at time.Time) error
	// ClaimTOTPStep records step as used when it is newer than the last
	// used one; false when it was already used (a replayed code).
	ClaimTOTPStep(ctx context.Context, id string, step int64) (bool, error)
	// UpdateEmail changes the address and its index; ErrConflict when
	// another user has the index.
	UpdateEmail(ctx context.Context, id, emailIndex string, email []byte, at time.Time) error
}

// SessionRecord is a server-side staff session, stored by the SHA-256 of
// its token. Stage says how far the sign-in got ("password", "totp",
// "enrol", "full").
type SessionRecord struct {
	IDHash string
	UserID string
	Stage  string
	// Method is how the user proved who they are so far (the audited
	// sign-in method of the step that started the session: "password",
	// "oidc", …); "" for sessions stored before it was kept.
	Method     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute end
}

// Sessions stores staff sessions.
type Sessions interface {
	Create(ctx context.Context, s SessionRecord) error
	Get(ctx context.Context, idHash string) (SessionRecord, error)
	// Touch records activity; ErrNotFound when the session is gone.
	Touch(ctx context.Context, idHash string, at time.Time) error
	Delete(ctx context.Context, idHash string) error
	// DeleteForUser ends every session of a user and returns how many.
	DeleteForUser(ctx context.Context, userID string) (int64, error)
	// DeleteExpired removes sessions past their absolute end or idle since
	// before idleBefore.
	DeleteExpired(ctx context.Context, now, idleBefore time.Time) (int64, error)
}

// QueueFilter selects cases for the back-office queue. Status "active"
// means not closed; Assignee "-" means unassigned. NameIndex is the blind
// index of the customer's name (never the name itself). Sort is "newest"
// (default), "oldest" or "due".
type QueueFilter struct {
	Kind       string
	Status     string
	Assignee   string
	RiskRating string
	NameIndex  string
	CustomerID string
	Sort       string
	Offset     int
	Limit      int
}

// Decided is when a customer was approved or rejected.
type Decided struct {
	Status    string
	DecidedAt time.Time
}

// Views are read models of the back office.
type Views interface {
	Queue(ctx context.Context, f QueueFilter) ([]domain.Case, error)
	CountQueue(ctx context.Context, f QueueFilter) (int64, error)
	// UnclosedCases returns every case that is not closed.
	UnclosedCases(ctx context.Context) ([]domain.Case, error)
	CustomersByRisk(ctx context.Context) (map[string]int64, error)
	HitsSince(ctx context.Context, since time.Time) (int64, error)
	DecidedSince(ctx context.Context, since time.Time) ([]Decided, error)
}
