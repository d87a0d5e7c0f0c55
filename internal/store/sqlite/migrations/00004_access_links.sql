-- Access links and applicant sessions: an applicant opens the hosted
-- onboarding pages with a single-use, short-lived link scoped to one
-- customer, and continues in a server-side session. Only SHA-256 hashes of
-- the link and session tokens are stored.

-- +goose Up
CREATE TABLE access_links (
    id          TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    tenant      TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);
CREATE INDEX access_links_customer_idx ON access_links (customer_id, created_at);

CREATE TABLE applicant_sessions (
    token_hash   TEXT PRIMARY KEY,
    customer_id  TEXT NOT NULL REFERENCES customers (id),
    link_id      TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX applicant_sessions_expires_idx ON applicant_sessions (expires_at);

-- +goose Down
DROP TABLE applicant_sessions;
DROP TABLE access_links;
