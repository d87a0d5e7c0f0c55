package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
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
			run(0, "client", "delete", nc.ClientID, "--yes")
			if out := run(1, "client", "disable", nc.ClientID); !strings.Contains(out, "No such API client") {
				t.Fatalf("disable a deleted client: %s", out)
			}
			run(1, "client", "rotate-secret", "kyc_ci_nope")
			run(2, "client", "delete", "--yes")
			if out := run(0, "client", "list", "--json"); !strings.Contains(out, `"clients": []`) {
				t.Fatalf("deleted client listed: %s", out)
			}
			if out := run(0, "audit", "verify"); !strings.Contains(out, "audit chain OK") {
				t.Fatalf("audit verify: %s", out)
			}
		})
	}
}

// kyc client delete cannot be undone: it asks on a terminal, and without
// one (a script, a pipe) it refuses unless --yes says so, with the usage
// exit status 2 and nothing deleted; an answer other than yes deletes
// nothing either (exit status 1).
func TestClientDeleteConfirmation(t *testing.T) {
	t.Parallel()
	env := engineEnv(t, testdb.SQLite)
	withStdin := func(stdin io.Reader, args ...string) (string, int) {
		t.Helper()
		var out, errb bytes.Buffer
		code := Run(context.Background(), &Env{
			Args: append([]string{"kyc"}, args...), Stdin: stdin, Stdout: &out, Stderr: &errb,
			Getenv: func(k string) string { return env[k] },
		})
		return out.String() + errb.String(), code
	}
	var nc struct {
		ClientID string `json:"client_id"`
	}
	out, code := withStdin(strings.NewReader(""), "client", "create", "--name", "core banking", "--scopes", "customers:read", "--json")
	if code != 0 || json.Unmarshal([]byte(out), &nc) != nil {
		t.Fatalf("create: %d %s", code, out)
	}
	listed := func() bool {
		out, _ := withStdin(strings.NewReader(""), "client", "list")
		return strings.Contains(out, nc.ClientID)
	}

	// Not a terminal, no --yes: refused, even with "yes" on the pipe.
	out, code = withStdin(strings.NewReader("yes\n"), "client", "delete", nc.ClientID)
	if code != 2 || !strings.Contains(out, "--yes") || !strings.Contains(out, "not a terminal") || !listed() {
		t.Fatalf("non-interactive delete without --yes: exit %d, listed %v: %s", code, listed(), out)
	}
	// A terminal answering no: nothing deleted, exit 1.
	out, code = withStdin(fakeTerminal{strings.NewReader("no\n")}, "client", "delete", nc.ClientID)
	if code != 1 || !strings.Contains(out, "Delete API client "+nc.ClientID+"?") || !strings.Contains(out, "not confirmed") || !listed() {
		t.Fatalf("answered no: exit %d, listed %v: %s", code, listed(), out)
	}
	// A terminal closed without an answer: nothing deleted.
	if out, code = withStdin(fakeTerminal{strings.NewReader("")}, "client", "delete", nc.ClientID); code != 1 || !listed() {
		t.Fatalf("no answer: exit %d: %s", code, out)
	}
	// A terminal answering yes: deleted.
	out, code = withStdin(fakeTerminal{strings.NewReader("yes\n")}, "client", "delete", nc.ClientID)
	if code != 0 || !strings.Contains(out, "deleted") || listed() {
		t.Fatalf("answered yes: exit %d, listed %v: %s", code, listed(), out)
	}
}

// fakeTerminal is standard input that says it is a terminal (a character
// device), as os.Stdin does in an interactive shell.
type fakeTerminal struct{ io.Reader }

func (fakeTerminal) Stat() (os.FileInfo, error) { return charDevice{}, nil }

type charDevice struct{ os.FileInfo }

func (charDevice) Mode() os.FileMode { return os.ModeDevice | os.ModeCharDevice | 0o620 }
