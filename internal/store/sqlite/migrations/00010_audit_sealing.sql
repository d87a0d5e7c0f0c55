-- Audit sealing (issue 13) and the keyed chain (issue 12, item 7).
--
-- A change no longer extends the chain inside its own transaction: it
-- appends its event to audit_journal (no lock, no hash), and one sealer at
-- a time moves journaled events into audit_events, giving each the next
-- sequence number and its HMAC link (ARCHITECTURE.md, "The audit trail").
-- audit_events thus holds only sealed events and is append-only: triggers
-- refuse UPDATE and DELETE.
--
-- Databases written by earlier versions keep their unkeyed SHA-256 prefix:
-- audit_head records where it ends (legacy_seq, legacy_hash); the first
-- sealer authenticates that switch-over point under the audit key
-- (legacy_mac, key_id) so that it cannot be moved later.

-- +goose Up
CREATE TABLE audit_journal (
    pos         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL,
    occurred_at INTEGER NOT NULL,
    tenant      TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    digest      TEXT NOT NULL,
    meta        TEXT NOT NULL
);

ALTER TABLE audit_events ADD COLUMN sealed_at INTEGER;

ALTER TABLE audit_head ADD COLUMN legacy_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_head ADD COLUMN legacy_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_head ADD COLUMN legacy_mac TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_head ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
UPDATE audit_head SET legacy_seq = seq, legacy_hash = hash;

-- +goose StatementBegin
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_events_no_delete;
DROP TRIGGER audit_events_no_update;
ALTER TABLE audit_head DROP COLUMN key_id;
ALTER TABLE audit_head DROP COLUMN legacy_mac;
ALTER TABLE audit_head DROP COLUMN legacy_hash;
ALTER TABLE audit_head DROP COLUMN legacy_seq;
ALTER TABLE audit_events DROP COLUMN sealed_at;
DROP TABLE audit_journal;
