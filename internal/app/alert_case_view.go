package app

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// MaxCaseTransactions caps the transactions a case page lists.
const MaxCaseTransactions = 200

// ActivityMonths is how many calendar months of a customer's activity the
// case page charts.
const ActivityMonths = 12

// AlertCase is what a reviewer sees of a transaction_alert case: its
// alerts, the transactions that triggered them, the customer's activity
// against the declared volume, and the reports built from it.
type AlertCase struct {
	// Alerts are the case's alerts, newest first.
	Alerts []domain.Alert
	// Open and Suspicious count the alerts without a disposition and those
	// marked suspicious.
	Open, Suspicious int
	// Transactions are the transactions that triggered the alerts, oldest
	// first, at most MaxCaseTransactions (the newest); Omitted counts those
	// left out.
	Transactions []*domain.Transaction
	Omitted      int
	// FlaggedBy names, per transaction id, the rules whose alerts cite it.
	FlaggedBy map[string][]string
	// Activity is the customer's money in and out per calendar month (UTC)
	// over the last ActivityMonths, in minor units of the reporting
	// currency, oldest first.
	Activity []ActivityMonth
	// ExpectedMonthly is the customer's declared expected monthly volume in
	// minor units of the reporting currency; HasExpected is false when none
	// was declared (or it cannot be converted).
	ExpectedMonthly   int64
	HasExpected       bool
	ReportingCurrency string
	// Reports are the reports built from the case, oldest first.
	Reports []domain.Report
}

// ActivityMonth is one month of a customer's transactions.
type ActivityMonth struct {
	Month   time.Time
	In, Out int64
	Count   int
}

// Case returns the alert view of a transaction_alert case the actor may
// read (cases:read and transactions:read; staff and the tenant's clients,
// never an applicant).
func (s *Alerts) Case(ctx context.Context, actor domain.Actor, caseID string) (AlertCase, error) {
	if err := Authorize(actor, PermCasesRead); err != nil {
		return AlertCase{}, err
	}
	if err := Authorize(actor, PermTransactionsRead); err != nil {
		return AlertCase{}, err
	}
	cs, err := s.d.Store.Cases().Get(ctx, caseID)
	if err != nil {
		return AlertCase{}, notFound(err, "Case")
	}
	if !canSeeTenant(actor, cs.Tenant) {
		return AlertCase{}, domain.Errorf(domain.ECodeNotFound, "Case not found.")
	}
	if cs.Kind != domain.CaseTransactionAlert {
		return AlertCase{}, domain.Errorf(domain.ECodeConflict, "Only a transaction_alert case has alerts.")
	}
	crec, err := s.d.Store.Customers().Get(ctx, cs.CustomerID)
	if err != nil {
		return AlertCase{}, err
	}
	if !canSeeCustomer(actor, crec) {
		return AlertCase{}, domain.Errorf(domain.ECodeNotFound, "Case not found.")
	}
	c, err := customerFromRecord(s.d.Crypt, crec)
	if err != nil {
		return AlertCase{}, err
	}
	out := AlertCase{FlaggedBy: map[string][]string{}, ReportingCurrency: s.d.Rates.Reporting()}
	recs, err := s.d.Store.Alerts().List(ctx, store.AlertFilter{CaseID: cs.ID, Limit: MaxCaseAlerts})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return AlertCase{}, err
	}
	var ids []string
	seen := map[string]bool{}
	for _, r := range recs {
		a, err := s.fromRecord(r)
		if err != nil {
			return AlertCase{}, err
		}
		switch a.Status {
		case domain.AlertOpen:
			out.Open++
		case domain.AlertSuspicious:
			out.Suspicious++
		}
		for _, id := range a.TransactionIDs {
			if !slices.Contains(out.FlaggedBy[id], a.Rule) {
				out.FlaggedBy[id] = append(out.FlaggedBy[id], a.Rule)
			}
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		out.Alerts = append(out.Alerts, a)
	}
	txs := &Transactions{d: s.d}
	for _, id := range ids {
		rec, err := s.d.Store.Transactions().Get(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return AlertCase{}, err
		}
		t, err := txs.fromRecord(rec)
		if err != nil {
			return AlertCase{}, err
		}
		out.Transactions = append(out.Transactions, t)
	}
	slices.SortStableFunc(out.Transactions, func(a, b *domain.Transaction) int {
		if c := a.OccurredAt.Compare(b.OccurredAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	if n := len(out.Transactions); n > MaxCaseTransactions {
		out.Omitted = n - MaxCaseTransactions
		out.Transactions = out.Transactions[n-MaxCaseTransactions:]
	}
	mc := monitoringCustomer(c, s.d.Rates)
	out.ExpectedMonthly, out.HasExpected = mc.ExpectedMonthlyVolume, mc.HasExpectedVolume
	if out.Activity, err = s.activity(ctx, c.ID, s.d.now()); err != nil {
		return AlertCase{}, err
	}
	reports := &Reports{d: s.d}
	if out.Reports, err = reports.ForCase(ctx, actor, caseID); err != nil {
		return AlertCase{}, err
	}
	return out, nil
}

// activity sums the customer's transactions per calendar month over the
// ActivityMonths up to now, from the same index the rules read.
func (s *Alerts) activity(ctx context.Context, customerID string, now time.Time) ([]ActivityMonth, error) {
	now = now.UTC()
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -(ActivityMonths - 1), 0)
	months := make([]ActivityMonth, ActivityMonths)
	for i := range months {
		months[i].Month = first.AddDate(0, i, 0)
	}
	items, err := s.d.Store.Transactions().History(ctx, customerID, first.Add(-time.Microsecond), now.Add(maxClockSkew))
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		t := it.OccurredAt.UTC()
		i := (t.Year()-first.Year())*12 + int(t.Month()) - int(first.Month())
		if i < 0 || i >= len(months) {
			continue
		}
		months[i].Count++
		if it.Direction == string(domain.TxIn) {
			months[i].In = satAdd(months[i].In, it.ReportingAmount)
		} else {
			months[i].Out = satAdd(months[i].Out, it.ReportingAmount)
		}
	}
	return months, nil
}

func satAdd(a, b int64) int64 {
	if s := a + b; s >= a {
		return s
	}
	return 1<<63 - 1
}
