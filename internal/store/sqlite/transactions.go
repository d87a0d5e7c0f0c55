package sqlite

// Shared by both engines: `make generate` copies this file to ../postgres
// (see repos.go); edit it here only.

import (
	"context"
	"fmt"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

// The time bounds of an unbounded filter: both engines store them.
var (
	minTime = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
)

// transactions implements store.Transactions.
type transactions repos

func txOut(t gen.Transaction) store.TransactionRecord {
	return store.TransactionRecord{
		ID: t.ID, Tenant: t.Tenant, CustomerID: t.CustomerID, ExternalID: t.ExternalID, Amount: t.Amount,
		Currency: t.Currency, ReportingAmount: t.ReportingAmount, ReportingCurrency: t.ReportingCurrency,
		Direction: t.Direction, Channel: t.Channel, Counterparty: t.Counterparty, CounterpartyCountry: t.CounterpartyCountry,
		OccurredAt: tsOut(t.OccurredAt), CreatedAt: tsOut(t.CreatedAt), ClientID: t.ClientID, ContentHash: t.ContentHash,
	}
}

func (r transactions) Insert(ctx context.Context, t store.TransactionRecord) (bool, error) {
	n, err := r.q.InsertTransaction(ctx, gen.InsertTransactionParams{
		ID: t.ID, Tenant: t.Tenant, CustomerID: t.CustomerID, ExternalID: t.ExternalID, Amount: t.Amount,
		Currency: t.Currency, ReportingAmount: t.ReportingAmount, ReportingCurrency: t.ReportingCurrency,
		Direction: t.Direction, Channel: t.Channel, Counterparty: notNil(t.Counterparty), CounterpartyCountry: t.CounterpartyCountry,
		OccurredAt: tsIn(t.OccurredAt), CreatedAt: tsIn(t.CreatedAt), ClientID: t.ClientID, ContentHash: t.ContentHash,
	})
	if err != nil {
		return false, mapErr(err)
	}
	return n == 1, nil
}

func (r transactions) Get(ctx context.Context, id string) (store.TransactionRecord, error) {
	t, err := r.q.GetTransaction(ctx, id)
	if err != nil {
		return store.TransactionRecord{}, mapErr(err)
	}
	return txOut(t), nil
}

func (r transactions) GetByExternalID(ctx context.Context, tenant, externalID string) (store.TransactionRecord, error) {
	t, err := r.q.GetTransactionByExternalID(ctx, gen.GetTransactionByExternalIDParams{Tenant: tenant, ExternalID: externalID})
	if err != nil {
		return store.TransactionRecord{}, mapErr(err)
	}
	return txOut(t), nil
}

func (r transactions) History(ctx context.Context, customerID string, after, until time.Time) ([]store.HistoryItem, error) {
	rows, err := r.q.CustomerHistory(ctx, gen.CustomerHistoryParams{CustomerID: customerID, After: tsIn(after), Until: tsIn(until)})
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.HistoryItem, len(rows))
	for i, h := range rows {
		out[i] = store.HistoryItem{
			ID: h.ID, CustomerID: customerID, ExternalID: h.ExternalID, Amount: h.Amount, Currency: h.Currency,
			ReportingAmount: h.ReportingAmount, Direction: h.Direction, Channel: h.Channel,
			CounterpartyCountry: h.CounterpartyCountry, OccurredAt: tsOut(h.OccurredAt),
		}
	}
	return out, nil
}

func bounds(from, to time.Time) (time.Time, time.Time) {
	if from.IsZero() {
		from = minTime
	}
	if to.IsZero() {
		to = maxTime
	}
	return from, to
}

func (r transactions) List(ctx context.Context, f store.TransactionFilter) ([]store.TransactionRecord, error) {
	from, to := bounds(f.From, f.To)
	rows, err := r.q.ListTransactions(ctx, gen.ListTransactionsParams{
		Tenant: f.Tenant, CustomerID: f.CustomerID, FromAt: tsIn(from), ToAt: tsIn(to), After: f.After, Lim: limit(f.Limit),
	})
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.TransactionRecord, len(rows))
	for i, t := range rows {
		out[i] = txOut(t)
	}
	return out, nil
}

func (r transactions) Range(ctx context.Context, from, to, afterAt time.Time, afterID string, n int) ([]store.HistoryItem, error) {
	from, to = bounds(from, to)
	if afterAt.IsZero() {
		afterAt = minTime
	}
	rows, err := r.q.ListTransactionsByCustomerTime(ctx, gen.ListTransactionsByCustomerTimeParams{
		FromAt: tsIn(from), ToAt: tsIn(to), AfterAt: tsIn(afterAt), AfterID: afterID, Lim: limit(n),
	})
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.HistoryItem, len(rows))
	for i, h := range rows {
		out[i] = store.HistoryItem{
			ID: h.ID, CustomerID: h.CustomerID, ExternalID: h.ExternalID, Amount: h.Amount, Currency: h.Currency,
			ReportingAmount: h.ReportingAmount, Direction: h.Direction, Channel: h.Channel,
			CounterpartyCountry: h.CounterpartyCountry, OccurredAt: tsOut(h.OccurredAt),
		}
	}
	return out, nil
}

// alerts implements store.Alerts.
type alerts repos

func alertOut(a gen.Alert) store.AlertRecord {
	return store.AlertRecord{
		ID: a.ID, Tenant: a.Tenant, CustomerID: a.CustomerID, CaseID: a.CaseID, Rule: a.Rule, RuleVersion: a.RuleVersion,
		RuleSetVersion: a.RuleSetVersion, Severity: a.Severity, Parameters: a.Parameters, TransactionID: a.TransactionID,
		TransactionIDs: a.TransactionIds, Explanation: a.Explanation, Error: a.Error, Status: a.Status,
		DispositionReason: a.DispositionReason, DispositionBy: a.DispositionBy, DispositionAt: ntsOut(a.DispositionAt),
		CreatedAt: tsOut(a.CreatedAt),
	}
}

func (r alerts) Create(ctx context.Context, a store.AlertRecord) error {
	return mapErr(r.q.CreateAlert(ctx, gen.CreateAlertParams{
		ID: a.ID, Tenant: a.Tenant, CustomerID: a.CustomerID, CaseID: a.CaseID, Rule: a.Rule, RuleVersion: a.RuleVersion,
		RuleSetVersion: a.RuleSetVersion, Severity: a.Severity, Parameters: a.Parameters, TransactionID: a.TransactionID,
		TransactionIds: a.TransactionIDs, Explanation: notNil(a.Explanation), Error: a.Error, Status: a.Status,
		DispositionReason: a.DispositionReason, DispositionBy: a.DispositionBy, DispositionAt: ntsIn(a.DispositionAt),
		CreatedAt: tsIn(a.CreatedAt),
	}))
}

func (r alerts) Get(ctx context.Context, id string) (store.AlertRecord, error) {
	a, err := r.q.GetAlert(ctx, id)
	if err != nil {
		return store.AlertRecord{}, mapErr(err)
	}
	return alertOut(a), nil
}

func (r alerts) Disposition(ctx context.Context, a store.AlertRecord) error {
	return rowsOrNotFound(r.q.UpdateAlertDisposition(ctx, gen.UpdateAlertDispositionParams{
		ID: a.ID, Status: a.Status, DispositionReason: a.DispositionReason, DispositionBy: a.DispositionBy,
		DispositionAt: ntsIn(a.DispositionAt),
	}))
}

func (r alerts) List(ctx context.Context, f store.AlertFilter) ([]store.AlertRecord, error) {
	rows, err := r.q.ListAlerts(ctx, gen.ListAlertsParams{
		Tenant: f.Tenant, CustomerID: f.CustomerID, Rule: f.Rule, Status: f.Status, CaseID: f.CaseID, After: f.After, Lim: limit(f.Limit),
	})
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.AlertRecord, len(rows))
	for i, a := range rows {
		out[i] = alertOut(a)
	}
	return out, nil
}

func (r alerts) OpenCase(ctx context.Context, customerID, rule string) (string, error) {
	id, err := r.q.OpenAlertCase(ctx, gen.OpenAlertCaseParams{CustomerID: customerID, Rule: rule})
	return id, mapErr(err)
}

// reports implements store.Reports.
type reports repos

func reportOut(p gen.Report) store.ReportRecord {
	return store.ReportRecord{
		ID: p.ID, Tenant: p.Tenant, CaseID: p.CaseID, CustomerID: p.CustomerID, Type: p.Type, Status: p.Status,
		Reason: p.Reason, XML: p.Xml, CreatedBy: p.CreatedBy, CreatedAt: tsOut(p.CreatedAt), SubmittedBy: p.SubmittedBy,
		SubmittedAt: ntsOut(p.SubmittedAt), FIUReference: p.FiuReference, Version: p.Version,
	}
}

func (r reports) Create(ctx context.Context, p store.ReportRecord) error {
	return mapErr(r.q.CreateReport(ctx, gen.CreateReportParams{
		ID: p.ID, Tenant: p.Tenant, CaseID: p.CaseID, CustomerID: p.CustomerID, Type: p.Type, Status: p.Status,
		Reason: notNil(p.Reason), Xml: notNil(p.XML), CreatedBy: p.CreatedBy, CreatedAt: tsIn(p.CreatedAt),
		SubmittedBy: p.SubmittedBy, SubmittedAt: ntsIn(p.SubmittedAt), FiuReference: p.FIUReference, Version: p.Version,
	}))
}

func (r reports) Get(ctx context.Context, id string) (store.ReportRecord, error) {
	p, err := r.q.GetReport(ctx, id)
	if err != nil {
		return store.ReportRecord{}, mapErr(err)
	}
	return reportOut(p), nil
}

func (r reports) ListByCase(ctx context.Context, caseID string) ([]store.ReportRecord, error) {
	rows, err := r.q.ListReportsByCase(ctx, caseID)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.ReportRecord, len(rows))
	for i, p := range rows {
		out[i] = reportOut(p)
	}
	return out, nil
}

func (r reports) Update(ctx context.Context, p store.ReportRecord) error {
	n, err := r.q.UpdateReport(ctx, gen.UpdateReportParams{
		ID: p.ID, Status: p.Status, SubmittedBy: p.SubmittedBy, SubmittedAt: ntsIn(p.SubmittedAt),
		FiuReference: p.FIUReference, Version: p.Version, PrevVersion: p.Version - 1,
	})
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		if _, err := r.q.GetReport(ctx, p.ID); err != nil {
			return mapErr(err)
		}
		return fmt.Errorf("%w: stale version", store.ErrConflict)
	}
	return nil
}
