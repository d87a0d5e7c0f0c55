package providers

import (
	"slices"
	"testing"

	"github.com/kyc-platform/kyc/internal/verify"
)

// Every registered provider builds from a default configuration and
// reports the name it is registered under; the default is registered.
func TestRegistry(t *testing.T) {
	t.Parallel()
	r := Registry()
	if !slices.Contains(r.Names(), Default) {
		t.Fatalf("default provider %q not registered (%v)", Default, r.Names())
	}
	for _, name := range r.Names() {
		p, err := r.New(name, verify.Config{MinAge: 18})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if p.Name() != name {
			t.Errorf("%s reports the name %q", name, p.Name())
		}
	}
	if Registry() != r {
		t.Fatal("the registry is built more than once")
	}
}
