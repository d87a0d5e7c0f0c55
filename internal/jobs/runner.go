package jobs

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/kyc-platform/kyc/internal/app"
)

// Recorder receives job metrics; *telemetry.Metrics implements it.
type Recorder interface {
	Job(kind, outcome string, d time.Duration)
}

// Database is what the runner needs of the store: the engine's name and
// the *sql.DB that River shares with it. A store.Store is one.
type Database interface {
	// Dialect is "sqlite" or "postgres".
	Dialect() string
	// DB is the handle River uses for its own tables.
	DB() *sql.DB
}

// Options configure the runner.
type Options struct {
	// Store is the database the jobs live in, beside the business data.
	Store Database
	// PGPool, on PostgreSQL, lets workers wake on LISTEN/NOTIFY.
	PGPool *pgxpool.Pool
	// Workers is the number of concurrent jobs; 0 makes an insert-only
	// client (kyc serve --no-workers).
	Workers int
	// MaxAttempts of a check job before it is recorded as an error.
	MaxAttempts int
	Logger      *slog.Logger
	Metrics     Recorder
	// FetchPollInterval overrides River's poll interval (tests).
	FetchPollInterval time.Duration
	// RetryBase is the delay before the first retry of a failed job; it
	// doubles with each attempt up to 10 minutes. Zero means one second
	// (tests shorten it).
	RetryBase time.Duration
	// JobTimeout bounds one run of a job (default DefaultJobTimeout); a job
	// still running half as long again after it started belongs to a
	// process that died and is run again.
	JobTimeout time.Duration
	// ListSync, when set, runs every ListSyncInterval as a periodic job
	// (one process runs each period): it fetches the configured official
	// list URLs and stores new snapshots.
	ListSync         func(ctx context.Context) error
	ListSyncInterval time.Duration
	// WebhookWorkers is the number of concurrent webhook deliveries, in
	// their own queue (zero: DefaultWebhookWorkers).
	WebhookWorkers int
	// SealInterval is the pause of the audit sealer between rounds that
	// found little to seal (zero: DefaultSealInterval). Every runner with
	// workers runs the sealer.
	SealInterval time.Duration
	// RetentionScanInterval is the period of the retention purge
	// (KYC_RETENTION_SCAN_INTERVAL; zero: one hour).
	RetentionScanInterval time.Duration
	// ReviewScanInterval is the period of the scan that opens periodic
	// reviews as they fall due (KYC_REVIEW_SCAN_INTERVAL; zero: one hour).
	ReviewScanInterval time.Duration
	// IdentityTimeout is how long an identity check waits for an
	// asynchronous provider before a periodic job (every minute) hands it
	// to a person (KYC_IDENTITY_TIMEOUT; zero: no such job).
	IdentityTimeout time.Duration
	// DocumentExpiryScanInterval is the period of the scan for identity
	// documents about to expire (KYC_DOCUMENT_EXPIRY_SCAN_INTERVAL; zero:
	// one hour).
	DocumentExpiryScanInterval time.Duration
}

// Runner owns the River client.
type Runner struct {
	db      Database
	client  *river.Client[*sql.Tx]
	bundle  *bundle
	working bool
	sealer  *sealer
}

// bundle is filled in by SetApp once the use cases exist (the use cases
// need the runner to enqueue, the workers need the use cases to work).
type bundle struct {
	app     *app.App
	metrics Recorder
	log     *slog.Logger
}

// DefaultJobTimeout bounds one run of a job when Options.JobTimeout is
// zero; a job running longer is cancelled.
const DefaultJobTimeout = 2 * time.Minute

// rescueAfter is how long after it started a job still marked running is
// taken for one whose process died: half as long again as the timeout
// (three minutes for the default), so a live job is never rescued.
func rescueAfter(timeout time.Duration) time.Duration { return timeout + timeout/2 }

// New builds the River client for the store's engine.
func New(opts Options) (*Runner, error) {
	b := &bundle{metrics: opts.Metrics, log: opts.Logger}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &checkWorker{b: b}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &purgeWorker{b: b}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &listSyncWorker{b: b, sync: opts.ListSync}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &webhookWorker{b: b}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &retentionWorker{b: b}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &reviewScanWorker{b: b}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &documentExpiryWorker{b: b}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &rescreenWorker{b: b}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &identityTimeoutWorker{b: b, timeout: opts.IdentityTimeout}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &documentExpiryBackfillWorker{b: b}); err != nil {
		return nil, err
	}
	maxAttempts := opts.MaxAttempts
	if maxAttempts <= 0 {
		maxAttempts = 5
	}
	jobTimeout := cmp.Or(opts.JobTimeout, DefaultJobTimeout)
	cfg := &river.Config{
		Workers:     workers,
		MaxAttempts: maxAttempts,
		Logger:      b.log.With("component", "river"),
		RetryPolicy: backoff{base: cmp.Or(opts.RetryBase, time.Second)},
		JobTimeout:  jobTimeout,
		// A job still running this long after it started belongs to a
		// process that died (kill -9, lost node): it is run again. River's
		// default is an hour, which left checks pending that long after a
		// crash; the workers are idempotent, so a little above the job
		// timeout is safe.
		RescueStuckJobsAfter: rescueAfter(jobTimeout),
	}
	if opts.Workers > 0 {
		cfg.Queues = map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: opts.Workers},
			QueueWebhooks:      {MaxWorkers: cmp.Or(opts.WebhookWorkers, DefaultWebhookWorkers)},
		}
		cfg.PeriodicJobs = []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(time.Hour), func() (river.JobArgs, *river.InsertOpts) {
				return PurgeArgs{}, nil
			}, &river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(cmp.Or(opts.RetentionScanInterval, time.Hour)), func() (river.JobArgs, *river.InsertOpts) {
				// Unique per period: several replicas enqueue, one runs.
				return RetentionArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: cmp.Or(opts.RetentionScanInterval, time.Hour)}}
			}, &river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(cmp.Or(opts.ReviewScanInterval, time.Hour)), func() (river.JobArgs, *river.InsertOpts) {
				// Unique per period: several replicas enqueue, one runs.
				return ReviewScanArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: cmp.Or(opts.ReviewScanInterval, time.Hour)}}
			}, &river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(cmp.Or(opts.DocumentExpiryScanInterval, time.Hour)), func() (river.JobArgs, *river.InsertOpts) {
				// Unique per period: several replicas enqueue, one runs.
				return DocumentExpiryScanArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: cmp.Or(opts.DocumentExpiryScanInterval, time.Hour)}}
			}, &river.PeriodicJobOpts{RunOnStart: true}),
			// Once at start: a no-op after its first complete run (the
			// backfills table remembers), resumed after a restart.
			river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour), func() (river.JobArgs, *river.InsertOpts) {
				return DocumentExpiryBackfillArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: 24 * time.Hour}}
			}, &river.PeriodicJobOpts{RunOnStart: true}),
		}
		if opts.IdentityTimeout > 0 {
			cfg.PeriodicJobs = append(cfg.PeriodicJobs, river.NewPeriodicJob(river.PeriodicInterval(identityTimeoutInterval), func() (river.JobArgs, *river.InsertOpts) {
				// Unique per period: several replicas enqueue, one runs.
				return IdentityTimeoutArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: identityTimeoutInterval}}
			}, &river.PeriodicJobOpts{RunOnStart: true}))
		}
		if opts.ListSync != nil && opts.ListSyncInterval > 0 {
			cfg.PeriodicJobs = append(cfg.PeriodicJobs, river.NewPeriodicJob(river.PeriodicInterval(opts.ListSyncInterval), func() (river.JobArgs, *river.InsertOpts) {
				// Unique per period: several replicas enqueue, one runs.
				return ListSyncArgs{}, &river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByPeriod: opts.ListSyncInterval}}
			}, &river.PeriodicJobOpts{RunOnStart: true}))
		}
		// River fetches at most MaxWorkers jobs per fetch and waits
		// FetchCooldown between fetches; its 100 ms default caps a process at
		// ten fetches a second, far below what checks need. An idle producer
		// polls: on SQLite, which has no LISTEN/NOTIFY, every 200 ms; on
		// PostgreSQL, whose job inserts send no NOTIFY (quietInserts), every
		// 50 ms. Under load a producer fetches as soon as a slot frees.
		cfg.FetchCooldown = 5 * time.Millisecond
		cfg.FetchPollInterval = 200 * time.Millisecond
		if opts.Store.Dialect() == "postgres" {
			cfg.FetchPollInterval = pgFetchPollInterval
		}
		if opts.FetchPollInterval > 0 {
			cfg.FetchPollInterval = opts.FetchPollInterval
			cfg.FetchCooldown = min(opts.FetchPollInterval, cfg.FetchCooldown)
		}
	}
	var client *river.Client[*sql.Tx]
	var err error
	switch opts.Store.Dialect() {
	case "sqlite":
		client, err = river.NewClient(riversqlite.New(opts.Store.DB()), cfg)
	case "postgres":
		drv := riverdatabasesql.New(opts.Store.DB())
		if opts.PGPool != nil {
			drv = riverdatabasesql.NewWithPgxListener(opts.Store.DB(), opts.PGPool)
		}
		client, err = river.NewClient[*sql.Tx](quietInserts{drv}, cfg)
	default:
		return nil, fmt.Errorf("jobs: unknown dialect %q", opts.Store.Dialect())
	}
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return &Runner{db: opts.Store, client: client, bundle: b, working: opts.Workers > 0,
		sealer: &sealer{b: b, interval: cmp.Or(opts.SealInterval, DefaultSealInterval)}}, nil
}

// pgFetchPollInterval is how often an idle producer looks for new jobs on
// PostgreSQL, where inserts send no NOTIFY (see quietInserts).
const pgFetchPollInterval = 50 * time.Millisecond

// SetApp hands the use cases to the workers. Call it before Start.
func (r *Runner) SetApp(a *app.App) { r.bundle.app = a }

// Client exposes the River client (tests, admin tooling).
func (r *Runner) Client() *river.Client[*sql.Tx] { return r.client }

// EnqueueChecks implements app.Enqueuer: it inserts, in the caller's
// transaction, one job for the checks of the submission (one job rather
// than one per check: a third of River's inserts, fetches and completions,
// and one transaction for the outcomes and the decision instead of three).
func (r *Runner) EnqueueChecks(ctx context.Context, tx app.EnqueueTx, checkIDs []string) error {
	return r.EnqueueRound(ctx, tx, "", checkIDs)
}

var _ app.RoundEnqueuer = (*Runner)(nil)

// EnqueueRound implements app.RoundEnqueuer: EnqueueChecks with the
// customer carried in the job, so that the worker need not look it up.
func (r *Runner) EnqueueRound(ctx context.Context, tx app.EnqueueTx, customerID string, checkIDs []string) error {
	if len(checkIDs) == 0 {
		return nil
	}
	// InsertManyFastTx: the job without RETURNING, whose row (args,
	// metadata, tags) River would otherwise send back and this process
	// decode, unused (the job has no unique options, the only thing the
	// returned row would tell).
	_, err := r.client.InsertManyFastTx(ctx, tx.SQLTx(), []river.InsertManyParams{{Args: CheckArgs{CheckIDs: checkIDs, CustomerID: customerID}}})
	return err
}

// Start begins working jobs (no-op for an insert-only runner).
func (r *Runner) Start(ctx context.Context) error {
	if !r.working {
		return nil
	}
	if r.bundle.app == nil {
		return errors.New("jobs: SetApp must be called before Start")
	}
	if err := r.client.Start(ctx); err != nil {
		return err
	}
	r.sealer.start()
	return nil
}

// Stop waits for running jobs to finish until ctx ends, then cancels them;
// a cancelled job is retried later by any process (River rescues it).
// Then the audit sealer seals what those jobs committed and stops.
func (r *Runner) Stop(ctx context.Context) error {
	if !r.working {
		return nil
	}
	err := r.client.Stop(ctx)
	if err != nil && ctx.Err() != nil {
		hard, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = r.client.StopAndCancel(hard)
	}
	sealCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	return errors.Join(err, r.sealer.stop(sealCtx))
}
