package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/monitoring"
	"github.com/kyc-platform/kyc/internal/store"
)

// Transactions ingests the customers' transactions (README, "Transaction
// monitoring"): it validates them, stores them idempotently on external_id
// per tenant and runs the monitoring rules on them in the same database
// transaction, with the aggregates computed over the customer's stored
// history, so that they are right across replicas and restarts.
type Transactions struct {
	d      *Deps
	audit  *AuditLog
	alerts *Alerts
}

// MaxBatch is the largest batch of transactions one call takes.
const MaxBatch = 10000

// maxClockSkew is how far in the future an occurred_at may lie: the
// client's clock may run a little ahead of ours.
const maxClockSkew = time.Minute

// maxAmount bounds an amount in minor units (a quadrillion: beyond any real
// transaction, and far from overflowing the aggregates' sums).
const maxAmount = 1_000_000_000_000_000

// TransactionInput is one transaction reported by a client system.
type TransactionInput struct {
	ExternalID   string
	CustomerID   string
	Amount       int64
	Currency     string
	Direction    domain.TxDirection
	Channel      domain.TxChannel
	Counterparty domain.Counterparty
	OccurredAt   time.Time
}

// ItemStatus is what became of one transaction of a batch.
type ItemStatus string

// Item statuses.
const (
	ItemCreated   ItemStatus = "created"
	ItemDuplicate ItemStatus = "duplicate"
	ItemError     ItemStatus = "error"
)

// IngestResult is the outcome of one transaction, at its index in the input.
type IngestResult struct {
	Index       int
	Status      ItemStatus
	Transaction *domain.Transaction
	// Alerts are the alerts the transaction raised (created only).
	Alerts []domain.Alert
	// Err is a *domain.Error naming the bad fields (invalid) or the reused
	// external_id (conflict).
	Err error
}

// Create ingests one transaction. A repeat of an external_id with the same
// content returns the stored transaction with created false; with different
// content a conflict.
func (s *Transactions) Create(ctx context.Context, actor domain.Actor, in TransactionInput) (IngestResult, error) {
	res, err := s.Ingest(ctx, actor, []TransactionInput{in})
	if err != nil {
		return IngestResult{}, err
	}
	if res[0].Err != nil {
		return IngestResult{}, res[0].Err
	}
	return res[0], nil
}

// Ingest stores a batch of transactions in one database transaction and
// runs the rules on the new ones. Every item gets a result in input order:
// a bad item is reported and never loses the others.
func (s *Transactions) Ingest(ctx context.Context, actor domain.Actor, items []TransactionInput) ([]IngestResult, error) {
	if err := Authorize(actor, PermTransactionsWrite); err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, &domain.Error{Code: domain.ECodeInvalid, Message: "No transactions were given.",
			Fields: []domain.FieldError{{Location: "body", Message: "Give at least one transaction."}}}
	}
	if len(items) > MaxBatch {
		return nil, &domain.Error{Code: domain.ECodeInvalid, Message: fmt.Sprintf("A batch holds at most %d transactions.", MaxBatch),
			Fields: []domain.FieldError{{Location: "body", Message: fmt.Sprintf("%d transactions; the limit is %d.", len(items), MaxBatch)}}}
	}
	now := s.d.now()
	tenant := tenantOf(actor)
	results := make([]IngestResult, len(items))
	txs := make([]*domain.Transaction, len(items))
	for i := range items {
		results[i].Index = i
		t, err := s.prepare(&items[i], tenant, actor, now)
		if err != nil {
			results[i].Status, results[i].Err = ItemError, err
			continue
		}
		txs[i] = t
	}
	err := s.d.Store.InTx(ctx, func(tx store.Tx) error {
		// Reset what a retried attempt may have written into the results.
		for i := range results {
			if txs[i] != nil {
				results[i].Status, results[i].Err, results[i].Transaction, results[i].Alerts = "", nil, nil, nil
			}
		}
		customers, err := s.lockCustomers(ctx, tx, actor, items, txs, results)
		if err != nil {
			return err
		}
		byCustomer := map[string][]int{}
		var order []string
		for i, t := range txs {
			if t == nil || results[i].Status == ItemError {
				continue
			}
			inserted, err := s.insert(ctx, tx, t)
			if err != nil {
				return err
			}
			if !inserted {
				s.duplicate(ctx, tx, t, &results[i])
				if results[i].Status == ItemError {
					continue
				}
				continue
			}
			results[i].Status, results[i].Transaction = ItemCreated, t
			if _, ok := byCustomer[t.CustomerID]; !ok {
				order = append(order, t.CustomerID)
			}
			byCustomer[t.CustomerID] = append(byCustomer[t.CustomerID], i)
		}
		for _, cid := range order {
			idx := byCustomer[cid]
			if err := s.monitor(ctx, tx, actor, customers[cid], txs, idx, results); err != nil {
				return err
			}
			if err := s.audit.record(ctx, tx, auditEntry{
				Tenant: tenant, Actor: actor, Action: domain.EventTransactionsReceived, EntityID: cid,
				Change: receivedDigest(txs, idx), Meta: map[string]string{"count": strconv.Itoa(len(idx))},
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// receivedDigest is what the audit event of a batch digests: the ids and
// content hashes, no personal data.
func receivedDigest(txs []*domain.Transaction, idx []int) []string {
	out := make([]string, len(idx))
	for k, i := range idx {
		out[k] = txs[i].ID + "=" + txs[i].ContentHash
	}
	return out
}

// prepare validates one input on its own (no database) and builds the
// transaction, converted to the reporting currency.
func (s *Transactions) prepare(in *TransactionInput, tenant string, actor domain.Actor, now time.Time) (*domain.Transaction, error) {
	var v domain.Validation
	in.ExternalID = strings.TrimSpace(in.ExternalID)
	in.CustomerID = strings.TrimSpace(in.CustomerID)
	in.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	in.Counterparty.Name = strings.TrimSpace(in.Counterparty.Name)
	in.Counterparty.Country = strings.ToUpper(strings.TrimSpace(in.Counterparty.Country))
	in.Counterparty.Account = strings.TrimSpace(in.Counterparty.Account)
	switch {
	case in.ExternalID == "":
		v.Add("external_id", "Give the transaction's id in your system.")
	case len(in.ExternalID) > 100 || !printable(in.ExternalID):
		v.Add("external_id", "Use at most 100 printable characters.")
	}
	if in.CustomerID == "" {
		v.Add("customer_id", "Give the customer's id.")
	}
	switch {
	case in.Amount <= 0:
		v.Add("amount", "The amount must be greater than zero (minor units, e.g. cents).")
	case in.Amount > maxAmount:
		v.Add("amount", "The amount is too large.")
	}
	var reporting int64
	switch {
	case !domain.ValidCurrency(in.Currency):
		v.Add("currency", "Use an ISO 4217 currency code, e.g. EUR.")
	case in.Amount > 0 && in.Amount <= maxAmount:
		r, err := s.d.Rates.Convert(in.Amount, in.Currency)
		if err != nil {
			v.Add("currency", fmt.Sprintf("No conversion rate to %s is configured for %s.", s.d.Rates.Reporting(), in.Currency))
		}
		reporting = r
	}
	if !in.Direction.Valid() {
		v.Add("direction", "Use in or out.")
	}
	if !in.Channel.Valid() {
		v.Add("channel", "Use cash, wire, card, crypto or other.")
	}
	switch {
	case in.Counterparty.Name == "":
		v.Add("counterparty.name", "Give the counterparty's name.")
	case utf8.RuneCountInString(in.Counterparty.Name) > 200 || !printable(in.Counterparty.Name):
		v.Add("counterparty.name", "Use at most 200 printable characters.")
	}
	if in.Counterparty.Country != "" && !domain.ValidCountry(in.Counterparty.Country) {
		v.Add("counterparty.country", "Use an ISO 3166-1 alpha-2 country code.")
	}
	if len(in.Counterparty.Account) > 100 || !printable(in.Counterparty.Account) {
		v.Add("counterparty.account", "Use at most 100 printable characters.")
	}
	if t := in.Counterparty.Type; t != "" && t != domain.CounterpartyPerson && t != domain.CounterpartyOrganization {
		v.Add("counterparty.type", "Use person or organization.")
	}
	switch {
	case in.OccurredAt.IsZero():
		v.Add("occurred_at", "Give when the transaction happened (RFC 3339).")
	case in.OccurredAt.After(now.Add(maxClockSkew)):
		v.Add("occurred_at", "The transaction cannot lie in the future.")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	t := &domain.Transaction{
		ID: domain.NewID("txn", now), Tenant: tenant, CustomerID: in.CustomerID, ExternalID: in.ExternalID,
		Amount: in.Amount, Currency: in.Currency, ReportingAmount: reporting, ReportingCurrency: s.d.Rates.Reporting(),
		Direction: in.Direction, Channel: in.Channel, Counterparty: in.Counterparty,
		OccurredAt: in.OccurredAt.UTC().Truncate(time.Microsecond), CreatedAt: now,
	}
	if actor.Type == domain.ActorClient {
		t.ClientID = actor.ID
	}
	t.ContentHash = s.contentHash(t)
	return t, nil
}

// contentHash is a keyed digest of what the client sent (a plain hash of a
// counterparty's name could be reversed by guessing).
func (s *Transactions) contentHash(t *domain.Transaction) string {
	canon := strings.Join([]string{
		t.CustomerID, t.ExternalID, strconv.FormatInt(t.Amount, 10), t.Currency, string(t.Direction), string(t.Channel),
		t.Counterparty.Name, t.Counterparty.Country, t.Counterparty.Account, string(t.Counterparty.Type),
		t.OccurredAt.Format(time.RFC3339Nano),
	}, "\x1f")
	return s.d.Crypt.BlindIndex("transaction", canon)
}

func printable(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return utf8.ValidString(s)
}

// lockCustomers reads and locks every customer of the batch (in id order,
// so that concurrent batches cannot deadlock), so that the aggregates of
// one customer are computed by one transaction at a time. Items of unknown,
// invisible or draft customers, or dated before the customer existed, are
// marked as errors.
func (s *Transactions) lockCustomers(ctx context.Context, tx store.Tx, actor domain.Actor, items []TransactionInput, txs []*domain.Transaction, results []IngestResult) (map[string]*domain.Customer, error) {
	var ids []string
	for _, t := range txs {
		if t != nil {
			ids = append(ids, t.CustomerID)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	customers := make(map[string]*domain.Customer, len(ids))
	for _, id := range ids {
		rec, err := tx.Customers().GetForUpdate(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !canSeeCustomer(actor, rec) || rec.Tenant != tenantOf(actor) && actor.Type == domain.ActorClient {
			continue
		}
		c, err := customerFromRecord(s.d.Crypt, rec)
		if err != nil {
			return nil, err
		}
		customers[id] = c
	}
	for i, t := range txs {
		if t == nil {
			continue
		}
		c, ok := customers[t.CustomerID]
		var msg string
		switch {
		case !ok:
			msg = "No such customer."
		case c.Status == domain.StatusDraft:
			msg = "The customer is still a draft: transactions are taken once it has been submitted."
		case t.OccurredAt.Before(c.CreatedAt):
			results[i].Status, results[i].Err = ItemError, &domain.Error{Code: domain.ECodeInvalid, Message: "The transaction is not valid.",
				Fields: []domain.FieldError{{Location: "occurred_at", Message: "The transaction is dated before the customer existed."}}}
			continue
		default:
			t.Tenant = c.Tenant
			continue
		}
		results[i].Status, results[i].Err = ItemError, &domain.Error{Code: domain.ECodeInvalid, Message: "The transaction is not valid.",
			Fields: []domain.FieldError{{Location: "customer_id", Message: msg}}}
	}
	_ = items
	return customers, nil
}

func txAAD(id string) []byte { return []byte("transaction:" + id) }

// insert encrypts the counterparty and stores the transaction unless its
// external_id is taken.
func (s *Transactions) insert(ctx context.Context, tx store.Tx, t *domain.Transaction) (bool, error) {
	cp, err := json.Marshal(struct {
		Name    string                  `json:"name"`
		Account string                  `json:"account,omitempty"`
		Type    domain.CounterpartyType `json:"type,omitempty"`
	}{t.Counterparty.Name, t.Counterparty.Account, t.Counterparty.Type})
	if err != nil {
		return false, err
	}
	sealed, err := s.d.Crypt.Seal(cp, txAAD(t.ID))
	if err != nil {
		return false, err
	}
	return tx.Transactions().Insert(ctx, store.TransactionRecord{
		ID: t.ID, Tenant: t.Tenant, CustomerID: t.CustomerID, ExternalID: t.ExternalID, Amount: t.Amount,
		Currency: t.Currency, ReportingAmount: t.ReportingAmount, ReportingCurrency: t.ReportingCurrency,
		Direction: string(t.Direction), Channel: string(t.Channel), Counterparty: sealed,
		CounterpartyCountry: t.Counterparty.Country, OccurredAt: t.OccurredAt, CreatedAt: t.CreatedAt,
		ClientID: t.ClientID, ContentHash: t.ContentHash,
	})
}

// duplicate fills the result of a transaction whose external_id is taken:
// the stored one when the content is the same, a conflict otherwise.
func (s *Transactions) duplicate(ctx context.Context, tx store.Tx, t *domain.Transaction, res *IngestResult) {
	rec, err := tx.Transactions().GetByExternalID(ctx, t.Tenant, t.ExternalID)
	if err == nil && rec.ContentHash == t.ContentHash {
		stored, derr := s.fromRecord(rec)
		if derr == nil {
			res.Status, res.Transaction = ItemDuplicate, stored
			return
		}
		err = derr
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.d.log().Error("transaction duplicate lookup failed", "err", err)
	}
	res.Status, res.Err = ItemError, &domain.Error{Code: domain.ECodeConflict,
		Message: "This external_id was already used for a different transaction.",
		Fields:  []domain.FieldError{{Location: "external_id", Message: "Already used for a transaction with different content."}}}
}

func (s *Transactions) fromRecord(r store.TransactionRecord) (*domain.Transaction, error) {
	plain, err := s.d.Crypt.Open(r.Counterparty, txAAD(r.ID))
	if err != nil {
		return nil, fmt.Errorf("transaction %s: decrypt counterparty: %w", r.ID, err)
	}
	var cp domain.Counterparty
	if err := json.Unmarshal(plain, &cp); err != nil {
		return nil, fmt.Errorf("transaction %s: decode counterparty: %w", r.ID, err)
	}
	cp.Country = r.CounterpartyCountry
	return &domain.Transaction{
		ID: r.ID, Tenant: r.Tenant, CustomerID: r.CustomerID, ExternalID: r.ExternalID, Amount: r.Amount,
		Currency: r.Currency, ReportingAmount: r.ReportingAmount, ReportingCurrency: r.ReportingCurrency,
		Direction: domain.TxDirection(r.Direction), Channel: domain.TxChannel(r.Channel), Counterparty: cp,
		OccurredAt: r.OccurredAt, CreatedAt: r.CreatedAt, ClientID: r.ClientID, ContentHash: r.ContentHash,
	}, nil
}

// ListTransactionsInput filters a page of transactions.
type ListTransactionsInput struct {
	CustomerID string
	From, To   time.Time
	Cursor     string
	Limit      int
}

// List returns a page of the caller's transactions, newest first, and the
// next cursor.
func (s *Transactions) List(ctx context.Context, actor domain.Actor, in ListTransactionsInput) ([]*domain.Transaction, string, error) {
	if err := Authorize(actor, PermTransactionsRead); err != nil {
		return nil, "", err
	}
	if !in.From.IsZero() && !in.To.IsZero() && !in.From.Before(in.To) {
		return nil, "", &domain.Error{Code: domain.ECodeInvalid, Message: "The period is empty.",
			Fields: []domain.FieldError{{Location: "to", Message: "Must be after from."}}}
	}
	limit := clampLimit(in.Limit)
	recs, err := s.d.Store.Transactions().List(ctx, store.TransactionFilter{
		Tenant: tenantFilter(actor), CustomerID: in.CustomerID, From: in.From, To: in.To, After: in.Cursor, Limit: limit + 1,
	})
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(recs) > limit {
		recs = recs[:limit]
		next = recs[limit-1].ID
	}
	out := make([]*domain.Transaction, 0, len(recs))
	for _, r := range recs {
		t, err := s.fromRecord(r)
		if err != nil {
			return nil, "", err
		}
		out = append(out, t)
	}
	return out, next, nil
}

// Get returns one transaction the actor may see.
func (s *Transactions) Get(ctx context.Context, actor domain.Actor, id string) (*domain.Transaction, error) {
	if err := Authorize(actor, PermTransactionsRead); err != nil {
		return nil, err
	}
	rec, err := s.d.Store.Transactions().Get(ctx, id)
	if err != nil {
		return nil, notFound(err, "Transaction")
	}
	if !canSeeTenant(actor, rec.Tenant) {
		return nil, domain.Errorf(domain.ECodeNotFound, "Transaction not found.")
	}
	return s.fromRecord(rec)
}

// monitoringCustomer is what the rules read of a customer.
func monitoringCustomer(c *domain.Customer, rates *monitoring.Rates) monitoring.Customer {
	mc := monitoring.Customer{
		ID: c.ID, Type: string(c.Type), RiskRating: string(c.RiskRating), DueDiligence: string(c.DueDiligence),
		CreatedAt: c.CreatedAt, ActiveSince: c.CreatedAt,
	}
	if c.DecidedAt != nil {
		mc.ActiveSince = *c.DecidedAt
	}
	var vol *domain.Money
	add := func(cc string) {
		if cc != "" && !slices.Contains(mc.Countries, cc) {
			mc.Countries = append(mc.Countries, cc)
		}
	}
	if p := c.Data.Individual; p != nil {
		vol = p.ExpectedMonthlyVolume
		add(p.Nationality)
		if p.Address != nil {
			add(p.Address.Country)
		}
	}
	if b := c.Data.Business; b != nil {
		vol = b.ExpectedMonthlyVolume
		add(b.IncorporationCountry)
		if b.Address != nil {
			add(b.Address.Country)
		}
	}
	if vol != nil && vol.Amount > 0 {
		if v, err := rates.Convert(vol.Amount, vol.Currency); err == nil {
			mc.ExpectedMonthlyVolume, mc.HasExpectedVolume = v, true
		}
	}
	return mc
}

func historyItem(h store.HistoryItem) monitoring.Item {
	return monitoring.Item{
		ID: h.ID, ExternalID: h.ExternalID, OccurredAt: h.OccurredAt, Amount: h.Amount, Currency: h.Currency,
		ReportingAmount: h.ReportingAmount, Direction: h.Direction, Channel: h.Channel, CounterpartyCountry: h.CounterpartyCountry,
	}
}

func txItem(t *domain.Transaction) monitoring.Item {
	return monitoring.Item{
		ID: t.ID, ExternalID: t.ExternalID, OccurredAt: t.OccurredAt, Amount: t.Amount, Currency: t.Currency,
		ReportingAmount: t.ReportingAmount, Direction: string(t.Direction), Channel: string(t.Channel),
		CounterpartyCountry: t.Counterparty.Country,
	}
}

// monitor runs the rule set on one customer's new transactions (idx into
// txs) against the stored history of the longest window, and stores the
// alerts they raise.
func (s *Transactions) monitor(ctx context.Context, tx store.Tx, actor domain.Actor, c *domain.Customer, txs []*domain.Transaction, idx []int, results []IngestResult) error {
	rs := s.d.Rules
	first, last := txs[idx[0]].OccurredAt, txs[idx[0]].OccurredAt
	isNew := make(map[string]bool, len(idx))
	batch := make([]monitoring.Transaction, len(idx))
	for k, i := range idx {
		t := txs[i]
		first, last = minTime(first, t.OccurredAt), maxTime(last, t.OccurredAt)
		isNew[t.ID] = true
		batch[k] = monitoring.Transaction{Item: txItem(t), CounterpartyAccount: t.Counterparty.Account}
	}
	var history []monitoring.Item
	if lb := rs.Lookback(); lb > 0 {
		stored, err := tx.Transactions().History(ctx, c.ID, first.Add(-lb), last)
		if err != nil {
			return err
		}
		history = make([]monitoring.Item, 0, len(stored))
		for _, h := range stored {
			if !isNew[h.ID] {
				history = append(history, historyItem(h))
			}
		}
	}
	if rs.NeedsScreening() {
		for k, i := range idx {
			batch[k].Screening = s.alerts.screenCounterparty(txs[i].Counterparty)
		}
	}
	found := rs.Evaluate(monitoringCustomer(c, s.d.Rates), history, batch)
	for _, a := range found {
		i := idx[a.TxIndex]
		al, err := s.alerts.raise(ctx, tx, actor, c, txs[i], a)
		if err != nil {
			return err
		}
		results[i].Alerts = append(results[i].Alerts, al)
	}
	return nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
