-- SQLite variant of the batched customer insert (queries/postgres has PostgreSQL's).

-- name: CreateCustomersBatch :execrows
-- Many customers in one statement (a bulk import, the benchmarks' book):
-- customers is a JSON array of objects named like the columns, data and
-- close_reason in hex, absent times null.
INSERT INTO customers (
    id, tenant, type, status, risk_rating, due_diligence, external_ref, client_id, data,
    email_index, document_index, name_index, version, created_at, updated_at,
    submitted_at, decided_at, next_review_at, closed_at, close_reason, retention_ends_at,
    restricted_at, purged_at
)
SELECT json_extract(c.value, '$.id'), json_extract(c.value, '$.tenant'), json_extract(c.value, '$.type'),
       json_extract(c.value, '$.status'), json_extract(c.value, '$.risk_rating'), json_extract(c.value, '$.due_diligence'),
       json_extract(c.value, '$.external_ref'), json_extract(c.value, '$.client_id'), unhex(json_extract(c.value, '$.data')),
       json_extract(c.value, '$.email_index'), json_extract(c.value, '$.document_index'), json_extract(c.value, '$.name_index'),
       json_extract(c.value, '$.version'), json_extract(c.value, '$.created_at'), json_extract(c.value, '$.updated_at'),
       json_extract(c.value, '$.submitted_at'), json_extract(c.value, '$.decided_at'), json_extract(c.value, '$.next_review_at'),
       json_extract(c.value, '$.closed_at'), unhex(json_extract(c.value, '$.close_reason')), json_extract(c.value, '$.retention_ends_at'),
       json_extract(c.value, '$.restricted_at'), json_extract(c.value, '$.purged_at')
FROM json_each(CAST(sqlc.arg(customers) AS TEXT)) AS c;
