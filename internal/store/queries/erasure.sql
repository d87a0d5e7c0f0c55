-- Retention and erasure (issue 8, item 4): the statements that remove the
-- personal data held beside a customer row when its record is purged. The
-- customer row itself is rewritten by UpdateCustomer (empty data, no
-- lookup indexes, purged_at set); audit events are never touched.

-- name: ListCustomersDueForPurge :many
SELECT id FROM customers
WHERE purged_at IS NULL
  AND retention_ends_at IS NOT NULL
  AND retention_ends_at <= sqlc.arg(now)
ORDER BY retention_ends_at, id
LIMIT CAST(sqlc.arg(lim) AS BIGINT);

-- name: DeleteDocumentsOfCustomer :execrows
DELETE FROM documents WHERE customer_id = sqlc.arg(customer_id);

-- name: ClearCheckDetailsOfCustomer :execrows
UPDATE checks SET details = NULL WHERE customer_id = sqlc.arg(customer_id);

-- name: ClearHitDataOfCustomer :execrows
UPDATE screening_hits SET subject = NULL, explanation = NULL, disposition_reason = NULL
WHERE customer_id = sqlc.arg(customer_id);

-- name: ClearDecisionReasonsOfCustomer :execrows
UPDATE case_decisions SET reason = sqlc.arg(empty), message = NULL
WHERE case_id IN (SELECT id FROM cases WHERE customer_id = sqlc.arg(customer_id));

-- name: ClearRiskFactorsOfCustomer :execrows
UPDATE risk_assessments SET factors = sqlc.arg(empty) WHERE customer_id = sqlc.arg(customer_id);
