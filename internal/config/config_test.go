package config

import (
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaultIsValid(t *testing.T) {
	t.Parallel()
	if err := Default().Validate(); err != nil {
		t.Fatalf("default config invalid: %v", err)
	}
	c := Default()
	if c.IsPostgres() || c.SQLitePath() != "kyc-data/kyc.db" {
		t.Fatalf("default database: postgres=%v path=%q", c.IsPostgres(), c.SQLitePath())
	}
}

func TestFromEnv(t *testing.T) {
	t.Parallel()
	c, err := FromEnv(env(map[string]string{
		"KYC_DATABASE_URL": "postgres://u@h/db",
		"KYC_TOKEN_TTL":    "5m",
		"KYC_AUTO_APPROVE": "low,medium",
		"KYC_WORKERS":      "3",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.IsPostgres() || c.TokenTTL != 5*time.Minute || !c.AutoApproves("medium") || c.Workers != 3 {
		t.Fatalf("unexpected config %+v", c)
	}
}

func TestFromEnvErrors(t *testing.T) {
	t.Parallel()
	_, err := FromEnv(env(map[string]string{"KYC_TOKEN_TTL": "soon", "KYC_WORKERS": "many"}))
	if err == nil || !strings.Contains(err.Error(), "KYC_TOKEN_TTL") || !strings.Contains(err.Error(), "KYC_WORKERS") {
		t.Fatalf("want both bad variables named, got %v", err)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(*Config)
		want   string
	}{
		{"bad addr", func(c *Config) { c.Addr = "8080" }, "KYC_ADDR"},
		{"access link ttl", func(c *Config) { c.AccessLinkTTL = 10 * time.Second }, "KYC_ACCESS_LINK_TTL"},
		{"applicant idle", func(c *Config) { c.ApplicantIdle = 0 }, "KYC_APPLICANT_SESSION_IDLE"},
		{"applicant max below idle", func(c *Config) { c.ApplicantMaxAge = 10 * time.Minute }, "KYC_APPLICANT_SESSION_MAX"},
		{"bad base url", func(c *Config) { c.BaseURL = "ftp://x" }, "KYC_BASE_URL"},
		{"bad log format", func(c *Config) { c.LogFormat = "xml" }, "KYC_LOG_FORMAT"},
		{"auto approve high", func(c *Config) { c.AutoApprove = []string{"high"} }, "KYC_AUTO_APPROVE"},
		{"mysql url", func(c *Config) { c.DatabaseURL = "mysql://x" }, "KYC_DATABASE_URL"},
		{"ttl too long", func(c *Config) { c.TokenTTL = 48 * time.Hour }, "KYC_TOKEN_TTL"},
		{"provider", func(c *Config) { c.IdentityProvider = "magic" }, "KYC_IDENTITY_PROVIDER"},
		{"list sync source", func(c *Config) { c.ListSync = []string{"ofac_sdn", "interpol"} }, "KYC_LIST_SYNC"},
		{"list sync too often", func(c *Config) { c.ListSync = []string{"un"}; c.ListSyncInterval = time.Minute }, "KYC_LIST_SYNC_INTERVAL"},
		{"review scan below a second", func(c *Config) { c.ReviewScanInterval = 100 * time.Millisecond }, "KYC_REVIEW_SCAN_INTERVAL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := Default()
			tt.mutate(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("want error naming %s, got %v", tt.want, err)
			}
		})
	}
}

func TestApplicantSettingsFromEnv(t *testing.T) {
	t.Parallel()
	c, err := FromEnv(env(map[string]string{
		"KYC_SELF_SERVICE": "true", "KYC_ACCESS_LINK_TTL": "2h",
		"KYC_APPLICANT_SESSION_IDLE": "15m", "KYC_APPLICANT_SESSION_MAX": "4h",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.SelfService || c.AccessLinkTTL != 2*time.Hour || c.ApplicantIdle != 15*time.Minute || c.ApplicantMaxAge != 4*time.Hour {
		t.Fatalf("unexpected config %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	d := Default()
	if d.SelfService || d.AccessLinkTTL != 30*time.Minute {
		t.Fatalf("defaults: self service %v, link TTL %s", d.SelfService, d.AccessLinkTTL)
	}
	_, err = FromEnv(env(map[string]string{"KYC_SELF_SERVICE": "perhaps", "KYC_ACCESS_LINK_TTL": "long"}))
	if err == nil || !strings.Contains(err.Error(), "KYC_SELF_SERVICE") || !strings.Contains(err.Error(), "KYC_ACCESS_LINK_TTL") {
		t.Fatalf("want both bad variables named, got %v", err)
	}
}

// TestReviewScanInterval: the periodic-review scan runs hourly by default;
// KYC_REVIEW_SCAN_INTERVAL takes a Go duration, seconds allowed for tests.
func TestReviewScanInterval(t *testing.T) {
	t.Parallel()
	if d := Default().ReviewScanInterval; d != time.Hour {
		t.Fatalf("default %s, want 1h", d)
	}
	c, err := FromEnv(env(map[string]string{"KYC_REVIEW_SCAN_INTERVAL": "2s"}))
	if err != nil || c.ReviewScanInterval != 2*time.Second || c.Validate() != nil {
		t.Fatalf("2s: %s %v %v", c.ReviewScanInterval, err, c.Validate())
	}
	if _, err := FromEnv(env(map[string]string{"KYC_REVIEW_SCAN_INTERVAL": "P1D"})); err == nil || !strings.Contains(err.Error(), "KYC_REVIEW_SCAN_INTERVAL") {
		t.Fatalf("want the bad variable named, got %v", err)
	}
}

// TestServeSettings: the operator settings of the hardening and
// operator issues are read from the environment and bad values are named.
func TestServeSettings(t *testing.T) {
	t.Parallel()
	c, err := FromEnv(env(map[string]string{
		"KYC_TRUSTED_PROXIES": "10.0.0.0/8,192.0.2.7", "KYC_METRICS_ADDR": "127.0.0.1:9090",
		"KYC_SHUTDOWN_DRAIN": "2s", "KYC_LIST_MAX_AGE": "48h",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.TrustedProxies) != 2 || c.MetricsAddr != "127.0.0.1:9090" || c.ShutdownDrain != 2*time.Second || c.ListMaxAge != 48*time.Hour {
		t.Fatalf("unexpected config %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	_, err = FromEnv(env(map[string]string{"KYC_TRUSTED_PROXIES": "proxy.internal", "KYC_SHUTDOWN_DRAIN": "a bit"}))
	if err == nil || !strings.Contains(err.Error(), "KYC_TRUSTED_PROXIES") || !strings.Contains(err.Error(), "KYC_SHUTDOWN_DRAIN") {
		t.Fatalf("want both bad variables named, got %v", err)
	}
	for name, mod := range map[string]func(*Config){
		"KYC_METRICS_ADDR":   func(c *Config) { c.MetricsAddr = c.Addr },
		"KYC_SHUTDOWN_DRAIN": func(c *Config) { c.ShutdownDrain = time.Hour },
		"KYC_LIST_MAX_AGE":   func(c *Config) { c.ListMaxAge = time.Minute },
	} {
		c := Default()
		mod(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
