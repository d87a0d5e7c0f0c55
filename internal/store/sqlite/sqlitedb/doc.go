// Package sqlitedb is the query code sqlc generates for SQLite from
// internal/store/queries (make generate); the sqlite package wraps it.
package sqlitedb
