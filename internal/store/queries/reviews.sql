-- Periodic reviews (issue 8, item 2): the approved customers whose review
-- date has come and who have no open periodic_review case yet, and the
-- counts the back-office dashboard shows.

-- name: ListCustomersDueForReview :many
SELECT c.id FROM customers c
WHERE c.status = 'approved'
  AND c.next_review_at IS NOT NULL
  AND c.next_review_at <= sqlc.arg(now)
  AND c.restricted_at IS NULL
  AND c.purged_at IS NULL
  AND NOT EXISTS (
    SELECT 1 FROM cases k
    WHERE k.customer_id = c.id AND k.kind = 'periodic_review' AND k.status <> 'closed'
  )
ORDER BY c.next_review_at, c.id
LIMIT CAST(sqlc.arg(lim) AS BIGINT);

-- name: CountReviewsBetween :one
SELECT COUNT(*) FROM customers
WHERE status = 'approved'
  AND next_review_at IS NOT NULL
  AND next_review_at > sqlc.arg(after)
  AND next_review_at <= sqlc.arg(until)
  AND restricted_at IS NULL;

-- Changes of circumstances (issue 8, item 3).

-- name: CreateCustomerChange :exec
INSERT INTO customer_changes (id, customer_id, actor, fields, previous, previous_rating, round, outcome, case_id, created_at, decided_at)
VALUES (
    sqlc.arg(id), sqlc.arg(customer_id), sqlc.arg(actor), sqlc.arg(fields), sqlc.arg(previous),
    sqlc.arg(previous_rating), sqlc.arg(round), sqlc.arg(outcome), sqlc.arg(case_id), sqlc.arg(created_at), sqlc.narg(decided_at)
);

-- name: ListCustomerChanges :many
SELECT * FROM customer_changes WHERE customer_id = sqlc.arg(customer_id) ORDER BY created_at, id;

-- name: UpdateCustomerChange :execrows
UPDATE customer_changes SET outcome = sqlc.arg(outcome), case_id = sqlc.arg(case_id), decided_at = sqlc.narg(decided_at)
WHERE id = sqlc.arg(id);

-- name: DeleteCustomerChanges :execrows
DELETE FROM customer_changes WHERE customer_id = sqlc.arg(customer_id);
