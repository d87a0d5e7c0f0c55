-- API clients changed in any process are announced on a notification
-- channel (issue 13): every replica's token verifier caches the client rows
-- it reads on each request and drops a row when it hears of a change
-- (internal/store/postgres/clientwatch.go). The payload is the schema and
-- the client id ("schema id"), so that two deployments in one database
-- (one schema each) do not act on each other's changes.
-- The last-use time, written when a client obtains a token, is not a change
-- the verifier cares about and is not announced. The notification is sent
-- at commit, and only then.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION api_clients_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (to_jsonb(OLD) - 'last_used_at') = (to_jsonb(NEW) - 'last_used_at') THEN
        RETURN NULL;
    END IF;
    PERFORM pg_notify('kyc_api_clients', TG_TABLE_SCHEMA || ' ' || OLD.id);
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER api_clients_notify AFTER UPDATE OR DELETE ON api_clients
    FOR EACH ROW EXECUTE FUNCTION api_clients_notify();

-- +goose Down
DROP TRIGGER api_clients_notify ON api_clients;
DROP FUNCTION api_clients_notify();
