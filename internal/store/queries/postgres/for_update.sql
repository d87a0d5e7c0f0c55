-- PostgreSQL variants of the row-locking reads.

-- name: GetCustomerForUpdate :one
SELECT * FROM customers WHERE id = sqlc.arg(id) FOR UPDATE;

-- name: GetCaseForUpdate :one
SELECT * FROM cases WHERE id = sqlc.arg(id) FOR UPDATE;
