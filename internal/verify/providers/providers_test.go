package providers

import (
	"slices"
	"testing"

	"github.com/kyc-platform/kyc/internal/verify"
)

// Every registered provider builds from a complete configuration (what the
// composition root hands over: the callback address, an external
// provider's URL and secret) and reports the name it is registered under;
// an asynchronous one takes callbacks; the default is registered.
func TestRegistry(t *testing.T) {
	t.Parallel()
	r := Registry()
	if !slices.Contains(r.Names(), Default) {
		t.Fatalf("default provider %q not registered (%v)", Default, r.Names())
	}
	for _, name := range r.Names() {
		p, err := r.New(name, verify.Config{MinAge: 18, CallbackURL: "http://127.0.0.1:8080/api/v1/identity-callbacks/" + name,
			URL: "https://idv.example/verifications", Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		reg, _ := r.Lookup(name)
		if _, ok := p.(verify.Asynchronous); ok != reg.Asynchronous {
			t.Errorf("%s: registered asynchronous %v, takes callbacks %v", name, reg.Asynchronous, ok)
		}
		if p.Name() != name {
			t.Errorf("%s reports the name %q", name, p.Name())
		}
	}
	if Registry() != r {
		t.Fatal("the registry is built more than once")
	}
}
