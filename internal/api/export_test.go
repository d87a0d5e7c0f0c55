package api

import (
	"net/http"
	"sync"
)

// crashKeys are the Idempotency-Keys whose requests the hook below makes
// "crash" (false) or fail to store their response (true).
var crashKeys sync.Map

// beforeKeys are the Idempotency-Keys with a function to run before their
// handler.
var beforeKeys sync.Map

// afterBeginKeys are the Idempotency-Keys whose reservation "loses its
// answer": the error to return once it is made.
var afterBeginKeys sync.Map

func init() {
	testHookAfterBegin = func(r *http.Request) error {
		if err, ok := afterBeginKeys.Load(r.Header.Get("Idempotency-Key")); ok {
			return err.(error)
		}
		return nil
	}
	testHookBeforeHandler = func(r *http.Request) {
		if fn, ok := beforeKeys.Load(r.Header.Get("Idempotency-Key")); ok {
			fn.(func())()
		}
	}
	testHookAfterHandler = func(r *http.Request) hookAction {
		v, ok := crashKeys.Load(r.Header.Get("Idempotency-Key"))
		if !ok {
			return hookNone
		}
		if v.(bool) {
			return hookFailStore
		}
		return hookCrash
	}
}

// SetIdempotencyCrashHook makes every request whose Idempotency-Key is key
// "crash" after its handler and before its response is stored (as after
// kill -9: nothing stored, nothing released), or, with failStore, fail to
// store it (the reservation is released as for a failed request). It
// returns the function that removes the hook.
func SetIdempotencyCrashHook(key string, failStore bool) func() {
	crashKeys.Store(key, failStore)
	return func() { crashKeys.Delete(key) }
}

// SetBeforeHandlerHook runs fn when a request with the Idempotency-Key key
// holds its reservation, just before its handler runs. It returns the
// function that removes the hook.
func SetBeforeHandlerHook(key string, fn func()) func() {
	beforeKeys.Store(key, fn)
	return func() { beforeKeys.Delete(key) }
}

// SetLostReservationHook makes every request whose Idempotency-Key is key
// fail with err once its reservation is written (committed), as when the
// connection to the database goes away before the answer to that write
// comes back. It returns the function that removes the hook.
func SetLostReservationHook(key string, err error) func() {
	afterBeginKeys.Store(key, err)
	return func() { afterBeginKeys.Delete(key) }
}
