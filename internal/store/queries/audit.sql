-- Audit trail. A change appends its event to audit_journal in its own
-- transaction, without any lock; one sealer at a time moves journaled
-- events into audit_events (the hash chain) and moves audit_head, the one
-- row naming the end of the chain. Engine-specific parts (the sealer's
-- lock, the batch statements) are in queries/{sqlite,postgres}/audit_seal.sql.

-- name: GetAuditHead :one
SELECT seq, hash, legacy_seq, legacy_hash, legacy_mac, key_id FROM audit_head WHERE id = 1;

-- name: MoveAuditHead :execrows
UPDATE audit_head SET seq = sqlc.arg(seq), hash = sqlc.arg(hash)
WHERE id = 1 AND seq = sqlc.arg(prev_seq) AND hash = sqlc.arg(prev_hash);

-- name: SetAuditKey :execrows
UPDATE audit_head SET legacy_mac = sqlc.arg(legacy_mac), key_id = sqlc.arg(key_id)
WHERE id = 1 AND legacy_mac = '' AND key_id = '';

-- name: InsertAuditJournal :exec
INSERT INTO audit_journal (
    id, occurred_at, tenant, actor, action, entity_type, entity_id, digest, meta
) VALUES (
    sqlc.arg(id), sqlc.arg(occurred_at), sqlc.arg(tenant), sqlc.arg(actor), sqlc.arg(action),
    sqlc.arg(entity_type), sqlc.arg(entity_id), sqlc.arg(digest), sqlc.arg(meta)
);

-- name: ListAuditJournal :many
SELECT * FROM audit_journal ORDER BY pos LIMIT CAST(sqlc.arg(lim) AS BIGINT);

-- name: CountAuditJournal :one
SELECT COUNT(*) FROM audit_journal
WHERE CAST(sqlc.arg(tenant) AS TEXT) = '' OR tenant = sqlc.arg(tenant);

-- name: OldestAuditJournal :one
SELECT occurred_at FROM audit_journal
WHERE CAST(sqlc.arg(tenant) AS TEXT) = '' OR tenant = sqlc.arg(tenant)
ORDER BY occurred_at LIMIT 1;

-- name: InsertAuditEvent :exec
INSERT INTO audit_events (
    seq, id, occurred_at, tenant, actor, action, entity_type, entity_id, digest, meta, prev_hash, hash, sealed_at
) VALUES (
    sqlc.arg(seq), sqlc.arg(id), sqlc.arg(occurred_at), sqlc.arg(tenant), sqlc.arg(actor), sqlc.arg(action),
    sqlc.arg(entity_type), sqlc.arg(entity_id), sqlc.arg(digest), sqlc.arg(meta),
    sqlc.arg(prev_hash), sqlc.arg(hash), sqlc.arg(sealed_at)
);

-- name: ListAuditEvents :many
SELECT * FROM audit_events
WHERE seq > sqlc.arg(after_seq)
  AND (CAST(sqlc.arg(up_to_seq) AS BIGINT) = 0 OR seq <= sqlc.arg(up_to_seq))
  AND (CAST(sqlc.arg(entity_type) AS TEXT) = '' OR entity_type = sqlc.arg(entity_type))
  AND (CAST(sqlc.arg(entity_id) AS TEXT) = '' OR entity_id = sqlc.arg(entity_id))
  AND (CAST(sqlc.arg(tenant) AS TEXT) = '' OR tenant = sqlc.arg(tenant))
ORDER BY seq
LIMIT CAST(sqlc.arg(lim) AS BIGINT);
