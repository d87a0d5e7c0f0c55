-- Uploaded documents.

-- name: CreateDocument :exec
INSERT INTO documents (id, customer_id, kind, content_type, size, sha256, content, created_at)
VALUES (
    sqlc.arg(id), sqlc.arg(customer_id), sqlc.arg(kind), sqlc.arg(content_type), sqlc.arg(size),
    sqlc.arg(sha256), sqlc.arg(content), sqlc.arg(created_at)
);

-- name: GetDocument :one
SELECT * FROM documents WHERE id = sqlc.arg(id);

-- name: ListDocumentsByCustomer :many
SELECT id, customer_id, kind, content_type, size, sha256, created_at
FROM documents WHERE customer_id = sqlc.arg(customer_id) ORDER BY created_at, id;
