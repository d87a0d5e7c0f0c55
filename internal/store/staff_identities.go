package store

import (
	"context"
	"time"
)

// UserIdentityRecord links a staff user to their account at an OpenID
// Connect provider. The link is found by SubjectIndex, a keyed blind index
// of the issuer and the subject (the provider's stable, never reassigned id
// of the person), never by the e-mail address; neither the subject nor the
// address is stored in it.
type UserIdentityRecord struct {
	SubjectIndex string
	Issuer       string
	UserID       string
	CreatedAt    time.Time
	LastSignInAt time.Time
}

// UserIdentities stores the links of staff users to OpenID Connect
// accounts.
type UserIdentities interface {
	// Create adds a link; ErrConflict when the subject is linked already.
	Create(ctx context.Context, r UserIdentityRecord) error
	GetBySubject(ctx context.Context, subjectIndex string) (UserIdentityRecord, error)
	// Touch records a sign-in through the link.
	Touch(ctx context.Context, subjectIndex string, at time.Time) error
	// CountForUser is how many provider accounts are linked to the user.
	CountForUser(ctx context.Context, userID string) (int64, error)
	// LinkedUsers is the set of users with at least one linked provider
	// account: those who sign in by single sign-on.
	LinkedUsers(ctx context.Context) (map[string]bool, error)
}
