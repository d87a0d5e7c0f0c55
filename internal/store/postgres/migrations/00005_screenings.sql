-- Ad-hoc screenings (POST /api/v1/screenings, kyc screen): each is kept as
-- evidence — the query (encrypted: it is personal data), the matches, the
-- list snapshots, the algorithm version and the threshold — so that a past
-- result can be explained and reproduced.

-- +goose Up
CREATE TABLE screenings (
    id                TEXT COLLATE "C" PRIMARY KEY,
    tenant            TEXT COLLATE "C" NOT NULL,
    actor             TEXT NOT NULL,
    query             BYTEA NOT NULL,
    matches           TEXT NOT NULL,
    snapshot_ids      TEXT NOT NULL,
    algorithm_version TEXT NOT NULL,
    threshold         DOUBLE PRECISION NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX screenings_tenant_idx ON screenings (tenant, id);

-- +goose Down
DROP TABLE screenings;
