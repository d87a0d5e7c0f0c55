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
