package auth

import (
	"slices"
	"strings"

	"github.com/kyc-platform/kyc/internal/domain"
)

// API scopes (PRODUCT.md section 9). A client holds a set of them and every
// token carries a subset.
const (
	ScopeCustomersRead     = "customers:read"
	ScopeCustomersWrite    = "customers:write"
	ScopeScreeningRead     = "screening:read"
	ScopeCasesRead         = "cases:read"
	ScopeCasesWrite        = "cases:write"
	ScopeTransactionsWrite = "transactions:write"
	ScopeWebhooksWrite     = "webhooks:write"
	ScopeAuditRead         = "audit:read"
	ScopeListsRead         = "lists:read"
)

// ScopeAll is the shorthand accepted by ParseScopes for every scope.
const ScopeAll = "all"

// allScopes is the canonical order of the scopes.
var allScopes = [...]string{
	ScopeCustomersRead, ScopeCustomersWrite, ScopeScreeningRead,
	ScopeCasesRead, ScopeCasesWrite, ScopeTransactionsWrite,
	ScopeWebhooksWrite, ScopeAuditRead, ScopeListsRead,
}

// AllScopes returns every scope in canonical order (a fresh slice).
func AllScopes() []string { return slices.Clone(allScopes[:]) }

// IsScope reports whether s is a known scope.
func IsScope(s string) bool { return slices.Contains(allScopes[:], s) }

// ParseScopes parses a scope list as typed by an operator: "all", or scopes
// separated by commas and/or white space. It returns the scopes without
// duplicates in canonical order, or an ECodeInvalid *domain.Error naming
// every unknown scope. An empty list is an error.
func ParseScopes(s string) ([]string, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
	if len(fields) == 0 {
		return nil, domain.Errorf(domain.ECodeInvalid, "no scopes given; use %q or some of: %s", ScopeAll, strings.Join(allScopes[:], ", "))
	}
	if len(fields) == 1 && strings.EqualFold(fields[0], ScopeAll) {
		return AllScopes(), nil
	}
	var unknown []string
	want := map[string]bool{}
	for _, f := range fields {
		if !IsScope(f) {
			if !slices.Contains(unknown, f) {
				unknown = append(unknown, f)
			}
			continue
		}
		want[f] = true
	}
	if len(unknown) > 0 {
		return nil, domain.Errorf(domain.ECodeInvalid, "unknown scopes: %s (known: %s, or %q)",
			strings.Join(unknown, ", "), strings.Join(allScopes[:], ", "), ScopeAll)
	}
	return canonical(want), nil
}

// canonical returns the members of set in canonical order.
func canonical(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for _, s := range allScopes {
		if set[s] {
			out = append(out, s)
		}
	}
	return out
}

// FormatScopes joins scopes with single spaces, the form stored in
// store.ClientRecord.Scopes and carried in the token's "scope" claim.
func FormatScopes(scopes []string) string { return strings.Join(scopes, " ") }

// SplitScopes parses a stored or token scope string (space separated),
// keeping only known scopes, in canonical order.
func SplitScopes(s string) []string {
	set := map[string]bool{}
	for _, f := range strings.Fields(s) {
		if IsScope(f) {
			set[f] = true
		}
	}
	return canonical(set)
}

// HasScope reports whether scopes contains want.
func HasScope(scopes []string, want string) bool { return slices.Contains(scopes, want) }

// intersect returns the members of a that are also in b, in a's order.
func intersect(a, b []string) []string {
	out := make([]string, 0, len(a))
	for _, s := range a {
		if slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}
