package app_test

import (
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/domain"
)

// TestScopesGrantTheirPermission checks the link between the scope registry
// (auth.Scopes) and app authorization: each scope grants the permission of
// its name and nothing else, and no scope grants an operator permission.
func TestScopesGrantTheirPermission(t *testing.T) {
	t.Parallel()
	operator := []app.Permission{app.PermListsWrite, app.PermClientsWrite, app.PermUsersWrite}
	for _, sc := range auth.Scopes() {
		a := domain.Actor{Type: domain.ActorClient, ID: "kyc_ci_scope", Tenant: "acme", Scopes: []string{sc.Name}}
		if err := app.Authorize(a, app.Permission(sc.Name)); err != nil {
			t.Errorf("scope %s does not grant its permission: %v", sc.Name, err)
		}
		for _, other := range auth.Scopes() {
			if other.Name != sc.Name && app.Authorize(a, app.Permission(other.Name)) == nil {
				t.Errorf("scope %s grants %s", sc.Name, other.Name)
			}
		}
		for _, p := range operator {
			if auth.IsScope(string(p)) || app.Authorize(a, p) == nil {
				t.Errorf("scope %s grants the operator permission %s", sc.Name, p)
			}
		}
	}
	for _, p := range []app.Permission{app.PermCustomersRead, app.PermCustomersWrite, app.PermScreeningRead, app.PermCasesRead,
		app.PermCasesWrite, app.PermTransactionsRead, app.PermTransactionsWrite, app.PermWebhooksWrite, app.PermAuditRead,
		app.PermListsRead, app.PermDataExport} {
		if !auth.IsScope(string(p)) {
			t.Errorf("permission %s has no registered scope", p)
		}
	}
}
