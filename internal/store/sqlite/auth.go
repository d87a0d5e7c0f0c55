package sqlite

// Shared by both engines: `make generate` copies this file to ../postgres
// (see repos.go); edit it here only.

import (
	"context"
	"fmt"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

// clients implements store.Clients.
type clients repos

func clientOut(c gen.ApiClient) store.ClientRecord {
	return store.ClientRecord{
		ID:         c.ID,
		Tenant:     c.Tenant,
		Name:       c.Name,
		SecretHash: c.SecretHash,
		Scopes:     c.Scopes,
		Disabled:   c.Disabled,
		CreatedAt:  tsOut(c.CreatedAt),

		LastUsedAt:      ntsOut(c.LastUsedAt),
		SecretRotatedAt: ntsOut(c.SecretRotatedAt),
	}
}

func (r clients) Create(ctx context.Context, c store.ClientRecord) error {
	return mapErr(r.q.CreateClient(ctx, gen.CreateClientParams{
		ID:         c.ID,
		Tenant:     c.Tenant,
		Name:       c.Name,
		SecretHash: notNil(c.SecretHash),
		Scopes:     c.Scopes,
		Disabled:   c.Disabled,
		CreatedAt:  tsIn(c.CreatedAt),
	}))
}

func (r clients) Get(ctx context.Context, id string) (store.ClientRecord, error) {
	c, err := r.q.GetClient(ctx, id)
	if err != nil {
		return store.ClientRecord{}, mapErr(err)
	}
	return clientOut(c), nil
}

func (r clients) List(ctx context.Context) ([]store.ClientRecord, error) {
	rows, err := r.q.ListClients(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.ClientRecord, len(rows))
	for i, c := range rows {
		out[i] = clientOut(c)
	}
	return out, nil
}

func (r clients) SetDisabled(ctx context.Context, id string, disabled bool) error {
	return rowsOrNotFound(r.q.SetClientDisabled(ctx, gen.SetClientDisabledParams{ID: id, Disabled: disabled}))
}

func (r clients) RotateSecret(ctx context.Context, id string, secretHash []byte, at time.Time) error {
	return rowsOrNotFound(r.q.RotateClientSecret(ctx, gen.RotateClientSecretParams{ID: id, SecretHash: notNil(secretHash), RotatedAt: ntsIn(&at)}))
}

func (r clients) Delete(ctx context.Context, id string, at time.Time) error {
	return rowsOrNotFound(r.q.DeleteClient(ctx, gen.DeleteClientParams{ID: id, SecretHash: []byte{}, DeletedAt: ntsIn(&at)}))
}

// touchResolution is how stale a client's last use may get before a token
// request writes it again: one write a minute at most per client.
const touchResolution = time.Minute

func (r clients) Touch(ctx context.Context, id string, t time.Time) error {
	stale := t.Add(-touchResolution)
	return mapErr(r.q.TouchClient(ctx, gen.TouchClientParams{ID: id, UsedAt: ntsIn(&t), StaleBefore: ntsIn(&stale)}))
}

// keys implements store.Keys.
type keys repos

func (r keys) Create(ctx context.Context, k store.KeyRecord) error {
	return mapErr(r.q.CreateKey(ctx, gen.CreateKeyParams{
		Kid:        k.KID,
		Alg:        k.Alg,
		PrivateKey: notNil(k.Private),
		PublicJwk:  notNil(k.Public),
		CreatedAt:  tsIn(k.CreatedAt),
		RetiredAt:  ntsIn(k.RetiredAt),
	}))
}

func (r keys) List(ctx context.Context) ([]store.KeyRecord, error) {
	rows, err := r.q.ListKeys(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.KeyRecord, len(rows))
	for i, k := range rows {
		out[i] = store.KeyRecord{
			KID:       k.Kid,
			Alg:       k.Alg,
			Private:   k.PrivateKey,
			Public:    k.PublicJwk,
			CreatedAt: tsOut(k.CreatedAt),
			RetiredAt: ntsOut(k.RetiredAt),
		}
	}
	return out, nil
}

func (r keys) Retire(ctx context.Context, kid string, at time.Time) error {
	return rowsOrNotFound(r.q.RetireKey(ctx, gen.RetireKeyParams{Kid: kid, RetiredAt: ntsIn(&at)}))
}

func (r keys) Delete(ctx context.Context, kid string) error {
	return rowsOrNotFound(r.q.DeleteKey(ctx, kid))
}

// idempotency implements store.Idempotency.
type idempotency repos

func (r idempotency) Get(ctx context.Context, clientID, key string) (store.IdempotencyRecord, error) {
	i, err := r.q.GetIdempotency(ctx, gen.GetIdempotencyParams{ClientID: clientID, IdemKey: key})
	if err != nil {
		return store.IdempotencyRecord{}, mapErr(err)
	}
	return store.IdempotencyRecord{
		ClientID:    i.ClientID,
		Key:         i.IdemKey,
		RequestHash: i.RequestHash,
		Status:      int(i.Status),
		Body:        i.Body,
		CreatedAt:   tsOut(i.CreatedAt),
		EntityType:  i.EntityType,
		EntityID:    i.EntityID,
	}, nil
}

func (r idempotency) Attach(ctx context.Context, clientID, key, entityType, entityID string) error {
	n, err := r.q.AttachIdempotencyEntity(ctx, gen.AttachIdempotencyEntityParams{ClientID: clientID, IdemKey: key, EntityType: entityType, EntityID: entityID})
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return fmt.Errorf("%w: no open reservation for the idempotency key", store.ErrConflict)
	}
	return nil
}

func (r idempotency) Put(ctx context.Context, i store.IdempotencyRecord) error {
	return mapErr(r.q.PutIdempotency(ctx, gen.PutIdempotencyParams{
		ClientID:    i.ClientID,
		IdemKey:     i.Key,
		RequestHash: i.RequestHash,
		Status:      int64(i.Status),
		Body:        notNil(i.Body),
		CreatedAt:   tsIn(i.CreatedAt),
	}))
}

func (r idempotency) Complete(ctx context.Context, clientID, key string, status int, body []byte) error {
	n, err := r.q.CompleteIdempotency(ctx, gen.CompleteIdempotencyParams{ClientID: clientID, IdemKey: key, Status: int64(status), Body: notNil(body)})
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func (r idempotency) Release(ctx context.Context, clientID, key string) error {
	_, err := r.q.ReleaseIdempotency(ctx, gen.ReleaseIdempotencyParams{ClientID: clientID, IdemKey: key})
	return mapErr(err)
}

func (r idempotency) DeleteBefore(ctx context.Context, t time.Time) (int64, error) {
	n, err := r.q.DeleteIdempotencyBefore(ctx, tsIn(t))
	return n, mapErr(err)
}
