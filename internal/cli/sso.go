package cli

import (
	"fmt"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/auth"
	"github.com/kyc-platform/kyc/internal/config"
	"github.com/kyc-platform/kyc/internal/routes"
)

// ssoConfig wires staff single sign-on from KYC_OIDC_* (off without an
// issuer): the relying party (auth.OIDC, which discovers the provider at
// the first sign-in, so a provider that is down does not stop kyc) and the
// sign-in rules of app.SSOConfig.
func ssoConfig(cfg config.Config) (app.SSOConfig, error) {
	o := cfg.OIDC
	if !o.Enabled() {
		return app.SSOConfig{}, nil
	}
	roles, err := app.ParseRoleMap(o.RoleMap)
	if err != nil {
		return app.SSOConfig{}, fmt.Errorf("KYC_OIDC_ROLE_MAP: %w", err)
	}
	redirect := o.RedirectURL
	if redirect == "" {
		redirect = cfg.PublicURL() + routes.StaffSSOCallback
	}
	p, err := auth.NewOIDC(auth.OIDCConfig{
		Issuer: o.Issuer, ClientID: o.ClientID, ClientSecret: o.ClientSecret, RedirectURL: redirect,
		Scopes: o.Scopes, RoleClaim: o.RoleClaim,
	})
	if err != nil {
		return app.SSOConfig{}, fmt.Errorf("KYC_OIDC_ISSUER: %w", err)
	}
	return app.SSOConfig{Provider: p, RoleMap: roles, TrustAMR: o.TrustAMR, TrustACR: o.TrustACR, LocalSignIn: o.LocalLogin}, nil
}
