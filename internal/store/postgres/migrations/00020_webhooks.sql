-- Webhooks (README, "Webhooks"): the endpoints a tenant registered, the
-- outbox of events written in the same transaction as the change they
-- announce, one delivery per event and subscribed endpoint, and every
-- attempt of a delivery. Endpoint secrets are encrypted at rest; after a
-- rotation the previous secret is kept (encrypted) until previous_until so
-- that both sign. Payloads carry ids and statuses, never personal data.

-- +goose Up
CREATE TABLE webhook_endpoints (
    id              TEXT COLLATE "C" PRIMARY KEY,
    tenant          TEXT COLLATE "C" NOT NULL,
    url             TEXT NOT NULL,
    description     TEXT NOT NULL,
    event_types     TEXT NOT NULL,
    secret          BYTEA NOT NULL,
    previous_secret BYTEA,
    previous_until  TIMESTAMPTZ,
    created_by      TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    deleted_at      TIMESTAMPTZ
);
CREATE INDEX webhook_endpoints_tenant_idx ON webhook_endpoints (tenant, id);

CREATE TABLE webhook_events (
    id         TEXT COLLATE "C" PRIMARY KEY,
    tenant     TEXT COLLATE "C" NOT NULL,
    type       TEXT COLLATE "C" NOT NULL,
    payload    TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE webhook_deliveries (
    id               TEXT COLLATE "C" PRIMARY KEY,
    tenant           TEXT COLLATE "C" NOT NULL,
    event_id         TEXT COLLATE "C" NOT NULL REFERENCES webhook_events (id),
    endpoint_id      TEXT COLLATE "C" NOT NULL REFERENCES webhook_endpoints (id),
    event_type       TEXT COLLATE "C" NOT NULL,
    status           TEXT COLLATE "C" NOT NULL,
    attempts         BIGINT NOT NULL,
    next_attempt_at  TIMESTAMPTZ,
    last_attempt_at  TIMESTAMPTZ,
    last_status_code BIGINT NOT NULL,
    last_error       TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, id);
CREATE INDEX webhook_deliveries_status_idx ON webhook_deliveries (status, next_attempt_at);

CREATE TABLE webhook_attempts (
    delivery_id TEXT COLLATE "C" NOT NULL REFERENCES webhook_deliveries (id),
    attempt     BIGINT NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    status_code BIGINT NOT NULL,
    duration_us BIGINT NOT NULL,
    error       TEXT NOT NULL,
    manual      BOOLEAN NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);

-- +goose Down
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_events;
DROP TABLE webhook_endpoints;
