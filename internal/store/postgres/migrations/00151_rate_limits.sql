-- API rate limits (issue 12, item 3): one GCRA bucket per client and scope
-- family, its theoretical arrival time (TAT) in microseconds since the Unix
-- epoch, shared by every replica. UNLOGGED: the state is worth less than
-- the write-ahead log it would cost on every request; after a crash the
-- table is empty and every bucket starts full. Rows whose TAT has passed
-- are purged (a full bucket needs no row). No personal data: client ids
-- and scope families.

-- +goose Up
CREATE UNLOGGED TABLE rate_limits (
    bucket TEXT COLLATE "C" PRIMARY KEY,
    tat    BIGINT NOT NULL
);

-- +goose Down
DROP TABLE rate_limits;
