package api

import (
	"bytes"
	"context"
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
		prev, err := s.App.Idem.Begin(r.Context(), actor.String(), key, hash)
		if err != nil {
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
		completed := false
		defer func() {
			// A failed (or panicking) request releases the key so that the
			// client can retry it.
			if !completed {
				if err := s.App.Idem.Abandon(ctx, actor.String(), key); err != nil {
					s.Logger.Warn("releasing an idempotency key failed", "request_id", httpx.RequestID(r.Context()), "err", err)
				}
			}
		}()
		next.ServeHTTP(rec, r)
		if rec.status >= 200 && rec.status < 300 {
			if err := s.App.Idem.Finish(ctx, actor.String(), key, app.Response{Status: rec.status, Body: rec.buf.Bytes()}); err != nil {
				s.Logger.Warn("saving idempotent response failed", "request_id", httpx.RequestID(r.Context()), "err", err)
				return
			}
			completed = true
		}
	})
}

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
