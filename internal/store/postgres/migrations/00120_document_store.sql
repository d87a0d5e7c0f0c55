-- Documents API and document store (issue 11, item 4): a document may name
-- the related person of a business it is about, and its encrypted content
-- is kept outside the database (the data directory or an S3-compatible
-- bucket) under content_key; rows written before keep it in content, and
-- content is empty when content_key is set.

-- +goose Up
ALTER TABLE documents ADD COLUMN related_person_id TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN content_key TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE documents DROP COLUMN content_key;
ALTER TABLE documents DROP COLUMN related_person_id;
