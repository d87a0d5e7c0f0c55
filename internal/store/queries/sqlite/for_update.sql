-- SQLite variants of the row-locking reads: a SQLite write transaction
-- (BEGIN IMMEDIATE) already holds the database write lock.

-- name: GetCustomerForUpdate :one
SELECT * FROM customers WHERE id = sqlc.arg(id);

-- name: GetCaseForUpdate :one
SELECT * FROM cases WHERE id = sqlc.arg(id);
