-- Access links and applicant sessions (hashes only, never the tokens).

-- name: CreateAccessLink :exec
INSERT INTO access_links (id, token_hash, customer_id, tenant, created_by, created_at, expires_at, used_at)
VALUES (
    sqlc.arg(id), sqlc.arg(token_hash), sqlc.arg(customer_id), sqlc.arg(tenant), sqlc.arg(created_by),
    sqlc.arg(created_at), sqlc.arg(expires_at), sqlc.narg(used_at)
);

-- name: GetAccessLinkByHash :one
SELECT * FROM access_links WHERE token_hash = sqlc.arg(token_hash);

-- name: UseAccessLink :execrows
UPDATE access_links SET used_at = sqlc.arg(used_at)
WHERE token_hash = sqlc.arg(token_hash) AND used_at IS NULL AND expires_at > sqlc.arg(used_at);

-- name: CreateApplicantSession :exec
INSERT INTO applicant_sessions (token_hash, customer_id, link_id, created_at, last_seen_at, expires_at)
VALUES (
    sqlc.arg(token_hash), sqlc.arg(customer_id), sqlc.arg(link_id), sqlc.arg(created_at),
    sqlc.arg(last_seen_at), sqlc.arg(expires_at)
);

-- name: GetApplicantSession :one
SELECT * FROM applicant_sessions WHERE token_hash = sqlc.arg(token_hash);

-- name: TouchApplicantSession :execrows
UPDATE applicant_sessions SET last_seen_at = sqlc.arg(last_seen_at) WHERE token_hash = sqlc.arg(token_hash);

-- name: DeleteApplicantSession :exec
DELETE FROM applicant_sessions WHERE token_hash = sqlc.arg(token_hash);

-- name: DeleteApplicantSessionsBefore :execrows
DELETE FROM applicant_sessions WHERE expires_at < sqlc.arg(before);
