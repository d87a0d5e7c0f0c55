-- Re-screening on list change (issue 8, item 1). A run per activation of a
-- list snapshot (re-activating an older edition is a new run; a snapshot
-- has at most one run not done) screens the customer book against the
-- added and changed entities; its cursor (the last customer id screened) moves
-- in the transaction that stores a batch's hits, so a restart resumes
-- where it stopped. rescreen_hits keeps one hit per customer, list entity
-- and entity content: two workers never raise the same hit twice. An
-- entity removed from its list is noted on the open hits of it.

-- +goose Up
CREATE TABLE rescreen_runs (
    id                   TEXT PRIMARY KEY,
    snapshot_id          TEXT NOT NULL REFERENCES list_snapshots (id),
    previous_snapshot_id TEXT NOT NULL DEFAULT '',
    source               TEXT NOT NULL,
    status               TEXT NOT NULL,
    cursor_id            TEXT NOT NULL DEFAULT '',
    delta                INTEGER NOT NULL DEFAULT 0,
    removed              INTEGER NOT NULL DEFAULT 0,
    customers            INTEGER NOT NULL DEFAULT 0,
    names                INTEGER NOT NULL DEFAULT 0,
    hits                 INTEGER NOT NULL DEFAULT 0,
    cases                INTEGER NOT NULL DEFAULT 0,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    finished_at          INTEGER
);
CREATE UNIQUE INDEX rescreen_runs_pending_idx ON rescreen_runs (snapshot_id) WHERE status <> 'done';
CREATE INDEX rescreen_runs_status_idx ON rescreen_runs (status, created_at);

CREATE TABLE rescreen_hits (
    customer_id TEXT NOT NULL REFERENCES customers (id),
    list        TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    entity_hash TEXT NOT NULL,
    hit_id      TEXT NOT NULL,
    run_id      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (customer_id, list, entity_id, entity_hash)
);

ALTER TABLE screening_hits ADD COLUMN entity_removed_at INTEGER;
ALTER TABLE screening_hits ADD COLUMN entity_removed_snapshot TEXT NOT NULL DEFAULT '';
CREATE INDEX screening_hits_entity_idx ON screening_hits (list, entity_id);

-- At most one open list_update case per customer: new hits join it.
CREATE UNIQUE INDEX cases_open_list_update_idx ON cases (customer_id) WHERE kind = 'list_update' AND status <> 'closed';

-- +goose Down
DROP INDEX cases_open_list_update_idx;
DROP INDEX screening_hits_entity_idx;
ALTER TABLE screening_hits DROP COLUMN entity_removed_snapshot;
ALTER TABLE screening_hits DROP COLUMN entity_removed_at;
DROP TABLE rescreen_hits;
DROP TABLE rescreen_runs;
