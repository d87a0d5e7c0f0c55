package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/store/testdb"
	"github.com/kyc-platform/kyc/internal/vault"
)

// runCLIEnv runs the command line in-process with the given environment.
func runCLIEnv(t *testing.T, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), &Env{
		Args: append([]string{"kyc"}, args...), Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] },
	})
	return out.String(), errb.String(), code
}

// engineEnv is the environment of a fresh database of an engine: SQLite in
// the data directory, or a PostgreSQL schema of its own (the data directory
// then holds only the key file).
func engineEnv(t *testing.T, engine string) map[string]string {
	env := map[string]string{"KYC_DATA_DIR": t.TempDir()}
	if engine == testdb.Postgres {
		env["KYC_DATABASE_URL"] = testdb.PostgresURL(t)
	}
	return env
}

// Issue 12, item 6: a lost master.key must not be silently replaced by a
// new one (CLI commands then wrote data under it, and once the real key
// came back the pages answered 500 for good), and a wrong key must not run.
func TestMasterKeyCheckValue(t *testing.T) {
	t.Parallel()
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			env := engineEnv(t, engine)
			keyFile := vault.KeyFilePath(env["KYC_DATA_DIR"])
			if _, errs, code := runCLIEnv(t, env, "client", "create", "--name", "core", "--scopes", "all"); code != 0 {
				t.Fatalf("first use: exit %d: %s", code, errs)
			}
			key, err := os.ReadFile(keyFile)
			if err != nil {
				t.Fatalf("first use on an empty database creates the key file: %v", err)
			}

			// The key file is gone: refuse, explain, and create nothing.
			if err := os.Remove(keyFile); err != nil {
				t.Fatal(err)
			}
			if _, errs, code := runCLIEnv(t, env, "migrate"); code != 0 {
				t.Fatalf("migrate needs no key: exit %d: %s", code, errs)
			}
			for _, args := range [][]string{{"client", "list"}, {"client", "create", "--name", "other", "--scopes", "all"}, {"audit", "verify"}} {
				out, errs, code := runCLIEnv(t, env, args...)
				if code != 1 || !strings.Contains(errs, "KYC_MASTER_KEY") || !strings.Contains(errs, keyFile) || out != "" {
					t.Fatalf("kyc %v without the key: exit %d, stdout %q, stderr %q", args, code, out, errs)
				}
				if _, err := os.Stat(keyFile); !os.IsNotExist(err) {
					t.Fatalf("kyc %v created a new key next to existing data (%v)", args, err)
				}
			}

			// Another key, from the environment: refused, naming the mismatch.
			env["KYC_MASTER_KEY"] = vault.GenerateKey()
			_, errs, code := runCLIEnv(t, env, "client", "list")
			if code != 1 || !strings.Contains(errs, "not the one the database's data was written with") || !strings.Contains(errs, "KYC_MASTER_KEY") {
				t.Fatalf("wrong key: exit %d: %s", code, errs)
			}
			// kyc serve refuses to start.
			env["KYC_ADDR"] = "127.0.0.1:0"
			if _, errs, code := runCLIEnv(t, env, "serve", "--no-workers"); code != 1 || !strings.Contains(errs, "key check value differs") {
				t.Fatalf("serve with a wrong key: exit %d: %s", code, errs)
			}
			delete(env, "KYC_ADDR")
			// kyc migrate needs no key, but refuses a wrong one.
			if _, errs, code := runCLIEnv(t, env, "migrate"); code != 1 || !strings.Contains(errs, "key check value differs") {
				t.Fatalf("migrate with a wrong key: exit %d: %s", code, errs)
			}
			// Another key file: refused too.
			delete(env, "KYC_MASTER_KEY")
			if err := os.WriteFile(keyFile, []byte(vault.GenerateKey()+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, errs, code := runCLIEnv(t, env, "client", "list"); code != 1 || !strings.Contains(errs, "key check value differs") {
				t.Fatalf("wrong key file: exit %d: %s", code, errs)
			}
			// The right key back, in the file or in the environment: it runs,
			// and the data written before is there.
			if err := os.WriteFile(keyFile, key, 0o600); err != nil {
				t.Fatal(err)
			}
			if out, errs, code := runCLIEnv(t, env, "client", "list"); code != 0 || !strings.Contains(out, "core") {
				t.Fatalf("right key file: exit %d: %s %s", code, out, errs)
			}
			os.Remove(keyFile)
			env["KYC_MASTER_KEY"] = strings.TrimSpace(string(key))
			if out, errs, code := runCLIEnv(t, env, "client", "list"); code != 0 || !strings.Contains(out, "core") {
				t.Fatalf("right key in KYC_MASTER_KEY: exit %d: %s %s", code, out, errs)
			}
			if _, err := os.Stat(keyFile); !os.IsNotExist(err) {
				t.Fatalf("a key file was created although KYC_MASTER_KEY is set (%v)", err)
			}
		})
	}
}

// A database written before key check values existed gets its check value
// only after the key proved it opens the stored token-signing keys: a wrong
// key is refused there too, and the right one records the value.
func TestMasterKeyCheckLegacyDatabase(t *testing.T) {
	t.Parallel()
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			env := engineEnv(t, engine)
			env["KYC_MASTER_KEY"] = vault.GenerateKey()
			if _, errs, code := runCLIEnv(t, env, "keys", "rotate"); code != 0 {
				t.Fatalf("keys rotate: exit %d: %s", code, errs)
			}
			forget := func() {
				t.Helper()
				cfg, _, err := loadConfig(&Env{Getenv: func(k string) string { return env[k] }}, "test", nil, nil)
				if err != nil {
					t.Fatal(err)
				}
				st, _, err := openStore(context.Background(), cfg, false)
				if err != nil {
					t.Fatal(err)
				}
				defer st.Close()
				if _, err := st.DB().Exec("DELETE FROM master_key_check"); err != nil {
					t.Fatal(err)
				}
			}
			forget()
			right := env["KYC_MASTER_KEY"]
			env["KYC_MASTER_KEY"] = vault.GenerateKey()
			if _, errs, code := runCLIEnv(t, env, "client", "list"); code != 1 || !strings.Contains(errs, "cannot open the database's token-signing key") {
				t.Fatalf("wrong key on a legacy database: exit %d: %s", code, errs)
			}
			// Legacy data without a key anywhere: refused, no key created.
			delete(env, "KYC_MASTER_KEY")
			if _, errs, code := runCLIEnv(t, env, "client", "list"); code != 1 || !strings.Contains(errs, "KYC_MASTER_KEY") {
				t.Fatalf("no key on a legacy database: exit %d: %s", code, errs)
			}
			if _, err := os.Stat(filepath.Join(env["KYC_DATA_DIR"], vault.KeyFileName)); !os.IsNotExist(err) {
				t.Fatalf("a key was created next to legacy data (%v)", err)
			}
			env["KYC_MASTER_KEY"] = right
			if _, errs, code := runCLIEnv(t, env, "client", "list"); code != 0 {
				t.Fatalf("right key on a legacy database: exit %d: %s", code, errs)
			}
			env["KYC_MASTER_KEY"] = vault.GenerateKey()
			if _, errs, code := runCLIEnv(t, env, "client", "list"); code != 1 || !strings.Contains(errs, "key check value differs") {
				t.Fatalf("the check value was not recorded: exit %d: %s", code, errs)
			}
		})
	}
}
