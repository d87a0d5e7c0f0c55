package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"testing"
)

// namedQuery is the statement "-- name: name" of file as sqlc sends it:
// its sqlc.arg(p) numbered $1, $2, … in the order params gives.
func namedQuery(t *testing.T, file, name string, params ...string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	_, q, ok := strings.Cut(string(b), "-- name: "+name+" ")
	if !ok {
		t.Fatalf("no %s in %s", name, file)
	}
	_, q, _ = strings.Cut(q, "\n")
	q, _, _ = strings.Cut(q, ";")
	for i, p := range params {
		q = strings.ReplaceAll(q, "sqlc.arg("+p+")", fmt.Sprintf("$%d", i+1))
	}
	if strings.Contains(q, "sqlc.") {
		t.Fatalf("%s: a parameter is not numbered: %s", name, q)
	}
	return q
}

// explainPrepared is the plan of query (prepared as pgx prepares it, with
// the plan cache mode given) executed with args (SQL text), on a
// connection of its own that it hands back to the pool.
func explainPrepared(ctx context.Context, db *sql.DB, mode, query, args string) (string, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	defer conn.ExecContext(ctx, "DEALLOCATE sched; RESET plan_cache_mode") //nolint:errcheck // best effort on a connection about to go back
	if _, err := conn.ExecContext(ctx, "SET plan_cache_mode = "+mode); err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, "PREPARE sched AS "+query); err != nil {
		return "", err
	}
	rows, err := conn.QueryContext(ctx, "EXPLAIN EXECUTE sched("+args+")")
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
