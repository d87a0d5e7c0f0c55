package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
)

// OIDC configures staff single sign-on with OpenID Connect (PRODUCT.md
// section 5; README, "Staff single sign-on"). It is on when Issuer is set.
type OIDC struct {
	// Issuer is the identity provider's issuer URL (KYC_OIDC_ISSUER); its
	// discovery document is read at the first sign-in.
	Issuer string
	// ClientID and ClientSecret are kyc's client registration at the
	// provider (KYC_OIDC_CLIENT_ID, KYC_OIDC_CLIENT_SECRET).
	ClientID     string
	ClientSecret string
	// RedirectURL is the callback registered at the provider
	// (KYC_OIDC_REDIRECT_URL; default: the public URL +
	// /staff/sso/callback).
	RedirectURL string
	// Scopes are asked for besides openid (KYC_OIDC_SCOPES, default
	// "email profile").
	Scopes []string
	// RoleClaim is the ID-token claim with the user's groups or roles
	// (KYC_OIDC_ROLE_CLAIM, default groups; a dotted name reaches into an
	// object, e.g. realm_access.roles).
	RoleClaim string
	// RoleMap maps claim values to kyc roles (KYC_OIDC_ROLE_MAP, e.g.
	// "kyc-mlro=mlro,kyc-analyst=analyst"; the first match wins). The
	// roles are checked when the application is wired (app.ParseRoleMap).
	RoleMap string
	// LocalLogin says who may still sign in with a local password
	// (KYC_OIDC_LOCAL_LOGIN: admins, the default, for a break-glass admin;
	// all; none).
	LocalLogin string
	// TrustAMR and TrustACR are the amr and acr values that count as a
	// second factor done at the provider (KYC_OIDC_TRUST_AMR, e.g.
	// "mfa,hwk,otp"; KYC_OIDC_TRUST_ACR). Empty: staff also give the kyc
	// TOTP code as after a password.
	TrustAMR []string
	TrustACR []string
}

// Enabled reports whether single sign-on is configured.
func (o OIDC) Enabled() bool { return o.Issuer != "" }

func oidcFromEnv(getenv func(string) string, o *OIDC) {
	set := func(name string, dst *string) {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			*dst = v
		}
	}
	set("KYC_OIDC_ISSUER", &o.Issuer)
	set("KYC_OIDC_CLIENT_ID", &o.ClientID)
	set("KYC_OIDC_CLIENT_SECRET", &o.ClientSecret)
	set("KYC_OIDC_REDIRECT_URL", &o.RedirectURL)
	set("KYC_OIDC_ROLE_CLAIM", &o.RoleClaim)
	set("KYC_OIDC_ROLE_MAP", &o.RoleMap)
	set("KYC_OIDC_LOCAL_LOGIN", &o.LocalLogin)
	if v := getenv("KYC_OIDC_SCOPES"); v != "" {
		o.Scopes = strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' })
	}
	if v := getenv("KYC_OIDC_TRUST_AMR"); v != "" {
		o.TrustAMR = splitList(v)
	}
	if v := getenv("KYC_OIDC_TRUST_ACR"); v != "" {
		o.TrustACR = splitList(v)
	}
}

// secureURL checks an absolute https URL (http only on a loopback host,
// for development and tests).
func secureURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("%q is not an absolute https URL", raw)
	}
	if u.Scheme == "http" {
		host := u.Hostname()
		ip := net.ParseIP(host)
		if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return fmt.Errorf("%q must use https (http only on localhost)", raw)
		}
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%q must have no query or fragment", raw)
	}
	return nil
}

func (o OIDC) validate() []error {
	if !o.Enabled() {
		var set []string
		for name, v := range map[string]string{"KYC_OIDC_CLIENT_ID": o.ClientID, "KYC_OIDC_CLIENT_SECRET": o.ClientSecret, "KYC_OIDC_ROLE_MAP": o.RoleMap} {
			if v != "" {
				set = append(set, name)
			}
		}
		if len(set) > 0 {
			slices.Sort(set)
			return []error{fmt.Errorf("KYC_OIDC_ISSUER: single sign-on needs the issuer URL (%s set without it)", strings.Join(set, ", "))}
		}
		return nil
	}
	var errs []error
	if err := secureURL(o.Issuer); err != nil {
		errs = append(errs, fmt.Errorf("KYC_OIDC_ISSUER: %w", err))
	}
	if o.ClientID == "" {
		errs = append(errs, errors.New("KYC_OIDC_CLIENT_ID: single sign-on needs the client id registered at the identity provider"))
	}
	if o.ClientSecret == "" {
		errs = append(errs, errors.New("KYC_OIDC_CLIENT_SECRET: single sign-on needs the client secret registered at the identity provider"))
	}
	if o.RoleMap == "" {
		errs = append(errs, errors.New("KYC_OIDC_ROLE_MAP: map at least one value of the role claim to a kyc role, e.g. kyc-analyst=analyst"))
	}
	if o.RedirectURL != "" {
		if err := secureURL(o.RedirectURL); err != nil {
			errs = append(errs, fmt.Errorf("KYC_OIDC_REDIRECT_URL: %w", err))
		}
	}
	if !slices.Contains([]string{"admins", "all", "none"}, o.LocalLogin) {
		errs = append(errs, fmt.Errorf("KYC_OIDC_LOCAL_LOGIN: %q must be admins, all or none", o.LocalLogin))
	}
	if slices.Contains(o.Scopes, "") {
		errs = append(errs, errors.New("KYC_OIDC_SCOPES: empty scope"))
	}
	return errs
}
