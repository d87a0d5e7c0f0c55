-- Staff users of the back office and their server-side sessions.
-- The e-mail address is personal data: it is stored encrypted, with a keyed
-- blind index for the sign-in lookup. The TOTP secret is encrypted too. A
-- session is stored by the SHA-256 of its token, never the token itself.

-- +goose Up
CREATE TABLE users (
    id                   TEXT COLLATE "C" PRIMARY KEY,
    email_index          TEXT NOT NULL UNIQUE,
    email                BYTEA NOT NULL,
    role                 TEXT NOT NULL,
    password_hash        TEXT NOT NULL,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    totp_secret          BYTEA,
    totp_enrolled        BOOLEAN NOT NULL DEFAULT FALSE,
    totp_last_step       BIGINT NOT NULL DEFAULT 0,
    failed_attempts      BIGINT NOT NULL DEFAULT 0,
    locked_until         TIMESTAMPTZ,
    disabled             BOOLEAN NOT NULL DEFAULT FALSE,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    last_sign_in_at      TIMESTAMPTZ
);

CREATE TABLE user_sessions (
    id_hash      TEXT COLLATE "C" PRIMARY KEY,
    user_id      TEXT COLLATE "C" NOT NULL REFERENCES users (id),
    stage        TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX user_sessions_user_idx ON user_sessions (user_id);

CREATE INDEX cases_status_due_idx ON cases (status, due_at);
CREATE INDEX screening_hits_created_idx ON screening_hits (created_at);

-- +goose Down
DROP INDEX screening_hits_created_idx;
DROP INDEX cases_status_due_idx;
DROP TABLE user_sessions;
DROP TABLE users;
