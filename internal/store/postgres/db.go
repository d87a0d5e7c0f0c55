package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"hash/fnv"
	"io/fs"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/kyc-platform/kyc/internal/store"
)

//go:embed migrations/*.sql
var migrationsFS embed.FS

// Migrations returns the embedded goose migrations of the PostgreSQL schema.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationsFS, "migrations")
	if err != nil {
		panic(err) // the embedded directory always exists
	}
	return sub
}

// DB is a PostgreSQL database. It implements store.Store.
type DB struct {
	repos
	db   *sql.DB
	pool *pgxpool.Pool
}

var _ store.Store = (*DB)(nil)

// defaultMaxConns is the pool size when the URL has no pool_max_conns.
const defaultMaxConns = 16

// Open connects to the database at url (a postgres:// URL; pgx accepts
// runtime parameters such as search_path, and pgxpool settings such as
// pool_max_conns, as query parameters). It does not migrate; call Migrate.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse url: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		// pgxpool's default (max(4, GOMAXPROCS)) is too small for the API
		// and River workers sharing one pool.
		cfg.MaxConns = defaultMaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	db := openPipelinedDB(pool)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		pool.Close()
		return nil, fmt.Errorf("postgres: ping: %w", err)
	}
	return &DB{repos: newRepos(db), db: db, pool: pool}, nil
}

// Pool returns the pgx pool behind DB, for
// riverdatabasesql.NewWithPgxListener(db.DB(), db.Pool()).
func (d *DB) Pool() *pgxpool.Pool { return d.pool }

// Migrate applies the embedded goose migrations (under a PostgreSQL
// advisory lock, so that several replicas may start at once) and River's
// schema, in the schema selected by search_path.
func (d *DB) Migrate(ctx context.Context) error {
	// The advisory lock is per schema: migrations of different schemas
	// (parallel tests, several tenants) do not wait for each other.
	var schema string
	if err := d.db.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return fmt.Errorf("postgres: current schema: %w", err)
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte("kyc goose " + schema))
	locker, err := lock.NewPostgresSessionLocker(
		lock.WithLockID(int64(h.Sum64()>>1)),
		lock.WithLockTimeout(1, 300), // poll every second, give up after 5 minutes
	)
	if err != nil {
		return fmt.Errorf("postgres: goose locker: %w", err)
	}
	p, err := d.goose(goose.WithSessionLocker(locker))
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	m, err := rivermigrate.New(riverdatabasesql.New(d.db), nil)
	if err != nil {
		return fmt.Errorf("postgres: river migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("postgres: migrate river: %w", err)
	}
	return nil
}

func (d *DB) goose(opts ...goose.ProviderOption) (*goose.Provider, error) {
	opts = append(opts, goose.WithDisableGlobalRegistry(true))
	p, err := goose.NewProvider(goose.DialectPostgres, d.db, Migrations(), opts...)
	if err != nil {
		return nil, fmt.Errorf("postgres: goose: %w", err)
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
		return 0, 0, fmt.Errorf("postgres: migration status: %w", err)
	}
	return current, latest, nil
}

// InTx runs fn in one READ COMMITTED transaction; rows read with
// GetForUpdate and the audit head stay locked until it ends.
func (d *DB) InTx(ctx context.Context, fn func(tx store.Tx) error) error {
	return inTx(ctx, d.db, d.repos.q, fn)
}

// Dialect returns "postgres".
func (d *DB) Dialect() string { return "postgres" }

// DB returns the shared database/sql handle, for riverdatabasesql.
func (d *DB) DB() *sql.DB { return d.db }

// Ping checks that the database answers.
func (d *DB) Ping(ctx context.Context) error { return d.db.PingContext(ctx) }

// Close closes the handle and the pool.
func (d *DB) Close() error {
	err := d.db.Close()
	d.pool.Close()
	return err
}
