package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// The re-screen reads the book 5,000 active customers at a time
// (ActiveCustomersAfter). Its plan must be an ordered range scan of
// customers_active_idx whatever the statistics say: on a freshly loaded,
// never analysed table PostgreSQL otherwise chose a bitmap scan and sorted
// every remaining active customer for each batch (7.4 s per batch at
// 1,000,000 customers; migration 00210). The table here is loaded and
// not analysed, with drafts between the active customers.
func TestRescreenReadIsAnIndexRangeScan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := testdb.Open(t, testdb.Postgres)
	now := time.Now().UTC()
	var cs []store.CustomerRecord
	for i := range 20_000 {
		status := "approved"
		if i%7 == 0 {
			status = "draft"
		}
		cs = append(cs, store.CustomerRecord{ID: fmt.Sprintf("cus_plan%07d", i), Type: "individual", Status: status,
			Data: []byte("sealed"), Version: 1, CreatedAt: now, UpdatedAt: now})
	}
	if err := s.Customers().CreateMany(ctx, cs); err != nil {
		t.Fatal(err)
	}
	db := s.(interface{ DB() *sql.DB }).DB()
	for _, mode := range []string{"force_custom_plan", "force_generic_plan"} {
		p, err := explainPrepared(ctx, db, mode, namedQuery(t, "../queries/rescreen.sql", "ActiveCustomersAfter", "after", "lim"), "'cus_plan0001000', 5000")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(p, "Index Scan using customers_active_idx") || strings.Contains(p, "Sort") {
			t.Errorf("%s: the batch read is not a range scan of customers_active_idx:\n%s", mode, p)
		}
	}
	// And it reads what it should: active customers only, in id order.
	got, err := s.Rescreens().ActiveCustomers(ctx, "cus_plan0001000", 5)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range got {
		ids = append(ids, c.ID)
	}
	if want := "cus_plan0001002 cus_plan0001003 cus_plan0001004 cus_plan0001005 cus_plan0001006"; strings.Join(ids, " ") != want {
		t.Fatalf("batch %v, want %s", ids, want)
	}
}
