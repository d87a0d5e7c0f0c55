package postgres_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/store/testdb"
)

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
	q := namedQuery(t, "../queries/webhooks.sql", "ListTenantWebhookEndpoints", "tenant")
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
