-- PostgreSQL variants of the row-locking reads.

-- name: GetCustomerForUpdate :one
SELECT * FROM customers WHERE id = sqlc.arg(id) FOR UPDATE;

-- name: GetCaseForUpdate :one
SELECT * FROM cases WHERE id = sqlc.arg(id) FOR UPDATE;

-- Locked: a change of circumstances committing meanwhile cannot leave the
-- backfill writing the expiry of a document that was just replaced.
-- name: ListApprovedWithoutDocumentExpiries :many
SELECT * FROM customers
WHERE status = 'approved' AND id > sqlc.arg(after) AND purged_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM document_expiries d WHERE d.customer_id = customers.id)
ORDER BY id
LIMIT CAST(sqlc.arg(lim) AS BIGINT)
FOR UPDATE;
