package sqlite

// Shared by both engines: `make generate` copies this file to ../postgres
// (see repos.go); edit it here only.

import (
	"context"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

// accessLinks implements store.AccessLinks (access links and applicant sessions).
type accessLinks repos

func (r accessLinks) Create(ctx context.Context, l store.AccessLinkRecord) error {
	return mapErr(r.q.CreateAccessLink(ctx, gen.CreateAccessLinkParams{
		ID:         l.ID,
		TokenHash:  l.TokenHash,
		CustomerID: l.CustomerID,
		Tenant:     l.Tenant,
		CreatedBy:  l.CreatedBy,
		CreatedAt:  tsIn(l.CreatedAt),
		ExpiresAt:  tsIn(l.ExpiresAt),
		UsedAt:     ntsIn(l.UsedAt),
	}))
}

func (r accessLinks) GetByHash(ctx context.Context, tokenHash string) (store.AccessLinkRecord, error) {
	l, err := r.q.GetAccessLinkByHash(ctx, tokenHash)
	if err != nil {
		return store.AccessLinkRecord{}, mapErr(err)
	}
	return store.AccessLinkRecord{
		ID:         l.ID,
		TokenHash:  l.TokenHash,
		CustomerID: l.CustomerID,
		Tenant:     l.Tenant,
		CreatedBy:  l.CreatedBy,
		CreatedAt:  tsOut(l.CreatedAt),
		ExpiresAt:  tsOut(l.ExpiresAt),
		UsedAt:     ntsOut(l.UsedAt),
	}, nil
}

func (r accessLinks) Use(ctx context.Context, tokenHash string, at time.Time) error {
	return rowsOrNotFound(r.q.UseAccessLink(ctx, gen.UseAccessLinkParams{UsedAt: ntsIn(&at), TokenHash: tokenHash}))
}

func (r accessLinks) CreateSession(ctx context.Context, s store.ApplicantSessionRecord) error {
	return mapErr(r.q.CreateApplicantSession(ctx, gen.CreateApplicantSessionParams{
		TokenHash:  s.TokenHash,
		CustomerID: s.CustomerID,
		LinkID:     s.LinkID,
		CreatedAt:  tsIn(s.CreatedAt),
		LastSeenAt: tsIn(s.LastSeenAt),
		ExpiresAt:  tsIn(s.ExpiresAt),
	}))
}

func (r accessLinks) GetSession(ctx context.Context, tokenHash string) (store.ApplicantSessionRecord, error) {
	s, err := r.q.GetApplicantSession(ctx, tokenHash)
	if err != nil {
		return store.ApplicantSessionRecord{}, mapErr(err)
	}
	return store.ApplicantSessionRecord{
		TokenHash:  s.TokenHash,
		CustomerID: s.CustomerID,
		LinkID:     s.LinkID,
		CreatedAt:  tsOut(s.CreatedAt),
		LastSeenAt: tsOut(s.LastSeenAt),
		ExpiresAt:  tsOut(s.ExpiresAt),
	}, nil
}

func (r accessLinks) TouchSession(ctx context.Context, tokenHash string, at time.Time) error {
	return rowsOrNotFound(r.q.TouchApplicantSession(ctx, gen.TouchApplicantSessionParams{LastSeenAt: tsIn(at), TokenHash: tokenHash}))
}

func (r accessLinks) DeleteSession(ctx context.Context, tokenHash string) error {
	return mapErr(r.q.DeleteApplicantSession(ctx, tokenHash))
}

func (r accessLinks) DeleteSessionsBefore(ctx context.Context, t time.Time) (int64, error) {
	n, err := r.q.DeleteApplicantSessionsBefore(ctx, tsIn(t))
	return n, mapErr(err)
}
