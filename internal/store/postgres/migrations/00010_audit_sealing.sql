-- Audit sealing (issue 13) and the keyed chain (issue 12, item 7).
--
-- A change no longer extends the chain inside its own transaction: it
-- appends its event to audit_journal (no lock, no hash), and one sealer at
-- a time moves journaled events into audit_events, giving each the next
-- sequence number and its HMAC link (ARCHITECTURE.md, "The audit trail").
-- audit_events thus holds only sealed events and is append-only: a trigger
-- refuses UPDATE, DELETE and TRUNCATE.
--
-- Databases written by earlier versions keep their unkeyed SHA-256 prefix:
-- audit_head records where it ends (legacy_seq, legacy_hash); the first
-- sealer authenticates that switch-over point under the audit key
-- (legacy_mac, key_id) so that it cannot be moved later.

-- +goose Up
CREATE TABLE audit_journal (
    pos         BIGSERIAL PRIMARY KEY,
    id          TEXT COLLATE "C" NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    tenant      TEXT COLLATE "C" NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id   TEXT COLLATE "C" NOT NULL,
    digest      TEXT NOT NULL,
    meta        TEXT NOT NULL
);

ALTER TABLE audit_events ADD COLUMN sealed_at TIMESTAMPTZ;

ALTER TABLE audit_head
    ADD COLUMN legacy_seq BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN legacy_hash TEXT NOT NULL DEFAULT '',
    ADD COLUMN legacy_mac TEXT NOT NULL DEFAULT '',
    ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
UPDATE audit_head SET legacy_seq = seq, legacy_hash = hash;

-- +goose StatementBegin
CREATE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- +goose Down
DROP TRIGGER audit_events_no_truncate ON audit_events;
DROP TRIGGER audit_events_append_only ON audit_events;
DROP FUNCTION audit_events_append_only();
ALTER TABLE audit_head
    DROP COLUMN key_id,
    DROP COLUMN legacy_mac,
    DROP COLUMN legacy_hash,
    DROP COLUMN legacy_seq;
ALTER TABLE audit_events DROP COLUMN sealed_at;
DROP TABLE audit_journal;
