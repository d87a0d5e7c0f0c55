-- One-off backfills run by a job at start (issue 8 gap b): how far each
-- got (cursor: the last customer id done) and when it finished, so that
-- a restart resumes where it stopped and a finished one never runs again.

-- +goose Up
CREATE TABLE backfills (
    name    TEXT PRIMARY KEY,
    cursor  TEXT NOT NULL DEFAULT '',
    done_at TIMESTAMPTZ
);

-- +goose Down
DROP TABLE backfills;
