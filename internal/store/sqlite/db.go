package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/kyc-platform/kyc/internal/store"
	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

//go:embed migrations/*.sql
var migrationsFS embed.FS

// Migrations returns the embedded goose migrations of the SQLite schema.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationsFS, "migrations")
	if err != nil {
		panic(err) // the embedded directory always exists
	}
	return sub
}

// Options configures Open.
type Options struct {
	// Path is the database file; its directory is created if missing.
	Path string
	// Durable sets synchronous=FULL: every commit is fsynced and survives
	// power loss, at about a fifth of the write throughput. The default,
	// synchronous=NORMAL in WAL mode, never corrupts the database and loses
	// nothing when the process crashes, but the last commits may be lost
	// if the machine loses power.
	Durable bool
}

// DB is a SQLite database. It implements store.Store.
type DB struct {
	repos
	db *sql.DB
	// prepared holds the prepared statements once the schema is current.
	prepared *gen.Queries
	rates    *rateLimits
}

var _ store.Store = (*DB)(nil)

// DSN returns the modernc.org/sqlite data source name Open uses for path
// (without Durable): WAL, a 5 s busy timeout, foreign keys on, synchronous
// NORMAL and BEGIN IMMEDIATE transactions. Tools and tests that open the
// file themselves (say, to tamper with the audit trail) use it.
func DSN(path string) string { return dsn(path, false) }

func dsn(path string, durable bool) string {
	sync := "synchronous(normal)"
	if durable {
		sync = "synchronous(full)"
	}
	q := url.Values{}
	q.Add("_pragma", "journal_mode(wal)")
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", sync)
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// Open opens (creating if needed) the database at o.Path. It does not
// migrate; call Migrate.
func Open(ctx context.Context, o Options) (*DB, error) {
	if o.Path == "" {
		return nil, errors.New("sqlite: empty path")
	}
	if dir := filepath.Dir(o.Path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("sqlite: create directory: %w", err)
		}
	}
	if err := restrictFile(o.Path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn(o.Path, o.Durable))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	// One connection: SQLite has one writer, River's riversqlite wants it,
	// and it keeps the pragmas and the WAL snapshot consistent.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqlite: ping %s: %w", o.Path, err)
	}
	// The WAL and shared-memory files take the database file's mode, but
	// files left by an older version may be world-readable: tighten them.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Chmod(o.Path+suffix, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			_ = db.Close()
			return nil, fmt.Errorf("sqlite: restrict %s: %w", filepath.Base(o.Path+suffix), err)
		}
	}
	d := &DB{repos: newRepos(db), db: db, rates: newRateLimits()}
	// With a current schema, prepare every query once; otherwise Migrate
	// does it after migrating (a statement cannot be prepared on a table
	// that does not exist yet).
	if cur, latest, err := d.MigrationStatus(ctx); err == nil && cur == latest {
		if err := d.prepare(ctx); err != nil {
			_ = db.Close()
			return nil, err
		}
	}
	return d, nil
}

// prepare switches the repositories to prepared statements.
func (d *DB) prepare(ctx context.Context) error {
	q, err := gen.Prepare(ctx, d.db)
	if err != nil {
		return fmt.Errorf("sqlite: prepare statements: %w", err)
	}
	if d.prepared != nil {
		_ = d.prepared.Close()
	}
	d.prepared = q
	d.repos = newReposQ(d.db, q)
	return nil
}

// Migrate applies the embedded goose migrations and River's schema.
func (d *DB) Migrate(ctx context.Context) error {
	p, err := d.goose()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	m, err := rivermigrate.New(riversqlite.New(d.db), nil)
	if err != nil {
		return fmt.Errorf("sqlite: river migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("sqlite: migrate river: %w", err)
	}
	return d.prepare(ctx)
}

func (d *DB) goose() (*goose.Provider, error) {
	p, err := goose.NewProvider(goose.DialectSQLite3, d.db, Migrations(), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return nil, fmt.Errorf("sqlite: goose: %w", err)
	}
	return p, nil
}

// MigrationStatus reports the applied goose version and the latest
// embedded one.
func (d *DB) MigrationStatus(ctx context.Context) (current, latest int64, err error) {
	p, err := d.goose()
	if err != nil {
		return 0, 0, err
	}
	current, latest, err = p.GetVersions(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("sqlite: migration status: %w", err)
	}
	return current, latest, nil
}

// InTx runs fn in one BEGIN IMMEDIATE transaction.
func (d *DB) InTx(ctx context.Context, fn func(tx store.Tx) error) error {
	return inTx(ctx, d.db, d.repos.q, fn)
}

// Dialect returns "sqlite".
func (d *DB) Dialect() string { return "sqlite" }

// DB returns the shared handle (one connection), for riversqlite.
func (d *DB) DB() *sql.DB { return d.db }

// Ping checks that the database answers.
func (d *DB) Ping(ctx context.Context) error { return d.db.PingContext(ctx) }

// Close closes the handle.
func (d *DB) Close() error {
	if d.prepared != nil {
		_ = d.prepared.Close()
	}
	return d.db.Close()
}

// restrictFile creates the database file readable by its owner only (0600)
// before SQLite opens it, so that SQLite, which gives its WAL and
// shared-memory files the mode of the database file, never creates a
// world-readable copy of personal data; an existing file is tightened.
func restrictFile(path string) error {
	if strings.HasPrefix(path, ":memory:") || strings.HasPrefix(path, "file:") {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("sqlite: create %s: %w", filepath.Base(path), err)
	}
	_ = f.Close()
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("sqlite: restrict %s: %w", filepath.Base(path), err)
	}
	return nil
}

// BackupTo writes a consistent copy of the database to dest, a file that
// must not exist yet, while other connections and processes go on reading
// and writing: VACUUM INTO runs in one read transaction, so the copy is the
// database as of one commit (every committed transaction before it,
// nothing of those after), compacted and without a WAL file. dest is
// created readable by its owner only (0600) before SQLite writes to it,
// synced, and checked with PRAGMA integrity_check.
func (d *DB) BackupTo(ctx context.Context, dest string) error {
	f, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	_ = f.Close()
	// VACUUM INTO accepts an empty file as its target; the file name is an
	// expression, so it is bound rather than spliced into the statement.
	if _, err := d.db.ExecContext(ctx, "VACUUM INTO ?", dest); err != nil {
		_ = os.Remove(dest)
		return fmt.Errorf("sqlite: backup (VACUUM INTO): %w", err)
	}
	if err := syncFile(dest); err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	return checkIntegrity(ctx, dest)
}

// checkIntegrity opens path read-only and runs PRAGMA integrity_check.
func checkIntegrity(ctx context.Context, path string) error {
	q := url.Values{}
	q.Set("mode", "ro")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return fmt.Errorf("sqlite: open the copy: %w", err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return fmt.Errorf("sqlite: integrity check of the copy: %w", err)
	}
	if res != "ok" {
		return fmt.Errorf("sqlite: integrity check of the copy failed: %s", res)
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// deferExec is the PostgreSQL engine's mark of a write that may wait for
// its transaction's next round trip (../postgres/pipeline.go); SQLite runs
// in the process and has no round trips to save, so it marks nothing.
func deferExec(ctx context.Context) context.Context { return ctx }

// deferExecRows is deferExec for a write that must change n rows.
func deferExecRows(ctx context.Context, _ int64) context.Context { return ctx }

// errExecDeferred is never returned here; the shared code tests for it.
var errExecDeferred = errors.New("sqlite: deferred statements do not exist")
