package api

import (
	"bytes"
	"context"
	"errors"
	"hash/fnv"
	"io"
	"mime"
	"net/http"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/httpx"
)

// idempotent honours the Idempotency-Key header on POST: a repeat of the
// same request by the same client gets the first response again; the same
// key with a different request is refused.
func (s *server) idempotent(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Idempotency-Key")
		if r.Method != http.MethodPost || key == "" {
			next.ServeHTTP(w, r)
			return
		}
		actor := actorFrom(r.Context())
		limit := s.MaxBodyBytes
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
			// A document upload: its own limit (the file plus the form).
			limit = s.App.Documents.MaxBytes() + uploadOverhead
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
		if err != nil {
			httpx.WriteProblem(w, r, s.Logger, domain.Errorf(domain.ECodeTooLarge, "The request body is too large."))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		hash := app.RequestHash(r.Method, r.URL.Path, body)
		h := fnv.New32a()
		_, _ = io.WriteString(h, actor.String()+"\x00"+key)
		mu := &s.idemLocks[h.Sum32()%uint32(len(s.idemLocks))]
		mu.Lock()
		defer mu.Unlock()
		pending := actor.String() + "\x00" + key
		if _, ok := s.unreleased.Load(pending); ok {
			// An earlier attempt failed while the database was down, and so
			// did releasing its reservation: release it now.
			if err := s.App.Idem.Abandon(r.Context(), actor.String(), key); err != nil {
				httpx.WriteProblem(w, r, s.Logger, err)
				return
			}
			s.unreleased.Delete(pending)
		}
		prev, err := s.App.Idem.Begin(r.Context(), actor.String(), key, hash)
		if h := testHookAfterBegin; h != nil && err == nil && prev == nil {
			err = h(r)
		}
		if err != nil {
			if _, answered := errors.AsType[*domain.Error](err); !answered {
				// The database failed under the reservation's write, which
				// may have committed all the same (the connection went away
				// before its answer came back). Nothing else holds it: release
				// it at the retry, as a failed release above, rather than
				// leave the retry refused until the reservation goes stale.
				s.unreleased.Store(pending, struct{}{})
			}
			httpx.WriteProblem(w, r, s.Logger, err)
			return
		}
		if prev != nil {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Idempotent-Replayed", "true")
			w.WriteHeader(prev.Status)
			_, _ = w.Write(prev.Body)
			return
		}
		rec := &captureWriter{ResponseWriter: w}
		ctx := context.WithoutCancel(r.Context())
		completed, crashed := false, false
		defer func() {
			// A failed (or panicking) request releases the key so that the
			// client can retry it (a reservation whose business write
			// committed stays: the retry answers with that entity).
			if !completed && !crashed {
				if err := s.App.Idem.Abandon(ctx, actor.String(), key); err != nil {
					// The database is likely down: release it at the retry.
					s.unreleased.Store(pending, struct{}{})
					s.Logger.Warn("releasing an idempotency key failed", "request_id", httpx.RequestID(r.Context()), "err", err)
				}
			}
		}()
		if h := testHookBeforeHandler; h != nil {
			h(r)
		}
		next.ServeHTTP(rec, r.WithContext(app.WithKey(r.Context(), actor.String(), key)))
		if h := testHookAfterHandler; h != nil {
			switch h(r) {
			case hookCrash:
				crashed = true // the process "dies" here: nothing more runs
				return
			case hookFailStore:
				s.Logger.Warn("saving idempotent response failed", "request_id", httpx.RequestID(r.Context()), "err", "test hook")
				return
			}
		}
		if rec.status >= 200 && rec.status < 300 {
			if err := s.App.Idem.Finish(ctx, actor.String(), key, app.Response{Status: rec.status, Body: rec.buf.Bytes()}); err != nil {
				s.Logger.Warn("saving idempotent response failed", "request_id", httpx.RequestID(r.Context()), "err", err)
				return
			}
			completed = true
		}
	})
}

// testHookAfterHandler, set by tests only, runs after the handler of a
// request holding an Idempotency-Key reservation and before its response
// is stored, to simulate a crash (hookCrash: neither stored nor released,
// as after kill -9) or a failure to store it (hookFailStore: released).
var testHookAfterHandler func(r *http.Request) hookAction

// testHookAfterBegin, set by tests only, runs when a request has reserved
// its Idempotency-Key; the error it returns stands for a reservation whose
// write committed but whose answer was lost.
var testHookAfterBegin func(r *http.Request) error

// testHookBeforeHandler, set by tests only, runs once a request holds its
// Idempotency-Key reservation, before its handler (to cut the database).
var testHookBeforeHandler func(r *http.Request)

type hookAction int

const (
	hookNone hookAction = iota
	hookCrash
	hookFailStore
)

type captureWriter struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (c *captureWriter) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *captureWriter) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	c.buf.Write(b)
	return c.ResponseWriter.Write(b)
}
