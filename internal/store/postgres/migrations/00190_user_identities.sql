-- Staff single sign-on with OpenID Connect (issue 11, item 5): the link of
-- a staff user to an account at the identity provider. A link is found by a
-- keyed blind index of the issuer and the subject (the provider's stable id
-- of the person), never by the e-mail address; the subject itself is not
-- stored. A user may have no link (local accounts, the break-glass admin).

-- +goose Up
CREATE TABLE user_identities (
    subject_index   TEXT COLLATE "C" PRIMARY KEY,
    issuer          TEXT NOT NULL,
    user_id         TEXT COLLATE "C" NOT NULL REFERENCES users (id),
    created_at      TIMESTAMPTZ NOT NULL,
    last_sign_in_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX user_identities_user_idx ON user_identities (user_id);

-- +goose Down
DROP INDEX user_identities_user_idx;
DROP TABLE user_identities;
