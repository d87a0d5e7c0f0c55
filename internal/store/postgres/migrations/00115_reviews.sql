-- Periodic reviews and other ongoing due diligence (issue 8, items 2 and
-- 3): a customer has at most one open case of each ongoing kind
-- (periodic_review, change_review, document_expiry), whatever number of
-- replicas run the scans at once; a second insert fails on this index and
-- its transaction rolls back.

-- +goose Up
CREATE UNIQUE INDEX cases_one_open_ongoing_idx ON cases (customer_id, kind)
WHERE kind IN ('periodic_review', 'change_review', 'document_expiry') AND status <> 'closed';

-- +goose Down
DROP INDEX cases_one_open_ongoing_idx;
