-- SQLite variant of the batched check insert (queries/postgres has PostgreSQL's).

-- name: CreateChecksBatch :execrows
-- The new checks of a submission in one statement: checks is a JSON array
-- of objects named like the columns (no details, not finished).
INSERT INTO checks (id, customer_id, type, status, provider, summary, error, attempts, round, created_at, updated_at)
SELECT json_extract(c.value, '$.id'), json_extract(c.value, '$.customer_id'), json_extract(c.value, '$.type'),
       json_extract(c.value, '$.status'), json_extract(c.value, '$.provider'), json_extract(c.value, '$.summary'),
       json_extract(c.value, '$.error'), json_extract(c.value, '$.attempts'), json_extract(c.value, '$.round'),
       json_extract(c.value, '$.created_at'), json_extract(c.value, '$.updated_at')
FROM json_each(CAST(sqlc.arg(checks) AS TEXT)) AS c;
