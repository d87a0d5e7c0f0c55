// Package cli implements the kyc command line and is the composition root:
// the only place that chooses adapters (SQLite or PostgreSQL, providers,
// list parsers) and wires them into the use cases.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strings"
)

// Version is the build version, set with -ldflags "-X …/cli.Version=…".
var Version = "dev"

// Env is what a command runs with: arguments, streams and environment.
type Env struct {
	Args   []string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

type command struct {
	name    string
	summary string
	// args is the positional part of the synopsis of a command without
	// subcommands ("NAME", "FILE…").
	args string
	// subs are the subcommands; the first argument must name one.
	subs []subcommand
	run  func(ctx context.Context, e *Env, args []string) error
}

// subcommand is one subcommand, for help and for the dispatch.
type subcommand struct {
	name, args, summary string
}

func commands() []command {
	return []command{
		{name: "serve", summary: "Serve the API, the hosted pages and the back office, and run background jobs", run: runServe},
		{name: "migrate", summary: "Apply database migrations", run: runMigrate},
		{name: "client", summary: "Manage API clients", subs: []subcommand{
			{"create", "", "create a client (--name, --scopes); prints its id and secret once"},
			{"list", "", "list clients: id, name, tenant, scopes, created, last used, disabled"},
			{"disable", "CLIENT_ID", "disable a client: no new tokens, its tokens refused from the next request"},
			{"enable", "CLIENT_ID", "enable a disabled client again"},
			{"rotate-secret", "CLIENT_ID", "give a client a new secret, printed once; the old secret and its tokens stop working"},
			{"delete", "CLIENT_ID", "delete a client: no new tokens, its tokens refused from the next request"},
		}, run: runClient},
		{name: "lists", summary: "Manage sanctions lists", subs: []subcommand{
			{"import", "FILE…", "load a list edition from its official files (--source)"},
			{"sync", "", "fetch the configured lists from their official URLs"},
		}, run: runLists},
		{name: "screen", args: "NAME", summary: "Screen a name against the loaded lists (or every name of --file)", run: runScreen},
		{name: "audit", summary: "Audit trail", subs: []subcommand{
			{"verify", "", "recompute the hash chain and name the first broken link"},
			{"checkpoint", "", "print a signed head of the chain to keep elsewhere"},
		}, run: runAudit},
		{name: "keys", summary: "Token-signing keys", subs: []subcommand{
			{"rotate", "", "sign new tokens with a new key; old keys stay in the JWKS until their tokens expire"},
		}, run: runKeys},
		{name: "user", summary: "Staff users", subs: []subcommand{
			{"create", "", "create a staff user (--email, --role); prints a one-time password unless --password-stdin"},
		}, run: runUser},
		{name: "transactions", summary: "Transactions", subs: []subcommand{
			{"import", "FILE", "import a CSV or NDJSON file of transactions, monitored as the API does"},
		}, run: runTransactions},
		{name: "risk", summary: "Risk model", subs: []subcommand{
			{"validate", "FILE", "check a risk model file as kyc serve would load it"},
			{"backtest", "FILE", "rate the current customers with a model and compare"},
		}, run: runRisk},
		{name: "rules", summary: "Monitoring rules", subs: []subcommand{
			{"validate", "FILE", "compile a monitoring rule set as kyc serve would"},
			{"backtest", "FILE", "run a rule set over the stored transactions (--from, --to)"},
		}, run: runRules},
		{name: "backup", args: "DEST", summary: "Back up a SQLite deployment while it serves (a consistent copy laid out as a data directory)", run: runBackup},
		{name: "demo", summary: "Fill a fresh database with sample customers, cases and staff users", run: runDemo},
		{name: "version", summary: "Print the version", run: runVersion},
	}
}

// exitError carries a specific exit status.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// isHelp reports whether a is a request for help.
func isHelp(a string) bool { return a == "-h" || a == "--help" || a == "-help" || a == "help" }

func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// Run executes the command line and returns the process exit status.
// Help asked for (-h, --help, kyc help …) goes to standard output with
// status 0; errors go to standard error with status 1, or 2 for bad usage.
func Run(ctx context.Context, e *Env) int {
	if e.Getenv == nil {
		e.Getenv = os.Getenv
	}
	args := e.Args[1:]
	switch {
	case len(args) == 0:
		usage(e.Stderr)
		return 2
	case isHelp(args[0]):
		if len(args) == 1 {
			usage(e.Stdout)
			return 0
		}
		// kyc help CMD [SUB] is kyc CMD [SUB] --help.
		args = append(append([]string{}, args[1:]...), "--help")
	case args[0] == "--version" || args[0] == "-version":
		args = append([]string{"version"}, args[1:]...)
	}
	c, ok := lookup(args[0])
	if !ok {
		fmt.Fprintf(e.Stderr, "kyc: unknown command %q\n\n", args[0])
		usage(e.Stderr)
		return 2
	}
	rest := args[1:]
	if len(c.subs) > 0 {
		switch {
		case len(rest) == 0:
			fmt.Fprintf(e.Stderr, "kyc %s: a subcommand is required\n\n", c.name)
			commandUsage(e.Stderr, c)
			return 2
		case isHelp(rest[0]):
			if len(rest) > 1 && rest[0] == "help" {
				rest = append(append([]string{}, rest[1:]...), "--help")
				break
			}
			commandUsage(e.Stdout, c)
			return 0
		case !c.hasSub(rest[0]):
			fmt.Fprintf(e.Stderr, "kyc %s: unknown subcommand %q\n\n", c.name, rest[0])
			commandUsage(e.Stderr, c)
			return 2
		}
	}
	return exitStatus(e, c.run(ctx, e, rest))
}

func (c command) hasSub(name string) bool {
	for _, s := range c.subs {
		if s.name == name {
			return true
		}
	}
	return false
}

// exitStatus reports err on standard error and turns it into a status.
func exitStatus(e *Env, err error) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(e.Stderr, "kyc:", ee.msg)
		}
		return ee.code
	}
	fmt.Fprintln(e.Stderr, "kyc:", err)
	return 1
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "kyc — KYC/AML onboarding, screening, risk and case management")
	fmt.Fprintln(w, "\nUsage: kyc COMMAND [SUBCOMMAND] [flags]\n\nCommands:")
	cs := commands()
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nkyc COMMAND --help (or kyc help COMMAND) describes a command and its flags; kyc --version prints the version.")
	fmt.Fprintln(w, "Configuration: flags, or KYC_* environment variables; kyc serve --help lists every setting.")
}

// commandUsage describes a command with subcommands.
func commandUsage(w io.Writer, c command) {
	fmt.Fprintf(w, "kyc %s — %s\n\nUsage: kyc %s SUBCOMMAND [flags]\n\nSubcommands:\n", c.name, c.summary, c.name)
	for _, s := range c.subs {
		fmt.Fprintf(w, "  %-14s %s\n", s.name, s.summary)
	}
	fmt.Fprintf(w, "\nkyc %s SUBCOMMAND --help describes a subcommand and its flags.\n", c.name)
}

// synopsis is the usage line of a command or subcommand ("client disable").
func synopsis(name string) (line, summary string) {
	cmd, sub, _ := strings.Cut(name, " ")
	c, ok := lookup(cmd)
	if !ok {
		return "kyc " + name + " [flags]", ""
	}
	if sub == "" {
		return strings.TrimSpace("kyc " + c.name + " [flags] " + c.args), c.summary
	}
	for _, s := range c.subs {
		if s.name == sub {
			return strings.TrimSpace("kyc " + name + " [flags] " + s.args), s.summary
		}
	}
	return "kyc " + name + " [flags]", ""
}

// runVersion is kyc version [--json] (also kyc --version).
func runVersion(_ context.Context, e *Env, args []string) error {
	fs := newFlagSet(e, "version")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if _, err := parseCommandFlags(e, "version", fs, args, nil); err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e.Stdout, map[string]string{"version": Version, "go_version": runtime.Version(), "platform": runtime.GOOS + "/" + runtime.GOARCH})
	}
	fmt.Fprintln(e.Stdout, "kyc", Version)
	return nil
}

// usageErr reports bad command-line usage (exit status 2).
func usageErr(format string, args ...any) error {
	return &exitError{code: 2, msg: fmt.Sprintf(format, args...)}
}

// printJSON writes v as one JSON object.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// parseFlags parses flags that may be mixed with positional arguments
// ("screen NAME --json" as well as "screen --json NAME").
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// newFlagSet returns a flag set that prints nothing by itself:
// parseCommandFlags writes help to standard output and errors to standard
// error.
func newFlagSet(_ *Env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("kyc "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseCommandFlags parses the flags of a command. -h or --help prints the
// command's help on standard output (with extra, if any, after the flags)
// and returns flag.ErrHelp; a bad flag is a usage error (status 2) naming
// it.
func parseCommandFlags(e *Env, name string, fs *flag.FlagSet, args []string, extra func(io.Writer, *flag.FlagSet)) ([]string, error) {
	pos, err := parseFlags(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printFlagHelp(e.Stdout, name, fs, extra)
		return nil, flag.ErrHelp
	}
	if err != nil {
		return nil, &exitError{code: 2, msg: fmt.Sprintf("%s: %v (kyc %s --help lists the flags)", name, err, name)}
	}
	return pos, nil
}

// printFlagHelp writes a command's help: usage line, summary and flags.
func printFlagHelp(w io.Writer, name string, fs *flag.FlagSet, extra func(io.Writer, *flag.FlagSet)) {
	line, summary := synopsis(name)
	fmt.Fprintf(w, "Usage: %s\n", line)
	if summary != "" {
		fmt.Fprintf(w, "\n%s.\n", strings.ToUpper(summary[:1])+summary[1:])
	}
	fmt.Fprintln(w, "\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	if extra != nil {
		fmt.Fprintln(w)
		extra(w, fs)
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
