-- PostgreSQL variant of the batched check insert (queries/sqlite has SQLite's).

-- name: CreateChecksBatch :execrows
-- The new checks of a submission in one statement: checks is a JSON array
-- of objects named like the columns (no details, not finished), read as
-- JSONB: parsed once, where each ->> on a JSON value parses the element's
-- text again (as CreateCustomersBatch).
INSERT INTO checks (id, customer_id, type, status, provider, summary, error, attempts, round, created_at, updated_at)
SELECT c.v->>'id', c.v->>'customer_id', c.v->>'type', c.v->>'status', c.v->>'provider', c.v->>'summary',
       c.v->>'error', CAST(c.v->>'attempts' AS BIGINT), CAST(c.v->>'round' AS BIGINT),
       CAST(c.v->>'created_at' AS TIMESTAMPTZ), CAST(c.v->>'updated_at' AS TIMESTAMPTZ)
FROM jsonb_array_elements(CAST(CAST(sqlc.arg(checks) AS TEXT) AS JSONB)) AS c(v);

-- name: UpdateChecksBatch :execrows
-- The outcomes of a check round in one statement: checks is a JSON array of
-- objects named like the columns (details base64, null when none), one per
-- check id, read as JSONB (parsed once). The ids are matched through the primary key (id = ANY of the
-- ids): joined on the JSON alone, PostgreSQL, counting on 100 elements,
-- hashes them against a scan of the whole table.
UPDATE checks AS k SET
    type = c.v->>'type',
    status = c.v->>'status',
    provider = c.v->>'provider',
    summary = c.v->>'summary',
    details = decode(c.v->>'details', 'base64'),
    error = c.v->>'error',
    attempts = CAST(c.v->>'attempts' AS BIGINT),
    round = CAST(c.v->>'round' AS BIGINT),
    updated_at = CAST(c.v->>'updated_at' AS TIMESTAMPTZ),
    finished_at = CAST(c.v->>'finished_at' AS TIMESTAMPTZ)
FROM jsonb_array_elements(CAST(CAST(sqlc.arg(checks) AS TEXT) AS JSONB)) AS c(v)
WHERE k.id = c.v->>'id'
  AND k.id = ANY(ARRAY(SELECT e->>'id' FROM jsonb_array_elements(CAST(CAST(sqlc.arg(checks) AS TEXT) AS JSONB)) AS e));
