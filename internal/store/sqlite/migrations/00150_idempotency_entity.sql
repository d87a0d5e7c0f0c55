-- Idempotency-Key crash window (issue 12, item 4): the transaction that
-- makes the business write of an idempotent request also records, on the
-- request's reservation, the entity it created. A process that dies after
-- that commit but before the response is stored leaves the reservation
-- naming the entity, so the retry answers with that entity instead of
-- creating a second one, and a failed request's release never frees a key
-- whose write committed. Ids only, no personal data.

-- +goose Up
ALTER TABLE idempotency_keys ADD COLUMN entity_type TEXT NOT NULL DEFAULT '';
ALTER TABLE idempotency_keys ADD COLUMN entity_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN entity_id;
ALTER TABLE idempotency_keys DROP COLUMN entity_type;
