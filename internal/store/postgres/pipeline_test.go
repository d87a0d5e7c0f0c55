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

const (
	countPipe    = "-- name: CountPipe :one\nSELECT count(*) FROM pipe WHERE id = $1"
	countAllPipe = "-- name: CountAllPipe :one\nSELECT count(*) FROM pipe"
	lockPipe     = "-- name: LockPipe :one\nSELECT id FROM pipe WHERE id = $1 FOR UPDATE"
)

// begin opens a transaction under ctx or fails the test.
func begin(t *testing.T, db *sql.DB, ctx context.Context) *sql.Tx {
	t.Helper()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	return tx
}

// insert runs insertPipe for id on db or fails the test.
func insert(t *testing.T, db *sql.DB, id int) {
	t.Helper()
	if _, err := db.Exec(insertPipe, id); err != nil {
		t.Fatal(err)
	}
}

// wantTrips fails the test unless the round trips recorded since the last
// call are want.
func wantTrips(t *testing.T, trips func() [][]string, want [][]string) {
	t.Helper()
	if got := trips(); !reflect.DeepEqual(got, want) {
		t.Fatalf("round trips = %q; want %q", got, want)
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

// The statements are named as sqlc names them: only such statements
// (a set fixed at build time) are prepared for a pipelined query.
const insertPipe = "-- name: InsertPipe :exec\nINSERT INTO pipe (id) VALUES ($1)"

// A transaction of two writes, the second deferred (as the audit journal
// is), takes two round trips: BEGIN with the first write, the second with
// COMMIT.
func TestPipelineTwoWritesTwoRoundTrips(t *testing.T) {
	t.Parallel()
	db, ctx, trips := pipeDB(t)
	tx := begin(t, db, ctx)
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
	wantTrips(t, trips, [][]string{{"begin", insertPipe}, {insertPipe, "commit"}})
	if got := pipeIDs(t, db); !reflect.DeepEqual(got, []int{1, 2}) {
		t.Fatalf("committed ids = %v; want [1 2]", got)
	}
}

// A deferred write that fails fails the commit, which commits nothing, and
// the connection goes back to the pool usable.
func TestPipelineDeferredErrorFailsCommit(t *testing.T) {
	t.Parallel()
	db, ctx, _ := pipeDB(t)
	insert(t, db, 1)
	tx := begin(t, db, ctx)
	if _, err := tx.ExecContext(ctx, insertPipe, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(postgres.DeferExec(ctx), insertPipe, 1); err != nil {
		t.Fatalf("deferred write: %v; want its error at commit", err)
	}
	err := tx.Commit()
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

// A deferred write goes before the transaction's next statement, in its
// round trip: a query reads it.
func TestPipelineQueryReadsDeferredWrites(t *testing.T) {
	t.Parallel()
	db, ctx, trips := pipeDB(t)
	tx := begin(t, db, ctx)
	if _, err := tx.ExecContext(postgres.DeferExec(ctx), insertPipe, 7); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, countPipe, 7).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("the transaction's query counts %d rows of its deferred write; want 1", n)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	wantTrips(t, trips, [][]string{{"begin", insertPipe, countPipe}, {"commit"}})
}

// A transaction that writes nothing sends nothing, committed or rolled
// back.
func TestPipelineEmptyTransactionSendsNothing(t *testing.T) {
	t.Parallel()
	db, ctx, trips := pipeDB(t)
	for _, commit := range []bool{true, false} {
		tx := begin(t, db, ctx)
		var err error
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
	tx := begin(t, db, ctx)
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
	wantTrips(t, trips, [][]string{{"begin", insertPipe}, {"rollback"}})
}

// A caller that ignores a failed write cannot commit the rest: COMMIT of
// an aborted transaction is an error, as with pgx's own transactions.
func TestPipelineCommitOfAbortedTransactionFails(t *testing.T) {
	t.Parallel()
	db, ctx, _ := pipeDB(t)
	insert(t, db, 1)
	tx := begin(t, db, ctx)
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
	tx := begin(t, db, ctx)
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

// A query that carries the BEGIN and deferred writes returns each column
// as the plain query does (the same conversions as pgx's database/sql
// adapter), for every kind of column the store reads and more, NULLs
// and several rows included.
func TestPipelinedQueryScansAsPlainQuery(t *testing.T) {
	t.Parallel()
	db, ctx, trips := pipeDB(t)
	if _, err := db.Exec("CREATE TYPE pipe_mood AS ENUM ('calm', 'busy')"); err != nil {
		t.Fatal(err)
	}
	const q = `-- name: PipeColumns :many
		SELECT n, n % 2 = 0, CAST(n AS smallint), CAST(n AS int), CAST(n AS bigint) * 10000000000,
		CAST(n AS real) / 4, CAST(n AS double precision) / 3, 'text ' || n, CAST('{"a": [1, "x"]}' AS jsonb),
		CAST('{"b": 2}' AS json), decode('00ff' || lpad(to_hex(n), 2, '0'), 'hex'),
		TIMESTAMPTZ '2026-11-29 12:34:56.789+01' + n * INTERVAL '1 day', DATE '2026-02-28' + n,
		TIMESTAMP '2026-01-01 00:00:00' + n * INTERVAL '1 hour', CAST(n AS numeric) / 7,
		CAST('6f1c2a9e-8b9e-4a6f-9d2c-0e4b1a2c3d4e' AS uuid), ARRAY['a', 'b,c'], ARRAY[CAST(n AS bigint), 2],
		CAST('busy' AS pipe_mood), CAST(NULL AS text), CAST(NULL AS bigint), CAST(NULL AS timestamptz), $1::text
		FROM generate_series(1, 3) AS n`
	scan := func(rows *sql.Rows) [][]any {
		t.Helper()
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		var out [][]any
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out = append(out, vals)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	plain, err := db.QueryContext(ctx, q, "arg")
	if err != nil {
		t.Fatal(err)
	}
	want := scan(plain)
	tx := begin(t, db, ctx)
	defer tx.Rollback() //nolint:errcheck // read-only use
	if _, err := tx.ExecContext(postgres.DeferExec(ctx), insertPipe, 1); err != nil {
		t.Fatal(err)
	}
	trips()
	rows, err := tx.QueryContext(ctx, q, "arg")
	if err != nil {
		t.Fatal(err)
	}
	got := scan(rows)
	if tr := trips(); len(tr) != 1 || len(tr[0]) != 3 {
		t.Fatalf("round trips = %q; want one carrying BEGIN, the write and the query", tr)
	}
	if len(want) != 3 || !reflect.DeepEqual(got, want) {
		t.Fatalf("pipelined rows differ from plain ones:\n got %#v\nwant %#v", got, want)
	}
	// The connection carries on: a plain query in the same transaction.
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM pipe").Scan(&n); err != nil || n != 1 {
		t.Fatalf("count after the pipelined query = %d, %v; want 1, nil", n, err)
	}
}

// A transaction that starts with a query sends BEGIN with it; a query
// that finds no row says so; a failing deferred write fails the query that
// carries it, and the transaction then rolls back cleanly.
func TestPipelinedQueryFirstAndErrors(t *testing.T) {
	t.Parallel()
	db, ctx, trips := pipeDB(t)
	insert(t, db, 1)
	tx := begin(t, db, ctx)
	var id int
	err := tx.QueryRowContext(ctx, lockPipe, 2).Scan(&id)
	if !errors.Is(err, sql.ErrNoRows) {
		t.Fatalf("query of a missing row = %v; want sql.ErrNoRows", err)
	}
	if err := tx.QueryRowContext(ctx, lockPipe, 1).Scan(&id); err != nil || id != 1 {
		t.Fatalf("second query = %d, %v; want 1, nil", id, err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	wantTrips(t, trips, [][]string{{"begin", lockPipe}, {lockPipe}, {"commit"}})

	tx = begin(t, db, ctx)
	if _, err := tx.ExecContext(postgres.DeferExec(ctx), insertPipe, 1); err != nil {
		t.Fatal(err)
	}
	err = tx.QueryRowContext(ctx, countAllPipe).Scan(&id)
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "23505" {
		t.Fatalf("query after a failing deferred write = %v; want its unique violation", err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatalf("rollback after the failed pipeline: %v", err)
	}
	for i := range 40 {
		var one int
		if err := db.QueryRow("SELECT 1").Scan(&one); err != nil {
			t.Fatalf("query %d after the failed pipeline: %v", i, err)
		}
	}
	if got := pipeIDs(t, db); !reflect.DeepEqual(got, []int{1}) {
		t.Fatalf("ids = %v; want [1]", got)
	}
}

// A deferred write that must change one row and changes none fails the
// statement that carries it with store.ErrNotFound, and the transaction
// can no longer commit even if the caller goes on; such a write is checked
// before COMMIT is sent, never with it.
func TestPipelineDeferredRowCount(t *testing.T) {
	t.Parallel()
	db, ctx, trips := pipeDB(t)
	insert(t, db, 1)
	const update = "-- name: UpdatePipe :execrows\nUPDATE pipe SET id = id + 100 WHERE id = $1"
	tx := begin(t, db, ctx)
	if _, err := tx.ExecContext(postgres.DeferExecRows(ctx, 1), update, 9); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, insertPipe, 2); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("statement after an update of a missing row = %v; want store.ErrNotFound", err)
	}
	if _, err := tx.ExecContext(ctx, insertPipe, 3); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("later statement = %v; want the same failure", err)
	}
	if err := tx.Commit(); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Commit = %v; want the failure, not a commit", err)
	}
	if got := pipeIDs(t, db); !reflect.DeepEqual(got, []int{1}) {
		t.Fatalf("ids = %v; want [1]: nothing of the failed transaction", got)
	}

	// Last before COMMIT: sent and checked first.
	trips()
	tx = begin(t, db, ctx)
	if _, err := tx.ExecContext(ctx, insertPipe, 4); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(postgres.DeferExecRows(ctx, 1), update, 9); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(postgres.DeferExec(ctx), insertPipe, 5); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Commit after an update of a missing row = %v; want store.ErrNotFound", err)
	}
	if got := pipeIDs(t, db); !reflect.DeepEqual(got, []int{1}) {
		t.Fatalf("ids = %v; want [1]", got)
	}
	want := [][]string{{"begin", insertPipe}, {update, insertPipe}}
	if got := trips(); !reflect.DeepEqual(got, want) {
		t.Fatalf("round trips = %q; want %q (no COMMIT after the failed count)", got, want)
	}

	// The count right: the update, then COMMIT.
	tx = begin(t, db, ctx)
	if _, err := tx.ExecContext(postgres.DeferExecRows(ctx, 1), update, 1); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := pipeIDs(t, db); !reflect.DeepEqual(got, []int{101}) {
		t.Fatalf("ids = %v; want [101]", got)
	}
	wantTrips(t, trips, [][]string{{"begin", update}, {"commit"}})
	// A query carrying a failed count fails too.
	tx = begin(t, db, ctx)
	defer tx.Rollback() //nolint:errcheck // failed on purpose
	if _, err := tx.ExecContext(postgres.DeferExecRows(ctx, 1), update, 9); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, countAllPipe).Scan(&n); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("query carrying an update of a missing row = %v; want store.ErrNotFound", err)
	}
}

// An update of a customer the transaction holds (GetForUpdate) at the
// version it replaces travels with the next statement; a stale one is
// still sent at once and still ErrConflict.
func TestPipelineLockedCustomerUpdate(t *testing.T) {
	t.Parallel()
	s := testdb.Open(t, testdb.Postgres)
	bg := context.Background()
	c := store.CustomerRecord{ID: "cus_pipe_2", Type: "individual", Status: "draft", RiskRating: "low", DueDiligence: "standard",
		Data: []byte{1}, Version: 1, CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := s.Customers().Create(bg, c); err != nil {
		t.Fatal(err)
	}
	var trips [][]string
	ctx := postgres.TraceRoundTrips(bg, func(stmts []string) { trips = append(trips, stmts) })
	err := s.InTx(ctx, func(tx store.Tx) error {
		got, err := tx.Customers().GetForUpdate(ctx, c.ID)
		if err != nil {
			return err
		}
		got.Status, got.Version = "submitted", got.Version+1
		if err := tx.Customers().Update(ctx, got); err != nil {
			return err
		}
		got.RiskRating, got.Version = "high", got.Version+1
		if err := tx.Customers().Update(ctx, got); err != nil {
			return err
		}
		_, err = tx.Checks().ListByCustomer(ctx, c.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(trips) != 3 || len(trips[1]) != 3 || !strings.Contains(trips[1][0], "UpdateCustomer") ||
		!strings.Contains(trips[1][1], "UpdateCustomer") || !strings.Contains(trips[1][2], "ListChecksByCustomer") {
		t.Fatalf("round trips = %q; want BEGIN+read, both updates with the next query, COMMIT", trips)
	}
	got, err := s.Customers().Get(bg, c.ID)
	if err != nil || got.Status != "submitted" || got.RiskRating != "high" || got.Version != 3 {
		t.Fatalf("customer = %+v, %v; want submitted, high, version 3", got, err)
	}
	err = s.InTx(bg, func(tx store.Tx) error {
		got, err := tx.Customers().GetForUpdate(bg, c.ID)
		if err != nil {
			return err
		}
		got.Version-- // stale: replaces version 2, the row is at 3
		return tx.Customers().Update(bg, got)
	})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale update under lock = %v; want ErrConflict", err)
	}
}

// A query that is not a sqlc statement (its text may be built at run
// time) is not prepared for good: what is pending goes first, on its own.
func TestPipelineOtherQueryTextGoesAlone(t *testing.T) {
	t.Parallel()
	db, ctx, trips := pipeDB(t)
	tx := begin(t, db, ctx)
	if _, err := tx.ExecContext(postgres.DeferExec(ctx), insertPipe, 1); err != nil {
		t.Fatal(err)
	}
	var n int
	const q = "SELECT count(*) FROM pipe WHERE id = $1"
	if err := tx.QueryRowContext(ctx, q, 1).Scan(&n); err != nil || n != 1 {
		t.Fatalf("count = %d, %v; want 1, nil", n, err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	wantTrips(t, trips, [][]string{{"begin", insertPipe}, {q}, {"commit"}})
}

// A deferred write keeps the bytes it was given: the caller may reuse its
// slice as soon as Exec returns.
func TestPipelineDeferredWriteCopiesBytes(t *testing.T) {
	t.Parallel()
	db, ctx, _ := pipeDB(t)
	if _, err := db.Exec("CREATE TABLE pipe_b (id int PRIMARY KEY, b bytea)"); err != nil {
		t.Fatal(err)
	}
	tx := begin(t, db, ctx)
	buf := []byte("first")
	if _, err := tx.ExecContext(postgres.DeferExec(ctx), "-- name: InsertPipeB :exec\nINSERT INTO pipe_b (id, b) VALUES ($1, $2)", 1, buf); err != nil {
		t.Fatal(err)
	}
	copy(buf, "XXXXX")
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var got []byte
	if err := db.QueryRow("SELECT b FROM pipe_b WHERE id = 1").Scan(&got); err != nil || string(got) != "first" {
		t.Fatalf("stored %q, %v; want \"first\"", got, err)
	}
}
