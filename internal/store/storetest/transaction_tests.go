package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

func transaction(customerID, ext string, occurred time.Time) store.TransactionRecord {
	return store.TransactionRecord{
		ID: id("txn"), Tenant: "acme", CustomerID: customerID, ExternalID: ext, Amount: 12345, Currency: "USD",
		ReportingAmount: 11000, ReportingCurrency: "EUR", Direction: "in", Channel: "wire",
		Counterparty: []byte{1, 2, 0, 0xff}, CounterpartyCountry: "DE", OccurredAt: occurred, CreatedAt: at(100),
		ClientID: "cli_1", ContentHash: "h-" + ext,
	}
}

// transactionTests: transactions are idempotent on (tenant, external_id),
// the history is a range per customer, and alerts find their open case.
var transactionTests = map[string]func(*testing.T, store.Store){
	"InsertOnceGetHistory": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		other := addCustomer(t, s)
		t1 := transaction(c.ID, "e1", at(10))
		ok, err := s.Transactions().Insert(ctx, t1)
		must(t, err)
		if !ok {
			t.Fatal("first insert refused")
		}
		dup := transaction(c.ID, "e1", at(11))
		if ok, err := s.Transactions().Insert(ctx, dup); err != nil || ok {
			t.Fatalf("repeat of the external id: %v, %v", ok, err)
		}
		elsewhere := transaction(other.ID, "e1", at(11))
		elsewhere.Tenant = "globex"
		if ok, err := s.Transactions().Insert(ctx, elsewhere); err != nil || !ok {
			t.Fatalf("the same external id in another tenant: %v, %v", ok, err)
		}
		got, err := s.Transactions().Get(ctx, t1.ID)
		must(t, err)
		equal(t, got, t1)
		got, err = s.Transactions().GetByExternalID(ctx, "acme", "e1")
		must(t, err)
		equal(t, got, t1)
		_, err = s.Transactions().GetByExternalID(ctx, "acme", "nope")
		wantErr(t, err, store.ErrNotFound)

		for i, m := range []int{20, 30, 40} {
			must(t, first(s.Transactions().Insert(ctx, transaction(c.ID, "h"+string(rune('a'+i)), at(m)))))
		}
		must(t, first(s.Transactions().Insert(ctx, transaction(other.ID, "o1", at(25)))))
		hist, err := s.Transactions().History(ctx, c.ID, at(10), at(30))
		must(t, err)
		if len(hist) != 2 || !hist[0].OccurredAt.Equal(stored(at(20))) || !hist[1].OccurredAt.Equal(stored(at(30))) || hist[0].ReportingAmount != 11000 || hist[0].CounterpartyCountry != "DE" {
			t.Fatalf("history (10, 30]: %+v", hist)
		}
		list, err := s.Transactions().List(ctx, store.TransactionFilter{Tenant: "acme", CustomerID: c.ID, From: at(20), To: at(40)})
		must(t, err)
		if len(list) != 2 {
			t.Fatalf("list [20, 40): %d", len(list))
		}
		page, err := s.Transactions().Range(ctx, at(0), at(100), time.Time{}, "", 3)
		must(t, err)
		if len(page) != 3 || !page[0].OccurredAt.Equal(stored(at(10))) || page[1].CustomerID != other.ID {
			t.Fatalf("range page 1: %+v", page)
		}
		rest, err := s.Transactions().Range(ctx, at(0), at(100), page[2].OccurredAt, page[2].ID, 10)
		must(t, err)
		if len(rest) != 3 || !rest[0].OccurredAt.Equal(stored(at(25))) {
			t.Fatalf("range page 2: %+v", rest)
		}
	},
	"AlertsAndOpenCase": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		k := addCase(t, s, c.ID, func(k *domain.Case) { k.Kind = domain.CaseTransactionAlert })
		_, err := s.Alerts().OpenCase(ctx, c.ID, "large_cash")
		wantErr(t, err, store.ErrNotFound)
		a := store.AlertRecord{
			ID: id("alrt"), Tenant: "acme", CustomerID: c.ID, CaseID: k.ID, Rule: "large_cash", RuleVersion: "1",
			RuleSetVersion: "1", Severity: "high", Parameters: `{"x":1}`, TransactionID: "txn_1", TransactionIDs: `["txn_1"]`,
			Explanation: []byte{9, 8}, Status: "open", CreatedAt: at(5),
		}
		must(t, s.Alerts().Create(ctx, a))
		got, err := s.Alerts().Get(ctx, a.ID)
		must(t, err)
		equal(t, got, a)
		caseID, err := s.Alerts().OpenCase(ctx, c.ID, "large_cash")
		must(t, err)
		if caseID != k.ID {
			t.Fatalf("open case %s, want %s", caseID, k.ID)
		}
		if _, err := s.Alerts().OpenCase(ctx, c.ID, "structuring"); err != store.ErrNotFound {
			t.Fatalf("another rule found a case: %v", err)
		}
		a.Status, a.DispositionReason, a.DispositionBy, a.DispositionAt = "suspicious", []byte{7}, "user:u1", ptr(at(6))
		must(t, s.Alerts().Disposition(ctx, a))
		got, err = s.Alerts().Get(ctx, a.ID)
		must(t, err)
		equal(t, got, a)
		list, err := s.Alerts().List(ctx, store.AlertFilter{CaseID: k.ID, Status: "suspicious"})
		must(t, err)
		if len(list) != 1 {
			t.Fatalf("list %d", len(list))
		}
		k.Status, k.Version = domain.CaseClosed, 2
		must(t, s.Cases().Update(ctx, k))
		_, err = s.Alerts().OpenCase(ctx, c.ID, "large_cash")
		wantErr(t, err, store.ErrNotFound)
	},
	"ReportsVersioned": func(t *testing.T, s store.Store) {
		ctx := context.Background()
		c := addCustomer(t, s)
		k := addCase(t, s, c.ID)
		r := store.ReportRecord{
			ID: id("rep"), Tenant: "acme", CaseID: k.ID, CustomerID: c.ID, Type: "STR", Status: "draft",
			Reason: []byte{1}, XML: []byte{2, 3}, CreatedBy: "user:u1", CreatedAt: at(1), Version: 1,
		}
		must(t, s.Reports().Create(ctx, r))
		got, err := s.Reports().Get(ctx, r.ID)
		must(t, err)
		equal(t, got, r)
		r.Status, r.SubmittedBy, r.SubmittedAt, r.FIUReference, r.Version = "submitted", "user:m1", ptr(at(2)), "FIU-1", 2
		must(t, s.Reports().Update(ctx, r))
		wantErr(t, s.Reports().Update(ctx, r), store.ErrConflict)
		list, err := s.Reports().ListByCase(ctx, k.ID)
		must(t, err)
		if len(list) != 1 {
			t.Fatalf("reports of the case: %d", len(list))
		}
		equal(t, list[0], r)
	},
}

// first drops the first result of a two-valued call.
func first[T any](_ T, err error) error { return err }
