package jobs_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/kyc-platform/kyc/internal/jobs"
	"github.com/kyc-platform/kyc/internal/store/testdb"
)

type sqlTx struct{ tx *sql.Tx }

func (t sqlTx) SQLTx() *sql.Tx { return t.tx }

// A submission's transaction inserts its check job without a NOTIFY: on
// PostgreSQL a notifying transaction holds one database-wide lock from
// queueing its notifications until its commit is durable, so every
// submission of every replica committed one after another's WAL flush
// (quietInserts). Notifications are delivered in commit order, so a
// listener on River's insert channel that hears a sentinel sent after the
// commit first heard nothing from the commit.
func TestEnqueueSendsNoNotify(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.Open(t, testdb.Postgres)
	pool := testdb.PGPool(st)
	r, err := jobs.New(jobs.Options{Store: st, PGPool: pool, Workers: 0})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	var channel string
	if err := conn.QueryRow(ctx, "SELECT current_schema() || '.river_insert'").Scan(&channel); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `LISTEN "`+channel+`"`); err != nil {
		t.Fatal(err)
	}
	defer conn.Exec(context.Background(), "UNLISTEN *") //nolint:errcheck // best effort on a connection about to go back

	tx, err := st.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.EnqueueChecks(ctx, sqlTx{tx}, []string{"chk_quiet"}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var jobs int
	if err := st.DB().QueryRowContext(ctx, "SELECT count(*) FROM river_job WHERE kind = 'check'").Scan(&jobs); err != nil {
		t.Fatal(err)
	}
	if jobs != 1 {
		t.Fatalf("%d check jobs inserted, want 1", jobs)
	}
	if _, err := st.DB().ExecContext(ctx, "SELECT pg_notify($1, 'sentinel')", channel); err != nil {
		t.Fatal(err)
	}
	n, err := conn.Conn().WaitForNotification(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n.Payload != "sentinel" {
		t.Fatalf("the enqueueing transaction sent a NOTIFY on %s: %q", n.Channel, n.Payload)
	}
}
