package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/store/postgres"
	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// pipeDB returns the database/sql handle of a fresh schema with a table
// pipe(id int primary key), and a context that records the round trips
// of the transactions run under it.
func pipeDB(t *testing.T) (*sql.DB, context.Context, func() [][]string) {
	t.Helper()
	s := testdb.Open(t, testdb.Postgres)
	db := s.(interface{ DB() *sql.DB }).DB()
	if _, err := db.Exec("CREATE TABLE pipe (id int PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var trips [][]string
	ctx := postgres.TraceRoundTrips(context.Background(), func(stmts []string) {
		mu.Lock()
		defer mu.Unlock()
		trips = append(trips, stmts)
	})
	return db, ctx, func() [][]string {
		mu.Lock()
		defer mu.Unlock()
		out := trips
		trips = nil
		return out
	}
}

func pipeIDs(t *testing.T, db *sql.DB) []int {
	t.Helper()
	rows, err := db.Query("SELECT id FROM pipe ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return ids
}

const insertPipe = "INSERT INTO pipe (id) VALUES ($1)"

// A transaction of two writes, the second deferred (as the audit journal
// is), takes two round trips: BEGIN with the first write, the second with
// COMMIT.
func TestPipelineTwoWritesTwoRoundTrips(t *testing.T) {
	t.Parallel()
	db, ctx, trips := pipeDB(t)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := tx.ExecContext(ctx, insertPipe, 1)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("RowsAffected of a sent write = %d, %v; want 1, nil", n, err)
	}
	res, err = tx.ExecContext(postgres.DeferExec(ctx), insertPipe, 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := res.RowsAffected(); err == nil {
		t.Fatal("RowsAffected of a deferred write answered; want an error (it is not known yet)")
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"begin", insertPipe}, {insertPipe, "commit"}}
	if got := trips(); !reflect.DeepEqual(got, want) {
		t.Fatalf("round trips = %q; want %q", got, want)
	}
	if got := pipeIDs(t, db); !reflect.DeepEqual(got, []int{1, 2}) {
		t.Fatalf("committed ids = %v; want [1 2]", got)
	}
}

// A deferred write that fails fails the commit, which commits nothing, and
// the connection goes back to the pool usable.
func TestPipelineDeferredErrorFailsCommit(t *testing.T) {
	t.Parallel()
	db, ctx, _ := pipeDB(t)
	if _, err := db.Exec(insertPipe, 1); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, insertPipe, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(postgres.DeferExec(ctx), insertPipe, 1); err != nil {
		t.Fatalf("deferred write: %v; want its error at commit", err)
	}
	err = tx.Commit()
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "23505" {
		t.Fatalf("Commit = %v; want the deferred write's unique violation", err)
	}
	if got := pipeIDs(t, db); !reflect.DeepEqual(got, []int{1}) {
		t.Fatalf("ids after the failed commit = %v; want [1]", got)
	}
	// Every connection of the pool still works (none was left in a
	// transaction).
	for i := range 40 {
		var one int
		if err := db.QueryRow("SELECT 1").Scan(&one); err != nil {
			t.Fatalf("query %d after the failed commit: %v", i, err)
		}
	}
}

// A deferred write meets the transaction's next statement before it: a
// query reads it.
func TestPipelineQueryReadsDeferredWrites(t *testing.T) {
	t.Parallel()
	db, ctx, trips := pipeDB(t)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(postgres.DeferExec(ctx), insertPipe, 7); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM pipe WHERE id = $1", 7).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("the transaction's query counts %d rows of its deferred write; want 1", n)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	got := trips()
	if len(got) != 3 || !reflect.DeepEqual(got[0], []string{"begin", insertPipe}) || !reflect.DeepEqual(got[2], []string{"commit"}) {
		t.Fatalf("round trips = %q; want BEGIN with the deferred write, the query, COMMIT", got)
	}
}

// A transaction that writes nothing sends nothing, committed or rolled
// back.
func TestPipelineEmptyTransactionSendsNothing(t *testing.T) {
	t.Parallel()
	db, ctx, trips := pipeDB(t)
	for _, commit := range []bool{true, false} {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if commit {
			err = tx.Commit()
		} else {
			err = tx.Rollback()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := trips(); len(got) != 0 {
		t.Fatalf("round trips = %q; want none", got)
	}
}

// Rollback undoes sent writes and drops deferred ones.
func TestPipelineRollbackDropsEverything(t *testing.T) {
	t.Parallel()
	db, ctx, trips := pipeDB(t)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, insertPipe, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(postgres.DeferExec(ctx), insertPipe, 2); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if got := pipeIDs(t, db); len(got) != 0 {
		t.Fatalf("ids after rollback = %v; want none", got)
	}
	want := [][]string{{"begin", insertPipe}, {"rollback"}}
	if got := trips(); !reflect.DeepEqual(got, want) {
		t.Fatalf("round trips = %q; want %q", got, want)
	}
}

// A caller that ignores a failed write cannot commit the rest: COMMIT of
// an aborted transaction is an error, as with pgx's own transactions.
func TestPipelineCommitOfAbortedTransactionFails(t *testing.T) {
	t.Parallel()
	db, ctx, _ := pipeDB(t)
	if _, err := db.Exec(insertPipe, 1); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, insertPipe, 1); err == nil {
		t.Fatal("duplicate insert succeeded")
	}
	if err := tx.Commit(); err == nil {
		t.Fatal("Commit of an aborted transaction succeeded")
	}
	if got := pipeIDs(t, db); !reflect.DeepEqual(got, []int{1}) {
		t.Fatalf("ids = %v; want [1]", got)
	}
}

// Text without arguments may hold several statements (River's and goose's
// migrations run so in a transaction); it is sent as one simple query.
func TestPipelineMultiStatementText(t *testing.T) {
	t.Parallel()
	db, ctx, _ := pipeDB(t)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO pipe (id) VALUES (1); INSERT INTO pipe (id) VALUES (2)"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := pipeIDs(t, db); !reflect.DeepEqual(got, []int{1, 2}) {
		t.Fatalf("ids = %v; want [1 2]", got)
	}
}

// Transaction options reach PostgreSQL with the deferred BEGIN.
func TestPipelineTransactionOptions(t *testing.T) {
	t.Parallel()
	db, ctx, _ := pipeDB(t)
	tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelSerializable, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck // the test fails on the checks below
	var iso string
	if err := tx.QueryRowContext(ctx, "SHOW transaction_isolation").Scan(&iso); err != nil {
		t.Fatal(err)
	}
	if iso != "serializable" {
		t.Fatalf("transaction_isolation = %q; want serializable", iso)
	}
	_, err = tx.ExecContext(ctx, insertPipe, 1)
	if err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Fatalf("write in a read-only transaction: %v; want a read-only error", err)
	}
}

// Outside a transaction a deferred write is not deferred: there is no
// later round trip to carry it.
func TestPipelineDeferOutsideTransactionRunsAtOnce(t *testing.T) {
	t.Parallel()
	db, ctx, _ := pipeDB(t)
	res, err := db.ExecContext(postgres.DeferExec(ctx), insertPipe, 3)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("RowsAffected = %d, %v; want 1, nil", n, err)
	}
	if got := pipeIDs(t, db); !reflect.DeepEqual(got, []int{3}) {
		t.Fatalf("ids = %v; want [3]", got)
	}
}

// A customer create as the app makes it (insert and audit event in one
// transaction) is one round trip, and a duplicate still fails it with
// ErrConflict, reported by the commit.
func TestPipelineCustomerCreateIsOneRoundTrip(t *testing.T) {
	t.Parallel()
	s := testdb.Open(t, testdb.Postgres)
	var trips [][]string
	ctx := postgres.TraceRoundTrips(context.Background(), func(stmts []string) { trips = append(trips, stmts) })
	c := store.CustomerRecord{ID: "cus_pipe_1", Type: "individual", Status: "draft", RiskRating: "low", DueDiligence: "standard",
		Data: []byte{1}, Version: 1, CreatedAt: time.Now(), UpdatedAt: time.Now()}
	create := func() error {
		return s.InTx(ctx, func(tx store.Tx) error {
			if err := tx.Customers().Create(ctx, c); err != nil {
				return err
			}
			return tx.Audit().Append(ctx, domain.AuditEvent{ID: "evt_pipe_" + strconv.Itoa(len(trips)), OccurredAt: time.Now(),
				Actor: "system:test", Action: "customer.created", EntityType: "customer", EntityID: c.ID, Digest: "d"})
		})
	}
	if err := create(); err != nil {
		t.Fatal(err)
	}
	if len(trips) != 1 || len(trips[0]) != 4 || trips[0][0] != "begin" || trips[0][3] != "commit" ||
		!strings.Contains(trips[0][1], "CreateCustomer") || !strings.Contains(trips[0][2], "InsertAuditJournal") {
		t.Fatalf("round trips = %q; want one: BEGIN, the customer, the journal, COMMIT", trips)
	}
	if _, err := s.Customers().Get(context.Background(), c.ID); err != nil {
		t.Fatalf("created customer: %v", err)
	}
	if err := create(); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("second create of %s = %v; want ErrConflict", c.ID, err)
	}
	n, err := s.Audit().PendingStats(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if n.Count != 1 {
		t.Fatalf("journaled events = %d; want 1 (the failed create's event must not be)", n.Count)
	}
}
