package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
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
		p, err := explainActive(ctx, db, mode, activeCustomersAfterSQL(t))
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

// activeCustomersAfterSQL is the query ActiveCustomersAfter as written in
// ../queries/rescreen.sql, its arguments numbered as sqlc numbers them.
func activeCustomersAfterSQL(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../queries/rescreen.sql")
	if err != nil {
		t.Fatal(err)
	}
	_, q, ok := strings.Cut(string(b), "-- name: ActiveCustomersAfter :many\n")
	if !ok {
		t.Fatal("no ActiveCustomersAfter in queries/rescreen.sql")
	}
	q, _, _ = strings.Cut(q, ";")
	return strings.NewReplacer("sqlc.arg(after)", "$1", "sqlc.arg(lim)", "$2").Replace(q)
}

// explainActive is the plan of query (prepared as pgx prepares it, with
// the plan cache mode given) for a batch after a cursor, on a connection
// of its own that it hands back to the pool.
func explainActive(ctx context.Context, db *sql.DB, mode, query string) (string, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	defer conn.ExecContext(ctx, "DEALLOCATE active; RESET plan_cache_mode") //nolint:errcheck // best effort on a connection about to go back
	if _, err := conn.ExecContext(ctx, "SET plan_cache_mode = "+mode); err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, "PREPARE active(text, bigint) AS "+query); err != nil {
		return "", err
	}
	rows, err := conn.QueryContext(ctx, "EXPLAIN EXECUTE active('cus_plan0001000', 5000)")
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var plan strings.Builder
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return "", err
		}
		plan.WriteString(line + "\n")
	}
	return plan.String(), rows.Err()
}
