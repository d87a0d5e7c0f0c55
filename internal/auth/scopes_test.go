package auth

import (
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
	if len(AllScopes()) != 9 {
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
