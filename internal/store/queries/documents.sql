-- Uploaded documents.

-- name: CreateDocument :exec
INSERT INTO documents (id, customer_id, related_person_id, kind, content_type, size, sha256, content, content_key, created_at)
VALUES (
    sqlc.arg(id), sqlc.arg(customer_id), sqlc.arg(related_person_id), sqlc.arg(kind), sqlc.arg(content_type), sqlc.arg(size),
    sqlc.arg(sha256), sqlc.arg(content), sqlc.arg(content_key), sqlc.arg(created_at)
);

-- name: GetDocument :one
SELECT * FROM documents WHERE id = sqlc.arg(id);

-- name: ListDocumentsByCustomer :many
SELECT id, customer_id, related_person_id, kind, content_type, size, sha256, content_key, created_at
FROM documents WHERE customer_id = sqlc.arg(customer_id) ORDER BY created_at, id;

-- name: DocumentTotals :one
SELECT COUNT(*) AS n,
       CAST(COALESCE(SUM(size), 0) AS BIGINT) AS total_bytes,
       COUNT(CASE WHEN created_at >= sqlc.arg(since) THEN 1 END) AS recent
FROM documents WHERE customer_id = sqlc.arg(customer_id);
