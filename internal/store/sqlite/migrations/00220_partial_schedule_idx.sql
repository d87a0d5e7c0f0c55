-- The review schedule's and the retention's indexes hold only the customers
-- that have a date: a customer is created and submitted with neither (the
-- next review is set by the decision, the end of retention at closing), so
-- every create and every update until then wrote a NULL entry into both
-- indexes for nothing. The queries that read them
-- (ListCustomersDueForReview, CountReviewsBetween, ListCustomersDueForPurge)
-- already say "… IS NOT NULL" beside a range on the column, which both
-- engines take as implying the index's predicate, so
-- they use the partial index as they used the full one (#13: two of the
-- customer row's nine index writes gone from the write path).

-- +goose Up
DROP INDEX customers_next_review_idx;
CREATE INDEX customers_next_review_idx ON customers (next_review_at) WHERE next_review_at IS NOT NULL;
DROP INDEX customers_retention_idx;
CREATE INDEX customers_retention_idx ON customers (retention_ends_at) WHERE retention_ends_at IS NOT NULL;

-- +goose Down
DROP INDEX customers_retention_idx;
CREATE INDEX customers_retention_idx ON customers (retention_ends_at);
DROP INDEX customers_next_review_idx;
CREATE INDEX customers_next_review_idx ON customers (next_review_at);
