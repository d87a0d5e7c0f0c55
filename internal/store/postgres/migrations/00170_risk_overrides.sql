-- Risk overrides (issue 10, item 3): an analyst's request to replace a
-- customer's computed risk rating, with a reason, and an mlro's decision on
-- it (RISK_MODEL.md: "stored beside the computed rating, never in its
-- place"). computed_rating and computed_due_diligence are the assessment's
-- values the override was made against; an approved override is in force
-- only while the latest assessment still has them. reason and
-- decision_note are sealed by the vault (personal data may be in them).
-- At most one pending and one approved override per customer.

-- +goose Up
CREATE TABLE risk_overrides (
    id                     TEXT PRIMARY KEY,
    customer_id            TEXT NOT NULL REFERENCES customers (id),
    rating                 TEXT NOT NULL,
    due_diligence          TEXT NOT NULL,
    computed_rating        TEXT NOT NULL,
    computed_due_diligence TEXT NOT NULL,
    reason                 BYTEA NOT NULL,
    status                 TEXT NOT NULL,
    requested_by           TEXT NOT NULL,
    requested_at           TIMESTAMPTZ NOT NULL,
    decided_by             TEXT NOT NULL DEFAULT '',
    decided_at             TIMESTAMPTZ,
    decision_note          BYTEA,
    ended_at               TIMESTAMPTZ
);
CREATE INDEX risk_overrides_customer_idx ON risk_overrides (customer_id, requested_at);
CREATE UNIQUE INDEX risk_overrides_one_pending ON risk_overrides (customer_id) WHERE status = 'pending';
CREATE UNIQUE INDEX risk_overrides_one_approved ON risk_overrides (customer_id) WHERE status = 'approved';

-- +goose Down
DROP TABLE risk_overrides;
