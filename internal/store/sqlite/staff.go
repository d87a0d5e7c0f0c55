package sqlite

// Shared by both engines: `make generate` copies this file to ../postgres
// (see repos.go); edit it here only.

import (
	"context"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

// users implements store.Users (staff users).
type users repos

func userOut(u gen.User) store.UserRecord {
	return store.UserRecord{
		ID:                 u.ID,
		EmailIndex:         u.EmailIndex,
		Email:              u.Email,
		Role:               u.Role,
		PasswordHash:       u.PasswordHash,
		MustChangePassword: u.MustChangePassword,
		TOTPSecret:         u.TotpSecret,
		TOTPEnrolled:       u.TotpEnrolled,
		TOTPLastStep:       u.TotpLastStep,
		FailedAttempts:     u.FailedAttempts,
		LockedUntil:        ntsOut(u.LockedUntil),
		Disabled:           u.Disabled,
		CreatedAt:          tsOut(u.CreatedAt),
		UpdatedAt:          tsOut(u.UpdatedAt),
		LastSignInAt:       ntsOut(u.LastSignInAt),
	}
}

func (r users) Create(ctx context.Context, u store.UserRecord) error {
	return mapErr(r.q.CreateUser(ctx, gen.CreateUserParams{
		ID:                 u.ID,
		EmailIndex:         u.EmailIndex,
		Email:              notNil(u.Email),
		Role:               u.Role,
		PasswordHash:       u.PasswordHash,
		MustChangePassword: u.MustChangePassword,
		TotpSecret:         u.TOTPSecret,
		TotpEnrolled:       u.TOTPEnrolled,
		TotpLastStep:       u.TOTPLastStep,
		FailedAttempts:     u.FailedAttempts,
		LockedUntil:        ntsIn(u.LockedUntil),
		Disabled:           u.Disabled,
		CreatedAt:          tsIn(u.CreatedAt),
		UpdatedAt:          tsIn(u.UpdatedAt),
		LastSignInAt:       ntsIn(u.LastSignInAt),
	}))
}

func (r users) Get(ctx context.Context, id string) (store.UserRecord, error) {
	u, err := r.q.GetUser(ctx, id)
	if err != nil {
		return store.UserRecord{}, mapErr(err)
	}
	return userOut(u), nil
}

func (r users) GetByEmailIndex(ctx context.Context, emailIndex string) (store.UserRecord, error) {
	u, err := r.q.GetUserByEmailIndex(ctx, emailIndex)
	if err != nil {
		return store.UserRecord{}, mapErr(err)
	}
	return userOut(u), nil
}

func (r users) List(ctx context.Context) ([]store.UserRecord, error) {
	rows, err := r.q.ListUsers(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.UserRecord, len(rows))
	for i, u := range rows {
		out[i] = userOut(u)
	}
	return out, nil
}

func (r users) Update(ctx context.Context, u store.UserRecord) error {
	return rowsOrNotFound(r.q.UpdateUser(ctx, gen.UpdateUserParams{
		ID:                 u.ID,
		Role:               u.Role,
		PasswordHash:       u.PasswordHash,
		MustChangePassword: u.MustChangePassword,
		TotpSecret:         u.TOTPSecret,
		TotpEnrolled:       u.TOTPEnrolled,
		TotpLastStep:       u.TOTPLastStep,
		FailedAttempts:     u.FailedAttempts,
		LockedUntil:        ntsIn(u.LockedUntil),
		Disabled:           u.Disabled,
		UpdatedAt:          tsIn(u.UpdatedAt),
		LastSignInAt:       ntsIn(u.LastSignInAt),
	}))
}

func (r users) AddFailure(ctx context.Context, id string, at time.Time) (int64, error) {
	n, err := r.q.AddUserFailure(ctx, gen.AddUserFailureParams{ID: id, UpdatedAt: tsIn(at)})
	return n, mapErr(err)
}

func (r users) Lock(ctx context.Context, id string, until, at time.Time) error {
	return rowsOrNotFound(r.q.LockUser(ctx, gen.LockUserParams{ID: id, LockedUntil: ntsIn(&until), UpdatedAt: tsIn(at)}))
}

func (r users) ClaimTOTPStep(ctx context.Context, id string, step int64) (bool, error) {
	n, err := r.q.ClaimTOTPStep(ctx, gen.ClaimTOTPStepParams{ID: id, Step: step})
	return n == 1, mapErr(err)
}

// sessions implements store.Sessions (staff sessions).
type sessions repos

func (r sessions) Create(ctx context.Context, s store.SessionRecord) error {
	return mapErr(r.q.CreateSession(ctx, gen.CreateSessionParams{
		IDHash:     s.IDHash,
		UserID:     s.UserID,
		Stage:      s.Stage,
		Method:     s.Method,
		CreatedAt:  tsIn(s.CreatedAt),
		LastSeenAt: tsIn(s.LastSeenAt),
		ExpiresAt:  tsIn(s.ExpiresAt),
	}))
}

func (r sessions) Get(ctx context.Context, idHash string) (store.SessionRecord, error) {
	s, err := r.q.GetSession(ctx, idHash)
	if err != nil {
		return store.SessionRecord{}, mapErr(err)
	}
	return store.SessionRecord{
		IDHash:     s.IDHash,
		UserID:     s.UserID,
		Stage:      s.Stage,
		Method:     s.Method,
		CreatedAt:  tsOut(s.CreatedAt),
		LastSeenAt: tsOut(s.LastSeenAt),
		ExpiresAt:  tsOut(s.ExpiresAt),
	}, nil
}

func (r sessions) Touch(ctx context.Context, idHash string, at time.Time) error {
	return rowsOrNotFound(r.q.TouchSession(ctx, gen.TouchSessionParams{IDHash: idHash, LastSeenAt: tsIn(at)}))
}

func (r sessions) Delete(ctx context.Context, idHash string) error {
	_, err := r.q.DeleteSession(ctx, idHash)
	return mapErr(err)
}

func (r sessions) DeleteForUser(ctx context.Context, userID string) (int64, error) {
	n, err := r.q.DeleteUserSessions(ctx, userID)
	return n, mapErr(err)
}

func (r sessions) DeleteExpired(ctx context.Context, now, idleBefore time.Time) (int64, error) {
	n, err := r.q.DeleteExpiredSessions(ctx, gen.DeleteExpiredSessionsParams{Now: tsIn(now), IdleBefore: tsIn(idleBefore)})
	return n, mapErr(err)
}

// views implements store.Views (back-office read models).
type views repos

func (r views) Queue(ctx context.Context, f store.QueueFilter) ([]domain.Case, error) {
	rows, err := r.q.QueueCases(ctx, gen.QueueCasesParams{
		Sort:       f.Sort,
		Kind:       f.Kind,
		Status:     f.Status,
		Assignee:   f.Assignee,
		RiskRating: f.RiskRating,
		NameIndex:  f.NameIndex,
		CustomerID: f.CustomerID,
		Off:        int64(max(f.Offset, 0)),
		Lim:        limit(f.Limit),
	})
	if err != nil {
		return nil, mapErr(err)
	}
	return casesOut(rows), nil
}

func (r views) CountQueue(ctx context.Context, f store.QueueFilter) (int64, error) {
	n, err := r.q.CountQueueCases(ctx, gen.CountQueueCasesParams{
		Kind:       f.Kind,
		Status:     f.Status,
		Assignee:   f.Assignee,
		RiskRating: f.RiskRating,
		NameIndex:  f.NameIndex,
		CustomerID: f.CustomerID,
	})
	return n, mapErr(err)
}

func (r views) UnclosedCases(ctx context.Context) ([]domain.Case, error) {
	rows, err := r.q.ListUnclosedCases(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	return casesOut(rows), nil
}

func (r views) CustomersByRisk(ctx context.Context) (map[string]int64, error) {
	rows, err := r.q.CountCustomersByRisk(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make(map[string]int64, len(rows))
	for _, row := range rows {
		out[row.RiskRating] = row.N
	}
	return out, nil
}

func (r views) HitsSince(ctx context.Context, since time.Time) (int64, error) {
	n, err := r.q.CountHitsSince(ctx, tsIn(since))
	return n, mapErr(err)
}

func (r views) DecidedSince(ctx context.Context, since time.Time) ([]store.Decided, error) {
	rows, err := r.q.CustomerDecisionsSince(ctx, ntsIn(&since))
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.Decided, 0, len(rows))
	for _, row := range rows {
		if t := ntsOut(row.DecidedAt); t != nil {
			out = append(out, store.Decided{Status: row.Status, DecidedAt: *t})
		}
	}
	return out, nil
}
