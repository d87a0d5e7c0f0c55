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

// Lookup returns the stored response for (client, key) when there is one.
// It fails with a conflict when the key was used for a different request.
func (s *Idempotency) Lookup(ctx context.Context, clientID, key, reqHash string) (*Response, error) {
	if len(key) == 0 || len(key) > 255 {
		return nil, &domain.Error{Code: domain.ECodeInvalid, Message: "The Idempotency-Key header must be 1 to 255 characters.", Fields: []domain.FieldError{{Location: "header.Idempotency-Key", Message: "Use 1 to 255 characters."}}}
	}
	rec, err := s.d.Store.Idempotency().Get(ctx, clientID, key)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if s.d.now().Sub(rec.CreatedAt) > IdempotencyTTL {
		return nil, nil
	}
	if rec.RequestHash != reqHash {
		return nil, domain.Errorf(domain.ECodeInvalid, "This Idempotency-Key was already used for a different request.")
	}
	body, err := s.d.Crypt.Open(rec.Body, idemAAD(clientID, key))
	if err != nil {
		return nil, err
	}
	return &Response{Status: rec.Status, Body: body}, nil
}

// Save stores the response of a successful request under its key. A key
// stored concurrently by a twin request is left as it is.
func (s *Idempotency) Save(ctx context.Context, clientID, key, reqHash string, resp Response) error {
	sealed, err := s.d.Crypt.Seal(resp.Body, idemAAD(clientID, key))
	if err != nil {
		return err
	}
	err = s.d.Store.Idempotency().Put(ctx, store.IdempotencyRecord{
		ClientID: clientID, Key: key, RequestHash: reqHash, Status: resp.Status, Body: sealed, CreatedAt: s.d.now(),
	})
	if errors.Is(err, store.ErrConflict) {
		return nil
	}
	return err
}

// Purge deletes expired keys (run by a periodic job).
func (s *Idempotency) Purge(ctx context.Context) (int64, error) {
	return s.d.Store.Idempotency().DeleteBefore(ctx, s.d.now().Add(-IdempotencyTTL))
}
