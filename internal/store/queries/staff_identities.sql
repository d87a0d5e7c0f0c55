-- Links of staff users to OpenID Connect accounts. Shared by both engines.

-- name: CreateUserIdentity :exec
INSERT INTO user_identities (subject_index, issuer, user_id, created_at, last_sign_in_at)
VALUES (sqlc.arg(subject_index), sqlc.arg(issuer), sqlc.arg(user_id), sqlc.arg(created_at), sqlc.arg(last_sign_in_at));

-- name: GetUserIdentity :one
SELECT * FROM user_identities WHERE subject_index = sqlc.arg(subject_index);

-- name: TouchUserIdentity :execrows
UPDATE user_identities SET last_sign_in_at = sqlc.arg(last_sign_in_at) WHERE subject_index = sqlc.arg(subject_index);

-- name: CountUserIdentities :one
SELECT COUNT(*) FROM user_identities WHERE user_id = sqlc.arg(user_id);

-- name: LinkedUserIDs :many
-- The staff users with at least one provider account linked (those who
-- sign in by single sign-on), for the admin page of users.
SELECT DISTINCT user_id FROM user_identities ORDER BY user_id;

-- name: UpdateUserEmail :execrows
UPDATE users SET email_index = sqlc.arg(email_index), email = sqlc.arg(email), updated_at = sqlc.arg(updated_at)
WHERE id = sqlc.arg(id);
