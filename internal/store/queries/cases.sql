-- Cases and decisions.

-- name: CreateCase :exec
INSERT INTO cases (
    id, tenant, customer_id, kind, status, assignee, reason, due_at, pending_decision, pending_by,
    pending_reason, pending_at, outcome, version, created_at, updated_at, closed_at
) VALUES (
    sqlc.arg(id), sqlc.arg(tenant), sqlc.arg(customer_id), sqlc.arg(kind), sqlc.arg(status), sqlc.arg(assignee),
    sqlc.arg(reason), sqlc.arg(due_at), sqlc.arg(pending_decision), sqlc.arg(pending_by),
    sqlc.arg(pending_reason), sqlc.arg(pending_at), sqlc.arg(outcome), sqlc.arg(version),
    sqlc.arg(created_at), sqlc.arg(updated_at), sqlc.arg(closed_at)
);

-- name: GetCase :one
SELECT * FROM cases WHERE id = sqlc.arg(id);

-- name: UpdateCase :execrows
UPDATE cases SET
    kind = sqlc.arg(kind),
    status = sqlc.arg(status),
    assignee = sqlc.arg(assignee),
    reason = sqlc.arg(reason),
    due_at = sqlc.arg(due_at),
    pending_decision = sqlc.arg(pending_decision),
    pending_by = sqlc.arg(pending_by),
    pending_reason = sqlc.arg(pending_reason),
    pending_at = sqlc.arg(pending_at),
    outcome = sqlc.arg(outcome),
    version = sqlc.arg(version),
    updated_at = sqlc.arg(updated_at),
    closed_at = sqlc.arg(closed_at)
WHERE id = sqlc.arg(id) AND version = sqlc.arg(prev_version);

-- name: CaseExists :one
SELECT COUNT(*) FROM cases WHERE id = sqlc.arg(id);

-- name: ListCases :many
SELECT * FROM cases
WHERE (CAST(sqlc.arg(kind) AS TEXT) = '' OR kind = sqlc.arg(kind))
  AND (CAST(sqlc.arg(status) AS TEXT) = '' OR status = sqlc.arg(status))
  AND (CAST(sqlc.arg(customer_id) AS TEXT) = '' OR customer_id = sqlc.arg(customer_id))
  AND (CAST(sqlc.arg(assignee) AS TEXT) = '' OR assignee = sqlc.arg(assignee))
  AND (CAST(sqlc.arg(tenant) AS TEXT) = '' OR tenant = sqlc.arg(tenant))
  AND (CAST(sqlc.arg(after) AS TEXT) = '' OR id < sqlc.arg(after))
ORDER BY id DESC
LIMIT CAST(sqlc.arg(lim) AS BIGINT);

-- name: OpenCasesForCustomer :many
SELECT * FROM cases WHERE customer_id = sqlc.arg(customer_id) AND status <> 'closed'
ORDER BY id;

-- name: CreateDecision :exec
INSERT INTO case_decisions (id, case_id, decision, reason, actor, stage, created_at, message)
VALUES (
    sqlc.arg(id), sqlc.arg(case_id), sqlc.arg(decision), sqlc.arg(reason), sqlc.arg(actor),
    sqlc.arg(stage), sqlc.arg(created_at), sqlc.narg(message)
);

-- name: ListDecisions :many
SELECT * FROM case_decisions WHERE case_id = sqlc.arg(case_id) ORDER BY created_at, id;
