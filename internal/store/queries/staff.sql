-- Back office: staff users, their sessions, and the read models of the
-- case queue and the dashboard. Shared by both engines.

-- name: CreateUser :exec
INSERT INTO users (
    id, email_index, email, role, password_hash, must_change_password, totp_secret, totp_enrolled,
    totp_last_step, failed_attempts, locked_until, disabled, created_at, updated_at, last_sign_in_at
) VALUES (
    sqlc.arg(id), sqlc.arg(email_index), sqlc.arg(email), sqlc.arg(role), sqlc.arg(password_hash),
    sqlc.arg(must_change_password), sqlc.arg(totp_secret), sqlc.arg(totp_enrolled), sqlc.arg(totp_last_step),
    sqlc.arg(failed_attempts), sqlc.arg(locked_until), sqlc.arg(disabled), sqlc.arg(created_at),
    sqlc.arg(updated_at), sqlc.arg(last_sign_in_at)
);

-- name: GetUser :one
SELECT * FROM users WHERE id = sqlc.arg(id);

-- name: GetUserByEmailIndex :one
SELECT * FROM users WHERE email_index = sqlc.arg(email_index);

-- name: ListUsers :many
SELECT * FROM users ORDER BY created_at, id;

-- name: UpdateUser :execrows
UPDATE users SET
    role = sqlc.arg(role),
    password_hash = sqlc.arg(password_hash),
    must_change_password = sqlc.arg(must_change_password),
    totp_secret = sqlc.arg(totp_secret),
    totp_enrolled = sqlc.arg(totp_enrolled),
    totp_last_step = sqlc.arg(totp_last_step),
    failed_attempts = sqlc.arg(failed_attempts),
    locked_until = sqlc.arg(locked_until),
    disabled = sqlc.arg(disabled),
    updated_at = sqlc.arg(updated_at),
    last_sign_in_at = sqlc.arg(last_sign_in_at)
WHERE id = sqlc.arg(id);

-- name: AddUserFailure :one
UPDATE users SET failed_attempts = failed_attempts + 1, updated_at = sqlc.arg(updated_at)
WHERE id = sqlc.arg(id)
RETURNING failed_attempts;

-- name: LockUser :execrows
UPDATE users SET locked_until = sqlc.arg(locked_until), failed_attempts = 0, updated_at = sqlc.arg(updated_at)
WHERE id = sqlc.arg(id);

-- name: ClaimTOTPStep :execrows
UPDATE users SET totp_last_step = sqlc.arg(step)
WHERE id = sqlc.arg(id) AND totp_last_step < sqlc.arg(step);

-- name: CreateSession :exec
INSERT INTO user_sessions (id_hash, user_id, stage, method, created_at, last_seen_at, expires_at)
VALUES (sqlc.arg(id_hash), sqlc.arg(user_id), sqlc.arg(stage), sqlc.arg(method), sqlc.arg(created_at), sqlc.arg(last_seen_at), sqlc.arg(expires_at));

-- name: GetSession :one
SELECT * FROM user_sessions WHERE id_hash = sqlc.arg(id_hash);

-- name: TouchSession :execrows
UPDATE user_sessions SET last_seen_at = sqlc.arg(last_seen_at) WHERE id_hash = sqlc.arg(id_hash);

-- name: DeleteSession :execrows
DELETE FROM user_sessions WHERE id_hash = sqlc.arg(id_hash);

-- name: DeleteUserSessions :execrows
DELETE FROM user_sessions WHERE user_id = sqlc.arg(user_id);

-- name: DeleteExpiredSessions :execrows
DELETE FROM user_sessions WHERE expires_at < sqlc.arg(now) OR last_seen_at < sqlc.arg(idle_before);

-- name: QueueCases :many
SELECT c.* FROM cases c JOIN customers u ON u.id = c.customer_id
CROSS JOIN (SELECT CAST(sqlc.arg(sort) AS TEXT) AS s) p
WHERE (CAST(sqlc.arg(kind) AS TEXT) = '' OR c.kind = sqlc.arg(kind))
  AND (CAST(sqlc.arg(status) AS TEXT) = '' OR c.status = sqlc.arg(status)
       OR (CAST(sqlc.arg(status) AS TEXT) = 'active' AND c.status <> 'closed'))
  AND (CAST(sqlc.arg(assignee) AS TEXT) = '' OR c.assignee = sqlc.arg(assignee)
       OR (CAST(sqlc.arg(assignee) AS TEXT) = '-' AND c.assignee = ''))
  AND (CAST(sqlc.arg(risk_rating) AS TEXT) = '' OR u.risk_rating = sqlc.arg(risk_rating))
  AND (CAST(sqlc.arg(name_index) AS TEXT) = '' OR u.name_index = sqlc.arg(name_index))
  AND (CAST(sqlc.arg(customer_id) AS TEXT) = '' OR c.customer_id = sqlc.arg(customer_id))
ORDER BY
  CASE WHEN p.s = 'due' THEN c.due_at END ASC,
  CASE WHEN p.s = 'oldest' THEN c.id END ASC,
  c.id DESC
LIMIT CAST(sqlc.arg(lim) AS BIGINT) OFFSET CAST(sqlc.arg(off) AS BIGINT);

-- name: CountQueueCases :one
SELECT COUNT(*) FROM cases c JOIN customers u ON u.id = c.customer_id
WHERE (CAST(sqlc.arg(kind) AS TEXT) = '' OR c.kind = sqlc.arg(kind))
  AND (CAST(sqlc.arg(status) AS TEXT) = '' OR c.status = sqlc.arg(status)
       OR (CAST(sqlc.arg(status) AS TEXT) = 'active' AND c.status <> 'closed'))
  AND (CAST(sqlc.arg(assignee) AS TEXT) = '' OR c.assignee = sqlc.arg(assignee)
       OR (CAST(sqlc.arg(assignee) AS TEXT) = '-' AND c.assignee = ''))
  AND (CAST(sqlc.arg(risk_rating) AS TEXT) = '' OR u.risk_rating = sqlc.arg(risk_rating))
  AND (CAST(sqlc.arg(name_index) AS TEXT) = '' OR u.name_index = sqlc.arg(name_index))
  AND (CAST(sqlc.arg(customer_id) AS TEXT) = '' OR c.customer_id = sqlc.arg(customer_id));

-- name: ListUnclosedCases :many
SELECT * FROM cases WHERE status <> 'closed' ORDER BY id;

-- name: CountCustomersByRisk :many
SELECT risk_rating, COUNT(*) AS n FROM customers GROUP BY risk_rating ORDER BY risk_rating;

-- name: CountHitsSince :one
SELECT COUNT(*) FROM screening_hits WHERE created_at >= sqlc.arg(since);

-- name: CustomerDecisionsSince :many
SELECT status, decided_at FROM customers
WHERE decided_at IS NOT NULL AND decided_at >= sqlc.arg(since)
ORDER BY decided_at;
