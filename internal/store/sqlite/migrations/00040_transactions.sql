-- Transaction monitoring (README, "Transaction monitoring"): the customers'
-- transactions reported by client systems, the alerts the rules raise on
-- them and the suspicious-transaction reports built from their cases.
--
-- A transaction is idempotent on (tenant, external_id); content_hash tells
-- a repeat from a different transaction under the same id. The
-- counterparty's name, account and type are personal data: encrypted
-- (counterparty); its country is kept in clear for the aggregates. Rules
-- read the customer's history through transactions_customer_time_idx
-- (customer, occurred_at): one range scan per customer and window.

-- +goose Up
CREATE TABLE transactions (
    id                   TEXT PRIMARY KEY,
    tenant               TEXT NOT NULL,
    customer_id          TEXT NOT NULL REFERENCES customers (id),
    external_id          TEXT NOT NULL,
    amount               INTEGER NOT NULL,
    currency             TEXT NOT NULL,
    reporting_amount     INTEGER NOT NULL,
    reporting_currency   TEXT NOT NULL,
    direction            TEXT NOT NULL,
    channel              TEXT NOT NULL,
    counterparty         BLOB NOT NULL,
    counterparty_country TEXT NOT NULL DEFAULT '',
    occurred_at          INTEGER NOT NULL,
    created_at           INTEGER NOT NULL,
    client_id            TEXT NOT NULL DEFAULT '',
    content_hash         TEXT NOT NULL
);
CREATE UNIQUE INDEX transactions_external_idx ON transactions (tenant, external_id);
CREATE INDEX transactions_customer_time_idx ON transactions (customer_id, occurred_at);
CREATE INDEX transactions_tenant_idx ON transactions (tenant, id);

CREATE TABLE alerts (
    id                 TEXT PRIMARY KEY,
    tenant             TEXT NOT NULL,
    customer_id        TEXT NOT NULL REFERENCES customers (id),
    case_id            TEXT NOT NULL DEFAULT '',
    rule               TEXT NOT NULL,
    rule_version       TEXT NOT NULL,
    rule_set_version   TEXT NOT NULL,
    severity           TEXT NOT NULL,
    parameters         TEXT NOT NULL,
    transaction_id     TEXT NOT NULL,
    transaction_ids    TEXT NOT NULL,
    explanation        BLOB NOT NULL,
    error              TEXT NOT NULL DEFAULT '',
    status             TEXT NOT NULL,
    disposition_reason BLOB,
    disposition_by     TEXT NOT NULL DEFAULT '',
    disposition_at     INTEGER,
    created_at         INTEGER NOT NULL
);
CREATE INDEX alerts_tenant_idx ON alerts (tenant, id);
CREATE INDEX alerts_customer_idx ON alerts (customer_id, rule, id);
CREATE INDEX alerts_case_idx ON alerts (case_id);

CREATE TABLE reports (
    id            TEXT PRIMARY KEY,
    tenant        TEXT NOT NULL,
    case_id       TEXT NOT NULL REFERENCES cases (id),
    customer_id   TEXT NOT NULL REFERENCES customers (id),
    type          TEXT NOT NULL,
    status        TEXT NOT NULL,
    reason        BLOB NOT NULL,
    xml           BLOB NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    submitted_by  TEXT NOT NULL DEFAULT '',
    submitted_at  INTEGER,
    fiu_reference TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL
);
CREATE INDEX reports_case_idx ON reports (case_id);

-- +goose Down
DROP TABLE reports;
DROP TABLE alerts;
DROP TABLE transactions;
