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

-- Identity documents that expire (issue 8, item 3).

-- name: ListDocumentExpiries :many
SELECT * FROM document_expiries WHERE customer_id = sqlc.arg(customer_id) ORDER BY party, expires_on;

-- name: AddDocumentExpiry :exec
INSERT INTO document_expiries (customer_id, party, expires_on, case_id)
VALUES (sqlc.arg(customer_id), sqlc.arg(party), sqlc.arg(expires_on), '')
ON CONFLICT (customer_id, party, expires_on) DO NOTHING;

-- name: DeleteDocumentExpiry :exec
DELETE FROM document_expiries
WHERE customer_id = sqlc.arg(customer_id) AND party = sqlc.arg(party) AND expires_on = sqlc.arg(expires_on);

-- name: SetDocumentExpiryCase :execrows
UPDATE document_expiries SET case_id = sqlc.arg(case_id)
WHERE customer_id = sqlc.arg(customer_id) AND party = sqlc.arg(party) AND expires_on = sqlc.arg(expires_on) AND case_id = '';

-- name: ListDocumentsExpiring :many
SELECT d.customer_id, d.party, d.expires_on FROM document_expiries d
JOIN customers c ON c.id = d.customer_id
WHERE d.case_id = ''
  AND d.expires_on <= sqlc.arg(until)
  AND c.status = 'approved'
  AND c.restricted_at IS NULL
  AND c.purged_at IS NULL
ORDER BY d.expires_on, d.customer_id, d.party
LIMIT CAST(sqlc.arg(lim) AS BIGINT);
