package auth

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestOIDCRoleClaim(t *testing.T) {
	var claims map[string]json.RawMessage
	if err := json.Unmarshal([]byte(`{"groups":["a","b","a",3,""],"role":"mlro","realm_access":{"roles":["kyc-analyst"]},"odd":{"x":1},"dot.ted":["direct"]}`), &claims); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]string{
		"groups":             {"a", "b"},
		"role":               {"mlro"},
		"realm_access.roles": {"kyc-analyst"},
		"dot.ted":            {"direct"},
		"odd":                nil,
		"odd.x":              nil,
		"missing":            nil,
		"missing.path":       nil,
	} {
		if got := stringsClaim(claimAt(claims, name)); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
}

func TestNewOIDCNeedsSettings(t *testing.T) {
	if _, err := NewOIDC(OIDCConfig{Issuer: "https://idp.example", ClientID: "kyc"}); err == nil {
		t.Fatal("no redirect URL accepted")
	}
	o, err := NewOIDC(OIDCConfig{Issuer: "https://idp.example", ClientID: "kyc", RedirectURL: "https://kyc.example/staff/sso/callback"})
	if err != nil || o.cfg.RoleClaim != "groups" || o.cfg.Timeout <= 0 || o.Issuer() != "https://idp.example" {
		t.Fatalf("%+v %v", o, err)
	}
}
