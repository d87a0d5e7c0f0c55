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
	run     func(ctx context.Context, e *Env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "Serve the API and run background jobs", runServe},
		{"migrate", "Apply database migrations", runMigrate},
		{"client", "Manage API clients: client create --name N --scopes S [--json]", runClient},
		{"lists", "Manage sanctions lists: lists import --source S FILE…", runLists},
		{"screen", "Screen a name: screen NAME [--birth-date --country --type --json]", runScreen},
		{"audit", "Audit trail: audit verify [--checkpoint FILE] [--json] | audit checkpoint [--json]", runAudit},
		{"keys", "Token-signing keys: keys rotate [--json]", runKeys},
		{"user", "Staff users: user create --email E --role R [--password-stdin] [--json]", runUser},
		{"transactions", "Transactions: transactions import FILE (CSV or NDJSON) [--batch N] [--restart] [--json]", runTransactions},
		{"risk", "Risk model: risk validate FILE [--json] | risk backtest FILE [--customers N] [--json]", runRisk},
		{"rules", "Monitoring rules: rules validate FILE [--json] | rules backtest FILE --from D [--to D] [--json]", runRules},
		{"backup", "Back up a SQLite deployment while it serves: backup DEST [--include-master-key] [--json]", runBackup},
		{"demo", "Fill a fresh database with sample customers, cases and staff users", runDemo},
		{"version", "Print the version", func(_ context.Context, e *Env, _ []string) error {
			fmt.Fprintln(e.Stdout, "kyc", Version)
			return nil
		}},
	}
}

// exitError carries a specific exit status.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// Run executes the command line and returns the process exit status.
func Run(ctx context.Context, e *Env) int {
	if e.Getenv == nil {
		e.Getenv = os.Getenv
	}
	args := e.Args[1:]
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.Stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, e, args[1:])
			if err == nil {
				return 0
			}
			if errors.Is(err, flag.ErrHelp) {
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
	}
	fmt.Fprintf(e.Stderr, "kyc: unknown command %q\n\n", args[0])
	usage(e.Stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "kyc — KYC/AML onboarding, screening, risk and case management")
	fmt.Fprintln(w, "\nUsage: kyc COMMAND [flags]\n\nCommands:")
	cs := commands()
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nConfiguration: flags, or KYC_DATA_DIR, KYC_DATABASE_URL, KYC_ADDR, KYC_MASTER_KEY, KYC_BASE_URL, KYC_LOG_FORMAT … (see README).")
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

func newFlagSet(e *Env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("kyc "+name, flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	return fs
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
