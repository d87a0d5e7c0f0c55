-- PostgreSQL variants of the sealer's statements (queries/audit.sql).

-- name: LockAuditHeadForSeal :many
-- One sealer at a time: a second one finds the head locked and skips its
-- round instead of queueing behind the first.
SELECT seq, hash, legacy_seq, legacy_hash, legacy_mac, key_id FROM audit_head
WHERE id = 1 FOR UPDATE SKIP LOCKED;

-- name: InsertAuditEvents :execrows
-- A sealed batch in one statement: events is a JSON array of objects
-- named like the columns.
INSERT INTO audit_events (
    seq, id, occurred_at, tenant, actor, action, entity_type, entity_id, digest, meta, prev_hash, hash, sealed_at
)
SELECT e.seq, e.id, e.occurred_at, e.tenant, e.actor, e.action, e.entity_type, e.entity_id, e.digest, e.meta,
       e.prev_hash, e.hash, e.sealed_at
FROM json_to_recordset(CAST(CAST(sqlc.arg(events) AS TEXT) AS JSON)) AS e(
    seq BIGINT, id TEXT, occurred_at TIMESTAMPTZ, tenant TEXT, actor TEXT, action TEXT, entity_type TEXT,
    entity_id TEXT, digest TEXT, meta TEXT, prev_hash TEXT, hash TEXT, sealed_at TIMESTAMPTZ
);

-- name: DeleteAuditJournal :execrows
-- positions is a JSON array of journal positions.
DELETE FROM audit_journal
WHERE pos IN (SELECT CAST(p AS BIGINT) FROM json_array_elements_text(CAST(CAST(sqlc.arg(positions) AS TEXT) AS JSON)) AS p);

-- name: InsertAuditJournalBatch :execrows
-- The events one transaction appended, in one statement just before its
-- commit: events is a JSON array of objects named like the columns, read
-- as JSONB (parsed once, where each ->> on a JSON value parses the
-- element's text again: a third of the server's time for the batch), and
-- journal positions are drawn in its order.
INSERT INTO audit_journal (id, occurred_at, tenant, actor, action, entity_type, entity_id, digest, meta)
SELECT e.v->>'id', CAST(e.v->>'occurred_at' AS TIMESTAMPTZ), e.v->>'tenant', e.v->>'actor', e.v->>'action',
       e.v->>'entity_type', e.v->>'entity_id', e.v->>'digest', e.v->>'meta'
FROM jsonb_array_elements(CAST(CAST(sqlc.arg(events) AS TEXT) AS JSONB)) WITH ORDINALITY AS e(v, n)
ORDER BY e.n;
