package auth

import (
	"slices"
	"strings"

	"github.com/kyc-platform/kyc/internal/domain"
)

// API scopes (published in the README, section "API"). A client holds a set of them and every
// token carries a subset; each grants the app permission of the same name.
const (
	ScopeCustomersRead     = "customers:read"
	ScopeCustomersWrite    = "customers:write"
	ScopeScreeningRead     = "screening:read"
	ScopeCasesRead         = "cases:read"
	ScopeCasesWrite        = "cases:write"
	ScopeTransactionsRead  = "transactions:read"
	ScopeTransactionsWrite = "transactions:write"
	ScopeWebhooksWrite     = "webhooks:write"
	ScopeAuditRead         = "audit:read"
	ScopeListsRead         = "lists:read"
	ScopeDataExport        = "data:export"
)

// ScopeAll is the shorthand accepted by ParseScopes for every scope.
const ScopeAll = "all"

// ScopeInfo describes one registered API scope.
type ScopeInfo struct {
	// Name is the scope as clients request it and tokens carry it; it is
	// also the name of the app permission it grants.
	Name string
	// Description says in one line what the scope allows (the OpenAPI
	// document shows it).
	Description string
}

// scopes is the one registry of API scopes, in canonical order (the order
// the README publishes them in). ParseScopes, the token endpoint, the OpenAPI
// document, the back office and app authorization all read it: adding a
// scope is one constant and one entry here.
var scopes = [...]ScopeInfo{
	{ScopeCustomersRead, "Read customers, their checks and risk assessments"},
	{ScopeCustomersWrite, "Create, edit and submit customers"},
	{ScopeScreeningRead, "Screen names"},
	{ScopeCasesRead, "Read cases"},
	{ScopeCasesWrite, "Decide cases and disposition hits"},
	{ScopeTransactionsRead, "Read transactions and monitoring alerts"},
	{ScopeTransactionsWrite, "Submit transactions for monitoring"},
	{ScopeWebhooksWrite, "Manage webhook endpoints"},
	{ScopeAuditRead, "Read the audit trail"},
	{ScopeListsRead, "Read list snapshots"},
	{ScopeDataExport, "Export and erase a customer's personal data"},
}

// Scopes returns every registered scope in canonical order (a fresh slice).
func Scopes() []ScopeInfo { return slices.Clone(scopes[:]) }

// LookupScope returns the registered scope of that name.
func LookupScope(name string) (ScopeInfo, bool) {
	for _, s := range scopes {
		if s.Name == name {
			return s, true
		}
	}
	return ScopeInfo{}, false
}

// AllScopes returns the name of every scope in canonical order (a fresh
// slice): what "--scopes all" grants.
func AllScopes() []string {
	out := make([]string, len(scopes))
	for i, s := range scopes {
		out[i] = s.Name
	}
	return out
}

// IsScope reports whether s is a registered scope.
func IsScope(s string) bool {
	_, ok := LookupScope(s)
	return ok
}

// ParseScopes parses a scope list as typed by an operator: "all", or scopes
// separated by commas and/or white space. It returns the scopes without
// duplicates in canonical order, or an ECodeInvalid *domain.Error naming
// every unknown scope. An empty list is an error.
func ParseScopes(s string) ([]string, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
	if len(fields) == 0 {
		return nil, domain.Errorf(domain.ECodeInvalid, "no scopes given; use %q or some of: %s", ScopeAll, strings.Join(AllScopes(), ", "))
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
			strings.Join(unknown, ", "), strings.Join(AllScopes(), ", "), ScopeAll)
	}
	return canonical(want), nil
}

// canonical returns the members of set in canonical order.
func canonical(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for _, s := range scopes {
		if set[s.Name] {
			out = append(out, s.Name)
		}
	}
	return out
}

// FormatScopes joins scopes with single spaces, the form stored in
// store.ClientRecord.Scopes and carried in the token's "scope" claim.
func FormatScopes(scopes []string) string { return strings.Join(scopes, " ") }

// SplitScopes parses a stored or token scope string (space separated),
// keeping only known scopes, in canonical order.
//
// It runs for every API request (twice: the token's scopes and the
// client's), so it marks the registered scopes it meets in an array
// rather than a map, and splits without a slice of fields.
func SplitScopes(s string) []string {
	var held [len(scopes)]bool
	n := 0
	for f := range strings.FieldsSeq(s) {
		for i := range scopes {
			if scopes[i].Name == f {
				if !held[i] {
					held[i] = true
					n++
				}
				break
			}
		}
	}
	out := make([]string, 0, n)
	for i := range scopes {
		if held[i] {
			out = append(out, scopes[i].Name)
		}
	}
	return out
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

// ScopeFamilies returns the families of the registered scopes, in
// canonical order without repeats: the part of each scope's name before
// the colon ("customers" for customers:read and customers:write). The API's
// rate limits are set per family (KYC_RATE_LIMIT).
func ScopeFamilies() []string {
	var out []string
	for _, s := range scopes {
		f, _, _ := strings.Cut(s.Name, ":")
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}
