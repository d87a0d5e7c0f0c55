-- Ad-hoc screening evidence. Shared by both engines.

-- name: CreateScreening :exec
INSERT INTO screenings (id, tenant, actor, query, matches, snapshot_ids, algorithm_version, threshold, created_at)
VALUES (sqlc.arg(id), sqlc.arg(tenant), sqlc.arg(actor), sqlc.arg(query), sqlc.arg(matches), sqlc.arg(snapshot_ids),
        sqlc.arg(algorithm_version), sqlc.arg(threshold), sqlc.arg(created_at));

-- name: GetScreening :one
SELECT * FROM screenings WHERE id = sqlc.arg(id);
