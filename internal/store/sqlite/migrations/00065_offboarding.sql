-- Off-boarding and records (issue 8, item 4): a customer relationship is
-- closed (closed_at, the reason encrypted like a decision reason), the
-- retention period runs from closure or rejection (retention_ends_at), an
-- erasure request inside retention restricts the record (restricted_at:
-- hidden from everyone but auditors) and the purge job removes the
-- personal data when retention ends (purged_at).

-- +goose Up
ALTER TABLE customers ADD COLUMN closed_at INTEGER;
ALTER TABLE customers ADD COLUMN close_reason BLOB;
ALTER TABLE customers ADD COLUMN retention_ends_at INTEGER;
ALTER TABLE customers ADD COLUMN restricted_at INTEGER;
ALTER TABLE customers ADD COLUMN purged_at INTEGER;
CREATE INDEX customers_retention_idx ON customers (retention_ends_at);

-- +goose Down
DROP INDEX customers_retention_idx;
ALTER TABLE customers DROP COLUMN purged_at;
ALTER TABLE customers DROP COLUMN restricted_at;
ALTER TABLE customers DROP COLUMN retention_ends_at;
ALTER TABLE customers DROP COLUMN close_reason;
ALTER TABLE customers DROP COLUMN closed_at;
