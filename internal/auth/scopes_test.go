package auth

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/domain"
)

func TestParseScopes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    []string
		wantErr string // substring of the error
	}{
		{"all", AllScopes(), ""},
		{" ALL ", AllScopes(), ""},
		{"customers:read", []string{ScopeCustomersRead}, ""},
		{"cases:write,customers:read", []string{ScopeCustomersRead, ScopeCasesWrite}, ""},
		{"cases:write customers:read", []string{ScopeCustomersRead, ScopeCasesWrite}, ""},
		{"cases:write, customers:read ,, audit:read", []string{ScopeCustomersRead, ScopeCasesWrite, ScopeAuditRead}, ""},
		{"lists:read lists:read", []string{ScopeListsRead}, ""},
		{"", nil, "no scopes"},
		{" , ", nil, "no scopes"},
		{"customers:read,admin,root", nil, "admin, root"},
		{"all,customers:read", nil, "all"},
		{"Customers:Read", nil, "Customers:Read"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseScopes(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || domain.ErrCode(err) != domain.ECodeInvalid {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("ParseScopes(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestScopeHelpers(t *testing.T) {
	t.Parallel()
	if len(AllScopes()) != 11 {
		t.Fatalf("AllScopes = %v", AllScopes())
	}
	a := AllScopes()
	a[0] = "mutated"
	if AllScopes()[0] != ScopeCustomersRead {
		t.Fatal("AllScopes exposes its backing array")
	}
	if got := SplitScopes("audit:read bogus customers:read"); !slices.Equal(got, []string{ScopeCustomersRead, ScopeAuditRead}) {
		t.Errorf("SplitScopes = %v", got)
	}
	if FormatScopes([]string{ScopeCasesRead, ScopeCasesWrite}) != "cases:read cases:write" {
		t.Error("FormatScopes")
	}
	if !HasScope([]string{ScopeCasesRead}, ScopeCasesRead) || HasScope(nil, ScopeCasesRead) {
		t.Error("HasScope")
	}
}

// TestScopeRegistry checks that every registered scope is complete (a
// "resource:action" name registered once, a description), that the registry
// holds exactly the scopes the README publishes (section "API"), in that
// order, and that
// "all" grants every one of them.
func TestScopeRegistry(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, sc := range Scopes() {
		res, act, ok := strings.Cut(sc.Name, ":")
		if !ok || res == "" || act == "" || strings.ContainsAny(sc.Name, " ,\t") || seen[sc.Name] {
			t.Errorf("scope %q is not a resource:action name or is registered twice", sc.Name)
		}
		seen[sc.Name] = true
		if strings.TrimSpace(sc.Description) == "" {
			t.Errorf("scope %s has no description", sc.Name)
		}
		if got, ok := LookupScope(sc.Name); !ok || got != sc {
			t.Errorf("LookupScope(%q) = %v, %v", sc.Name, got, ok)
		}
	}
	product := []string{"customers:read", "customers:write", "screening:read", "cases:read", "cases:write",
		"transactions:read", "transactions:write", "webhooks:write", "audit:read", "lists:read", "data:export"}
	if !slices.Equal(AllScopes(), product) {
		t.Errorf("AllScopes() = %v, want the scopes the README publishes: %v", AllScopes(), product)
	}
	if got, err := ParseScopes("all"); err != nil || !slices.Equal(got, product) {
		t.Errorf(`ParseScopes("all") = %v, %v`, got, err)
	}
	all := Scopes()
	all[0].Name = "mutated"
	if Scopes()[0].Name != ScopeCustomersRead {
		t.Error("Scopes exposes the registry")
	}
}

// TestScopeRegistryRefusesUnknown checks that a name outside the registry is
// refused everywhere scopes are read.
func TestScopeRegistryRefusesUnknown(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"", "all", "customers", "customers:delete", "CUSTOMERS:READ", "lists:write", "users:write"} {
		if _, ok := LookupScope(name); ok || IsScope(name) {
			t.Errorf("%q is taken for a scope", name)
		}
		if name != "" && name != "all" {
			if _, err := ParseScopes(name); err == nil {
				t.Errorf("ParseScopes(%q) accepted it", name)
			}
		}
		if got := SplitScopes(name); len(got) != 0 {
			t.Errorf("SplitScopes(%q) = %v", name, got)
		}
	}
}

// TestSplitScopesAsBefore: SplitScopes answers as the map-based version
// it replaced, for scope strings mixing known, unknown and repeated names
// and every kind of white space.
func TestSplitScopesAsBefore(t *testing.T) {
	t.Parallel()
	before := func(s string) []string {
		set := map[string]bool{}
		for _, f := range strings.Fields(s) {
			if IsScope(f) {
				set[f] = true
			}
		}
		return canonical(set)
	}
	words := append(AllScopes(), "bogus", "customers:READ", "customers:read ", "", "all", "audit:read\u00a0cases:read")
	seps := []string{" ", "  ", "\t", "\n", "\u2003", " \r\n "}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		var b strings.Builder
		for range rng.IntN(20) {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteString(seps[rng.IntN(len(seps))])
		}
		s := b.String()
		got, want := SplitScopes(s), before(s)
		if !slices.Equal(got, want) || (got == nil) != (want == nil) {
			t.Fatalf("SplitScopes(%q) = %#v, want %#v", s, got, want)
		}
	}
}
