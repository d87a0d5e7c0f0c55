-- Staff users of the back office and their server-side sessions.
-- The e-mail address is personal data: it is stored encrypted, with a keyed
-- blind index for the sign-in lookup. The TOTP secret is encrypted too. A
-- session is stored by the SHA-256 of its token, never the token itself.

-- +goose Up
CREATE TABLE users (
    id                   TEXT PRIMARY KEY,
    email_index          TEXT NOT NULL UNIQUE,
    email                BLOB NOT NULL,
    role                 TEXT NOT NULL,
    password_hash        TEXT NOT NULL,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    totp_secret          BLOB,
    totp_enrolled        BOOLEAN NOT NULL DEFAULT FALSE,
    totp_last_step       INTEGER NOT NULL DEFAULT 0,
    failed_attempts      INTEGER NOT NULL DEFAULT 0,
    locked_until         INTEGER,
    disabled             BOOLEAN NOT NULL DEFAULT FALSE,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    last_sign_in_at      INTEGER
);

CREATE TABLE user_sessions (
    id_hash      TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    stage        TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX user_sessions_user_idx ON user_sessions (user_id);

CREATE INDEX cases_status_due_idx ON cases (status, due_at);
CREATE INDEX screening_hits_created_idx ON screening_hits (created_at);

-- +goose Down
DROP INDEX screening_hits_created_idx;
DROP INDEX cases_status_due_idx;
DROP TABLE user_sessions;
DROP TABLE users;
