// Package config builds the typed configuration of kyc from flags and KYC_*
// environment variables and validates it at start. There is no global
// configuration: the cli package builds one Config and passes it down.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/docstore"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/httpx"
	"github.com/kyc-platform/kyc/internal/screening/lists"
	"github.com/kyc-platform/kyc/internal/verify/providers"
	"github.com/kyc-platform/kyc/internal/webhook"
)

// Config is the whole configuration of one kyc process.
type Config struct {
	// DataDir holds the SQLite database and the master key file.
	DataDir string
	// DatabaseURL is a postgres:// URL or a SQLite file path; empty means
	// DataDir/kyc.db.
	DatabaseURL string
	// Addr is the listen address of kyc serve.
	Addr string
	// BaseURL is the public URL of this deployment (access links, token issuer).
	BaseURL string
	// MasterKey is the base64 master key; empty means the key file in DataDir.
	MasterKey string
	// LogFormat is "text" or "json"; LogLevel is debug, info, warn or error.
	LogFormat string
	LogLevel  string
	// TokenTTL is the lifetime of issued access tokens.
	TokenTTL time.Duration
	// Audience is the aud claim of issued tokens.
	Audience string
	// AutoApprove lists the ratings that may be approved without a person
	// (README, "The KYC process": low by default, medium off).
	AutoApprove []string
	// MinAge is the minimum age of an individual customer.
	MinAge int
	// Workers is the number of concurrent background jobs per process.
	Workers int
	// IdentityProvider names the identity verification provider, one of
	// the registry in verify/providers.
	IdentityProvider string
	// IdentitySecret ("whsec_" + base64) signs the requests to an external
	// identity provider and authenticates its callbacks
	// (KYC_IDENTITY_SECRET); IdentityURL is the http provider's endpoint
	// (KYC_IDENTITY_URL); IdentityTimeout is how long a check waits for an
	// asynchronous provider before it goes to a person
	// (KYC_IDENTITY_TIMEOUT); SandboxDelay is how long the sandbox provider
	// waits before it answers (KYC_SANDBOX_DELAY).
	IdentitySecret  string
	IdentityURL     string
	IdentityTimeout time.Duration
	SandboxDelay    time.Duration
	// JobTimeout bounds one run of a background job (KYC_JOB_TIMEOUT); a
	// job left running by a process that died is run again half as long
	// again after it started.
	JobTimeout time.Duration
	// RiskModel is the path of the operator's own risk model
	// (KYC_RISK_MODEL); empty: the model shipped in the binary.
	RiskModel string
	// DocumentStore is where the encrypted contents of uploaded documents
	// are kept: empty for DataDir/documents, a directory, or
	// s3://bucket/prefix (KYC_DOCUMENT_STORE).
	DocumentStore string
	// ListReloadInterval is how often a replica checks for a new list snapshot.
	ListReloadInterval time.Duration
	// ListSync names the list sources synced from their official URLs by a
	// periodic job (empty: no automatic sync); ListSources is an optional
	// JSON file overriding the URLs; ListSyncInterval is the period.
	ListSync         []string
	ListSources      string
	ListSyncInterval time.Duration
	// CaseSLA is the time to decide an onboarding case; hits get HitSLA.
	CaseSLA time.Duration
	HitSLA  time.Duration
	// JobMaxAttempts is how often a failing check job is tried.
	JobMaxAttempts int
	// WebhookAllowPrivate (KYC_WEBHOOK_ALLOW_PRIVATE) allows webhook
	// endpoints over http and on private or loopback addresses, for
	// development; WebhookTimeout bounds one delivery attempt
	// (KYC_WEBHOOK_TIMEOUT, default 10s).
	WebhookAllowPrivate bool
	WebhookTimeout      time.Duration
	// MaxBodyBytes caps JSON request bodies; MaxUploadBytes caps uploaded
	// documents (KYC_MAX_UPLOAD_BYTES).
	MaxBodyBytes   int64
	MaxUploadBytes int64
	// ShutdownTimeout bounds graceful shutdown.
	ShutdownTimeout time.Duration
	// ShutdownDrain (KYC_SHUTDOWN_DRAIN) is how long a stopping process
	// keeps serving with /readyz answering 503, so that a load balancer
	// stops sending it requests before the listener closes.
	ShutdownDrain time.Duration
	// MetricsAddr (KYC_METRICS_ADDR) serves /metrics on a listener of its
	// own (say 127.0.0.1:9090) instead of the public one.
	MetricsAddr string
	// TrustedProxies (KYC_TRUSTED_PROXIES) are the reverse proxies whose
	// Forwarded / X-Forwarded-For headers give the client's address.
	TrustedProxies httpx.TrustedProxies
	// RateLimits (KYC_RATE_LIMIT) are the API's per-client token buckets by
	// scope family, over httpx.DefaultRateLimits.
	RateLimits httpx.RateLimits
	// ListMaxAge (KYC_LIST_MAX_AGE): a list snapshot fetched longer ago is
	// reported as stale at start and on the dashboard.
	ListMaxAge time.Duration
	// SelfService enables the public start page of the hosted onboarding
	// pages, where anyone may start an application (KYC_SELF_SERVICE).
	SelfService bool
	// AccessLinkTTL is the lifetime of an applicant access link;
	// ApplicantIdle and ApplicantMaxAge end applicant sessions after
	// inactivity and absolutely.
	AccessLinkTTL   time.Duration
	ApplicantIdle   time.Duration
	ApplicantMaxAge time.Duration
	// Monitoring configures transaction monitoring and reports.
	Monitoring Monitoring
	// Documents bounds the documents of one customer.
	Documents DocumentLimits
	// OIDC configures staff single sign-on (oidc.go).
	OIDC OIDC
	// Retention is how long a customer's records are kept after closure or
	// rejection before the purge job removes the personal data
	// (KYC_RETENTION, ISO 8601 such as P5Y or a Go duration).
	Retention domain.Period
	// RetentionScanInterval is the period of the purge job.
	RetentionScanInterval time.Duration
	// DocumentExpiryNotice is how long before an identity document expires
	// a document_expiry case opens (KYC_DOCUMENT_EXPIRY_NOTICE).
	DocumentExpiryNotice domain.Period
	// DocumentExpiryScanInterval is the period of the job that looks for
	// documents about to expire.
	DocumentExpiryScanInterval time.Duration
	// ReviewScanInterval is the period of the job that opens periodic
	// reviews as they fall due (KYC_REVIEW_SCAN_INTERVAL, default 1h;
	// seconds for tests).
	ReviewScanInterval time.Duration
}

// DefaultRetention keeps records five years after the end of the
// relationship (EU AMLD 2015/849 art. 40(1); AMLR 2024/1624 art. 77).
var DefaultRetention = domain.Period{Years: 5}

// DefaultDocumentExpiryNotice opens a document_expiry case 30 days ahead.
var DefaultDocumentExpiryNotice = domain.Period{Days: 30}

// DefaultMaxUploadBytes is the default size limit of an uploaded document.
const DefaultMaxUploadBytes = 10 << 20

// KYC_MAX_UPLOAD_BYTES lies between these bounds: a document is held in
// memory while it is checked and encrypted.
const (
	minUploadLimit = 64 << 10
	maxUploadLimit = 64 << 20
)

// Default returns the configuration used with no flags and no environment.
func Default() Config {
	return Config{
		DataDir:            "./kyc-data",
		Addr:               "127.0.0.1:8080",
		LogFormat:          "text",
		LogLevel:           "info",
		TokenTTL:           15 * time.Minute,
		Audience:           "kyc-api",
		AutoApprove:        []string{"low"},
		MinAge:             18,
		Workers:            8,
		IdentityProvider:   providers.Default,
		ListReloadInterval: 5 * time.Second,
		ListSyncInterval:   6 * time.Hour,
		CaseSLA:            5 * 24 * time.Hour,
		HitSLA:             24 * time.Hour,
		JobMaxAttempts:     5,
		WebhookTimeout:     10 * time.Second,
		MaxBodyBytes:       1 << 20,
		MaxUploadBytes:     DefaultMaxUploadBytes,
		ShutdownTimeout:    30 * time.Second,
		ShutdownDrain:      5 * time.Second,
		ListMaxAge:         7 * 24 * time.Hour,
		AccessLinkTTL:      30 * time.Minute,
		ApplicantIdle:      30 * time.Minute,
		ApplicantMaxAge:    8 * time.Hour,
		Monitoring:         defaultMonitoring(),
		Documents:          DefaultDocumentLimits(),
		OIDC:               OIDC{RoleClaim: "groups", LocalLogin: "admins", Scopes: []string{"email", "profile"}},

		Retention:                  DefaultRetention,
		RetentionScanInterval:      time.Hour,
		ReviewScanInterval:         time.Hour,
		IdentityTimeout:            24 * time.Hour,
		SandboxDelay:               2 * time.Second,
		JobTimeout:                 2 * time.Minute,
		DocumentExpiryNotice:       DefaultDocumentExpiryNotice,
		DocumentExpiryScanInterval: time.Hour,
	}
}

// Bind registers the common flags on fs with defaults taken from c (which
// should already hold the environment). Flags win over the environment.
func (c *Config) Bind(fs *flag.FlagSet) {
	fs.StringVar(&c.DataDir, "data-dir", c.DataDir, "data directory (KYC_DATA_DIR)")
	fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "postgres:// URL or SQLite file path (KYC_DATABASE_URL)")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format: text or json (KYC_LOG_FORMAT)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "log level: debug, info, warn, error (KYC_LOG_LEVEL)")
}

// BindServe registers the flags only kyc serve uses.
func (c *Config) BindServe(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address (KYC_ADDR)")
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "public base URL (KYC_BASE_URL); default http://ADDR")
	fs.IntVar(&c.Workers, "workers", c.Workers, "concurrent background jobs (KYC_WORKERS)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", c.MetricsAddr, "serve /metrics on this address instead of the public listener (KYC_METRICS_ADDR)")
}

// FromEnv returns Default overridden by KYC_* variables read through getenv.
func FromEnv(getenv func(string) string) (Config, error) {
	c := Default()
	var errs []error
	str := func(name string, dst *string) {
		if v := getenv(name); v != "" {
			*dst = v
		}
	}
	dur := func(name string, dst *time.Duration) {
		if v := getenv(name); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %q is not a duration (e.g. 15m)", name, v))
				return
			}
			*dst = d
		}
	}
	num := func(name string, dst *int) {
		if v := getenv(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %q is not a whole number", name, v))
				return
			}
			*dst = n
		}
	}
	str("KYC_DATA_DIR", &c.DataDir)
	str("KYC_DATABASE_URL", &c.DatabaseURL)
	str("KYC_ADDR", &c.Addr)
	str("KYC_BASE_URL", &c.BaseURL)
	str("KYC_MASTER_KEY", &c.MasterKey)
	// The secrets may come from files instead (NAME_FILE): Docker and
	// Compose secrets, systemd credentials ($CREDENTIALS_DIRECTORY), a
	// mounted secret store; never both ways at once.
	for _, s := range []struct {
		name string
		dst  *string
	}{{"KYC_MASTER_KEY", &c.MasterKey}, {"KYC_DATABASE_URL", &c.DatabaseURL}, {"KYC_IDENTITY_SECRET", &c.IdentitySecret}} {
		if err := fromFile(getenv, s.name, s.dst); err != nil {
			errs = append(errs, err)
		}
	}
	str("KYC_LOG_FORMAT", &c.LogFormat)
	str("KYC_LOG_LEVEL", &c.LogLevel)
	str("KYC_TOKEN_AUDIENCE", &c.Audience)
	str("KYC_IDENTITY_PROVIDER", &c.IdentityProvider)
	str("KYC_DOCUMENT_STORE", &c.DocumentStore)
	str("KYC_IDENTITY_SECRET", &c.IdentitySecret)
	str("KYC_IDENTITY_URL", &c.IdentityURL)
	dur("KYC_IDENTITY_TIMEOUT", &c.IdentityTimeout)
	dur("KYC_SANDBOX_DELAY", &c.SandboxDelay)
	dur("KYC_JOB_TIMEOUT", &c.JobTimeout)
	str("KYC_RISK_MODEL", &c.RiskModel)
	dur("KYC_TOKEN_TTL", &c.TokenTTL)
	dur("KYC_LIST_RELOAD_INTERVAL", &c.ListReloadInterval)
	dur("KYC_LIST_SYNC_INTERVAL", &c.ListSyncInterval)
	str("KYC_LIST_SOURCES", &c.ListSources)
	if v := getenv("KYC_LIST_SYNC"); v != "" {
		c.ListSync = splitList(v)
	}
	dur("KYC_CASE_SLA", &c.CaseSLA)
	dur("KYC_HIT_SLA", &c.HitSLA)
	dur("KYC_SHUTDOWN_TIMEOUT", &c.ShutdownTimeout)
	dur("KYC_SHUTDOWN_DRAIN", &c.ShutdownDrain)
	str("KYC_METRICS_ADDR", &c.MetricsAddr)
	dur("KYC_LIST_MAX_AGE", &c.ListMaxAge)
	if v := getenv("KYC_TRUSTED_PROXIES"); v != "" {
		tp, err := httpx.ParseTrustedProxies(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("KYC_TRUSTED_PROXIES: %w", err))
		}
		c.TrustedProxies = tp
	}
	rl, err := httpx.ParseRateLimits(getenv("KYC_RATE_LIMIT"), httpx.DefaultRateLimits(), auth.ScopeFamilies())
	if err != nil {
		errs = append(errs, fmt.Errorf("KYC_RATE_LIMIT: %w", err))
	}
	c.RateLimits = rl
	num("KYC_MIN_AGE", &c.MinAge)
	num("KYC_WORKERS", &c.Workers)
	num("KYC_JOB_MAX_ATTEMPTS", &c.JobMaxAttempts)
	if v := getenv("KYC_MAX_UPLOAD_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			errs = append(errs, fmt.Errorf("KYC_MAX_UPLOAD_BYTES: %q is not a whole number of bytes", v))
		} else {
			c.MaxUploadBytes = n
		}
	}
	dur("KYC_ACCESS_LINK_TTL", &c.AccessLinkTTL)
	dur("KYC_APPLICANT_SESSION_IDLE", &c.ApplicantIdle)
	dur("KYC_APPLICANT_SESSION_MAX", &c.ApplicantMaxAge)
	if v := getenv("KYC_SELF_SERVICE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("KYC_SELF_SERVICE: %q is not true or false", v))
		}
		c.SelfService = b
	}
	if v := getenv("KYC_WEBHOOK_ALLOW_PRIVATE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("KYC_WEBHOOK_ALLOW_PRIVATE: %q is not true or false", v))
		}
		c.WebhookAllowPrivate = b
	}
	dur("KYC_WEBHOOK_TIMEOUT", &c.WebhookTimeout)
	if v := getenv("KYC_AUTO_APPROVE"); v != "" {
		c.AutoApprove = splitList(v) // "none" turns automatic approval off
	}
	period := func(name string, dst *domain.Period) {
		if v := getenv(name); v != "" {
			p, err := domain.ParsePeriod(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
				return
			}
			*dst = p
		}
	}
	period("KYC_RETENTION", &c.Retention)
	period("KYC_DOCUMENT_EXPIRY_NOTICE", &c.DocumentExpiryNotice)
	dur("KYC_RETENTION_SCAN_INTERVAL", &c.RetentionScanInterval)
	dur("KYC_DOCUMENT_EXPIRY_SCAN_INTERVAL", &c.DocumentExpiryScanInterval)
	dur("KYC_REVIEW_SCAN_INTERVAL", &c.ReviewScanInterval)
	errs = append(errs, monitoringFromEnv(getenv, &c.Monitoring)...)
	errs = append(errs, documentLimitsFromEnv(getenv, &c.Documents)...)
	oidcFromEnv(getenv, &c.OIDC)
	return c, errors.Join(errs...)
}

// fromFile sets *dst from the file named by NAME_FILE, when set: its
// content without surrounding white space. The error names the setting and
// the file, never the content.
func fromFile(getenv func(string) string, name string, dst *string) error {
	path := getenv(name + "_FILE")
	if path == "" {
		return nil
	}
	if getenv(name) != "" {
		return fmt.Errorf("%s and %s_FILE are both set: set one", name, name)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%s_FILE: %w", name, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 64<<10))
	if err != nil {
		return fmt.Errorf("%s_FILE: read %s: %w", name, path, err)
	}
	v := strings.TrimSpace(string(b))
	if v == "" {
		return fmt.Errorf("%s_FILE: %s is empty", name, path)
	}
	*dst = v
	return nil
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
		if p = strings.TrimSpace(strings.ToLower(p)); p != "" && p != "none" {
			out = append(out, p)
		}
	}
	return out
}

// IsPostgres reports whether the database is PostgreSQL.
func (c Config) IsPostgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://")
}

// SQLitePath is the SQLite database file.
func (c Config) SQLitePath() string {
	if c.DatabaseURL != "" && !c.IsPostgres() {
		return strings.TrimPrefix(c.DatabaseURL, "sqlite://")
	}
	return filepath.Join(c.DataDir, "kyc.db")
}

// PublicURL is BaseURL, or http://Addr when unset.
func (c Config) PublicURL() string {
	if c.BaseURL != "" {
		return strings.TrimRight(c.BaseURL, "/")
	}
	return "http://" + c.Addr
}

// Validate checks the whole configuration and names every bad setting.
func (c Config) Validate() error {
	var errs []error
	if c.DataDir == "" {
		errs = append(errs, errors.New("data directory: must not be empty (KYC_DATA_DIR)"))
	}
	if c.DatabaseURL != "" && strings.Contains(c.DatabaseURL, "://") && !c.IsPostgres() && !strings.HasPrefix(c.DatabaseURL, "sqlite://") {
		errs = append(errs, errors.New("KYC_DATABASE_URL: use a postgres:// URL or a SQLite file path"))
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("KYC_ADDR: %q is not host:port", c.Addr))
	}
	if c.BaseURL != "" {
		if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("KYC_BASE_URL: %q is not an absolute http(s) URL", c.BaseURL))
		}
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			errs = append(errs, fmt.Errorf("KYC_METRICS_ADDR: %q is not host:port", c.MetricsAddr))
		} else if c.MetricsAddr == c.Addr {
			errs = append(errs, fmt.Errorf("KYC_METRICS_ADDR: %q is the API's own address (KYC_ADDR); leave it empty to serve /metrics there", c.MetricsAddr))
		}
	}
	if c.ShutdownDrain < 0 || c.ShutdownDrain > c.ShutdownTimeout {
		errs = append(errs, fmt.Errorf("KYC_SHUTDOWN_DRAIN: %s must be between 0 and KYC_SHUTDOWN_TIMEOUT (%s)", c.ShutdownDrain, c.ShutdownTimeout))
	}
	if c.ListMaxAge < time.Hour {
		errs = append(errs, fmt.Errorf("KYC_LIST_MAX_AGE: %s must be at least 1h", c.ListMaxAge))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("KYC_LOG_FORMAT: %q must be text or json", c.LogFormat))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("KYC_LOG_LEVEL: %q must be debug, info, warn or error", c.LogLevel))
	}
	if c.TokenTTL < time.Minute || c.TokenTTL > 24*time.Hour {
		errs = append(errs, fmt.Errorf("KYC_TOKEN_TTL: %s must be between 1m and 24h", c.TokenTTL))
	}
	for _, r := range c.AutoApprove {
		if r != "low" && r != "medium" {
			errs = append(errs, fmt.Errorf("KYC_AUTO_APPROVE: %q: only low and medium may be approved automatically", r))
		}
	}
	if c.MinAge < 16 || c.MinAge > 25 {
		errs = append(errs, fmt.Errorf("KYC_MIN_AGE: %d must be between 16 and 25", c.MinAge))
	}
	if c.Workers < 1 || c.Workers > 1000 {
		errs = append(errs, fmt.Errorf("KYC_WORKERS: %d must be between 1 and 1000", c.Workers))
	}
	if c.JobMaxAttempts < 1 || c.JobMaxAttempts > 25 {
		errs = append(errs, fmt.Errorf("KYC_JOB_MAX_ATTEMPTS: %d must be between 1 and 25", c.JobMaxAttempts))
	}
	if _, err := providers.Registry().Lookup(c.IdentityProvider); err != nil {
		errs = append(errs, fmt.Errorf("KYC_IDENTITY_PROVIDER: %w", err))
	}
	if c.JobTimeout < time.Second || c.JobTimeout > time.Hour {
		errs = append(errs, fmt.Errorf("KYC_JOB_TIMEOUT: %s must be between 1s and 1h", c.JobTimeout))
	}
	if c.IdentityTimeout < time.Minute {
		errs = append(errs, fmt.Errorf("KYC_IDENTITY_TIMEOUT: %s must be at least 1m", c.IdentityTimeout))
	}
	if c.SandboxDelay < 0 || c.SandboxDelay > time.Hour {
		errs = append(errs, fmt.Errorf("KYC_SANDBOX_DELAY: %s must be between 0 and 1h", c.SandboxDelay))
	}
	if c.IdentityProvider == "http" {
		if c.IdentityURL == "" {
			errs = append(errs, errors.New("KYC_IDENTITY_URL: the http identity provider needs the service's URL"))
		}
		if c.IdentitySecret == "" {
			errs = append(errs, errors.New("KYC_IDENTITY_SECRET: the http identity provider needs the shared secret"))
		}
	}
	if c.IdentitySecret != "" {
		if _, err := webhook.ParseSecret(c.IdentitySecret); err != nil {
			errs = append(errs, errors.New("KYC_IDENTITY_SECRET: must be whsec_ and 24 to 64 random bytes in base64"))
		}
	}
	if err := docstore.Check(c.DocumentStore); err != nil {
		errs = append(errs, fmt.Errorf("KYC_DOCUMENT_STORE: %w", err))
	}
	if c.RetentionScanInterval < time.Second {
		errs = append(errs, fmt.Errorf("KYC_RETENTION_SCAN_INTERVAL: %s must be at least 1s", c.RetentionScanInterval))
	}
	if c.ReviewScanInterval < time.Second {
		errs = append(errs, fmt.Errorf("KYC_REVIEW_SCAN_INTERVAL: %s must be at least 1s", c.ReviewScanInterval))
	}
	if c.DocumentExpiryScanInterval < time.Second {
		errs = append(errs, fmt.Errorf("KYC_DOCUMENT_EXPIRY_SCAN_INTERVAL: %s must be at least 1s", c.DocumentExpiryScanInterval))
	}
	if c.MaxUploadBytes < minUploadLimit || c.MaxUploadBytes > maxUploadLimit {
		errs = append(errs, fmt.Errorf("KYC_MAX_UPLOAD_BYTES: %d must be between %d (64 KB) and %d (64 MB)", c.MaxUploadBytes, minUploadLimit, maxUploadLimit))
	}
	for _, s := range c.ListSync {
		if _, ok := lists.Lookup(s); !ok {
			errs = append(errs, fmt.Errorf("KYC_LIST_SYNC: %q is not a list source (%s)", s, strings.Join(lists.Names(), ", ")))
		}
	}
	if len(c.ListSync) > 0 && c.ListSyncInterval < 5*time.Minute {
		errs = append(errs, errors.New("KYC_LIST_SYNC_INTERVAL: must be at least 5m"))
	}
	if c.ListReloadInterval < time.Second {
		errs = append(errs, errors.New("KYC_LIST_RELOAD_INTERVAL: must be at least 1s"))
	}
	if c.AccessLinkTTL < time.Minute || c.AccessLinkTTL > 7*24*time.Hour {
		errs = append(errs, fmt.Errorf("KYC_ACCESS_LINK_TTL: %s must be between 1m and 168h", c.AccessLinkTTL))
	}
	if c.ApplicantIdle < time.Minute || c.ApplicantIdle > 24*time.Hour {
		errs = append(errs, fmt.Errorf("KYC_APPLICANT_SESSION_IDLE: %s must be between 1m and 24h", c.ApplicantIdle))
	}
	if c.ApplicantMaxAge < c.ApplicantIdle || c.ApplicantMaxAge > 7*24*time.Hour {
		errs = append(errs, fmt.Errorf("KYC_APPLICANT_SESSION_MAX: %s must be at least the idle timeout and at most 168h", c.ApplicantMaxAge))
	}
	errs = append(errs, c.Monitoring.validate()...)
	errs = append(errs, c.Documents.validate(c.MaxUploadBytes)...)
	errs = append(errs, c.OIDC.validate()...)
	return errors.Join(errs...)
}

// AutoApproves reports whether a rating may be approved automatically.
func (c Config) AutoApproves(rating string) bool {
	for _, r := range c.AutoApprove {
		if r == rating {
			return true
		}
	}
	return false
}
