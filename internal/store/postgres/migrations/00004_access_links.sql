-- Access links and applicant sessions: an applicant opens the hosted
-- onboarding pages with a single-use, short-lived link scoped to one
-- customer, and continues in a server-side session. Only SHA-256 hashes of
-- the link and session tokens are stored.

-- +goose Up
CREATE TABLE access_links (
    id          TEXT COLLATE "C" PRIMARY KEY,
    token_hash  TEXT COLLATE "C" NOT NULL UNIQUE,
    customer_id TEXT COLLATE "C" NOT NULL REFERENCES customers (id),
    tenant      TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);
CREATE INDEX access_links_customer_idx ON access_links (customer_id, created_at);

CREATE TABLE applicant_sessions (
    token_hash   TEXT COLLATE "C" PRIMARY KEY,
    customer_id  TEXT COLLATE "C" NOT NULL REFERENCES customers (id),
    link_id      TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX applicant_sessions_expires_idx ON applicant_sessions (expires_at);

-- +goose Down
DROP TABLE applicant_sessions;
DROP TABLE access_links;
