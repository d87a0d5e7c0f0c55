-- +goose Up
-- Timestamps are TIMESTAMPTZ (microseconds, written as UTC). Identifiers and
-- other ordered keys are COLLATE "C" (bytewise, as in SQLite and Go) so that
-- cursor pagination and sort orders do not depend on the database locale.
CREATE TABLE customers (
    id             TEXT COLLATE "C" PRIMARY KEY,
    type           TEXT COLLATE "C" NOT NULL,
    status         TEXT NOT NULL,
    risk_rating    TEXT NOT NULL DEFAULT '',
    due_diligence  TEXT NOT NULL DEFAULT '',
    external_ref   TEXT NOT NULL DEFAULT '',
    client_id      TEXT COLLATE "C" NOT NULL DEFAULT '',
    data           BYTEA NOT NULL,
    email_index    TEXT NOT NULL DEFAULT '',
    document_index TEXT NOT NULL DEFAULT '',
    name_index     TEXT NOT NULL DEFAULT '',
    version        BIGINT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    submitted_at   TIMESTAMPTZ,
    decided_at     TIMESTAMPTZ,
    next_review_at TIMESTAMPTZ
);
CREATE INDEX customers_status_idx ON customers (status, id);
CREATE INDEX customers_email_index_idx ON customers (email_index);
CREATE INDEX customers_name_index_idx ON customers (name_index);
CREATE INDEX customers_document_index_idx ON customers (document_index);
CREATE INDEX customers_next_review_idx ON customers (next_review_at);

CREATE TABLE checks (
    id          TEXT COLLATE "C" PRIMARY KEY,
    customer_id TEXT COLLATE "C" NOT NULL REFERENCES customers (id),
    type        TEXT COLLATE "C" NOT NULL,
    status      TEXT NOT NULL,
    provider    TEXT NOT NULL DEFAULT '',
    summary     TEXT NOT NULL DEFAULT '',
    details     BYTEA,
    error       TEXT NOT NULL DEFAULT '',
    attempts    BIGINT NOT NULL DEFAULT 0,
    round       BIGINT NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);
CREATE INDEX checks_customer_idx ON checks (customer_id, round);

CREATE TABLE risk_assessments (
    id            TEXT COLLATE "C" PRIMARY KEY,
    customer_id   TEXT COLLATE "C" NOT NULL REFERENCES customers (id),
    check_id      TEXT COLLATE "C" NOT NULL DEFAULT '',
    score         BIGINT NOT NULL,
    rating        TEXT NOT NULL,
    due_diligence TEXT NOT NULL,
    model_version TEXT NOT NULL,
    factors       BYTEA NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX risk_assessments_customer_idx ON risk_assessments (customer_id, created_at);

CREATE TABLE cases (
    id               TEXT COLLATE "C" PRIMARY KEY,
    customer_id      TEXT COLLATE "C" NOT NULL REFERENCES customers (id),
    kind             TEXT NOT NULL,
    status           TEXT NOT NULL,
    assignee         TEXT NOT NULL DEFAULT '',
    reason           TEXT NOT NULL DEFAULT '',
    due_at           TIMESTAMPTZ NOT NULL,
    pending_decision TEXT NOT NULL DEFAULT '',
    pending_by       TEXT NOT NULL DEFAULT '',
    pending_reason   TEXT NOT NULL DEFAULT '',
    pending_at       TIMESTAMPTZ,
    outcome          TEXT NOT NULL DEFAULT '',
    version          BIGINT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    closed_at        TIMESTAMPTZ
);
CREATE INDEX cases_customer_idx ON cases (customer_id, status);
CREATE INDEX cases_status_idx ON cases (status, id);

CREATE TABLE case_decisions (
    id         TEXT COLLATE "C" PRIMARY KEY,
    case_id    TEXT COLLATE "C" NOT NULL REFERENCES cases (id),
    decision   TEXT NOT NULL,
    reason     BYTEA NOT NULL,
    actor      TEXT NOT NULL,
    stage      TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX case_decisions_case_idx ON case_decisions (case_id, created_at);

CREATE TABLE screening_hits (
    id                 TEXT COLLATE "C" PRIMARY KEY,
    customer_id        TEXT COLLATE "C" NOT NULL REFERENCES customers (id),
    check_id           TEXT COLLATE "C" NOT NULL DEFAULT '',
    case_id            TEXT COLLATE "C" NOT NULL DEFAULT '',
    entity_id          TEXT COLLATE "C" NOT NULL,
    list               TEXT NOT NULL,
    source_id          TEXT NOT NULL DEFAULT '',
    entity_hash        TEXT NOT NULL DEFAULT '',
    name               TEXT NOT NULL DEFAULT '',
    matched_name       TEXT NOT NULL DEFAULT '',
    subject            BYTEA,
    score              DOUBLE PRECISION NOT NULL,
    explanation        BYTEA,
    topics             TEXT NOT NULL DEFAULT '',
    disposition        TEXT NOT NULL DEFAULT '',
    disposition_reason BYTEA,
    disposed_by        TEXT NOT NULL DEFAULT '',
    disposed_at        TIMESTAMPTZ,
    created_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX screening_hits_customer_idx ON screening_hits (customer_id, list, entity_id);
CREATE INDEX screening_hits_check_idx ON screening_hits (check_id);

CREATE TABLE audit_events (
    seq         BIGINT PRIMARY KEY,
    id          TEXT COLLATE "C" NOT NULL UNIQUE,
    occurred_at TIMESTAMPTZ NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id   TEXT COLLATE "C" NOT NULL,
    digest      TEXT NOT NULL,
    meta        TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id, seq);

-- One row: the end of the audit hash chain. Appenders lock it (UPDATE …
-- RETURNING) so that the chain never forks.
CREATE TABLE audit_head (
    id   BIGINT PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE TABLE api_clients (
    id          TEXT COLLATE "C" PRIMARY KEY,
    name        TEXT NOT NULL,
    secret_hash BYTEA NOT NULL,
    scopes      TEXT NOT NULL,
    disabled    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE signing_keys (
    kid        TEXT COLLATE "C" PRIMARY KEY,
    alg        TEXT NOT NULL,
    private_key BYTEA NOT NULL,
    public_jwk BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    retired_at TIMESTAMPTZ
);

CREATE TABLE idempotency_keys (
    client_id    TEXT COLLATE "C" NOT NULL,
    idem_key     TEXT COLLATE "C" NOT NULL,
    request_hash TEXT NOT NULL,
    status       BIGINT NOT NULL,
    body         BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (client_id, idem_key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

CREATE TABLE list_snapshots (
    id           TEXT COLLATE "C" PRIMARY KEY,
    source       TEXT COLLATE "C" NOT NULL,
    version      TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    entity_count BIGINT NOT NULL,
    fetched_at   TIMESTAMPTZ NOT NULL,
    loaded_at    TIMESTAMPTZ NOT NULL,
    active       BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE UNIQUE INDEX list_snapshots_hash_idx ON list_snapshots (source, content_hash);
CREATE UNIQUE INDEX list_snapshots_active_idx ON list_snapshots (source) WHERE active;

CREATE TABLE list_entities (
    snapshot_id  TEXT COLLATE "C" NOT NULL REFERENCES list_snapshots (id) ON DELETE CASCADE,
    entity_id    TEXT COLLATE "C" NOT NULL,
    content_hash TEXT NOT NULL,
    data         BYTEA NOT NULL,
    PRIMARY KEY (snapshot_id, entity_id)
);

CREATE TABLE documents (
    id           TEXT COLLATE "C" PRIMARY KEY,
    customer_id  TEXT COLLATE "C" NOT NULL REFERENCES customers (id),
    kind         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    content      BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX documents_customer_idx ON documents (customer_id, created_at);

-- +goose Down
DROP TABLE documents;
DROP TABLE list_entities;
DROP TABLE list_snapshots;
DROP TABLE idempotency_keys;
DROP TABLE signing_keys;
DROP TABLE api_clients;
DROP TABLE audit_head;
DROP TABLE audit_events;
DROP TABLE screening_hits;
DROP TABLE case_decisions;
DROP TABLE cases;
DROP TABLE risk_assessments;
DROP TABLE checks;
DROP TABLE customers;
