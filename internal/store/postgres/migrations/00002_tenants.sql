-- Tenants: every API client belongs to a tenant, and the customers, cases
-- and audit events it creates carry that tenant. A client sees only its
-- tenant's records; staff users and the operator see every tenant.

-- +goose Up
ALTER TABLE api_clients ADD COLUMN tenant TEXT COLLATE "C" NOT NULL DEFAULT 'default';
ALTER TABLE customers ADD COLUMN tenant TEXT COLLATE "C" NOT NULL DEFAULT 'default';
CREATE INDEX customers_tenant_idx ON customers (tenant, id);
ALTER TABLE cases ADD COLUMN tenant TEXT COLLATE "C" NOT NULL DEFAULT 'default';
CREATE INDEX cases_tenant_idx ON cases (tenant, id);
ALTER TABLE audit_events ADD COLUMN tenant TEXT COLLATE "C" NOT NULL DEFAULT '';
CREATE INDEX audit_events_tenant_idx ON audit_events (tenant, seq);

-- +goose Down
DROP INDEX audit_events_tenant_idx;
ALTER TABLE audit_events DROP COLUMN tenant;
DROP INDEX cases_tenant_idx;
ALTER TABLE cases DROP COLUMN tenant;
DROP INDEX customers_tenant_idx;
ALTER TABLE customers DROP COLUMN tenant;
ALTER TABLE api_clients DROP COLUMN tenant;
