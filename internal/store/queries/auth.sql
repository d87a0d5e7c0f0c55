-- API clients, signing keys and idempotency records.

-- name: CreateClient :exec
INSERT INTO api_clients (id, tenant, name, secret_hash, scopes, disabled, created_at)
VALUES (sqlc.arg(id), sqlc.arg(tenant), sqlc.arg(name), sqlc.arg(secret_hash), sqlc.arg(scopes), sqlc.arg(disabled), sqlc.arg(created_at));

-- name: GetClient :one
SELECT * FROM api_clients WHERE id = sqlc.arg(id) AND deleted_at IS NULL;

-- name: ListClients :many
SELECT * FROM api_clients WHERE deleted_at IS NULL ORDER BY created_at, id;

-- name: SetClientDisabled :execrows
UPDATE api_clients SET disabled = sqlc.arg(disabled) WHERE id = sqlc.arg(id) AND deleted_at IS NULL;

-- name: RotateClientSecret :execrows
UPDATE api_clients SET secret_hash = sqlc.arg(secret_hash), secret_rotated_at = sqlc.arg(rotated_at)
WHERE id = sqlc.arg(id) AND deleted_at IS NULL;

-- name: DeleteClient :execrows
UPDATE api_clients SET deleted_at = sqlc.arg(deleted_at), disabled = TRUE, secret_hash = sqlc.arg(secret_hash)
WHERE id = sqlc.arg(id) AND deleted_at IS NULL;

-- name: TouchClient :exec
UPDATE api_clients SET last_used_at = sqlc.arg(used_at)
WHERE id = sqlc.arg(id) AND deleted_at IS NULL AND (last_used_at IS NULL OR last_used_at < sqlc.arg(stale_before));

-- name: CreateKey :exec
INSERT INTO signing_keys (kid, alg, private_key, public_jwk, created_at, retired_at)
VALUES (sqlc.arg(kid), sqlc.arg(alg), sqlc.arg(private_key), sqlc.arg(public_jwk), sqlc.arg(created_at), sqlc.arg(retired_at));

-- name: ListKeys :many
SELECT * FROM signing_keys ORDER BY created_at, kid;

-- name: RetireKey :execrows
UPDATE signing_keys SET retired_at = sqlc.arg(retired_at) WHERE kid = sqlc.arg(kid);

-- name: DeleteKey :execrows
DELETE FROM signing_keys WHERE kid = sqlc.arg(kid);

-- name: GetIdempotency :one
SELECT * FROM idempotency_keys WHERE client_id = sqlc.arg(client_id) AND idem_key = sqlc.arg(idem_key);

-- name: PutIdempotency :exec
INSERT INTO idempotency_keys (client_id, idem_key, request_hash, status, body, created_at)
VALUES (sqlc.arg(client_id), sqlc.arg(idem_key), sqlc.arg(request_hash), sqlc.arg(status), sqlc.arg(body), sqlc.arg(created_at));

-- name: CompleteIdempotency :execrows
UPDATE idempotency_keys SET status = sqlc.arg(status), body = sqlc.arg(body)
WHERE client_id = sqlc.arg(client_id) AND idem_key = sqlc.arg(idem_key) AND status = 0;

-- name: ReleaseIdempotency :execrows
DELETE FROM idempotency_keys WHERE client_id = sqlc.arg(client_id) AND idem_key = sqlc.arg(idem_key) AND status = 0 AND entity_id = '';

-- name: AttachIdempotencyEntity :execrows
UPDATE idempotency_keys SET entity_type = sqlc.arg(entity_type), entity_id = sqlc.arg(entity_id)
WHERE client_id = sqlc.arg(client_id) AND idem_key = sqlc.arg(idem_key) AND status = 0 AND entity_id = '';

-- name: DeleteIdempotencyBefore :execrows
DELETE FROM idempotency_keys WHERE created_at < sqlc.arg(before);
