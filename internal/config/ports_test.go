package config

import (
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/verify/providers"
)

// The identity provider is checked against the provider registry, and an
// unknown name is refused with the names that are known.
func TestIdentityProviderFromRegistry(t *testing.T) {
	t.Parallel()
	for _, name := range providers.Registry().Names() {
		c := Default()
		c.IdentityProvider = name
		c.IdentityURL, c.IdentitySecret = "https://idv.example/v", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
		if err := c.Validate(); err != nil {
			t.Errorf("registered provider %q refused: %v", name, err)
		}
	}
	c, err := FromEnv(env(map[string]string{"KYC_IDENTITY_PROVIDER": "magic"}))
	if err != nil {
		t.Fatal(err)
	}
	err = c.Validate()
	if err == nil {
		t.Fatal("an unknown identity provider was accepted")
	}
	for _, want := range []string{"KYC_IDENTITY_PROVIDER", `"magic"`, "known: " + strings.Join(providers.Registry().Names(), ", ")} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if Default().IdentityProvider != providers.Default {
		t.Fatalf("default provider %q, want %q", Default().IdentityProvider, providers.Default)
	}
}

func TestMaxUploadBytes(t *testing.T) {
	t.Parallel()
	if Default().MaxUploadBytes != 10<<20 {
		t.Fatalf("default upload limit %d, want 10 MB", Default().MaxUploadBytes)
	}
	c, err := FromEnv(env(map[string]string{"KYC_MAX_UPLOAD_BYTES": "2097152"}))
	if err != nil || c.MaxUploadBytes != 2<<20 {
		t.Fatalf("KYC_MAX_UPLOAD_BYTES=2097152: got %d, %v", c.MaxUploadBytes, err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("2 MB refused: %v", err)
	}
	if _, err := FromEnv(env(map[string]string{"KYC_MAX_UPLOAD_BYTES": "10MB"})); err == nil || !strings.Contains(err.Error(), "KYC_MAX_UPLOAD_BYTES") {
		t.Fatalf("want KYC_MAX_UPLOAD_BYTES named for 10MB, got %v", err)
	}
	for _, n := range []int64{0, 1024, 65<<20 + 1} {
		c := Default()
		c.MaxUploadBytes = n
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "KYC_MAX_UPLOAD_BYTES") {
			t.Errorf("limit %d: want KYC_MAX_UPLOAD_BYTES named, got %v", n, err)
		}
	}
}

// The http provider cannot start without its URL and secret, and a secret
// that is not a whsec_ key of 24 to 64 bytes is refused.
func TestHTTPIdentityProviderSettings(t *testing.T) {
	t.Parallel()
	c := Default()
	c.IdentityProvider = "http"
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), "KYC_IDENTITY_URL") || !strings.Contains(err.Error(), "KYC_IDENTITY_SECRET") {
		t.Fatalf("http without URL and secret: %v", err)
	}
	c.IdentityURL, c.IdentitySecret = "https://idv.example/v", "whsec_c2hvcnQ="
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "KYC_IDENTITY_SECRET") {
		t.Fatalf("short secret: %v", err)
	}
	c.IdentityTimeout = time.Second
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "KYC_IDENTITY_TIMEOUT") {
		t.Fatalf("1s timeout: %v", err)
	}
}

// KYC_JOB_TIMEOUT is read from the environment and bounded: under a second
// a job could not finish, over an hour a dead process's jobs would wait
// more than 90 minutes to be rescued.
func TestJobTimeoutSetting(t *testing.T) {
	t.Parallel()
	c := Default()
	if c.JobTimeout != 2*time.Minute {
		t.Fatalf("default job timeout %s, want 2m", c.JobTimeout)
	}
	for _, bad := range []time.Duration{0, 500 * time.Millisecond, 2 * time.Hour} {
		c.JobTimeout = bad
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "KYC_JOB_TIMEOUT") {
			t.Errorf("job timeout %s: want KYC_JOB_TIMEOUT named, got %v", bad, err)
		}
	}
	c.JobTimeout = 4 * time.Second
	if err := c.Validate(); err != nil {
		t.Errorf("4s: %v", err)
	}
}
