// Package storetest is the conformance suite of the storage ports: every
// implementation of store.Store must pass Run, on a real database. The
// sqlite and postgres packages call it from their tests:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { return testdb.Open(t, "sqlite") })
//	}
//
// open must return a fresh, migrated store (River tables included) that is
// isolated from every other call and cleaned up with t.
package storetest

import (
	"bytes"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
)

// Open returns a fresh, migrated and isolated store for one test.
type Open func(t *testing.T) store.Store

// Run runs the whole conformance suite, each test on a store of its own.
func Run(t *testing.T, open Open) {
	t.Helper()
	groups := []struct {
		name  string
		tests map[string]func(*testing.T, store.Store)
	}{
		{"Store", storeTests},
		{"Customers", customerTests},
		{"Checks", checkTests},
		{"Cases", caseTests},
		{"Hits", hitTests},
		{"Audit", auditTests},
		{"Clients", clientTests},
		{"Keys", keyTests},
		{"KeyCheck", keyCheckTests},
		{"Idempotency", idempotencyTests},
		{"IdempotencyEntity", idempotencyEntityTests},
		{"RateLimits", rateLimitTests},
		{"Lists", listTests},
		{"Documents", documentTests},
		{"AccessLinks", accessLinkTests},
		{"Staff", staffTests},
		{"StaffIdentities", staffIdentityTests},
		{"Tenants", tenantTests},
		{"Screenings", screeningTests},
		{"Webhooks", webhookTests},
		{"Erasure", erasureTests},
		{"Reviews", reviewTests},
		{"Rescreens", rescreenTests},
		{"Transactions", transactionTests},
		{"River", riverTests},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			for name, test := range g.tests {
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					test(t, open(t))
				})
			}
		})
	}
}

// base is a timestamp with nanoseconds in a non-UTC zone: stores keep
// microseconds and return UTC.
var base = time.Date(2026, 3, 14, 15, 9, 26, 535897932, time.FixedZone("CET", 3600))

// at returns base plus d minutes.
func at(d int) time.Time { return base.Add(time.Duration(d) * time.Minute) }

// stored is what a store returns for t.
func stored(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func ptr[T any](v T) *T { return &v }

// equal compares two records field by field: times with Equal (after the
// store's microsecond truncation of want), byte slices with bytes.Equal
// (nil equals empty).
func equal(t *testing.T, got, want any) {
	t.Helper()
	if path, ok := deepEqual(reflect.ValueOf(got), reflect.ValueOf(want), ""); !ok {
		t.Fatalf("mismatch at %s:\n got: %+v\nwant: %+v", path, got, want)
	}
}

var timeType = reflect.TypeOf(time.Time{})

func deepEqual(g, w reflect.Value, path string) (string, bool) {
	if g.Type() != w.Type() {
		return path + " (type)", false
	}
	switch {
	case g.Type() == timeType:
		gt, wt := g.Interface().(time.Time), w.Interface().(time.Time)
		if !gt.Equal(stored(wt)) || gt.Location() != time.UTC {
			return path + " = " + gt.String() + ", want " + stored(wt).String(), false
		}
		return "", true
	case g.Kind() == reflect.Pointer:
		if g.IsNil() || w.IsNil() {
			return path + " (nil)", g.IsNil() == w.IsNil()
		}
		return deepEqual(g.Elem(), w.Elem(), path)
	case g.Kind() == reflect.Slice && g.Type().Elem().Kind() == reflect.Uint8:
		return path, bytes.Equal(g.Bytes(), w.Bytes())
	case g.Kind() == reflect.Slice:
		if g.Len() != w.Len() {
			return path + " (len)", false
		}
		for i := range g.Len() {
			if p, ok := deepEqual(g.Index(i), w.Index(i), path+"["+itoa(i)+"]"); !ok {
				return p, false
			}
		}
		return "", true
	case g.Kind() == reflect.Struct:
		for i := range g.NumField() {
			if p, ok := deepEqual(g.Field(i), w.Field(i), path+"."+g.Type().Field(i).Name); !ok {
				return p, false
			}
		}
		return "", true
	default:
		return path, reflect.DeepEqual(g.Interface(), w.Interface())
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
