package sqlite

// Shared by both engines: `make generate` copies this file to ../postgres
// (see repos.go); edit it here only.

import (
	"context"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

// userIdentities implements store.UserIdentities (links of staff users to
// OpenID Connect accounts).
type userIdentities repos

func (r repos) UserIdentities() store.UserIdentities { return userIdentities(r) }

func (r userIdentities) Create(ctx context.Context, u store.UserIdentityRecord) error {
	return mapErr(r.q.CreateUserIdentity(ctx, gen.CreateUserIdentityParams{
		SubjectIndex: u.SubjectIndex, Issuer: u.Issuer, UserID: u.UserID,
		CreatedAt: tsIn(u.CreatedAt), LastSignInAt: tsIn(u.LastSignInAt),
	}))
}

func (r userIdentities) GetBySubject(ctx context.Context, subjectIndex string) (store.UserIdentityRecord, error) {
	u, err := r.q.GetUserIdentity(ctx, subjectIndex)
	if err != nil {
		return store.UserIdentityRecord{}, mapErr(err)
	}
	return store.UserIdentityRecord{
		SubjectIndex: u.SubjectIndex, Issuer: u.Issuer, UserID: u.UserID,
		CreatedAt: tsOut(u.CreatedAt), LastSignInAt: tsOut(u.LastSignInAt),
	}, nil
}

func (r userIdentities) Touch(ctx context.Context, subjectIndex string, at time.Time) error {
	return rowsOrNotFound(r.q.TouchUserIdentity(ctx, gen.TouchUserIdentityParams{SubjectIndex: subjectIndex, LastSignInAt: tsIn(at)}))
}

func (r userIdentities) CountForUser(ctx context.Context, userID string) (int64, error) {
	n, err := r.q.CountUserIdentities(ctx, userID)
	return n, mapErr(err)
}

func (r userIdentities) LinkedUsers(ctx context.Context) (map[string]bool, error) {
	ids, err := r.q.LinkedUserIDs(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

func (r users) UpdateEmail(ctx context.Context, id, emailIndex string, email []byte, at time.Time) error {
	return rowsOrNotFound(r.q.UpdateUserEmail(ctx, gen.UpdateUserEmailParams{ID: id, EmailIndex: emailIndex, Email: notNil(email), UpdatedAt: tsIn(at)}))
}
