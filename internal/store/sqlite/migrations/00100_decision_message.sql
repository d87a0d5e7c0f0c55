-- Decisions carry the message to the applicant apart from the internal
-- reason (issue 10, item 5; tipping-off: AMLD art. 39, AMLR art. 73): a
-- request for information keeps its reason for staff and sends the
-- applicant only message, encrypted like the reason. NULL for decisions
-- that sent no message and for those recorded before this migration.

-- +goose Up
ALTER TABLE case_decisions ADD COLUMN message BLOB;

-- +goose Down
ALTER TABLE case_decisions DROP COLUMN message;
