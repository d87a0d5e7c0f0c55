-- Audit trail. audit_head has exactly one row; updating it takes a row lock
-- on PostgreSQL that serialises appenders until commit.

-- name: LockAuditHead :one
UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash;

-- name: GetAuditHead :one
SELECT seq, hash FROM audit_head WHERE id = 1;

-- name: MoveAuditHead :execrows
UPDATE audit_head SET seq = sqlc.arg(seq), hash = sqlc.arg(hash)
WHERE id = 1 AND seq = sqlc.arg(prev_seq);

-- name: InsertAuditEvent :exec
INSERT INTO audit_events (
    seq, id, occurred_at, tenant, actor, action, entity_type, entity_id, digest, meta, prev_hash, hash
) VALUES (
    sqlc.arg(seq), sqlc.arg(id), sqlc.arg(occurred_at), sqlc.arg(tenant), sqlc.arg(actor), sqlc.arg(action),
    sqlc.arg(entity_type), sqlc.arg(entity_id), sqlc.arg(digest), sqlc.arg(meta),
    sqlc.arg(prev_hash), sqlc.arg(hash)
);

-- name: ListAuditEvents :many
SELECT * FROM audit_events
WHERE seq > sqlc.arg(after_seq)
  AND (CAST(sqlc.arg(entity_type) AS TEXT) = '' OR entity_type = sqlc.arg(entity_type))
  AND (CAST(sqlc.arg(entity_id) AS TEXT) = '' OR entity_id = sqlc.arg(entity_id))
  AND (CAST(sqlc.arg(tenant) AS TEXT) = '' OR tenant = sqlc.arg(tenant))
ORDER BY seq
LIMIT CAST(sqlc.arg(lim) AS BIGINT);
