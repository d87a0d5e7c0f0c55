-- One-off backfills (issue 8 gap b): progress kept per backfill.

-- name: GetBackfill :one
SELECT * FROM backfills WHERE name = sqlc.arg(name);

-- name: SaveBackfill :exec
INSERT INTO backfills (name, cursor, done_at) VALUES (sqlc.arg(name), sqlc.arg(cursor), sqlc.narg(done_at))
ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor, done_at = excluded.done_at;
