-- Changes of circumstances (issue 8, item 3): a PATCH on an approved
-- customer keeps the values it replaced (previous: the changed fields'
-- former values, encrypted like the customer's data), re-runs the checks
-- (round) and records what they concluded: kept (still approvable) or
-- case (a change_review case opened).

-- +goose Up
CREATE TABLE customer_changes (
    id              TEXT PRIMARY KEY,
    customer_id     TEXT NOT NULL REFERENCES customers (id),
    actor           TEXT NOT NULL,
    fields          TEXT NOT NULL,
    previous        BYTEA NOT NULL,
    previous_rating TEXT NOT NULL DEFAULT '',
    round           BIGINT NOT NULL,
    outcome         TEXT NOT NULL DEFAULT '',
    case_id         TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    decided_at      TIMESTAMPTZ
);
CREATE INDEX customer_changes_customer_idx ON customer_changes (customer_id, created_at);

-- +goose Down
DROP TABLE customer_changes;
