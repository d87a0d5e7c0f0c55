package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kyc-platform/kyc/internal/config"
)

// Issue 14, item 3: every command and subcommand answers -h and --help
// with its help on standard output and exit status 0, and touches no
// database (the data directory given does not exist).
func TestHelpOfEveryCommand(t *testing.T) {
	t.Parallel()
	env := map[string]string{"KYC_DATA_DIR": "/nonexistent/kyc-help-test"}
	type invocation struct {
		args []string
		want string
	}
	var cases []invocation
	for _, c := range commands() {
		for _, h := range []string{"-h", "--help"} {
			cases = append(cases, invocation{[]string{c.name, h}, "Usage: kyc " + c.name})
		}
		cases = append(cases, invocation{[]string{"help", c.name}, "Usage: kyc " + c.name})
		for _, s := range c.subs {
			for _, h := range []string{"-h", "--help"} {
				cases = append(cases, invocation{[]string{c.name, s.name, h}, "Usage: kyc " + c.name + " " + s.name})
			}
			cases = append(cases, invocation{[]string{"help", c.name, s.name}, "Usage: kyc " + c.name + " " + s.name})
		}
	}
	cases = append(cases, invocation{[]string{"--help"}, "Usage: kyc COMMAND"}, invocation{[]string{"-h"}, "Usage: kyc COMMAND"}, invocation{[]string{"help"}, "Usage: kyc COMMAND"})
	for _, tt := range cases {
		out, errs, code := runCLIEnv(t, env, tt.args...)
		if code != 0 || errs != "" || !strings.Contains(out, tt.want) {
			t.Errorf("kyc %s: exit %d, stderr %q, stdout %q (want %q)", strings.Join(tt.args, " "), code, errs, out, tt.want)
		}
	}
	// A subcommand's help lists its flags; a parent's lists its subcommands.
	if out, _, _ := runCLIEnv(t, env, "client", "create", "--help"); !strings.Contains(out, "-scopes") || !strings.Contains(out, "-json") {
		t.Errorf("client create --help lists no flags: %s", out)
	}
	if out, _, _ := runCLIEnv(t, env, "client", "--help"); !strings.Contains(out, "rotate-secret") || !strings.Contains(out, "disable") {
		t.Errorf("client --help lists no subcommands: %s", out)
	}
	// Help works even with a bad setting in the environment.
	bad := map[string]string{"KYC_DATA_DIR": "/nonexistent", "KYC_LOG_FORMAT": "xml"}
	if out, errs, code := runCLIEnv(t, bad, "serve", "--help"); code != 0 || !strings.Contains(out, "Usage: kyc serve") {
		t.Errorf("serve --help with a bad setting: exit %d %s %s", code, out, errs)
	}
}

// kyc serve --help lists every setting the configuration reads, with its
// environment variable (and its flag where there is one).
func TestServeHelpListsEverySetting(t *testing.T) {
	t.Parallel()
	out, _, code := runCLIEnv(t, map[string]string{}, "serve", "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	names := settingNames()
	if len(names) < 40 {
		t.Fatalf("only %d settings found: %v", len(names), names)
	}
	for _, n := range append(names, "KYC_TOKEN_AUDIENCE", "KYC_IDENTITY_PROVIDER", "KYC_SHUTDOWN_TIMEOUT", "KYC_CASE_SLA", "KYC_HIT_SLA", "KYC_MAX_DOCUMENTS_PER_CUSTOMER") {
		if !strings.Contains(out, n) {
			t.Errorf("kyc serve --help does not list %s", n)
		}
	}
	if !strings.Contains(out, "\n  KYC_ADDR (--addr)\n      listen address\n      Default: 127.0.0.1:8080\n") {
		t.Errorf("the flag and default of KYC_ADDR are not named: %s", out)
	}
	// Each setting with its description from config.Settings, the
	// Markdown made plain and wrapped under it.
	for _, s := range config.Settings() {
		i := strings.Index(out, "\n  "+s.Name)
		if i < 0 {
			t.Errorf("%s is not listed as a setting", s.Name)
			continue
		}
		block, _, _ := strings.Cut(out[i+1:], "\n\n")
		words := strings.Fields(plainText(s.Doc))
		if got := strings.Join(strings.Fields(block), " "); !strings.Contains(got, strings.Join(words, " ")) {
			t.Errorf("%s: the description is not under it: %q", s.Name, block)
		}
		for _, line := range strings.Split(block, "\n") {
			if utf8.RuneCountInString(line) > 80 && strings.Contains(strings.TrimSpace(line), " ") {
				t.Errorf("%s: line longer than 80 columns: %q", s.Name, line)
			}
		}
	}
	if strings.Contains(out, "`") {
		t.Error("Markdown code spans in the help")
	}
}

// Errors go to standard error with a non-zero status, 2 for bad usage;
// --version and --json behave as the Go CLIs people know.
func TestUsageErrorsAndVersion(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{"KYC_DATA_DIR": dir}
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "Usage: kyc COMMAND"},
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"client"}, 2, "a subcommand is required"},
		{[]string{"client", "frobnicate"}, 2, "unknown subcommand"},
		{[]string{"audit"}, 2, "verify"},
		{[]string{"keys", "rotate", "--nope"}, 2, "flag provided but not defined: -nope"},
		{[]string{"version", "--nope"}, 2, "-nope"},
		{[]string{"migrate", "extra"}, 2, "unexpected argument"},
		{[]string{"client", "disable"}, 2, "CLIENT_ID"},
		{[]string{"help", "frobnicate"}, 2, "unknown command"},
	} {
		out, errs, code := runCLIEnv(t, env, tt.args...)
		if code != tt.code || out != "" || !strings.Contains(errs, tt.want) {
			t.Errorf("kyc %v: exit %d (want %d), stdout %q, stderr %q (want %q)", tt.args, code, tt.code, out, errs, tt.want)
		}
	}
	for _, args := range [][]string{{"--version"}, {"version"}} {
		out, errs, code := runCLIEnv(t, env, args...)
		if code != 0 || errs != "" || out != "kyc "+Version+"\n" {
			t.Errorf("kyc %v: exit %d %q %q", args, code, out, errs)
		}
	}
	for _, args := range [][]string{{"version", "--json"}, {"--version", "--json"}} {
		out, _, code := runCLIEnv(t, env, args...)
		var v struct {
			Version   string `json:"version"`
			GoVersion string `json:"go_version"`
		}
		if code != 0 || json.Unmarshal([]byte(out), &v) != nil || v.Version != Version || v.GoVersion == "" {
			t.Errorf("kyc %v: exit %d %q", args, code, out)
		}
	}
	out, errs, code := runCLIEnv(t, env, "migrate", "--json")
	var m struct {
		Version int64  `json:"version"`
		Latest  int64  `json:"latest"`
		Engine  string `json:"engine"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &m) != nil || m.Version == 0 || m.Version != m.Latest || m.Engine != "sqlite" {
		t.Errorf("migrate --json: exit %d %q %s", code, out, errs)
	}
}
