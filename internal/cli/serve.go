package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/kyc-platform/kyc/internal/api"
	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/config"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/health"
	"github.com/kyc-platform/kyc/internal/httpx"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/telemetry"
	"github.com/kyc-platform/kyc/internal/web"
)

func runServe(ctx context.Context, e *Env, args []string) error {
	var noWorkers, workersOnly, noMigrate bool
	cfg, _, err := loadConfig(e, "serve", args, func(c *config.Config, fs *flag.FlagSet) {
		c.BindServe(fs)
		fs.BoolVar(&noWorkers, "no-workers", false, "serve the API only; run jobs in other processes (kyc serve --workers-only)")
		fs.BoolVar(&workersOnly, "workers-only", false, "run background jobs only (plus /healthz, /readyz and /metrics)")
		fs.BoolVar(&noMigrate, "no-migrate", false, "do not migrate the database on start (fail if it is not current)")
	})
	if err != nil {
		return err
	}
	if noWorkers && workersOnly {
		return usageErr("--no-workers and --workers-only exclude each other")
	}
	err = serve(ctx, e, cfg, noWorkers, workersOnly, noMigrate)
	if err != nil && cfg.LogFormat == "json" {
		// With JSON logs every line on stderr is JSON, the reason the
		// process stops included.
		telemetry.NewLogger(e.Stderr, cfg.LogFormat, "error").Error("kyc serve stopped", "err", err.Error())
		return &exitError{code: 1}
	}
	return err
}

// serve runs kyc serve with its configuration loaded. With JSON logs
// (KYC_LOG_FORMAT=json) nothing but JSON log lines goes to stderr; the
// human-readable lines (listening, list warnings) are written only with
// text logs, and the first administrator's one-time password only ever to
// standard output, the terminal, never into the log stream.
func serve(ctx context.Context, e *Env, cfg config.Config, noWorkers, workersOnly, noMigrate bool) error {
	human := cfg.LogFormat != "json"
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	// Bind first: with the port taken, fail before migrating, starting
	// workers or creating anything.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	defer ln.Close()
	var metricsLn net.Listener
	if cfg.MetricsAddr != "" {
		if metricsLn, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			return fmt.Errorf("listen on %s (KYC_METRICS_ADDR): %w", cfg.MetricsAddr, err)
		}
		defer metricsLn.Close()
	}

	workers := cfg.Workers
	if noWorkers {
		workers = 0
	}
	sys, err := buildSystem(ctx, cfg, e.Stderr, !noMigrate, workers)
	if err != nil {
		return err
	}
	defer sys.Close()
	log := sys.log
	watchState(sys) // kyc_build_info and the gauges read from the database on scrape

	if err := sys.keys.EnsureKey(ctx); err != nil {
		return fmt.Errorf("token-signing key: %w", err)
	}
	if !workersOnly {
		// A fresh installation has no staff user: create a first
		// administrator with a one-time password, shown once, here.
		nu, created, err := sys.app.Users.Bootstrap(ctx)
		if err != nil {
			return fmt.Errorf("first administrator: %w", err)
		}
		if created {
			log.Info("first administrator created; the one-time password is printed on standard output only")
			fmt.Fprintf(e.Stdout, "\nNo staff user existed, so a first administrator was created:\n  sign in at %s/staff/ as %s\n  with the one-time password %s\n  (you will set a new password and enrol an authenticator app; run `kyc demo` for sample data)\n\n",
				cfg.PublicURL(), nu.User.Email, nu.OneTimePassword)
		}
	}
	issuerURL := cfg.PublicURL()
	handler, err := newHandler(sys, issuerURL, !workersOnly)
	if err != nil {
		return err
	}
	if !workersOnly {
		var terminal io.Writer
		if human {
			terminal = e.Stderr
		}
		warnStaleLists(ctx, sys, terminal)
	}

	if err := sys.runner.Start(ctx); err != nil {
		return fmt.Errorf("start jobs: %w", err)
	}
	watchCtx, cancelWatch := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWatch()
	go sys.app.Screening.Watch(watchCtx, cfg.ListReloadInterval)

	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		// net/http's own complaints (TLS handshakes, accept errors) go to
		// the process log, not as plain text to stderr.
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	mode := "api+workers"
	switch {
	case noWorkers:
		mode = "api"
	case workersOnly:
		mode = "workers"
	}
	dbKind := "sqlite"
	if cfg.IsPostgres() {
		dbKind = "postgres"
	}
	log.Info("kyc serving", "addr", ln.Addr().String(), "url", issuerURL, "mode", mode, "database", dbKind, "version", Version)
	if human {
		fmt.Fprintf(e.Stderr, "kyc %s listening on http://%s (%s, %s)\n", Version, ln.Addr(), dbKind, mode)
	}

	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	var metricsSrv *http.Server
	if metricsLn != nil {
		metricsSrv = &http.Server{Handler: sys.metrics.Handler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: srv.ErrorLog}
		log.Info("metrics served apart", "addr", metricsLn.Addr().String())
		go func() { errc <- metricsSrv.Serve(metricsLn) }()
	}
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if cfg.ShutdownDrain > 0 {
		// Fail readiness first and keep serving, so that the load
		// balancer stops sending requests before the listener closes.
		log.Info("draining: /readyz answers 503", "drain_ms", cfg.ShutdownDrain.Milliseconds())
		sys.drain.Start()
		select {
		case <-time.After(cfg.ShutdownDrain):
		case <-sctx.Done():
		}
	}
	log.Info("shutting down: finishing in-flight requests and jobs", "timeout_ms", cfg.ShutdownTimeout.Milliseconds())
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn("HTTP shutdown", "err", err)
	}
	if metricsSrv != nil {
		_ = metricsSrv.Shutdown(sctx)
	}
	cancelWatch()
	if err := sys.runner.Stop(sctx); err != nil {
		log.Warn("jobs shutdown", "err", err)
	}
	log.Info("stopped")
	return nil
}

// newHandler builds the HTTP handler of a process: health, metrics, token
// endpoint, JWKS and the API (apiOn false: a workers-only process).
func newHandler(sys *system, issuerURL string, apiOn bool) (http.Handler, error) {
	mux := http.NewServeMux()
	health.RegisterDraining(mux, sys.store, sys.log, &sys.drain)
	if sys.cfg.MetricsAddr == "" {
		mux.Handle("GET /metrics", sys.metrics.Handler())
	}
	if apiOn {
		issuer := auth.NewIssuer(sys.keys, issuerURL, sys.cfg.Audience)
		verifier := auth.NewVerifier(sys.keys, sys.store.Clients(), issuerURL, sys.cfg.Audience)
		sys.app.Clients.OnChange(verifier.Invalidate)
		if w, ok := sys.store.(store.ClientWatcher); ok {
			// PostgreSQL: cache client rows, dropping one when any process
			// changes it, instead of one read per request.
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { defer close(done); verifier.Watch(ctx, w, sys.log) }()
			sys.stop = append(sys.stop, func() { cancel(); <-done })
		}
		mux.Handle("POST /oauth/token", auth.TokenHandler(issuer, sys.store.Clients(), auth.WithLogger(sys.log)))
		mux.Handle("GET /.well-known/jwks.json", auth.JWKSHandler(sys.keys, sys.log))
		assets, err := web.NewAssets()
		if err != nil {
			return nil, fmt.Errorf("web assets: %w", err)
		}
		api.Register(mux, api.Deps{App: sys.app, Auth: verifier, Logger: sys.log, Version: Version, MaxBodyBytes: sys.cfg.MaxBodyBytes, RateLimits: sys.cfg.RateLimits,
			PublicURL: sys.cfg.PublicURL(),
			DocsPage:  web.DocsHandler(assets, "/openapi.json")})
		if err := mountWeb(mux, sys, assets, issuerURL); err != nil {
			return nil, fmt.Errorf("web pages: %w", err)
		}
	}
	h := sys.cfg.TrustedProxies.Handler(httpx.SecureHeaders(httpx.Observe(mux, sys.log, sys.metrics)))
	if strings.HasPrefix(sys.cfg.PublicURL(), "https://") {
		h = httpx.HSTS(h)
	}
	return h, nil
}

// warnStaleLists tells the operator, in the log and on the terminal
// (stderr nil: the log only), when screening would run against no list or
// an old one.
func warnStaleLists(ctx context.Context, sys *system, stderr io.Writer) {
	ws, err := sys.app.Screening.ListWarnings(ctx, domain.SystemActor("serve"))
	if err != nil {
		sys.log.Warn("list freshness", "err", err)
		return
	}
	for _, w := range ws {
		sys.log.Warn("sanctions lists", "source", w.Source, "problem", w.Message)
		if stderr != nil {
			fmt.Fprintf(stderr, "warning: %s\n", w.Message)
		}
	}
}
