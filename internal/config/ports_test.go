package config

import (
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/verify/providers"
)

// The identity provider is checked against the provider registry, and an
// unknown name is refused with the names that are known.
func TestIdentityProviderFromRegistry(t *testing.T) {
	t.Parallel()
	for _, name := range providers.Registry().Names() {
		c := Default()
		c.IdentityProvider = name
		if err := c.Validate(); err != nil {
			t.Errorf("registered provider %q refused: %v", name, err)
		}
	}
	c, err := FromEnv(env(map[string]string{"KYC_IDENTITY_PROVIDER": "sandbox"}))
	if err != nil {
		t.Fatal(err)
	}
	err = c.Validate()
	if err == nil {
		t.Fatal("an unknown identity provider was accepted")
	}
	for _, want := range []string{"KYC_IDENTITY_PROVIDER", `"sandbox"`, "known: " + strings.Join(providers.Registry().Names(), ", ")} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if Default().IdentityProvider != providers.Default {
		t.Fatalf("default provider %q, want %q", Default().IdentityProvider, providers.Default)
	}
}
