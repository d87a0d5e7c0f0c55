-- Sanctions/PEP list snapshots and their entities. Bulk entity inserts are
-- multi-row statements built in Go (lists.go); see insertEntitiesPrefix.

-- name: CreateSnapshot :exec
INSERT INTO list_snapshots (id, source, version, content_hash, entity_count, fetched_at, loaded_at, active)
VALUES (
    sqlc.arg(id), sqlc.arg(source), sqlc.arg(version), sqlc.arg(content_hash), sqlc.arg(entity_count),
    sqlc.arg(fetched_at), sqlc.arg(loaded_at), sqlc.arg(active)
);

-- name: GetSnapshot :one
SELECT * FROM list_snapshots WHERE id = sqlc.arg(id);

-- name: DeactivateSnapshots :exec
UPDATE list_snapshots SET active = FALSE WHERE source = sqlc.arg(source) AND id <> sqlc.arg(id) AND active;

-- name: ActivateSnapshot :execrows
UPDATE list_snapshots SET active = TRUE WHERE id = sqlc.arg(id);

-- name: FindSnapshotByHash :one
SELECT * FROM list_snapshots WHERE source = sqlc.arg(source) AND content_hash = sqlc.arg(content_hash);

-- name: ActiveSnapshots :many
SELECT * FROM list_snapshots WHERE active ORDER BY source, id;

-- name: ListSnapshots :many
SELECT * FROM list_snapshots WHERE (CAST(sqlc.arg(source) AS TEXT) = '' OR source = sqlc.arg(source))
ORDER BY loaded_at DESC, id DESC;

-- name: ListEntities :many
SELECT * FROM list_entities WHERE snapshot_id = sqlc.arg(snapshot_id) ORDER BY entity_id;
