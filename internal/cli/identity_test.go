package cli

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/config"
	"github.com/kyc-platform/kyc/internal/verify/providers"
)

// An unknown identity provider stops kyc at start, naming the setting and
// the providers it knows.
func TestUnknownIdentityProviderExits2(t *testing.T) {
	t.Parallel()
	var errb bytes.Buffer
	dir := t.TempDir()
	code := Run(context.Background(), &Env{Args: []string{"kyc", "migrate"}, Stdout: &bytes.Buffer{}, Stderr: &errb,
		Getenv: func(k string) string {
			return map[string]string{"KYC_DATA_DIR": dir, "KYC_IDENTITY_PROVIDER": "magic"}[k]
		}})
	if code != 2 || !strings.Contains(errb.String(), `KYC_IDENTITY_PROVIDER: "magic" is not a known identity provider (known: `+strings.Join(providers.Registry().Names(), ", ")+")") {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
}

// The composition root builds the provider from the registry: a name that
// slipped past validation still fails the start, not the first check.
func TestBuildSystemPicksIdentityProvider(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	sys, err := buildSystem(context.Background(), cfg, io.Discard, true, 0)
	if err != nil {
		t.Fatalf("default provider: %v", err)
	}
	sys.Close()
	cfg.IdentityProvider = "magic"
	if sys, err := buildSystem(context.Background(), cfg, io.Discard, true, 0); err == nil {
		sys.Close()
		t.Fatal("an unknown provider was wired")
	} else if !strings.Contains(err.Error(), `KYC_IDENTITY_PROVIDER: "magic" is not a known identity provider`) {
		t.Fatalf("unclear error: %v", err)
	}
}
