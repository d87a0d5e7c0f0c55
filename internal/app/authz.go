package app

import (
	"slices"

	"github.com/kyc-platform/kyc/internal/domain"
)

// Permission is what an actor asks to do; API scopes carry the same names.
type Permission string

// Permissions (and API scopes, PRODUCT.md section 9).
const (
	PermCustomersRead     Permission = "customers:read"
	PermCustomersWrite    Permission = "customers:write"
	PermScreeningRead     Permission = "screening:read"
	PermCasesRead         Permission = "cases:read"
	PermCasesWrite        Permission = "cases:write"
	PermTransactionsWrite Permission = "transactions:write"
	PermWebhooksWrite     Permission = "webhooks:write"
	PermAuditRead         Permission = "audit:read"
	PermListsRead         Permission = "lists:read"
	// PermListsWrite and PermClientsWrite are operator permissions (CLI and
	// admin users); no API scope grants them.
	PermListsWrite   Permission = "lists:write"
	PermClientsWrite Permission = "clients:write"
)

// Staff roles (PRODUCT.md section 1).
const (
	RoleAnalyst = "analyst"
	RoleMLRO    = "mlro"
	RoleAuditor = "auditor"
	RoleAdmin   = "admin"
)

var rolePermissions = map[string][]Permission{
	RoleAnalyst: {PermCustomersRead, PermCustomersWrite, PermScreeningRead, PermCasesRead, PermCasesWrite, PermListsRead},
	RoleMLRO:    {PermCustomersRead, PermCustomersWrite, PermScreeningRead, PermCasesRead, PermCasesWrite, PermListsRead, PermAuditRead},
	RoleAuditor: {PermCustomersRead, PermScreeningRead, PermCasesRead, PermListsRead, PermAuditRead},
	RoleAdmin:   {PermListsRead, PermListsWrite, PermClientsWrite, PermWebhooksWrite, PermScreeningRead},
}

// Authorize returns a forbidden error unless the actor holds perm.
func Authorize(a domain.Actor, perm Permission) error {
	switch a.Type {
	case domain.ActorSystem:
		return nil
	case domain.ActorClient:
		if slices.Contains(a.Scopes, string(perm)) {
			return nil
		}
		return domain.Errorf(domain.ECodeForbidden, "This client lacks the %s scope.", perm)
	case domain.ActorUser:
		if slices.Contains(rolePermissions[a.Role], perm) {
			return nil
		}
		return domain.Errorf(domain.ECodeForbidden, "The %s role may not do this.", a.Role)
	}
	return domain.Errorf(domain.ECodeForbidden, "Not allowed.")
}

// canSeeCustomer reports whether the actor may see a customer: API clients
// see the customers they created, staff and jobs see all.
func canSeeCustomer(a domain.Actor, ownerClientID string) bool {
	if a.Type == domain.ActorClient {
		return ownerClientID == a.ID
	}
	return a.Type == domain.ActorUser || a.Type == domain.ActorSystem
}
