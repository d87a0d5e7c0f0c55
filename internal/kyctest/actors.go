package kyctest

import (
	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/domain"
)

// The tenants of the test actors.
const (
	Tenant      = "acme"
	OtherTenant = "globex"
)

// The actors of tests. Client actors need no database row (the
// application trusts the verified token they stand for); staff users that
// sign in do: create them with StaffUser.
var (
	// Client is an API client of Tenant holding every scope.
	Client = ClientActor("kyc_ci_a", Tenant, auth.AllScopes()...)
	// SecondClient is another client of Tenant holding every scope: the
	// second pair of eyes of a four-eyes decision.
	SecondClient = ClientActor("kyc_ci_b", Tenant, auth.AllScopes()...)
	// ReadOnly is a client of Tenant that may only read customers.
	ReadOnly = ClientActor("kyc_ci_r", Tenant, "customers:read")
	// Outsider is a client of OtherTenant holding every scope: it must
	// never see a record of Tenant.
	Outsider = ClientActor("kyc_ci_o", OtherTenant, auth.AllScopes()...)
	// Operator is whoever runs the command line on the machine.
	Operator = domain.SystemActor("cli:test")
)

// ClientActor returns an API client actor of tenant with the scopes.
func ClientActor(id, tenant string, scopes ...string) domain.Actor {
	return domain.Actor{Type: domain.ActorClient, ID: id, Tenant: tenant, Scopes: scopes}
}

// StaffActor returns a staff actor of the role (app.RoleAnalyst, …) with
// no user row behind it: enough for use cases that authorize by role.
func StaffActor(id, role string) domain.Actor {
	return domain.Actor{Type: domain.ActorUser, ID: id, Role: role}
}
