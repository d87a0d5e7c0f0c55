// Package providers is the registry of identity-verification providers:
// the one list of the names KYC_IDENTITY_PROVIDER accepts. Package config
// validates the setting against it and the composition root (package cli)
// builds the chosen provider from it. A provider in a package of its own
// (verify/<name>) exports a verify.Registration, and adding it here is the
// one edit that makes it selectable.
package providers

import (
	"sync"

	"github.com/kyc-platform/kyc/internal/verify"
	"github.com/kyc-platform/kyc/internal/verify/httpprovider"
	"github.com/kyc-platform/kyc/internal/verify/sandbox"
)

// Default is the provider used when KYC_IDENTITY_PROVIDER is unset.
const Default = verify.DocumentProviderName

// Registry returns the registry of every built-in provider.
var Registry = sync.OnceValue(func() *verify.Registry {
	return verify.NewRegistry(
		verify.DocumentRegistration,
		sandbox.Registration,
		httpprovider.Registration,
	)
})
