-- Transactions, their alerts and suspicious-transaction reports. Shared by
-- both engines.

-- name: InsertTransaction :execrows
-- A repeat of (tenant, external_id) inserts nothing (0 rows); the caller
-- then compares the stored content.
INSERT INTO transactions (
    id, tenant, customer_id, external_id, amount, currency, reporting_amount, reporting_currency,
    direction, channel, counterparty, counterparty_country, occurred_at, created_at, client_id, content_hash
) VALUES (
    sqlc.arg(id), sqlc.arg(tenant), sqlc.arg(customer_id), sqlc.arg(external_id), sqlc.arg(amount),
    sqlc.arg(currency), sqlc.arg(reporting_amount), sqlc.arg(reporting_currency), sqlc.arg(direction),
    sqlc.arg(channel), sqlc.arg(counterparty), sqlc.arg(counterparty_country), sqlc.arg(occurred_at),
    sqlc.arg(created_at), sqlc.arg(client_id), sqlc.arg(content_hash)
) ON CONFLICT (tenant, external_id) DO NOTHING;

-- name: GetTransaction :one
SELECT * FROM transactions WHERE id = sqlc.arg(id);

-- name: GetTransactionByExternalID :one
SELECT * FROM transactions WHERE tenant = sqlc.arg(tenant) AND external_id = sqlc.arg(external_id);

-- name: CustomerHistory :many
-- The customer's transactions with occurred_at in (after, until]: one range
-- scan of transactions_customer_time_idx. No personal data.
SELECT id, external_id, amount, currency, reporting_amount, direction, channel, counterparty_country, occurred_at
FROM transactions
WHERE customer_id = sqlc.arg(customer_id) AND occurred_at > sqlc.arg(after) AND occurred_at <= sqlc.arg(until)
ORDER BY occurred_at, id;

-- name: ListTransactions :many
SELECT * FROM transactions
WHERE (CAST(sqlc.arg(tenant) AS TEXT) = '' OR tenant = sqlc.arg(tenant))
  AND (CAST(sqlc.arg(customer_id) AS TEXT) = '' OR customer_id = sqlc.arg(customer_id))
  AND occurred_at >= sqlc.arg(from_at) AND occurred_at < sqlc.arg(to_at)
  AND (CAST(sqlc.arg(after) AS TEXT) = '' OR id < sqlc.arg(after))
ORDER BY id DESC
LIMIT CAST(sqlc.arg(lim) AS BIGINT);

-- name: ListTransactionsByCustomerTime :many
-- Every transaction with occurred_at in [from_at, to_at), oldest first, for
-- back-testing; after_id continues after the last (occurred_at, id) seen.
SELECT id, customer_id, external_id, amount, currency, reporting_amount, direction, channel, counterparty_country, occurred_at
FROM transactions
WHERE occurred_at >= sqlc.arg(from_at) AND occurred_at < sqlc.arg(to_at)
  AND (occurred_at > sqlc.arg(after_at) OR (occurred_at = sqlc.arg(after_at) AND id > sqlc.arg(after_id)))
ORDER BY occurred_at, id
LIMIT CAST(sqlc.arg(lim) AS BIGINT);

-- name: CreateAlert :exec
INSERT INTO alerts (
    id, tenant, customer_id, case_id, rule, rule_version, rule_set_version, severity, parameters,
    transaction_id, transaction_ids, explanation, error, status, disposition_reason, disposition_by,
    disposition_at, created_at
) VALUES (
    sqlc.arg(id), sqlc.arg(tenant), sqlc.arg(customer_id), sqlc.arg(case_id), sqlc.arg(rule),
    sqlc.arg(rule_version), sqlc.arg(rule_set_version), sqlc.arg(severity), sqlc.arg(parameters),
    sqlc.arg(transaction_id), sqlc.arg(transaction_ids), sqlc.arg(explanation), sqlc.arg(error),
    sqlc.arg(status), sqlc.arg(disposition_reason), sqlc.arg(disposition_by), sqlc.arg(disposition_at),
    sqlc.arg(created_at)
);

-- name: GetAlert :one
SELECT * FROM alerts WHERE id = sqlc.arg(id);

-- name: UpdateAlertDisposition :execrows
UPDATE alerts SET
    status = sqlc.arg(status),
    disposition_reason = sqlc.arg(disposition_reason),
    disposition_by = sqlc.arg(disposition_by),
    disposition_at = sqlc.arg(disposition_at)
WHERE id = sqlc.arg(id);

-- name: ListAlerts :many
SELECT * FROM alerts
WHERE (CAST(sqlc.arg(tenant) AS TEXT) = '' OR tenant = sqlc.arg(tenant))
  AND (CAST(sqlc.arg(customer_id) AS TEXT) = '' OR customer_id = sqlc.arg(customer_id))
  AND (CAST(sqlc.arg(rule) AS TEXT) = '' OR rule = sqlc.arg(rule))
  AND (CAST(sqlc.arg(status) AS TEXT) = '' OR status = sqlc.arg(status))
  AND (CAST(sqlc.arg(case_id) AS TEXT) = '' OR case_id = sqlc.arg(case_id))
  AND (CAST(sqlc.arg(after) AS TEXT) = '' OR id < sqlc.arg(after))
ORDER BY id DESC
LIMIT CAST(sqlc.arg(lim) AS BIGINT);

-- name: OpenAlertCase :one
-- The customer's open transaction_alert case that holds alerts of the rule.
SELECT c.id FROM cases c
WHERE c.customer_id = sqlc.arg(customer_id) AND c.kind = 'transaction_alert' AND c.status <> 'closed'
  AND EXISTS (SELECT 1 FROM alerts a WHERE a.case_id = c.id AND a.rule = sqlc.arg(rule))
ORDER BY c.id
LIMIT 1;

-- name: CreateReport :exec
INSERT INTO reports (
    id, tenant, case_id, customer_id, type, status, reason, xml, created_by, created_at,
    submitted_by, submitted_at, fiu_reference, version
) VALUES (
    sqlc.arg(id), sqlc.arg(tenant), sqlc.arg(case_id), sqlc.arg(customer_id), sqlc.arg(type),
    sqlc.arg(status), sqlc.arg(reason), sqlc.arg(xml), sqlc.arg(created_by), sqlc.arg(created_at),
    sqlc.arg(submitted_by), sqlc.arg(submitted_at), sqlc.arg(fiu_reference), sqlc.arg(version)
);

-- name: GetReport :one
SELECT * FROM reports WHERE id = sqlc.arg(id);

-- name: ListReportsByCase :many
SELECT * FROM reports WHERE case_id = sqlc.arg(case_id) ORDER BY id;

-- name: UpdateReport :execrows
UPDATE reports SET
    status = sqlc.arg(status),
    submitted_by = sqlc.arg(submitted_by),
    submitted_at = sqlc.arg(submitted_at),
    fiu_reference = sqlc.arg(fiu_reference),
    version = sqlc.arg(version)
WHERE id = sqlc.arg(id) AND version = sqlc.arg(prev_version);
