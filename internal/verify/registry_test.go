package verify

import (
	"context"
	"errors"
	"strings"
	"testing"
)

type named struct{ name string }

func (n named) Name() string { return n.name }
func (n named) Verify(context.Context, Request) (Result, error) {
	return Result{}, nil
}

func reg(name string) Registration {
	return Registration{Name: name, New: func(Config) (Provider, error) { return named{name}, nil }}
}

func TestRegistryRefusesBadRegistrations(t *testing.T) {
	t.Parallel()
	for name, regs := range map[string][]Registration{
		"duplicate":      {reg("alpha"), reg("alpha")},
		"empty name":     {reg("")},
		"upper case":     {reg("Alpha")},
		"spaces":         {reg(" alpha")},
		"no constructor": {{Name: "alpha"}},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("NewRegistry accepted it")
				}
			}()
			NewRegistry(regs...)
		})
	}
}

func TestRegistryLookupAndNew(t *testing.T) {
	t.Parallel()
	boom := errors.New("no URL configured")
	r := NewRegistry(reg("zeta"), reg("alpha"),
		Registration{Name: "liar", New: func(Config) (Provider, error) { return named{"other"}, nil }},
		Registration{Name: "broken", New: func(Config) (Provider, error) { return nil, boom }},
	)
	if got := strings.Join(r.Names(), ","); got != "alpha,broken,liar,zeta" {
		t.Fatalf("names %s, want sorted", got)
	}
	p, err := r.New("alpha", Config{})
	if err != nil || p.Name() != "alpha" {
		t.Fatalf("New(alpha) = %v, %v", p, err)
	}
	if _, err := r.Lookup("sandbox"); err == nil || err.Error() != `"sandbox" is not a known identity provider (known: alpha, broken, liar, zeta)` {
		t.Fatalf("unknown name: %v", err)
	}
	if _, err := r.New("sandbox", Config{}); err == nil {
		t.Fatal("New built an unknown provider")
	}
	if _, err := r.New("broken", Config{}); !errors.Is(err, boom) || !strings.Contains(err.Error(), "identity provider broken") {
		t.Fatalf("constructor error: %v", err)
	}
	if _, err := r.New("liar", Config{}); err == nil {
		t.Fatal("a provider reporting another name was accepted")
	}
	names := r.Names()
	names[0] = "mutated"
	if r.Names()[0] != "alpha" {
		t.Fatal("Names exposes the registry's own slice")
	}
}

func TestDocumentRegistration(t *testing.T) {
	t.Parallel()
	p, err := NewRegistry(DocumentRegistration).New(DocumentProviderName, Config{MinAge: 21})
	if err != nil {
		t.Fatal(err)
	}
	if DocumentRegistration.Asynchronous {
		t.Fatal("the document provider is synchronous")
	}
	if d, ok := p.(*Document); !ok || d.opts.MinAge != 21 {
		t.Fatalf("document provider not built from the config: %#v", p)
	}
}
