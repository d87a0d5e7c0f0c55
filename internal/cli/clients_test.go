package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// Issue 12, item 8: kyc client list|disable|enable|rotate-secret|delete, on
// both engines; the new secret is printed once, a deleted client is gone.
func TestClientCommands(t *testing.T) {
	t.Parallel()
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			env := engineEnv(t, engine)
			run := func(want int, args ...string) string {
				t.Helper()
				out, errs, code := runCLIEnv(t, env, args...)
				if code != want {
					t.Fatalf("kyc %v: exit %d (want %d): %s %s", args, code, want, out, errs)
				}
				return out + errs
			}
			out := run(0, "client", "list")
			if !strings.Contains(out, "no API clients") {
				t.Fatalf("empty list: %s", out)
			}
			var nc struct {
				ClientID     string `json:"client_id"`
				ClientSecret string `json:"client_secret"`
			}
			if err := json.Unmarshal([]byte(run(0, "client", "create", "--name", "core banking", "--scopes", "customers:read", "--json")), &nc); err != nil {
				t.Fatal(err)
			}
			out = run(0, "client", "list")
			for _, s := range []string{"CLIENT ID", "LAST USED", nc.ClientID, "core banking", "customers:read", "never", "no"} {
				if !strings.Contains(out, s) {
					t.Fatalf("list lacks %q: %s", s, out)
				}
			}
			if strings.Contains(out, nc.ClientSecret) {
				t.Fatal("list shows the secret")
			}
			run(0, "client", "disable", nc.ClientID)
			var list struct {
				Clients []struct {
					ID       string   `json:"id"`
					Name     string   `json:"name"`
					Scopes   []string `json:"scopes"`
					Disabled bool     `json:"disabled"`
					Created  string   `json:"created_at"`
					LastUsed *string  `json:"last_used_at"`
				} `json:"clients"`
			}
			if err := json.Unmarshal([]byte(run(0, "client", "list", "--json")), &list); err != nil {
				t.Fatal(err)
			}
			if len(list.Clients) != 1 || !list.Clients[0].Disabled || list.Clients[0].ID != nc.ClientID || list.Clients[0].Created == "" || list.Clients[0].LastUsed != nil {
				t.Fatalf("list --json: %+v", list)
			}
			run(0, "client", "enable", nc.ClientID)
			out = run(0, "client", "rotate-secret", nc.ClientID)
			if !strings.Contains(out, "client_secret: kyc_cs_") || strings.Contains(out, nc.ClientSecret) || !strings.Contains(out, "shown only now") {
				t.Fatalf("rotate-secret: %s", out)
			}
			var rot struct {
				ClientSecret string `json:"client_secret"`
			}
			if err := json.Unmarshal([]byte(run(0, "client", "rotate-secret", nc.ClientID, "--json")), &rot); err != nil || !strings.HasPrefix(rot.ClientSecret, "kyc_cs_") {
				t.Fatalf("rotate-secret --json: %+v %v", rot, err)
			}
			run(0, "client", "delete", nc.ClientID)
			if out := run(1, "client", "disable", nc.ClientID); !strings.Contains(out, "No such API client") {
				t.Fatalf("disable a deleted client: %s", out)
			}
			run(1, "client", "rotate-secret", "kyc_ci_nope")
			run(2, "client", "delete")
			if out := run(0, "client", "list", "--json"); !strings.Contains(out, `"clients": []`) {
				t.Fatalf("deleted client listed: %s", out)
			}
			if out := run(0, "audit", "verify"); !strings.Contains(out, "audit chain OK") {
				t.Fatalf("audit verify: %s", out)
			}
		})
	}
}
