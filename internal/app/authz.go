package app

import (
	"slices"

	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/store"
)

// Permission is what an actor asks to do. An API scope (auth.Scopes, the
// one registry of scopes) grants the permission of the same name.
type Permission string

// Permissions granted by API scopes (README, section "API"), named by the
// scope registry.
const (
	PermCustomersRead     Permission = auth.ScopeCustomersRead
	PermCustomersWrite    Permission = auth.ScopeCustomersWrite
	PermScreeningRead     Permission = auth.ScopeScreeningRead
	PermCasesRead         Permission = auth.ScopeCasesRead
	PermCasesWrite        Permission = auth.ScopeCasesWrite
	PermTransactionsRead  Permission = auth.ScopeTransactionsRead
	PermTransactionsWrite Permission = auth.ScopeTransactionsWrite
	PermWebhooksWrite     Permission = auth.ScopeWebhooksWrite
	PermAuditRead         Permission = auth.ScopeAuditRead
	PermListsRead         Permission = auth.ScopeListsRead
	PermDataExport        Permission = auth.ScopeDataExport
)

// Operator permissions (the CLI and admin users); no API scope grants them.
const (
	PermListsWrite   Permission = "lists:write"
	PermClientsWrite Permission = "clients:write"
)

// Staff roles (README, "Two web faces").
const (
	RoleAnalyst = "analyst"
	RoleMLRO    = "mlro"
	RoleAuditor = "auditor"
	RoleAdmin   = "admin"
)

var rolePermissions = map[string][]Permission{
	RoleAnalyst: {PermCustomersRead, PermCustomersWrite, PermScreeningRead, PermCasesRead, PermCasesWrite, PermListsRead, PermTransactionsRead},
	RoleMLRO:    {PermCustomersRead, PermCustomersWrite, PermScreeningRead, PermCasesRead, PermCasesWrite, PermListsRead, PermAuditRead, PermTransactionsRead},
	RoleAuditor: {PermCustomersRead, PermScreeningRead, PermCasesRead, PermListsRead, PermAuditRead, PermTransactionsRead},
	RoleAdmin:   {PermListsRead, PermListsWrite, PermClientsWrite, PermWebhooksWrite, PermScreeningRead, PermUsersWrite},
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
	case domain.ActorApplicant:
		// An applicant reads and edits their own record only (checked per
		// record by canSeeCustomer).
		if perm == PermCustomersRead || perm == PermCustomersWrite {
			return nil
		}
		return domain.Errorf(domain.ECodeForbidden, "Not allowed.")
	}
	return domain.Errorf(domain.ECodeForbidden, "Not allowed.")
}

// canSeeTenant reports whether the actor may see a record of a tenant: API
// clients see their own tenant's records; staff, the operator and jobs see
// every tenant; applicants see no tenant-wide data.
func canSeeTenant(a domain.Actor, tenant string) bool {
	switch a.Type {
	case domain.ActorClient:
		return a.Tenant != "" && a.Tenant == tenant
	case domain.ActorUser, domain.ActorSystem:
		return true
	}
	return false
}

// canSeeCustomer reports whether the actor may see a customer: its tenant's
// clients, staff, jobs, and the applicant who is that customer.
//
// A record restricted by an erasure request is hidden from everyone but
// auditors (and the system's own jobs) until it is purged (GDPR art. 18;
// README, "Off-boarding and records").
func canSeeCustomer(a domain.Actor, rec store.CustomerRecord) bool {
	if rec.RestrictedAt != nil && !seesRestricted(a) {
		return false
	}
	if a.Type == domain.ActorApplicant {
		return a.ID == rec.ID
	}
	return canSeeTenant(a, rec.Tenant)
}

// seesRestricted reports whether the actor may see restricted records:
// staff auditors and system jobs.
func seesRestricted(a domain.Actor) bool {
	return a.Type == domain.ActorSystem || (a.Type == domain.ActorUser && a.Role == RoleAuditor)
}

// tenantFilter is the tenant a list must be limited to for this actor ("":
// every tenant).
func tenantFilter(a domain.Actor) string {
	if a.Type == domain.ActorClient {
		return a.Tenant
	}
	return ""
}

// tenantOf is the tenant that new records created by the actor belong to.
func tenantOf(a domain.Actor) string {
	if a.Type == domain.ActorClient && a.Tenant != "" {
		return a.Tenant
	}
	return domain.DefaultTenant
}
