package store

import (
	"context"
	"time"
)

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
