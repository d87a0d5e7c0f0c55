-- Customers. Shared by both engines: keep to SQL that SQLite and PostgreSQL
-- both accept (see sqlc.yaml).

-- name: CreateCustomer :exec
INSERT INTO customers (
    id, tenant, type, status, risk_rating, due_diligence, external_ref, client_id, data,
    email_index, document_index, name_index, version, created_at, updated_at,
    submitted_at, decided_at, next_review_at, closed_at, close_reason, retention_ends_at,
    restricted_at, purged_at
) VALUES (
    sqlc.arg(id), sqlc.arg(tenant), sqlc.arg(type), sqlc.arg(status), sqlc.arg(risk_rating), sqlc.arg(due_diligence),
    sqlc.arg(external_ref), sqlc.arg(client_id), sqlc.arg(data), sqlc.arg(email_index),
    sqlc.arg(document_index), sqlc.arg(name_index), sqlc.arg(version), sqlc.arg(created_at),
    sqlc.arg(updated_at), sqlc.arg(submitted_at), sqlc.arg(decided_at), sqlc.arg(next_review_at),
    sqlc.arg(closed_at), sqlc.arg(close_reason), sqlc.arg(retention_ends_at), sqlc.arg(restricted_at),
    sqlc.arg(purged_at)
);

-- name: GetCustomer :one
SELECT * FROM customers WHERE id = sqlc.arg(id);

-- name: UpdateCustomer :execrows
UPDATE customers SET
    type = sqlc.arg(type),
    status = sqlc.arg(status),
    risk_rating = sqlc.arg(risk_rating),
    due_diligence = sqlc.arg(due_diligence),
    external_ref = sqlc.arg(external_ref),
    client_id = sqlc.arg(client_id),
    data = sqlc.arg(data),
    email_index = sqlc.arg(email_index),
    document_index = sqlc.arg(document_index),
    name_index = sqlc.arg(name_index),
    version = sqlc.arg(version),
    updated_at = sqlc.arg(updated_at),
    submitted_at = sqlc.arg(submitted_at),
    decided_at = sqlc.arg(decided_at),
    next_review_at = sqlc.arg(next_review_at),
    closed_at = sqlc.arg(closed_at),
    close_reason = sqlc.arg(close_reason),
    retention_ends_at = sqlc.arg(retention_ends_at),
    restricted_at = sqlc.arg(restricted_at),
    purged_at = sqlc.arg(purged_at)
WHERE id = sqlc.arg(id) AND version = sqlc.arg(prev_version);

-- name: CustomerExists :one
SELECT COUNT(*) FROM customers WHERE id = sqlc.arg(id);

-- name: ListCustomers :many
SELECT * FROM customers
WHERE (CAST(sqlc.arg(status) AS TEXT) = '' OR status = sqlc.arg(status))
  AND (CAST(sqlc.arg(risk_rating) AS TEXT) = '' OR risk_rating = sqlc.arg(risk_rating))
  AND (CAST(sqlc.arg(type) AS TEXT) = '' OR type = sqlc.arg(type))
  AND (CAST(sqlc.arg(client_id) AS TEXT) = '' OR client_id = sqlc.arg(client_id))
  AND (CAST(sqlc.arg(tenant) AS TEXT) = '' OR tenant = sqlc.arg(tenant))
  AND (CAST(sqlc.arg(email_index) AS TEXT) = '' OR email_index = sqlc.arg(email_index))
  AND (CAST(sqlc.arg(name_index) AS TEXT) = '' OR name_index = sqlc.arg(name_index))
  AND (CAST(sqlc.arg(after) AS TEXT) = '' OR id < sqlc.arg(after))
  AND (CAST(sqlc.arg(hide_restricted) AS BIGINT) = 0 OR restricted_at IS NULL)
ORDER BY id DESC
LIMIT CAST(sqlc.arg(lim) AS BIGINT);

-- name: CountCustomersByStatus :many
SELECT status, COUNT(*) AS n FROM customers GROUP BY status ORDER BY status;
