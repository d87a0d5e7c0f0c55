package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/config"
	"github.com/kyc-platform/kyc/internal/docstore"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/health"
	"github.com/kyc-platform/kyc/internal/jobs"
	"github.com/kyc-platform/kyc/internal/netguard"
	"github.com/kyc-platform/kyc/internal/routes"
	"github.com/kyc-platform/kyc/internal/screening/listsync"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/store/postgres"
	"github.com/kyc-platform/kyc/internal/store/sqlite"
	"github.com/kyc-platform/kyc/internal/telemetry"
	"github.com/kyc-platform/kyc/internal/vault"
	"github.com/kyc-platform/kyc/internal/verify"
	"github.com/kyc-platform/kyc/internal/verify/phone"
	"github.com/kyc-platform/kyc/internal/verify/providers"
	"github.com/kyc-platform/kyc/internal/webhook"
)

// migrator is implemented by both stores.
type migrator interface {
	Migrate(ctx context.Context) error
}

// loadConfig reads the environment, then the flags registered by bind.
// -h/--help prints the command's help (standard output) and returns
// flag.ErrHelp, even when the environment holds a bad setting.
func loadConfig(e *Env, name string, args []string, bind func(*config.Config, *flag.FlagSet)) (config.Config, []string, error) {
	cfg, envErr := config.FromEnv(e.Getenv)
	if envErr != nil && !slices.ContainsFunc(args, isFlagHelp) {
		// Name every bad setting at once, not one per attempt.
		return cfg, nil, &exitError{code: 2, msg: "configuration: " + errors.Join(envErr, cfg.Validate()).Error()}
	}
	fs := newFlagSet(e, name)
	cfg.Bind(fs)
	if bind != nil {
		bind(&cfg, fs)
	}
	pos, err := parseCommandFlags(e, name, fs, args, helpExtra(name))
	if err != nil {
		return cfg, nil, err
	}
	if envErr != nil {
		return cfg, nil, &exitError{code: 2, msg: "configuration: " + errors.Join(envErr, cfg.Validate()).Error()}
	}
	if err := cfg.Validate(); err != nil {
		return cfg, nil, &exitError{code: 2, msg: "configuration: " + err.Error()}
	}
	return cfg, pos, nil
}

func isFlagHelp(a string) bool { return a == "-h" || a == "--help" || a == "-help" }

// openStore opens the configured database; migrate applies migrations,
// otherwise the schema must already be current.
func openStore(ctx context.Context, cfg config.Config, migrate bool) (store.Store, *pgxpool.Pool, error) {
	var s store.Store
	var pool *pgxpool.Pool
	if cfg.IsPostgres() {
		db, err := postgres.Open(ctx, cfg.DatabaseURL)
		if err != nil {
			return nil, nil, fmt.Errorf("open PostgreSQL: %w", err)
		}
		s, pool = db, db.Pool()
	} else {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, nil, fmt.Errorf("data directory: %w", err)
		}
		db, err := sqlite.Open(ctx, sqlite.Options{Path: cfg.SQLitePath()})
		if err != nil {
			return nil, nil, fmt.Errorf("open SQLite %s: %w", cfg.SQLitePath(), err)
		}
		s = db
	}
	if migrate {
		if err := s.(migrator).Migrate(ctx); err != nil {
			s.Close()
			return nil, nil, fmt.Errorf("migrate: %w", err)
		}
	} else {
		cur, latest, err := s.MigrationStatus(ctx)
		if err != nil {
			s.Close()
			return nil, nil, fmt.Errorf("migration status: %w", err)
		}
		if cur != latest {
			s.Close()
			return nil, nil, fmt.Errorf("the database schema is at version %d, this kyc needs %d: run kyc migrate", cur, latest)
		}
	}
	return s, pool, nil
}

// system bundles everything a command may need.
type system struct {
	cfg    config.Config
	store  store.Store
	pool   *pgxpool.Pool
	vault  *vault.Vault
	keys   *auth.KeyManager
	runner *jobs.Runner
	app    *app.App
	// deps are what app was built from (kyc demo builds its own over them).
	deps    app.Deps
	metrics *telemetry.Metrics
	// drain fails /readyz while a stopping process still serves.
	drain health.Drain
	log   *slog.Logger
	// stop ends what the system started beside the store (the verifier's
	// watch of client changes), before the store closes.
	stop []func()
}

func (s *system) Close() {
	for _, stop := range s.stop {
		stop()
	}
	s.stop = nil
	if s.store != nil {
		s.store.Close()
	}
}

// buildSystem wires the use cases. workers is the number of job workers
// (0: insert-only).
func buildSystem(ctx context.Context, cfg config.Config, logOut io.Writer, migrate bool, workers int) (*system, error) {
	log := telemetry.NewLogger(logOut, cfg.LogFormat, cfg.LogLevel)
	st, pool, err := openStore(ctx, cfg, migrate)
	if err != nil {
		return nil, err
	}
	sys := &system{cfg: cfg, store: st, pool: pool, log: log, metrics: telemetry.NewMetrics()}
	fail := func(err error) (*system, error) {
		sys.Close()
		return nil, err
	}
	if sys.vault, err = openVault(ctx, cfg, st, time.Now()); err != nil {
		return fail(err)
	}
	sys.keys = auth.NewKeyManager(st.Keys(), sys.vault, auth.WithTokenTTL(cfg.TokenTTL))
	// The operator's own model (KYC_RISK_MODEL), validated at start: a bad
	// one stops the process naming the line and field at fault.
	model, err := loadRiskModel(cfg.RiskModel)
	if err != nil {
		return fail(fmt.Errorf("risk model (KYC_RISK_MODEL): %w", err))
	}
	var listSync func(ctx context.Context) error
	if len(cfg.ListSync) > 0 {
		srcs, err := loadListSources(cfg.ListSources)
		if err != nil {
			return fail(err)
		}
		var picked []listsync.Source
		for _, s := range srcs {
			if slices.Contains(cfg.ListSync, s.Name) {
				picked = append(picked, s)
			}
		}
		if len(picked) != len(cfg.ListSync) {
			return fail(fmt.Errorf("KYC_LIST_SYNC names a source without URLs (configure it in KYC_LIST_SOURCES)"))
		}
		fetcher := listFetcher()
		listSync = func(ctx context.Context) error {
			_, err := sys.app.Screening.SyncAll(ctx, domain.SystemActor("list-sync"), fetcher, picked, false)
			return err
		}
	}
	sys.runner, err = jobs.New(jobs.Options{
		Store: st, PGPool: pool, Workers: workers, MaxAttempts: cfg.JobMaxAttempts, Logger: log, Metrics: sys.metrics,
		ListSync: listSync, ListSyncInterval: cfg.ListSyncInterval,
		RetentionScanInterval:      cfg.RetentionScanInterval,
		ReviewScanInterval:         cfg.ReviewScanInterval,
		IdentityTimeout:            cfg.IdentityTimeout,
		DocumentExpiryScanInterval: cfg.DocumentExpiryScanInterval,
		JobTimeout:                 cfg.JobTimeout,
	})
	if err != nil {
		return fail(err)
	}
	identity, err := providers.Registry().New(cfg.IdentityProvider, verify.Config{
		MinAge: cfg.MinAge, Secret: cfg.IdentitySecret, URL: cfg.IdentityURL, Delay: cfg.SandboxDelay,
		CallbackURL: cfg.PublicURL() + routes.IdentityCallback(cfg.IdentityProvider),
	})
	if err != nil {
		return fail(fmt.Errorf("KYC_IDENTITY_PROVIDER: %w", err))
	}
	contents, err := docstore.Open(ctx, cfg.DocumentStore, cfg.DataDir)
	if err != nil {
		return fail(fmt.Errorf("KYC_DOCUMENT_STORE: %w", err))
	}
	rules, rates, err := loadMonitoring(cfg.Monitoring, model)
	if err != nil {
		return fail(err)
	}
	sso, err := ssoConfig(cfg)
	if err != nil {
		return fail(err)
	}
	auto := map[domain.RiskRating]bool{}
	for _, r := range cfg.AutoApprove {
		auto[domain.RiskRating(r)] = true
	}
	sys.deps = app.Deps{
		Store:    st,
		Crypt:    sys.vault,
		Enqueue:  sys.runner,
		Identity: identity,
		Contents: contents,
		Risk:     model,
		Metrics:  sys.metrics,
		Policy: app.Policy{
			AutoApprove: auto, MinAge: cfg.MinAge, CaseSLA: cfg.CaseSLA, HitSLA: cfg.HitSLA,
			PhoneCheck:    phone.Validate,
			AccessLinkTTL: cfg.AccessLinkTTL,
			ApplicantIdle: cfg.ApplicantIdle, ApplicantMaxAge: cfg.ApplicantMaxAge,
			MaxDocumentBytes:     cfg.MaxUploadBytes,
			DocumentsPerCustomer: cfg.Documents.PerCustomer, DocumentBytesPerCustomer: cfg.Documents.BytesPerCustomer,
			ApplicantUploads: cfg.Documents.ApplicantUploads, ApplicantUploadWindow: cfg.Documents.ApplicantWindow,
			Retention: cfg.Retention, DocumentExpiryNotice: cfg.DocumentExpiryNotice,
			ListMaxAge: cfg.ListMaxAge,
		},
		Logger:   log,
		Webhooks: webhookDeps(cfg, sys.runner),
		Rescreen: sys.runner,
		Rules:    rules,
		Rates:    rates,
		GoAML:    reportingEntity(cfg.Monitoring.GoAML, cfg.Monitoring.ReportingCurrency),
		SSO:      sso,
	}
	sys.app = app.New(sys.deps)
	sys.runner.SetApp(sys.app)
	if _, err := sys.app.Screening.Reload(ctx); err != nil {
		return fail(fmt.Errorf("load screening lists: %w", err))
	}
	return sys, nil
}

// operator is the actor of CLI commands run by whoever holds the machine.
func operator() domain.Actor {
	u := os.Getenv("USER")
	if u == "" {
		u = "operator"
	}
	return domain.Actor{Type: domain.ActorSystem, ID: "cli:" + strings.ToLower(u)}
}

// webhookDeps wires webhooks: the SSRF guard (netguard; https and public
// addresses only unless KYC_WEBHOOK_ALLOW_PRIVATE) at registration and in
// the sender's dialer at every delivery, and the River queue.
func webhookDeps(cfg config.Config, q app.WebhookEnqueuer) app.WebhookDeps {
	guard := netguard.Policy{AllowPrivate: cfg.WebhookAllowPrivate}
	return app.WebhookDeps{
		Enqueue: q,
		Guard:   guard,
		Sender: &webhook.Sender{
			Client:    guard.Client(netguard.ClientOptions{Timeout: cfg.WebhookTimeout}),
			UserAgent: "kyc-webhooks/" + Version,
			IsRefusal: func(err error) bool { return errors.Is(err, netguard.ErrNotAllowed) },
		},
	}
}
