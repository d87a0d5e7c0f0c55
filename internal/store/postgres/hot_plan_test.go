package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// A check round writes its checks in one statement (UpdateChecksBatch). Its
// ids must be found through the primary key: joined on the JSON alone,
// PostgreSQL (counting on 100 elements) hashed them against a scan of the
// whole checks table, every round, under both plan cache modes.
func TestCheckBatchUpdateUsesThePrimaryKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := testdb.Open(t, testdb.Postgres)
	now := time.Now().UTC()
	var cs []store.CustomerRecord
	var ks []store.CheckRecord
	for i := range 1000 {
		id := fmt.Sprintf("cus_plan%05d", i)
		cs = append(cs, store.CustomerRecord{ID: id, Type: "individual", Status: "submitted", Data: []byte("sealed"),
			Version: 1, CreatedAt: now, UpdatedAt: now})
		for _, typ := range []string{"identity", "screening", "risk"} {
			ks = append(ks, store.CheckRecord{ID: fmt.Sprintf("chk_plan%05d_%s", i, typ), CustomerID: id, Type: typ,
				Status: "pending", Round: 1, CreatedAt: now, UpdatedAt: now})
		}
	}
	if err := s.Customers().CreateMany(ctx, cs); err != nil {
		t.Fatal(err)
	}
	if err := s.Checks().CreateMany(ctx, ks); err != nil {
		t.Fatal(err)
	}
	db := s.(interface{ DB() *sql.DB }).DB()
	if _, err := db.ExecContext(ctx, "ANALYZE checks"); err != nil {
		t.Fatal(err)
	}
	q := namedQuery(t, "../queries/postgres/checks_batch.sql", "UpdateChecksBatch :execrows", "sqlc.arg(checks)")
	arg := `[{"id":"chk_plan00007_identity","status":"passed"},{"id":"chk_plan00007_risk","status":"passed"}]`
	for _, mode := range []string{"force_custom_plan", "force_generic_plan"} {
		p, err := explainPrepared(ctx, db, mode, "text", q, arg)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(p, "Seq Scan on checks") || !strings.Contains(p, "checks_pkey") {
			t.Errorf("%s: the batch update does not find its checks through checks_pkey:\n%s", mode, p)
		}
	}
}

// Every audited change reads its tenant's webhook endpoints
// (ListTenantWebhookEndpoints). PostgreSQL must settle on a generic plan for
// it rather than plan each call: ListWebhookEndpoints, whose empty tenant
// argument means every tenant, never does (0 generic plans after 8
// executions).
func TestTenantWebhookEndpointsGetAGenericPlan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := testdb.Open(t, testdb.Postgres)
	db := s.(interface{ DB() *sql.DB }).DB()
	q := namedQuery(t, "../queries/webhooks.sql", "ListTenantWebhookEndpoints :many", "sqlc.arg(tenant)")
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	defer conn.ExecContext(ctx, "DEALLOCATE q") //nolint:errcheck // best effort on a connection about to go back
	if _, err := conn.ExecContext(ctx, "PREPARE q(text) AS "+q); err != nil {
		t.Fatal(err)
	}
	for range 8 {
		if _, err := conn.ExecContext(ctx, "EXECUTE q('acme')"); err != nil {
			t.Fatal(err)
		}
	}
	var generic int64
	if err := conn.QueryRowContext(ctx, "SELECT generic_plans FROM pg_prepared_statements WHERE name = 'q'").Scan(&generic); err != nil {
		t.Fatal(err)
	}
	if generic == 0 {
		t.Fatal("ListTenantWebhookEndpoints is planned on every execution (no generic plan after 8)")
	}
}

// namedQuery is the query name of file as written, its one argument arg
// numbered $1 as sqlc numbers it.
func namedQuery(t *testing.T, file, name, arg string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	_, q, ok := strings.Cut(string(b), "-- name: "+name+"\n")
	if !ok {
		t.Fatalf("no %s in %s", name, file)
	}
	q, _, _ = strings.Cut(q, ";")
	return strings.ReplaceAll(q, arg, "$1")
}

// explainPrepared is the plan of query, prepared with one argument of type
// typ under the plan cache mode given, for the argument value arg, on a
// connection of its own; nothing the plan would write is written (EXPLAIN
// without ANALYZE).
func explainPrepared(ctx context.Context, db *sql.DB, mode, typ, query, arg string) (string, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	defer conn.ExecContext(ctx, "DEALLOCATE hot; RESET plan_cache_mode") //nolint:errcheck // best effort on a connection about to go back
	if _, err := conn.ExecContext(ctx, "SET plan_cache_mode = "+mode); err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, "PREPARE hot("+typ+") AS "+query); err != nil {
		return "", err
	}
	rows, err := conn.QueryContext(ctx, "EXPLAIN EXECUTE hot('"+strings.ReplaceAll(arg, "'", "''")+"')")
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

// A statement that reads fields of a JSON batch with ->> reads it as JSONB:
// on a JSON value each ->> parses the element's text again (the JSON
// parser was 4-8% of PostgreSQL's time in the onboarding benchmark, 16
// clients; JSONB is parsed once: a third of the time for the audit journal
// batch).
func TestBatchStatementsParseTheirJSONOnce(t *testing.T) {
	files, err := filepath.Glob("../queries/postgres/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no queries: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range strings.Split(string(b), "-- name: ")[1:] {
			name, _, _ := strings.Cut(q, " ")
			if strings.Contains(q, "->>") && (strings.Contains(q, "AS JSON)") || strings.Contains(q, "json_array_elements(")) {
				t.Errorf("%s: %s reads fields with ->> from JSON, not JSONB", filepath.Base(f), name)
			}
		}
	}
}
