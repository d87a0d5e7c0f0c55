package postgres

import (
	"bytes"
	"slices"
	"strings"

	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"github.com/kyc-platform/kyc/internal/store"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

// The transaction pipeline: fewer round trips per transaction, with the
// same statements in the same order on the same connection.
//
// database/sql over pgx sends BEGIN, each statement and COMMIT as round
// trips of their own, and PostgreSQL spends about a third of its CPU under
// the onboarding load reading requests and sending replies. The connector
// below wraps pgx's database/sql connection so that, inside a transaction:
//
//   - BEGIN is not sent when the transaction starts but in front of its
//     first statement, in the same round trip when that statement is an
//     Exec (a transaction that sends nothing costs nothing);
//   - an Exec whose context says so (deferExec: a write whose caller needs
//     neither its error at once nor its row count, such as the audit
//     journal written just before COMMIT) is queued and sent in front of
//     the transaction's next statement or with its COMMIT.
//
// A create (INSERT customer, INSERT journal) is then two round trips
// instead of four. What it keeps: every statement runs, in order, inside
// the transaction; an error of any of them aborts the transaction and is
// returned by the call that carried it (a deferred write's error by the
// next statement or by Commit, which then does not commit); Commit of an
// aborted transaction is an error, as pgx's own is. Outside a transaction
// nothing changes.

// deferredKey marks a context whose Exec may be deferred; its value is
// the row count the write must report (-1: any).
type deferredKey struct{}

// deferExec returns a context under which an Exec inside a transaction is
// queued until the transaction's next round trip. Use it only for writes
// whose caller ignores the row count (the driver cannot know it yet) and
// whose failure needs no handling other than failing the transaction.
func deferExec(ctx context.Context) context.Context {
	return context.WithValue(ctx, deferredKey{}, int64(-1))
}

// deferExecRows is deferExec for a write that must change exactly n rows
// (an UPDATE of a row the transaction has read): when it changes another
// number, the statement that carried it returns a *deferredRowsError
// (store.ErrNotFound when it changed none) and the transaction can no
// longer commit. A write expecting a count never goes with COMMIT, which
// would commit before the count is seen.
func deferExecRows(ctx context.Context, n int64) context.Context {
	return context.WithValue(ctx, deferredKey{}, n)
}

// deferredRowsError is a deferred write's unexpected row count.
type deferredRowsError struct {
	sql       string
	want, got int64
}

func (e *deferredRowsError) Error() string {
	return fmt.Sprintf("postgres: deferred write %s changed %d rows, want %d", statementName(e.sql), e.got, e.want)
}

// Unwrap makes a write that changed no row store.ErrNotFound, as the
// same write reports it when it is not deferred.
func (e *deferredRowsError) Unwrap() error {
	if e.got == 0 {
		return store.ErrNotFound
	}
	return nil
}

// statementName is sqlc's name of a statement ("-- name: UpdateCheck
// :execrows …"), or its first words.
func statementName(sql string) string {
	if rest, ok := strings.CutPrefix(sql, "-- name: "); ok {
		if name, _, ok := strings.Cut(rest, " "); ok {
			return name
		}
	}
	if len(sql) > 40 {
		sql = sql[:40]
	}
	return sql
}

// errExecDeferred is the row count's error of a deferred Exec.
var errExecDeferred = errors.New("postgres: row count of a deferred statement is not known before the transaction's next round trip")

// deferredResult is the driver.Result of a deferred Exec.
type deferredResult struct{}

func (deferredResult) LastInsertId() (int64, error) { return 0, errExecDeferred }
func (deferredResult) RowsAffected() (int64, error) { return 0, errExecDeferred }

// openPipelinedDB is stdlib.OpenDBFromPool with the pipeline connector.
func openPipelinedDB(pool *pgxpool.Pool) *sql.DB {
	db := sql.OpenDB(pipeConnector{inner: stdlib.GetPoolConnector(pool)})
	// As stdlib.OpenDBFromPool: idle connections belong to the pool.
	db.SetMaxIdleConns(0)
	return db
}

type pipeConnector struct{ inner driver.Connector }

func (c pipeConnector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	sc, ok := dc.(*stdlib.Conn)
	if !ok {
		return dc, nil
	}
	return &pipeConn{Conn: sc}, nil
}

func (c pipeConnector) Driver() driver.Driver { return c.inner.Driver() }

// queued is a statement waiting for its round trip.
type queued struct {
	sql  string
	args []any
	want int64 // the row count it must report, -1: any
}

// check returns the error of a statement that reported rows rows.
func (q queued) check(rows int64) error {
	if q.want >= 0 && rows != q.want {
		return &deferredRowsError{sql: q.sql, want: q.want, got: rows}
	}
	return nil
}

// pipeConn is a pgx database/sql connection that pipelines its
// transactions' statements. database/sql uses a connection from one
// goroutine at a time, so its fields need no lock.
type pipeConn struct {
	*stdlib.Conn
	inTx     bool
	begin    string   // the BEGIN not sent yet, "" once sent
	deferred []queued // deferred Execs not sent yet
	// failed, once a deferred write reported an unexpected row count, is
	// the error every later statement of the transaction and its Commit
	// return: PostgreSQL did not abort it, so this connection does.
	failed error
}

// traceKey holds a function called with the statements of every round
// trip a transaction makes under the context (tests count them).
type traceKey struct{}

func traceRoundTrip(ctx context.Context, stmts ...string) {
	if f, ok := ctx.Value(traceKey{}).(func([]string)); ok {
		f(stmts)
	}
}

func beginSQL(opts driver.TxOptions) (string, error) {
	s := "begin"
	switch sql.IsolationLevel(opts.Isolation) {
	case sql.LevelDefault:
	case sql.LevelReadUncommitted:
		s += " isolation level read uncommitted"
	case sql.LevelReadCommitted:
		s += " isolation level read committed"
	case sql.LevelRepeatableRead, sql.LevelSnapshot:
		s += " isolation level repeatable read"
	case sql.LevelSerializable:
		s += " isolation level serializable"
	default:
		return "", fmt.Errorf("unsupported isolation: %v", opts.Isolation)
	}
	if opts.ReadOnly {
		s += " read only"
	}
	return s, nil
}

func (c *pipeConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *pipeConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if c.Conn.Conn().IsClosed() {
		return nil, driver.ErrBadConn
	}
	if c.inTx {
		return nil, errors.New("postgres: a transaction is already open on this connection")
	}
	b, err := beginSQL(opts)
	if err != nil {
		return nil, err
	}
	c.inTx, c.begin, c.deferred = true, b, nil
	return &pipeTx{c: c, ctx: ctx}, nil
}

// pending returns what must go before the next statement, and forgets it.
func (c *pipeConn) pending() []queued {
	var q []queued
	if c.begin != "" {
		q = append(q, queued{sql: c.begin, want: -1})
		c.begin = ""
	}
	q = append(q, c.deferred...)
	c.deferred = nil
	return q
}

func args(argsV []driver.NamedValue) []any {
	a := make([]any, len(argsV))
	for i, v := range argsV {
		a[i] = v.Value
	}
	return a
}

// send runs stmts in one round trip and returns the last one's command
// tag; the first error stops it (PostgreSQL skips the rest).
func (c *pipeConn) send(ctx context.Context, stmts []queued) (pgconn.CommandTag, error) {
	if f, ok := ctx.Value(traceKey{}).(func([]string)); ok {
		s := make([]string, len(stmts))
		for i, q := range stmts {
			s[i] = q.sql
		}
		f(s)
	}
	b := &pgx.Batch{}
	for _, q := range stmts {
		b.Queue(q.sql, q.args...)
	}
	br := c.Conn.Conn().SendBatch(ctx, b)
	var tag pgconn.CommandTag
	var failed error
	for _, q := range stmts {
		var err error
		if tag, err = br.Exec(); err != nil {
			_ = br.Close()
			return tag, err
		}
		if err := q.check(tag.RowsAffected()); err != nil && failed == nil {
			failed = err
		}
	}
	if err := br.Close(); err != nil {
		return tag, err
	}
	if failed != nil {
		c.failed = failed
		return tag, failed
	}
	return tag, nil
}

// flush sends what is pending on its own, before a statement that cannot
// share its round trip (a query: its rows are read by pgx's own code).
func (c *pipeConn) flush(ctx context.Context) error {
	if q := c.pending(); len(q) > 0 {
		_, err := c.send(ctx, q)
		return err
	}
	return nil
}

func (c *pipeConn) ExecContext(ctx context.Context, query string, argsV []driver.NamedValue) (driver.Result, error) {
	if !c.inTx {
		return c.Conn.ExecContext(ctx, query, argsV)
	}
	if c.failed != nil {
		return nil, c.failed
	}
	if len(argsV) == 0 {
		// Without arguments pgx sends the text as a simple query, which
		// may hold several statements (migrations do); a pipeline prepares
		// each statement, so this one goes on its own.
		if err := c.flush(ctx); err != nil {
			return nil, err
		}
		traceRoundTrip(ctx, query)
		return c.Conn.ExecContext(ctx, query, argsV)
	}
	if want, ok := ctx.Value(deferredKey{}).(int64); ok {
		a := args(argsV)
		for i, v := range a {
			if b, ok := v.([]byte); ok {
				// The caller owns its slice and may reuse it once Exec
				// returns; the statement is sent later.
				a[i] = bytes.Clone(b)
			}
		}
		c.deferred = append(c.deferred, queued{sql: query, args: a, want: want})
		return deferredResult{}, nil
	}
	q := c.pending()
	if len(q) == 0 {
		traceRoundTrip(ctx, query)
		return c.Conn.ExecContext(ctx, query, argsV)
	}
	tag, err := c.send(ctx, append(q, queued{sql: query, args: args(argsV), want: -1}))
	if err != nil {
		return nil, err
	}
	return driver.RowsAffected(tag.RowsAffected()), nil
}

func (c *pipeConn) QueryContext(ctx context.Context, query string, argsV []driver.NamedValue) (driver.Rows, error) {
	if c.inTx {
		if c.failed != nil {
			return nil, c.failed
		}
		if c.begin != "" || len(c.deferred) > 0 {
			if pipelinable(query, c.deferred) {
				return c.pipeQuery(ctx, query, argsV)
			}
			if err := c.flush(ctx); err != nil {
				return nil, err
			}
		}
		traceRoundTrip(ctx, query)
	}
	return c.Conn.QueryContext(ctx, query, argsV)
}

// pipelinable reports whether a query and the deferred writes before it
// may go in one pipeline. pipeQuery prepares them on the connection for
// good (pgx keeps them outside its bounded statement cache), so only
// sqlc's statements ("-- name: …", the store's and River's), a set fixed
// at build time, are; any other text is sent as before.
func pipelinable(query string, deferred []queued) bool {
	if !strings.HasPrefix(query, "-- name: ") {
		return false
	}
	for _, q := range deferred {
		if !strings.HasPrefix(q.sql, "-- name: ") {
			return false
		}
	}
	return true
}

func (c *pipeConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if c.inTx {
		if c.failed != nil {
			return nil, c.failed
		}
		if err := c.flush(ctx); err != nil {
			return nil, err
		}
	}
	return c.Conn.PrepareContext(ctx, query)
}

func (c *pipeConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// ResetSession forgets any transaction state before the connection is
// reused (database/sql ends every transaction through pipeTx first; this
// is the guard), then lets pgx check the connection.
func (c *pipeConn) ResetSession(ctx context.Context) error {
	c.inTx, c.begin, c.deferred, c.failed = false, "", nil, nil
	return c.Conn.ResetSession(ctx)
}

// pipeTx ends a pipelined transaction.
type pipeTx struct {
	c   *pipeConn
	ctx context.Context
}

func (t *pipeTx) Commit() error {
	c := t.c
	unsent := c.begin != ""
	q := c.pending()
	c.inTx = false
	if failed := c.failed; failed != nil {
		c.failed = nil
		t.abandon()
		return failed
	}
	if unsent && len(q) == 1 {
		return nil // only BEGIN is pending: nothing was written, nothing to commit
	}
	if slices.ContainsFunc(q, func(x queued) bool { return x.want >= 0 }) {
		// A row count is checked before COMMIT is sent.
		if _, err := c.send(t.ctx, q); err != nil {
			c.failed = nil
			t.abandon()
			return err
		}
		q = nil
	}
	tag, err := c.send(t.ctx, append(q, queued{sql: "commit", want: -1}))
	if err == nil && tag.String() != "COMMIT" {
		// PostgreSQL answers COMMIT of an aborted transaction with
		// ROLLBACK and no error; pgx reports it as an error, so do we.
		err = pgx.ErrTxCommitRollback
	}
	if err != nil {
		t.abandon()
	}
	return err
}

func (t *pipeTx) Rollback() error {
	c := t.c
	unsent := c.begin != ""
	c.inTx, c.begin, c.deferred, c.failed = false, "", nil, nil
	if unsent {
		return nil // BEGIN was never sent: there is nothing to roll back
	}
	traceRoundTrip(t.ctx, "rollback")
	if _, err := c.Conn.Conn().Exec(t.ctx, "rollback"); err != nil {
		// As pgx does: a connection whose rollback failed is not reused.
		_ = c.Conn.Conn().Close(context.Background())
		return err
	}
	return nil
}

// abandon ends a transaction whose commit failed: rolled back if it is
// still open (a deferred statement's error leaves it aborted), closed if
// even that fails.
func (t *pipeTx) abandon() {
	pc := t.c.Conn.Conn()
	if pc.IsClosed() || pc.PgConn().TxStatus() == 'I' {
		return
	}
	if _, err := pc.Exec(context.Background(), "rollback"); err != nil {
		_ = pc.Close(context.Background())
	}
}
