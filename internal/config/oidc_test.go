package config

import (
	"slices"
	"strings"
	"testing"
)

func TestOIDCFromEnv(t *testing.T) {
	t.Parallel()
	c, err := FromEnv(env(map[string]string{
		"KYC_OIDC_ISSUER": "https://login.bank.example/realms/staff", "KYC_OIDC_CLIENT_ID": "kyc", "KYC_OIDC_CLIENT_SECRET": "s3cret",
		"KYC_OIDC_ROLE_MAP": "kyc-mlro=mlro,kyc-analyst=analyst", "KYC_OIDC_ROLE_CLAIM": "realm_access.roles",
		"KYC_OIDC_TRUST_AMR": "mfa, hwk", "KYC_OIDC_SCOPES": "email profile groups",
	}))
	if err != nil {
		t.Fatal(err)
	}
	o := c.OIDC
	if !o.Enabled() || o.LocalLogin != "admins" || o.RoleClaim != "realm_access.roles" || !slices.Equal(o.TrustAMR, []string{"mfa", "hwk"}) ||
		!slices.Equal(o.Scopes, []string{"email", "profile", "groups"}) {
		t.Fatalf("%+v", o)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if Default().OIDC.Enabled() {
		t.Fatal("single sign-on on by default")
	}
}

// TestOIDCValidate: every bad single sign-on setting is named, and an
// issuer over plain http is refused except on the loopback interface.
func TestOIDCValidate(t *testing.T) {
	t.Parallel()
	ok := OIDC{Issuer: "https://idp.example", ClientID: "kyc", ClientSecret: "s", RoleMap: "a=analyst", LocalLogin: "admins"}
	for _, tc := range []struct {
		edit func(*OIDC)
		want string
	}{
		{func(o *OIDC) { o.Issuer = "http://idp.example" }, "KYC_OIDC_ISSUER"},
		{func(o *OIDC) { o.Issuer = "idp.example" }, "KYC_OIDC_ISSUER"},
		{func(o *OIDC) { o.ClientID = "" }, "KYC_OIDC_CLIENT_ID"},
		{func(o *OIDC) { o.ClientSecret = "" }, "KYC_OIDC_CLIENT_SECRET"},
		{func(o *OIDC) { o.RoleMap = "" }, "KYC_OIDC_ROLE_MAP"},
		{func(o *OIDC) { o.LocalLogin = "some" }, "KYC_OIDC_LOCAL_LOGIN"},
		{func(o *OIDC) { o.RedirectURL = "http://kyc.example/cb" }, "KYC_OIDC_REDIRECT_URL"},
		{func(o *OIDC) { o.Issuer = ""; o.ClientID = "kyc" }, "KYC_OIDC_ISSUER"},
	} {
		o := ok
		tc.edit(&o)
		errs := o.validate()
		if len(errs) == 0 || !strings.Contains(errs[0].Error(), tc.want) {
			t.Errorf("%+v: %v, want %s", o, errs, tc.want)
		}
	}
	if errs := ok.validate(); len(errs) != 0 {
		t.Fatal(errs)
	}
	local := ok
	local.Issuer = "http://127.0.0.1:5556/dex"
	if errs := local.validate(); len(errs) != 0 {
		t.Fatal(errs)
	}
}
