-- Webhooks: endpoints, the outbox of events, deliveries and their attempts.

-- name: CreateWebhookEndpoint :exec
INSERT INTO webhook_endpoints (id, tenant, url, description, event_types, secret, previous_secret, previous_until,
    created_by, created_at, updated_at, deleted_at)
VALUES (
    sqlc.arg(id), sqlc.arg(tenant), sqlc.arg(url), sqlc.arg(description), sqlc.arg(event_types), sqlc.arg(secret),
    sqlc.narg(previous_secret), sqlc.narg(previous_until), sqlc.arg(created_by), sqlc.arg(created_at),
    sqlc.arg(updated_at), sqlc.narg(deleted_at)
);

-- name: GetWebhookEndpoint :one
SELECT * FROM webhook_endpoints WHERE id = sqlc.arg(id);

-- name: ListWebhookEndpoints :many
SELECT * FROM webhook_endpoints
WHERE deleted_at IS NULL AND (CAST(sqlc.arg(tenant) AS TEXT) = '' OR tenant = sqlc.arg(tenant))
ORDER BY id;

-- name: ListTenantWebhookEndpoints :many
-- One tenant's endpoints, as every audited change reads them: without the
-- "every tenant" alternative of ListWebhookEndpoints, PostgreSQL keeps one
-- generic plan for the prepared statement instead of planning each call.
SELECT * FROM webhook_endpoints
WHERE deleted_at IS NULL AND tenant = sqlc.arg(tenant)
ORDER BY id;

-- name: UpdateWebhookEndpointSecret :execrows
UPDATE webhook_endpoints
SET secret = sqlc.arg(secret), previous_secret = sqlc.narg(previous_secret),
    previous_until = sqlc.narg(previous_until), updated_at = sqlc.arg(updated_at)
WHERE id = sqlc.arg(id) AND deleted_at IS NULL;

-- name: DeleteWebhookEndpoint :execrows
UPDATE webhook_endpoints SET deleted_at = sqlc.arg(deleted_at), updated_at = sqlc.arg(deleted_at),
    previous_secret = NULL, previous_until = NULL
WHERE id = sqlc.arg(id) AND deleted_at IS NULL;

-- name: CreateWebhookEvent :exec
INSERT INTO webhook_events (id, tenant, type, payload, created_at)
VALUES (sqlc.arg(id), sqlc.arg(tenant), sqlc.arg(type), sqlc.arg(payload), sqlc.arg(created_at));

-- name: GetWebhookEvent :one
SELECT * FROM webhook_events WHERE id = sqlc.arg(id);

-- name: CreateWebhookDelivery :exec
INSERT INTO webhook_deliveries (id, tenant, event_id, endpoint_id, event_type, status, attempts, next_attempt_at,
    last_attempt_at, last_status_code, last_error, created_at, updated_at)
VALUES (
    sqlc.arg(id), sqlc.arg(tenant), sqlc.arg(event_id), sqlc.arg(endpoint_id), sqlc.arg(event_type), sqlc.arg(status),
    sqlc.arg(attempts), sqlc.narg(next_attempt_at), sqlc.narg(last_attempt_at), sqlc.arg(last_status_code),
    sqlc.arg(last_error), sqlc.arg(created_at), sqlc.arg(updated_at)
);

-- name: GetWebhookDelivery :one
SELECT * FROM webhook_deliveries WHERE id = sqlc.arg(id);

-- name: UpdateWebhookDelivery :execrows
UPDATE webhook_deliveries
SET status = sqlc.arg(status), attempts = sqlc.arg(attempts), next_attempt_at = sqlc.narg(next_attempt_at),
    last_attempt_at = sqlc.narg(last_attempt_at), last_status_code = sqlc.arg(last_status_code),
    last_error = sqlc.arg(last_error), updated_at = sqlc.arg(updated_at)
WHERE id = sqlc.arg(id) AND attempts = sqlc.arg(old_attempts) AND status = sqlc.arg(old_status);

-- name: ListWebhookDeliveries :many
SELECT * FROM webhook_deliveries
WHERE (CAST(sqlc.arg(endpoint_id) AS TEXT) = '' OR endpoint_id = sqlc.arg(endpoint_id))
  AND (CAST(sqlc.arg(tenant) AS TEXT) = '' OR tenant = sqlc.arg(tenant))
  AND (CAST(sqlc.arg(status) AS TEXT) = '' OR status = sqlc.arg(status))
  AND (CAST(sqlc.arg(before_id) AS TEXT) = '' OR id < sqlc.arg(before_id))
ORDER BY id DESC
LIMIT CAST(sqlc.arg(lim) AS BIGINT);

-- name: CountWebhookDeliveries :one
SELECT COUNT(*) FROM webhook_deliveries
WHERE (CAST(sqlc.arg(endpoint_id) AS TEXT) = '' OR endpoint_id = sqlc.arg(endpoint_id))
  AND (CAST(sqlc.arg(tenant) AS TEXT) = '' OR tenant = sqlc.arg(tenant))
  AND (CAST(sqlc.arg(status) AS TEXT) = '' OR status = sqlc.arg(status));

-- name: AddWebhookAttempt :exec
INSERT INTO webhook_attempts (delivery_id, attempt, started_at, status_code, duration_us, error, manual)
VALUES (sqlc.arg(delivery_id), sqlc.arg(attempt), sqlc.arg(started_at), sqlc.arg(status_code),
    sqlc.arg(duration_us), sqlc.arg(error), sqlc.arg(manual));

-- name: ListWebhookAttempts :many
SELECT * FROM webhook_attempts WHERE delivery_id = sqlc.arg(delivery_id) ORDER BY attempt;
