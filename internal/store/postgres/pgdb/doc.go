// Package pgdb is the query code sqlc generates for PostgreSQL from
// internal/store/queries (make generate); the postgres package wraps it.
package pgdb
