-- PostgreSQL variant of the batched customer insert (queries/sqlite has SQLite's).

-- name: CreateCustomersBatch :execrows
-- Many customers in one statement (a bulk import, the benchmarks' book):
-- customers is a JSON array of objects named like the columns, data and
-- close_reason in hex, absent times null. JSONB, not JSON: the array is
-- parsed once, where each ->> on a JSON value parses the element's text
-- again (23 columns: ten times the server's time per row, measured).
INSERT INTO customers (
    id, tenant, type, status, risk_rating, due_diligence, external_ref, client_id, data,
    email_index, document_index, name_index, version, created_at, updated_at,
    submitted_at, decided_at, next_review_at, closed_at, close_reason, retention_ends_at,
    restricted_at, purged_at
)
SELECT c.v->>'id', c.v->>'tenant', c.v->>'type', c.v->>'status', c.v->>'risk_rating', c.v->>'due_diligence',
       c.v->>'external_ref', c.v->>'client_id', decode(c.v->>'data', 'hex'),
       c.v->>'email_index', c.v->>'document_index', c.v->>'name_index', CAST(c.v->>'version' AS BIGINT),
       CAST(c.v->>'created_at' AS TIMESTAMPTZ), CAST(c.v->>'updated_at' AS TIMESTAMPTZ),
       CAST(c.v->>'submitted_at' AS TIMESTAMPTZ), CAST(c.v->>'decided_at' AS TIMESTAMPTZ),
       CAST(c.v->>'next_review_at' AS TIMESTAMPTZ), CAST(c.v->>'closed_at' AS TIMESTAMPTZ),
       decode(c.v->>'close_reason', 'hex'), CAST(c.v->>'retention_ends_at' AS TIMESTAMPTZ),
       CAST(c.v->>'restricted_at' AS TIMESTAMPTZ), CAST(c.v->>'purged_at' AS TIMESTAMPTZ)
FROM jsonb_array_elements(CAST(CAST(sqlc.arg(customers) AS TEXT) AS JSONB)) AS c(v);
