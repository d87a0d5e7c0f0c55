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

// Finish stores the response of the request that holds the reservation.
func (s *Idempotency) Finish(ctx context.Context, clientID, key string, resp Response) error {
	sealed, err := s.d.Crypt.Seal(resp.Body, idemAAD(clientID, key))
	if err != nil {
		return err
	}
	return s.d.Store.Idempotency().Complete(ctx, clientID, key, resp.Status, sealed)
}

// Abandon releases the reservation of a request that failed, so that the
// client may retry it with the same key.
func (s *Idempotency) Abandon(ctx context.Context, clientID, key string) error {
	return s.d.Store.Idempotency().Release(ctx, clientID, key)
}

// Purge deletes expired keys (run by a periodic job).
func (s *Idempotency) Purge(ctx context.Context) (int64, error) {
	return s.d.Store.Idempotency().DeleteBefore(ctx, s.d.now().Add(-IdempotencyTTL))
}
