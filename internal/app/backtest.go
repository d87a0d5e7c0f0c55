package app

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/monitoring"
	"github.com/kyc-platform/kyc/internal/store"
)

// BacktestInput is a rule set to try on the stored history of [From, To).
type BacktestInput struct {
	Rules    *monitoring.RuleSet
	From, To time.Time
	// Progress, when set, is called after each customer with the customers
	// and transactions looked at so far.
	Progress func(customers, transactions int)
}

// BacktestResult is what a rule set would have raised on the history.
type BacktestResult struct {
	RuleSetVersion string
	From, To       time.Time
	// Customers is the number of customers with transactions in the
	// period; Transactions the number of transactions evaluated.
	Customers    int
	Transactions int
	// Rules are every enabled rule of the set, in file order, including
	// those that would have raised nothing.
	Rules []BacktestRule
	// Screened reports whether counterparty names were screened (a rule
	// reads screening and a list is loaded).
	Screened bool
}

// BacktestRule is one rule's count of alerts.
type BacktestRule struct {
	Rule     string
	Version  string
	Severity string
	Alerts   int
	// Errors counts alerts that record the rule failing on a transaction.
	Errors int
	// Customers are the customers it would have alerted on, most alerts
	// first.
	Customers []BacktestCustomer
}

// BacktestCustomer is one customer's alerts under one rule.
type BacktestCustomer struct {
	CustomerID string
	Alerts     int
}

// backtestPage is how many customers one read lists.
const backtestPage = 500

// Backtest runs a rule set over the stored transactions of [From, To) as
// ingestion would have, customer by customer (the aggregates see the
// history from the rule set's longest window before From), and counts the
// alerts each rule would have raised, and for which customers, without
// writing anything. The customers' current data (rating, expected volume,
// countries) stand for their data at the time. Counterparty names are
// screened against the lists loaded now, through the same cache as
// ingestion, when a rule reads the result.
func (s *Transactions) Backtest(ctx context.Context, actor domain.Actor, in BacktestInput) (BacktestResult, error) {
	if err := Authorize(actor, PermTransactionsRead); err != nil {
		return BacktestResult{}, err
	}
	var v domain.Validation
	if in.Rules == nil {
		v.Add("rules", "Give the rule set to try.")
	}
	if in.From.IsZero() {
		v.Add("from", "Give the start of the period.")
	}
	if in.To.IsZero() {
		v.Add("to", "Give the end of the period.")
	} else if !in.From.IsZero() && !in.From.Before(in.To) {
		v.Add("to", "Must be after from.")
	}
	if err := v.Err(); err != nil {
		return BacktestResult{}, err
	}
	rs := in.Rules
	res := BacktestResult{RuleSetVersion: rs.Version(), From: in.From.UTC(), To: in.To.UTC()}
	res.Screened = rs.NeedsScreening() && s.alerts.listsLoaded()
	type tally struct {
		alerts, errors int
		byCustomer     map[string]int
	}
	tallies := map[string]*tally{}
	for _, r := range rs.Rules() {
		tallies[r.Name] = &tally{byCustomer: map[string]int{}}
	}
	// The history before From that the windows need; an item exactly
	// Lookback before From is outside every window and harmless.
	after := in.From.Add(-rs.Lookback()).Add(-time.Microsecond)
	cursor := ""
	for {
		page, err := s.d.Store.Customers().List(ctx, store.CustomerFilter{Tenant: tenantFilter(actor), After: cursor, Limit: backtestPage})
		if err != nil {
			return BacktestResult{}, err
		}
		for _, rec := range page {
			if err := ctx.Err(); err != nil {
				return BacktestResult{}, err
			}
			if !canSeeCustomer(actor, rec) || rec.Status == string(domain.StatusDraft) {
				continue
			}
			items, err := s.d.Store.Transactions().History(ctx, rec.ID, after, in.To)
			if err != nil {
				return BacktestResult{}, err
			}
			// (after, To] → history before From, evaluated in [From, To).
			split, _ := slices.BinarySearchFunc(items, in.From, func(h store.HistoryItem, t time.Time) int { return h.OccurredAt.Compare(t) })
			end := len(items)
			for end > split && !items[end-1].OccurredAt.Before(in.To) {
				end--
			}
			if end == split {
				continue
			}
			c, err := customerFromRecord(s.d.Crypt, rec)
			if err != nil {
				return BacktestResult{}, err
			}
			history := make([]monitoring.Item, split)
			for i, h := range items[:split] {
				history[i] = historyItem(h)
			}
			batch := make([]monitoring.Transaction, end-split)
			for i, h := range items[split:end] {
				batch[i] = monitoring.Transaction{Item: historyItem(h)}
			}
			if res.Screened {
				if err := s.screenStored(ctx, c.ID, in.From, in.To, batch); err != nil {
					return BacktestResult{}, err
				}
			}
			for _, a := range rs.Evaluate(monitoringCustomer(c, s.d.Rates), history, batch) {
				t := tallies[a.Rule]
				t.alerts++
				if a.Error != "" {
					t.errors++
				}
				t.byCustomer[c.ID]++
			}
			res.Customers++
			res.Transactions += len(batch)
			if in.Progress != nil {
				in.Progress(res.Customers, res.Transactions)
			}
		}
		if len(page) < backtestPage {
			break
		}
		cursor = page[len(page)-1].ID
	}
	for _, r := range rs.Rules() {
		t := tallies[r.Name]
		br := BacktestRule{Rule: r.Name, Version: r.Version, Severity: r.Severity, Alerts: t.alerts, Errors: t.errors,
			Customers: []BacktestCustomer{}}
		for id, n := range t.byCustomer {
			br.Customers = append(br.Customers, BacktestCustomer{CustomerID: id, Alerts: n})
		}
		slices.SortFunc(br.Customers, func(a, b BacktestCustomer) int {
			return cmp.Or(cmp.Compare(b.Alerts, a.Alerts), cmp.Compare(a.CustomerID, b.CustomerID))
		})
		res.Rules = append(res.Rules, br)
	}
	return res, nil
}

// screenStored screens the counterparties of a customer's stored
// transactions of [from, to) (batch, in time order): their names are
// encrypted, so they are read and opened page by page.
func (s *Transactions) screenStored(ctx context.Context, customerID string, from, to time.Time, batch []monitoring.Transaction) error {
	pos := make(map[string]int, len(batch))
	for i := range batch {
		pos[batch[i].ID] = i
	}
	cursor := ""
	for {
		recs, err := s.d.Store.Transactions().List(ctx, store.TransactionFilter{CustomerID: customerID, From: from, To: to, After: cursor, Limit: 1000})
		if err != nil {
			return err
		}
		for _, r := range recs {
			i, ok := pos[r.ID]
			if !ok {
				continue
			}
			t, err := s.fromRecord(r)
			if err != nil {
				return err
			}
			batch[i].CounterpartyAccount = t.Counterparty.Account
			batch[i].Screening = s.alerts.screenCounterparty(t.Counterparty)
		}
		if len(recs) < 1000 {
			return nil
		}
		cursor = recs[len(recs)-1].ID
	}
}
