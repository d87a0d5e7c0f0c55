-- SQLite variants of the row-locking reads: a SQLite write transaction
-- (BEGIN IMMEDIATE) already holds the database write lock.

-- name: GetCustomerForUpdate :one
SELECT * FROM customers WHERE id = sqlc.arg(id);

-- name: GetCaseForUpdate :one
SELECT * FROM cases WHERE id = sqlc.arg(id);

-- name: ListApprovedWithoutDocumentExpiries :many
SELECT * FROM customers
WHERE status = 'approved' AND id > sqlc.arg(after) AND purged_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM document_expiries d WHERE d.customer_id = customers.id)
ORDER BY id
LIMIT CAST(sqlc.arg(lim) AS BIGINT);
