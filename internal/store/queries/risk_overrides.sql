-- Risk overrides (issue 10, item 3): requested by an analyst (or an API
-- client), decided by an mlro, kept beside the computed rating.

-- name: CreateRiskOverride :exec
INSERT INTO risk_overrides (
    id, customer_id, rating, due_diligence, computed_rating, computed_due_diligence,
    reason, status, requested_by, requested_at
) VALUES (
    sqlc.arg(id), sqlc.arg(customer_id), sqlc.arg(rating), sqlc.arg(due_diligence), sqlc.arg(computed_rating),
    sqlc.arg(computed_due_diligence), sqlc.arg(reason), sqlc.arg(status), sqlc.arg(requested_by), sqlc.arg(requested_at)
);

-- name: GetRiskOverride :one
SELECT * FROM risk_overrides WHERE id = sqlc.arg(id);

-- name: ListRiskOverrides :many
SELECT * FROM risk_overrides WHERE customer_id = sqlc.arg(customer_id) ORDER BY requested_at DESC, id DESC;

-- name: UpdateRiskOverride :execrows
UPDATE risk_overrides
SET status = sqlc.arg(status), decided_by = sqlc.arg(decided_by), decided_at = sqlc.narg(decided_at),
    decision_note = sqlc.narg(decision_note), ended_at = sqlc.narg(ended_at)
WHERE id = sqlc.arg(id) AND status = sqlc.arg(from_status);

-- name: DeleteRiskOverridesOfCustomer :execrows
DELETE FROM risk_overrides WHERE customer_id = sqlc.arg(customer_id);
