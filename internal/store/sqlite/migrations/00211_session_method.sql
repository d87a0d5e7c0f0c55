-- How a staff session's user proved who they are so far: the first factor
-- ('password' or 'oidc', and what the identity provider vouched for), so
-- that the step that completes the sign-in (the authenticator code, the
-- enrolment of one) audits the whole method, e.g. 'oidc+totp' rather than
-- 'password+totp' after a single sign-on. Sessions started before this
-- column existed have '' and are taken as password sign-ins, as they were.

-- +goose Up
ALTER TABLE user_sessions ADD COLUMN method TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE user_sessions DROP COLUMN method;
