-- Checks and risk assessments.

-- name: CreateCheck :exec
INSERT INTO checks (
    id, customer_id, type, status, provider, summary, details, error, attempts, round,
    created_at, updated_at, finished_at
) VALUES (
    sqlc.arg(id), sqlc.arg(customer_id), sqlc.arg(type), sqlc.arg(status), sqlc.arg(provider),
    sqlc.arg(summary), sqlc.arg(details), sqlc.arg(error), sqlc.arg(attempts), sqlc.arg(round),
    sqlc.arg(created_at), sqlc.arg(updated_at), sqlc.arg(finished_at)
);

-- name: GetCheck :one
SELECT * FROM checks WHERE id = sqlc.arg(id);

-- name: UpdateCheck :execrows
UPDATE checks SET
    type = sqlc.arg(type),
    status = sqlc.arg(status),
    provider = sqlc.arg(provider),
    summary = sqlc.arg(summary),
    details = sqlc.arg(details),
    error = sqlc.arg(error),
    attempts = sqlc.arg(attempts),
    round = sqlc.arg(round),
    updated_at = sqlc.arg(updated_at),
    finished_at = sqlc.arg(finished_at)
WHERE id = sqlc.arg(id);

-- name: ListChecksByCustomer :many
SELECT * FROM checks WHERE customer_id = sqlc.arg(customer_id)
ORDER BY round DESC, type, id;

-- name: CreateRiskAssessment :exec
INSERT INTO risk_assessments (
    id, customer_id, check_id, score, rating, due_diligence, model_version, factors, created_at
) VALUES (
    sqlc.arg(id), sqlc.arg(customer_id), sqlc.arg(check_id), sqlc.arg(score), sqlc.arg(rating),
    sqlc.arg(due_diligence), sqlc.arg(model_version), sqlc.arg(factors), sqlc.arg(created_at)
);

-- name: LatestRiskAssessment :one
SELECT * FROM risk_assessments WHERE customer_id = sqlc.arg(customer_id)
ORDER BY created_at DESC, id DESC
LIMIT 1;

-- name: ListAwaitingChecks :many
-- Pending checks already handed to an asynchronous provider (provider set),
-- last updated before updated_before, oldest first.
SELECT * FROM checks
WHERE status = 'pending' AND provider <> '' AND updated_at < sqlc.arg(updated_before)
ORDER BY updated_at, id
LIMIT CAST(sqlc.arg(lim) AS BIGINT);

-- name: CreateIdentityCallback :exec
INSERT INTO identity_callbacks (provider, event_id, check_id, received_at)
VALUES (sqlc.arg(provider), sqlc.arg(event_id), sqlc.arg(check_id), sqlc.arg(received_at));
