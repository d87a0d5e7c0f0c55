-- Rate-limit leases (issue 13): a replica takes a few tokens of a bucket
-- in one statement and spends them itself (store.RateLeaser); the
-- statement reports how many it granted here.

-- +goose Up
ALTER TABLE rate_limits ADD COLUMN granted INT NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE rate_limits DROP COLUMN granted;
