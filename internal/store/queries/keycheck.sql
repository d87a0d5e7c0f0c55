-- The master key check value (one row) and whether the database already
-- holds data written under some master key.

-- name: GetKeyCheck :one
SELECT check_value FROM master_key_check WHERE id = 1;

-- name: PutKeyCheck :execrows
INSERT INTO master_key_check (id, check_value, created_at)
VALUES (1, sqlc.arg(check_value), sqlc.arg(created_at))
ON CONFLICT (id) DO NOTHING;

-- name: CountDataRows :one
SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM signing_keys LIMIT 1) AS k)
     + (SELECT COUNT(*) FROM (SELECT 1 FROM customers LIMIT 1) AS c)
     + (SELECT COUNT(*) FROM (SELECT 1 FROM users LIMIT 1) AS u)
     + (SELECT COUNT(*) FROM (SELECT 1 FROM api_clients LIMIT 1) AS a)
     + (SELECT COUNT(*) FROM (SELECT 1 FROM audit_events LIMIT 1) AS e) AS n;
