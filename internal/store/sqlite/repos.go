package sqlite

// The repository code is shared by both engines: `make generate` copies
// every file of this package except the engine-specific ones (db.go,
// convert.go, doc.go; ENGINE_FILES in the Makefile) and the tests to
// ../postgres, with the package clause and the generated-package import
// changed. Edit it here only; a test checks the copies are current.
// Engine differences live in convert.go and db.go.
//
// This file holds the wiring of store.Repos and store.Tx and the helpers
// the repositories share; each repository has a file of its own, named
// like its queries in ../queries.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

// noLimit is used when a filter's Limit is zero or negative.
const noLimit = 1<<31 - 1

func limit(n int) int64 {
	if n <= 0 {
		return noLimit
	}
	return int64(n)
}

// notNil turns a nil slice into an empty one for NOT NULL blob columns.
func notNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// missingOrStale turns a zero-row versioned update into ErrNotFound (no
// such row) or ErrConflict (the version moved on).
func missingOrStale(count int64, err error) error {
	switch {
	case err != nil:
		return mapErr(err)
	case count == 0:
		return store.ErrNotFound
	default:
		return fmt.Errorf("%w: stale version", store.ErrConflict)
	}
}

// rowsOrNotFound maps a zero-row update or delete to ErrNotFound.
func rowsOrNotFound(n int64, err error) error {
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// repos implements store.Repos on a connection pool or a transaction.
type repos struct {
	db   gen.DBTX
	q    *gen.Queries
	inTx bool
	// st is the transaction's own state (nil outside a transaction).
	st *txState
}

// txState is what a transaction keeps beside its statements, to spare
// round trips to the database: the audit events appended so far, which
// inTx journals in one statement just before the commit (so still inside
// the transaction, after every lock the change took), and the webhook
// endpoints it has read, by tenant, until it changes one.
type txState struct {
	journal   []domain.AuditEvent
	endpoints map[string][]store.WebhookEndpointRecord
	// locked holds the version of each customer the transaction read with
	// GetForUpdate (or has since written): an update from that version
	// cannot find the row missing or changed by another writer.
	locked map[string]int64
}

// lockedVersion returns the version at which the transaction holds
// customer id's row, if it does.
func (st *txState) lockedVersion(id string) (int64, bool) {
	if st == nil {
		return 0, false
	}
	v, ok := st.locked[id]
	return v, ok
}

func newRepos(db gen.DBTX) repos { return newReposQ(db, gen.New(db)) }

// newReposQ uses q (possibly with prepared statements) for db.
func newReposQ(db gen.DBTX, q *gen.Queries) repos {
	_, inTx := db.(*sql.Tx)
	return repos{db: db, q: q, inTx: inTx}
}

func (r repos) Customers() store.Customers       { return customers(r) }
func (r repos) Checks() store.Checks             { return checks(r) }
func (r repos) Cases() store.Cases               { return cases(r) }
func (r repos) Hits() store.Hits                 { return hits(r) }
func (r repos) Audit() store.Audit               { return audit(r) }
func (r repos) Clients() store.Clients           { return clients(r) }
func (r repos) Keys() store.Keys                 { return keys(r) }
func (r repos) Idempotency() store.Idempotency   { return idempotency(r) }
func (r repos) Lists() store.Lists               { return lists(r) }
func (r repos) Documents() store.Documents       { return documents(r) }
func (r repos) AccessLinks() store.AccessLinks   { return accessLinks(r) }
func (r repos) Screenings() store.Screenings     { return screenings(r) }
func (r repos) Webhooks() store.Webhooks         { return webhooks(r) }
func (r repos) Erasure() store.Erasure           { return erasure(r) }
func (r repos) Reviews() store.Reviews           { return reviews(r) }
func (r repos) Users() store.Users               { return users(r) }
func (r repos) Sessions() store.Sessions         { return sessions(r) }
func (r repos) Views() store.Views               { return views(r) }
func (r repos) Transactions() store.Transactions { return transactions(r) }
func (r repos) Alerts() store.Alerts             { return alerts(r) }
func (r repos) Reports() store.Reports           { return reports(r) }
func (r repos) Rescreens() store.Rescreens       { return rescreens(r) }
func (r repos) KeyCheck() store.KeyCheck         { return keyCheck(r) }

// tx implements store.Tx.
type tx struct {
	repos
	sqlTx *sql.Tx
}

func (t *tx) SQLTx() *sql.Tx { return t.sqlTx }

// inTx runs fn in a new transaction of db: commit when fn returns nil,
// rollback otherwise (and on panic). q's statements (prepared or not) are
// bound to the transaction.
func inTx(ctx context.Context, db *sql.DB, q *gen.Queries, fn func(store.Tx) error) (err error) {
	sqlTx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
	}()
	r := newReposQ(sqlTx, q.WithTx(sqlTx))
	r.st = &txState{}
	err = fn(&tx{repos: r, sqlTx: sqlTx})
	if err == nil {
		err = audit(r).flush(ctx)
	}
	if err != nil {
		if rbErr := sqlTx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("rollback: %w", rbErr))
		}
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return mapErr(fmt.Errorf("commit: %w", err))
	}
	return nil
}
