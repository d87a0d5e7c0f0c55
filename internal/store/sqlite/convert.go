package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/kyc-platform/kyc/internal/store"
)

// tsIn converts a time to the stored form: unix microseconds.
func tsIn(t time.Time) int64 { return t.UnixMicro() }

// tsOut converts a stored timestamp back to a UTC time.
func tsOut(us int64) time.Time { return time.UnixMicro(us).UTC() }

// ntsIn converts an optional time to a nullable column value.
func ntsIn(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMicro(), Valid: true}
}

// ntsOut converts a nullable column value to an optional time.
func ntsOut(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := tsOut(n.Int64)
	return &t
}

// mapErr maps "no rows" to store.ErrNotFound and unique or primary-key
// violations to store.ErrConflict; other errors pass through.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %v", store.ErrConflict, err)
		}
	}
	return err
}
