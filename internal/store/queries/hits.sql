-- Screening hits.

-- name: CreateHit :exec
INSERT INTO screening_hits (
    id, customer_id, check_id, case_id, entity_id, list, source_id, entity_hash, name,
    matched_name, subject, score, explanation, topics, disposition, disposition_reason,
    disposed_by, disposed_at, created_at
) VALUES (
    sqlc.arg(id), sqlc.arg(customer_id), sqlc.arg(check_id), sqlc.arg(case_id), sqlc.arg(entity_id),
    sqlc.arg(list), sqlc.arg(source_id), sqlc.arg(entity_hash), sqlc.arg(name), sqlc.arg(matched_name),
    sqlc.arg(subject), sqlc.arg(score), sqlc.arg(explanation), sqlc.arg(topics), sqlc.arg(disposition),
    sqlc.arg(disposition_reason), sqlc.arg(disposed_by), sqlc.arg(disposed_at), sqlc.arg(created_at)
);

-- name: GetHit :one
SELECT * FROM screening_hits WHERE id = sqlc.arg(id);

-- name: UpdateHit :execrows
UPDATE screening_hits SET
    check_id = sqlc.arg(check_id),
    case_id = sqlc.arg(case_id),
    entity_id = sqlc.arg(entity_id),
    list = sqlc.arg(list),
    source_id = sqlc.arg(source_id),
    entity_hash = sqlc.arg(entity_hash),
    name = sqlc.arg(name),
    matched_name = sqlc.arg(matched_name),
    subject = sqlc.arg(subject),
    score = sqlc.arg(score),
    explanation = sqlc.arg(explanation),
    topics = sqlc.arg(topics),
    disposition = sqlc.arg(disposition),
    disposition_reason = sqlc.arg(disposition_reason),
    disposed_by = sqlc.arg(disposed_by),
    disposed_at = sqlc.arg(disposed_at)
WHERE id = sqlc.arg(id);

-- name: ListHitsByCustomer :many
SELECT * FROM screening_hits WHERE customer_id = sqlc.arg(customer_id) ORDER BY created_at, id;

-- name: ListHitsByCheck :many
SELECT * FROM screening_hits WHERE check_id = sqlc.arg(check_id) ORDER BY created_at, id;

-- name: LatestHitDisposition :one
SELECT * FROM screening_hits
WHERE customer_id = sqlc.arg(customer_id) AND list = sqlc.arg(list)
  AND entity_id = sqlc.arg(entity_id) AND disposition <> ''
ORDER BY disposed_at DESC, created_at DESC, id DESC
LIMIT 1;
