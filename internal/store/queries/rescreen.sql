-- Re-screening on list change (issue 8, item 1): runs, their cursor, the
-- hits they raised, the book read in batches and removed entities noted.

-- name: CreateRescreenRun :execrows
INSERT INTO rescreen_runs (
    id, snapshot_id, previous_snapshot_id, source, status, cursor_id, delta, removed,
    customers, names, hits, cases, created_at, updated_at, finished_at
) VALUES (
    sqlc.arg(id), sqlc.arg(snapshot_id), sqlc.arg(previous_snapshot_id), sqlc.arg(source), sqlc.arg(status),
    sqlc.arg(cursor_id), sqlc.arg(delta), sqlc.arg(removed), sqlc.arg(customers), sqlc.arg(names),
    sqlc.arg(hits), sqlc.arg(cases), sqlc.arg(created_at), sqlc.arg(updated_at), sqlc.arg(finished_at)
)
ON CONFLICT DO NOTHING;

-- name: GetRescreenRun :one
SELECT * FROM rescreen_runs WHERE id = sqlc.arg(id);

-- name: PendingRescreenRuns :many
SELECT * FROM rescreen_runs WHERE status <> 'done' ORDER BY created_at, id;

-- name: ListRescreenRuns :many
SELECT * FROM rescreen_runs ORDER BY created_at DESC, id DESC LIMIT CAST(sqlc.arg(lim) AS BIGINT);

-- name: AdvanceRescreenRun :execrows
UPDATE rescreen_runs SET
    status = sqlc.arg(status),
    cursor_id = sqlc.arg(cursor_id),
    delta = sqlc.arg(delta),
    removed = sqlc.arg(removed),
    customers = sqlc.arg(customers),
    names = sqlc.arg(names),
    hits = sqlc.arg(hits),
    cases = sqlc.arg(cases),
    updated_at = sqlc.arg(updated_at),
    finished_at = sqlc.arg(finished_at)
WHERE id = sqlc.arg(id) AND cursor_id = sqlc.arg(from_cursor) AND status <> 'done';

-- name: ClaimRescreenHit :execrows
INSERT INTO rescreen_hits (customer_id, list, entity_id, entity_hash, hit_id, run_id, created_at)
VALUES (sqlc.arg(customer_id), sqlc.arg(list), sqlc.arg(entity_id), sqlc.arg(entity_hash), sqlc.arg(hit_id), sqlc.arg(run_id), sqlc.arg(created_at))
ON CONFLICT (customer_id, list, entity_id, entity_hash) DO NOTHING;

-- The WHERE clause is the predicate of the partial index
-- customers_active_idx (PostgreSQL migration 00210): keep them the same,
-- or the batch becomes a sort of the whole remaining book again.
-- name: ActiveCustomersAfter :many
SELECT id, tenant, status, data FROM customers
WHERE id > sqlc.arg(after) AND status IN ('approved', 'in_review', 'info_requested') AND purged_at IS NULL
ORDER BY id
LIMIT CAST(sqlc.arg(lim) AS BIGINT);

-- name: CountHitsOfEntity :one
SELECT COUNT(*) FROM screening_hits
WHERE customer_id = sqlc.arg(customer_id) AND list = sqlc.arg(list)
  AND entity_id = sqlc.arg(entity_id) AND entity_hash = sqlc.arg(entity_hash);

-- name: OpenHitsOfEntity :many
SELECT * FROM screening_hits
WHERE list = sqlc.arg(list) AND entity_id = sqlc.arg(entity_id) AND disposition = '' AND entity_removed_at IS NULL
ORDER BY created_at, id;

-- name: NoteHitEntityRemoved :execrows
UPDATE screening_hits SET entity_removed_at = sqlc.arg(removed_at), entity_removed_snapshot = sqlc.arg(snapshot_id)
WHERE id = sqlc.arg(id) AND entity_removed_at IS NULL;
