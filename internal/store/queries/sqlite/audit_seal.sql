-- SQLite variants of the sealer's statements (queries/audit.sql).

-- name: LockAuditHeadForSeal :many
-- The sealer's write transaction (BEGIN IMMEDIATE) already excludes every
-- other writer, a second sealer included.
SELECT seq, hash, legacy_seq, legacy_hash, legacy_mac, key_id FROM audit_head WHERE id = 1;

-- name: InsertAuditEvents :execrows
-- A sealed batch in one statement: events is a JSON array of objects
-- named like the columns.
INSERT INTO audit_events (
    seq, id, occurred_at, tenant, actor, action, entity_type, entity_id, digest, meta, prev_hash, hash, sealed_at
)
SELECT json_extract(e.value, '$.seq'), json_extract(e.value, '$.id'), json_extract(e.value, '$.occurred_at'),
       json_extract(e.value, '$.tenant'), json_extract(e.value, '$.actor'), json_extract(e.value, '$.action'),
       json_extract(e.value, '$.entity_type'), json_extract(e.value, '$.entity_id'),
       json_extract(e.value, '$.digest'), json_extract(e.value, '$.meta'),
       json_extract(e.value, '$.prev_hash'), json_extract(e.value, '$.hash'), json_extract(e.value, '$.sealed_at')
FROM json_each(CAST(sqlc.arg(events) AS TEXT)) AS e;

-- name: DeleteAuditJournal :execrows
-- positions is a JSON array of journal positions.
DELETE FROM audit_journal
WHERE pos IN (SELECT p.value FROM json_each(CAST(sqlc.arg(positions) AS TEXT)) AS p);

-- name: InsertAuditJournalBatch :execrows
-- The events one transaction appended, in one statement just before its
-- commit: events is a JSON array of objects named like the columns, and
-- journal positions are drawn in its order.
INSERT INTO audit_journal (id, occurred_at, tenant, actor, action, entity_type, entity_id, digest, meta)
SELECT json_extract(e.value, '$.id'), json_extract(e.value, '$.occurred_at'), json_extract(e.value, '$.tenant'),
       json_extract(e.value, '$.actor'), json_extract(e.value, '$.action'), json_extract(e.value, '$.entity_type'),
       json_extract(e.value, '$.entity_id'), json_extract(e.value, '$.digest'), json_extract(e.value, '$.meta')
FROM json_each(CAST(sqlc.arg(events) AS TEXT)) AS e
ORDER BY e.key;
