-- The master key check value (issue 12, item 6): an HMAC of a fixed label
-- under a subkey of the master key (vault.CheckValue), written on first use.
-- A process whose master key gives another value refuses to start instead
-- of writing data that the real key could never read again. Not secret.

-- +goose Up
CREATE TABLE master_key_check (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    check_value TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE master_key_check;
