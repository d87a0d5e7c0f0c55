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
