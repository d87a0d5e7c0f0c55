-- API client management (issue 12, item 8): when a client last obtained a
-- token, when its secret was last replaced (tokens issued before are
-- refused) and when it was deleted (the row stays, without its secret
-- hash, so that the audit trail's actor ids keep their meaning and an id
-- is never reused).

-- +goose Up
ALTER TABLE api_clients ADD COLUMN last_used_at TIMESTAMPTZ;
ALTER TABLE api_clients ADD COLUMN secret_rotated_at TIMESTAMPTZ;
ALTER TABLE api_clients ADD COLUMN deleted_at TIMESTAMPTZ;

-- +goose Down
ALTER TABLE api_clients DROP COLUMN deleted_at;
ALTER TABLE api_clients DROP COLUMN secret_rotated_at;
ALTER TABLE api_clients DROP COLUMN last_used_at;
