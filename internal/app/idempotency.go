package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// Idempotency replays the stored response of a POST repeated with the same
// Idempotency-Key by the same client, and refuses the key for a different
// request. Responses are stored encrypted (they may hold personal data).
type Idempotency struct {
	d *Deps
}

// Response is a stored HTTP response.
type Response struct {
	Status int
	Body   []byte
}

// IdempotencyTTL is how long a key is remembered.
const IdempotencyTTL = 24 * time.Hour

func idemAAD(clientID, key string) []byte { return []byte("idem:" + clientID + ":" + key) }

// RequestHash fingerprints a request (method, path and body).
func RequestHash(method, path string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(method + " " + path + "\n"))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// staleReservation is how long a reservation may wait for its response
// before a repeat of the request may take it over (the first request's
// process died).
const staleReservation = 2 * time.Minute

// Begin reserves the key for this request, on every replica at once (the
// reservation is a row, unique per client and key). It returns the stored
// response when the request is a repeat, nil when the caller should handle
// the request and then call Finish, or Abandon if it failed. A repeat
// arriving while the first request is still being handled is refused with a
// conflict; a key used for a different request with an invalid-field error.
func (s *Idempotency) Begin(ctx context.Context, clientID, key, reqHash string) (*Response, error) {
	if len(key) == 0 || len(key) > 255 {
		return nil, &domain.Error{Code: domain.ECodeInvalid, Message: "The Idempotency-Key header must be 1 to 255 characters.", Fields: []domain.FieldError{{Location: "header.Idempotency-Key", Message: "Use 1 to 255 characters."}}}
	}
	for range 3 {
		now := s.d.now()
		err := s.d.Store.Idempotency().Put(ctx, store.IdempotencyRecord{ClientID: clientID, Key: key, RequestHash: reqHash, Status: 0, CreatedAt: now})
		if err == nil {
			return nil, nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return nil, err
		}
		rec, err := s.d.Store.Idempotency().Get(ctx, clientID, key)
		if errors.Is(err, store.ErrNotFound) {
			continue // released meanwhile: try to reserve again
		}
		if err != nil {
			return nil, err
		}
		if now.Sub(rec.CreatedAt) > IdempotencyTTL {
			if _, err := s.d.Store.Idempotency().DeleteBefore(ctx, now.Add(-IdempotencyTTL)); err != nil {
				return nil, err
			}
			continue
		}
		if rec.RequestHash != reqHash {
			return nil, domain.Errorf(domain.ECodeInvalid, "This Idempotency-Key was already used for a different request.")
		}
		if rec.Status == 0 && rec.EntityID != "" {
			// The business write of an earlier attempt committed but its
			// response was never stored (its process died, or storing
			// failed): go ahead; the use case finds that entity on the
			// reservation and answers with it instead of creating another.
			return nil, nil
		}
		if rec.Status == 0 {
			if now.Sub(rec.CreatedAt) > staleReservation {
				if err := s.d.Store.Idempotency().Release(ctx, clientID, key); err != nil {
					return nil, err
				}
				continue
			}
			return nil, domain.Errorf(domain.ECodeConflict, "A request with this Idempotency-Key is still being processed; retry in a moment.")
		}
		body, err := s.d.Crypt.Open(rec.Body, idemAAD(clientID, key))
		if err != nil {
			return nil, err
		}
		return &Response{Status: rec.Status, Body: body}, nil
	}
	return nil, domain.Errorf(domain.ECodeConflict, "A request with this Idempotency-Key is still being processed; retry in a moment.")
}

type idemCtxKey struct{}

type idemClaim struct{ clientID, key string }

// WithKey marks ctx as handling the request that holds the reservation of
// key (after Begin returned nil), so that a use case that creates an entity
// records it on the reservation in its own transaction (attachIdempotent)
// and a retry finds it (idempotentEntity).
func WithKey(ctx context.Context, clientID, key string) context.Context {
	return context.WithValue(ctx, idemCtxKey{}, idemClaim{clientID: clientID, key: key})
}

// idempotentEntity returns the id of the entity of type entityType that an
// earlier attempt of this request created ("" when there is none), read in
// the transaction that would otherwise create it.
func idempotentEntity(ctx context.Context, tx store.Tx, entityType string) (string, error) {
	c, ok := ctx.Value(idemCtxKey{}).(idemClaim)
	if !ok {
		return "", nil
	}
	rec, err := tx.Idempotency().Get(ctx, c.clientID, c.key)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if rec.EntityType == entityType {
		return rec.EntityID, nil
	}
	return "", nil
}

// attachIdempotent records, in the transaction of the business write, the
// entity this request created on its Idempotency-Key reservation. The
// reservation and the write thus commit together: a crash after the commit
// leaves a reservation that names the entity, and a second attempt that
// raced past the reservation cannot commit another entity (its attach
// finds the entity already recorded and its transaction rolls back).
func attachIdempotent(ctx context.Context, tx store.Tx, entityType, entityID string) error {
	c, ok := ctx.Value(idemCtxKey{}).(idemClaim)
	if !ok {
		return nil
	}
	err := tx.Idempotency().Attach(ctx, c.clientID, c.key, entityType, entityID)
	if errors.Is(err, store.ErrConflict) {
		return domain.Errorf(domain.ECodeConflict, "A request with this Idempotency-Key is still being processed; retry in a moment.")
	}
	return err
}

// Finish stores the response of the request that holds the reservation.
func (s *Idempotency) Finish(ctx context.Context, clientID, key string, resp Response) error {
	sealed, err := s.d.Crypt.Seal(resp.Body, idemAAD(clientID, key))
	if err != nil {
		return err
	}
	return s.d.Store.Idempotency().Complete(ctx, clientID, key, resp.Status, sealed)
}

// Abandon releases the reservation of a request that failed, so that the
// client may retry it with the same key. A reservation whose business write
// committed is kept: the retry answers with that entity.
func (s *Idempotency) Abandon(ctx context.Context, clientID, key string) error {
	return s.d.Store.Idempotency().Release(ctx, clientID, key)
}

// Purge deletes expired keys (run by a periodic job).
func (s *Idempotency) Purge(ctx context.Context) (int64, error) {
	return s.d.Store.Idempotency().DeleteBefore(ctx, s.d.now().Add(-IdempotencyTTL))
}

// Entity types recorded on an Idempotency-Key reservation.
const idemEntityCustomer = "customer"
