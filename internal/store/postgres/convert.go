package postgres

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/kyc-platform/kyc/internal/store"
)

// tsIn converts a time to the stored form: UTC, microsecond precision.
func tsIn(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// tsOut returns a stored timestamp in UTC.
func tsOut(t time.Time) time.Time { return t.UTC() }

// ntsIn converts an optional time to a nullable column value.
func ntsIn(t *time.Time) sql.NullTime {
	if t == nil {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: tsIn(*t), Valid: true}
}

// ntsOut converts a nullable column value to an optional time.
func ntsOut(n sql.NullTime) *time.Time {
	if !n.Valid {
		return nil
	}
	t := tsOut(n.Time)
	return &t
}

// uniqueViolation is SQLSTATE 23505.
const uniqueViolation = "23505"

// mapErr maps "no rows" to store.ErrNotFound and unique violations to
// store.ErrConflict; other errors pass through.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == uniqueViolation {
		return fmt.Errorf("%w: %v", store.ErrConflict, err)
	}
	return err
}
