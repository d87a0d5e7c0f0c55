package api_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/kyc-platform/kyc/internal/api"
)

// A crash after the business write of an idempotent POST and before its
// response is stored must not let the retry create a second customer
// (issue 12, item 4; the Idempotency-Key draft,
// draft-ietf-httpapi-idempotency-key-header, section 2.6: a repeat of a
// request must not repeat its effect). The reservation records the
// customer in the transaction that creates it, so the retry answers with
// that customer, at once, on any replica.
func TestIdempotencyKeyCrashAfterCommit(t *testing.T) {
	// Not parallel: the crash hook is the package's.
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("customers:read customers:write")
		send := func(key string) *response {
			return e.do(req{Method: http.MethodPost, Path: "/api/v1/customers", Token: tok, Body: individual(), Header: map[string]string{"Idempotency-Key": key}})
		}
		count := func() int {
			var page struct{ Data []customer }
			want(t, e.get("/api/v1/customers", tok), http.StatusOK, &page)
			return len(page.Data)
		}
		for _, tc := range []struct {
			name      string
			failStore bool
		}{
			// kill -9 between the commit and the stored response: the
			// reservation is neither completed nor released.
			{"crash", false},
			// Storing the response fails: the failed request's release
			// must keep a reservation whose write committed.
			{"store fails", true},
		} {
			key := "crash-" + e.Engine + "-" + tc.name
			before := count()
			remove := api.SetIdempotencyCrashHook(key, tc.failStore)
			var first customer
			want(t, send(key), http.StatusCreated, &first)
			remove()
			var retry customer
			res := send(key)
			want(t, res, http.StatusCreated, &retry)
			if retry.ID != first.ID {
				t.Fatalf("%s: the retry created customer %s, the first attempt %s", tc.name, retry.ID, first.ID)
			}
			if n := count(); n != before+1 {
				t.Fatalf("%s: %d customers after the retry, want %d", tc.name, n, before+1)
			}
			// The retry stored its response: the next repeat is a replay.
			again := send(key)
			want(t, again, http.StatusCreated, nil)
			if again.Header.Get("Idempotent-Replayed") != "true" || string(again.Body) != string(res.Body) {
				t.Fatalf("%s: the third attempt is not a replay of the second: %s", tc.name, again)
			}
		}
	})
}

// A reservation whose write committed while its answer was lost (the
// database connection reset under it) is held by nobody: the request
// failed before its handler ran. The client's retry with the same key must
// be served, not refused as "still being processed" until the reservation
// goes stale two minutes later (TestPostgresOutage in internal/reliability
// found one such create not acknowledged within two minutes). The
// Idempotency-Key draft (draft-ietf-httpapi-idempotency-key-header, section
// 2.6) lets a server refuse a repeat only while the first request is in
// flight.
func TestIdempotencyKeyLostReservation(t *testing.T) {
	// Not parallel: the hook is the package's.
	engines(t, func(t *testing.T, e *env) {
		_, tok := e.client("customers:read customers:write")
		key := "lost-" + e.Engine
		send := func() *response {
			return e.do(req{Method: http.MethodPost, Path: "/api/v1/customers", Token: tok, Body: individual(), Header: map[string]string{"Idempotency-Key": key}})
		}
		remove := api.SetLostReservationHook(key, errors.New("failed to receive message: connection reset by peer"))
		if res := send(); res.Status < 500 {
			t.Fatalf("the request whose reservation lost its answer: %s", res)
		}
		remove()
		var c customer
		want(t, send(), http.StatusCreated, &c)
		again := send()
		want(t, again, http.StatusCreated, nil)
		if again.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("the repeat after the retry is not a replay: %s", again)
		}
	})
}
