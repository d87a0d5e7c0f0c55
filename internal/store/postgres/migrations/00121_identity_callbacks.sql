-- Identity-provider callbacks (issue 11, item 1): every event id a provider
-- sent with a result, so that a replayed callback (the same event id) is
-- recognised and changes nothing. Not personal data: ids and a time.

-- +goose Up
CREATE TABLE identity_callbacks (
    provider    TEXT COLLATE "C" NOT NULL,
    event_id    TEXT COLLATE "C" NOT NULL,
    check_id    TEXT COLLATE "C" NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (provider, event_id)
);

-- +goose Down
DROP TABLE identity_callbacks;
