package verify

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Config is what a provider is built from. Providers that need settings of
// their own (a URL, a secret) get typed fields here, read and validated by
// package config from KYC_IDENTITY_* variables.
type Config struct {
	// MinAge is the minimum age of an individual customer.
	MinAge int
	// CallbackURL is where an asynchronous provider's results are sent
	// (KYC_BASE_URL + /api/v1/identity-callbacks/{provider}).
	CallbackURL string
	// Secret ("whsec_" + base64, KYC_IDENTITY_SECRET) signs the requests
	// to an external provider and authenticates its callbacks.
	Secret string
	// URL is an external provider's endpoint (KYC_IDENTITY_URL).
	URL string
	// Delay is how long the sandbox provider waits before it answers
	// (KYC_SANDBOX_DELAY).
	Delay time.Duration
}

// Constructor builds a provider from the configuration; an error stops the
// server at start.
type Constructor func(Config) (Provider, error)

// Registration names a provider and says how to build it.
type Registration struct {
	// Name is the value of KYC_IDENTITY_PROVIDER that selects the provider
	// and the name the provider reports (Provider.Name).
	Name string
	// Asynchronous providers may return pending; their checks are completed
	// by app.Checks.Complete or expired by app.Checks.ExpirePending.
	Asynchronous bool
	// New builds the provider.
	New Constructor
}

// Registry is the set of identity providers kyc can be configured with. It
// is built once (NewRegistry) and only read afterwards.
type Registry struct {
	byName map[string]Registration
	names  []string
}

// NewRegistry returns a registry of regs. It panics on an empty or
// duplicate name or a missing constructor: the list is written in code, so
// such a mistake is a programming error caught by any test.
func NewRegistry(regs ...Registration) *Registry {
	r := &Registry{byName: make(map[string]Registration, len(regs))}
	for _, reg := range regs {
		switch {
		case reg.Name == "" || strings.TrimSpace(reg.Name) != reg.Name || strings.ToLower(reg.Name) != reg.Name:
			panic(fmt.Sprintf("verify: provider name %q must be a non-empty lower-case word", reg.Name))
		case reg.New == nil:
			panic(fmt.Sprintf("verify: provider %q has no constructor", reg.Name))
		}
		if _, dup := r.byName[reg.Name]; dup {
			panic(fmt.Sprintf("verify: provider %q registered twice", reg.Name))
		}
		r.byName[reg.Name] = reg
		r.names = append(r.names, reg.Name)
	}
	slices.Sort(r.names)
	return r
}

// Names returns the registered names, sorted.
func (r *Registry) Names() []string { return slices.Clone(r.names) }

// Lookup returns the registration of name, or an error naming the known
// providers.
func (r *Registry) Lookup(name string) (Registration, error) {
	reg, ok := r.byName[name]
	if !ok {
		return Registration{}, fmt.Errorf("%q is not a known identity provider (known: %s)", name, strings.Join(r.names, ", "))
	}
	return reg, nil
}

// New builds the provider registered as name.
func (r *Registry) New(name string, cfg Config) (Provider, error) {
	reg, err := r.Lookup(name)
	if err != nil {
		return nil, err
	}
	p, err := reg.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("identity provider %s: %w", name, err)
	}
	if p.Name() != name {
		return nil, fmt.Errorf("identity provider %s reports the name %q", name, p.Name())
	}
	return p, nil
}
