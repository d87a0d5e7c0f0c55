package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSecretsFromFiles: KYC_MASTER_KEY_FILE, KYC_DATABASE_URL_FILE and
// KYC_IDENTITY_SECRET_FILE read a secret from a file (Compose secrets,
// systemd credentials) so it never sits in the environment; setting both
// forms, a missing file or an empty one is refused naming the setting and
// never the content.
func TestSecretsFromFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, v string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(v), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	key := write("key", "  c2VjcmV0LWtleS1zZWNyZXQta2V5LXNlY3JldC1rZXk=\n")
	url := write("url", "postgres://kyc:pw@db:5432/kyc\n")
	c, err := FromEnv(env(map[string]string{"KYC_MASTER_KEY_FILE": key, "KYC_DATABASE_URL_FILE": url}))
	if err != nil {
		t.Fatal(err)
	}
	if c.MasterKey != "c2VjcmV0LWtleS1zZWNyZXQta2V5LXNlY3JldC1rZXk=" || c.DatabaseURL != "postgres://kyc:pw@db:5432/kyc" {
		t.Fatalf("values read: key %q url %q", c.MasterKey, c.DatabaseURL)
	}
	for _, bad := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"KYC_MASTER_KEY": "x", "KYC_MASTER_KEY_FILE": key}, "KYC_MASTER_KEY and KYC_MASTER_KEY_FILE are both set"},
		{map[string]string{"KYC_IDENTITY_SECRET_FILE": filepath.Join(dir, "missing")}, "KYC_IDENTITY_SECRET_FILE"},
		{map[string]string{"KYC_DATABASE_URL_FILE": write("empty", "\n")}, "KYC_DATABASE_URL_FILE"},
	} {
		_, err := FromEnv(env(bad.env))
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%v: got %v, want an error naming %q", bad.env, err, bad.want)
		}
		if err != nil && strings.Contains(err.Error(), "c2VjcmV0") {
			t.Errorf("the error shows the secret: %v", err)
		}
	}
}
