-- Identity documents that expire (issue 8, item 3): the expiry date of
-- each identity document of an approved customer (party '' for the
-- customer's own, else the related person's id), kept beside the
-- encrypted data so that a scan can find the documents about to expire;
-- case_id is the document_expiry case opened for that expiry.

-- +goose Up
CREATE TABLE document_expiries (
    customer_id TEXT NOT NULL REFERENCES customers (id),
    party       TEXT NOT NULL,
    expires_on  TEXT NOT NULL,
    case_id     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (customer_id, party, expires_on)
);
CREATE INDEX document_expiries_due_idx ON document_expiries (expires_on) WHERE case_id = '';

-- +goose Down
DROP TABLE document_expiries;
