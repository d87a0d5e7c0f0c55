package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/config"
	"github.com/kyc-platform/kyc/internal/monitoring"
	"github.com/kyc-platform/kyc/internal/risk"
)

const rulesUsage = "usage: kyc rules validate FILE [--json] | kyc rules backtest FILE --from DATE [--to DATE] [--json]"

// runRules is `kyc rules validate|backtest`: check a monitoring rule set
// before it is configured (KYC_MONITORING_RULES), and try it on the stored
// history.
func runRules(ctx context.Context, e *Env, args []string) error {
	if len(args) == 0 {
		return usageErr(rulesUsage)
	}
	switch args[0] {
	case "validate":
		return runRulesValidate(e, args[1:])
	case "backtest":
		return runRulesBacktest(ctx, e, args[1:])
	}
	return usageErr(rulesUsage)
}

// ruleSummary is one rule as validate prints it.
type ruleSummary struct {
	Name       string         `json:"name"`
	Version    string         `json:"version"`
	Severity   string         `json:"severity"`
	Parameters map[string]any `json:"parameters"`
}

// runRulesValidate compiles a rule set exactly as kyc serve would (against
// the risk model's country lists and the reporting currency) without
// touching the database. A rule with a CEL syntax or type error is refused
// naming the rule, its line in the file and the position in the
// expression; every problem of the file is reported at once.
func runRulesValidate(e *Env, args []string) error {
	var asJSON bool
	cfg, pos, err := loadConfig(e, "rules validate", args, func(_ *config.Config, fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print one JSON object")
	})
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("usage: kyc rules validate FILE [--json]")
	}
	rs, err := loadRuleFile(pos[0], cfg.Monitoring.ReportingCurrency)
	if err != nil {
		if asJSON {
			if perr := printJSON(e.Stdout, map[string]any{"valid": false, "file": pos[0], "error": err.Error()}); perr != nil {
				return perr
			}
			return &exitError{code: 1}
		}
		return &exitError{code: 1, msg: err.Error()}
	}
	var rules []ruleSummary
	for _, r := range rs.Rules() {
		rules = append(rules, ruleSummary{Name: r.Name, Version: r.Version, Severity: r.Severity, Parameters: r.Parameters})
	}
	if asJSON {
		return printJSON(e.Stdout, map[string]any{"valid": true, "file": pos[0], "version": rs.Version(),
			"reporting_currency": rs.ReportingCurrency(), "rules": rules})
	}
	fmt.Fprintf(e.Stdout, "%s: rule set %s is valid: %d enabled rule(s), amounts in %s\n", pos[0], rs.Version(), len(rules), rs.ReportingCurrency())
	tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tVERSION\tSEVERITY\tPARAMETERS")
	for _, r := range rules {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Name, r.Version, r.Severity, formatParams(r.Parameters))
	}
	return tw.Flush()
}

// loadRuleFile compiles a rule file against the default risk model (the
// one kyc serve uses) and the reporting currency.
func loadRuleFile(path, reporting string) (*monitoring.RuleSet, error) {
	model, err := risk.Default()
	if err != nil {
		return nil, fmt.Errorf("risk model: %w", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return monitoring.Load(f, app.MonitoringOptions(model, reporting))
}

func formatParams(p map[string]any) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		v := fmt.Sprint(p[k])
		if len(v) > 40 {
			v = v[:37] + "…"
		}
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, " ")
}

// parseWhen reads a --from/--to value: an RFC 3339 time, or a date
// (midnight UTC; for --to the end of that day, so that a date range
// includes its last day).
func parseWhen(flagName, s string, endOfDay bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, usageErr("--%s: use a date (2026-01-31) or an RFC 3339 time, got %q", flagName, s)
	}
	if endOfDay {
		d = d.AddDate(0, 0, 1)
	}
	return d, nil
}

// backtestJSON is the --json output of rules backtest.
type backtestJSON struct {
	File           string             `json:"file"`
	RuleSetVersion string             `json:"rule_set_version"`
	From           time.Time          `json:"from"`
	To             time.Time          `json:"to"`
	Customers      int                `json:"customers"`
	Transactions   int                `json:"transactions"`
	Screened       bool               `json:"counterparties_screened"`
	Seconds        float64            `json:"seconds"`
	Rules          []backtestRuleJSON `json:"rules"`
}

type backtestRuleJSON struct {
	Rule      string                 `json:"rule"`
	Version   string                 `json:"version"`
	Severity  string                 `json:"severity"`
	Alerts    int                    `json:"alerts"`
	Errors    int                    `json:"errors"`
	Customers []backtestCustomerJSON `json:"customers"`
}

type backtestCustomerJSON struct {
	CustomerID string `json:"customer_id"`
	Alerts     int    `json:"alerts"`
}

// runRulesBacktest runs a rule set over the stored transactions of a
// period and prints, per rule, how many alerts it would have raised and
// for which customers. It writes nothing (no alert, case or audit event).
func runRulesBacktest(ctx context.Context, e *Env, args []string) error {
	var fromS, toS string
	var listed int
	var asJSON bool
	return withSystem(ctx, e, "rules backtest", args, func(_ *config.Config, fs *flag.FlagSet) {
		fs.StringVar(&fromS, "from", "", "start of the period: a date (UTC) or an RFC 3339 time (required)")
		fs.StringVar(&toS, "to", "", "end of the period: a date (that whole day included) or an RFC 3339 time (excluded); default now")
		fs.IntVar(&listed, "customers", 10, "customers listed per rule in the text output (--json lists all)")
		fs.BoolVar(&asJSON, "json", false, "print one JSON object")
	}, func(sys *system, pos []string) error {
		if len(pos) != 1 || fromS == "" {
			return usageErr("usage: kyc rules backtest FILE --from DATE [--to DATE] [--customers N] [--json]")
		}
		from, err := parseWhen("from", fromS, false)
		if err != nil {
			return err
		}
		to := time.Now().UTC()
		if toS != "" {
			if to, err = parseWhen("to", toS, true); err != nil {
				return err
			}
		}
		rs, err := loadRuleFile(pos[0], sys.cfg.Monitoring.ReportingCurrency)
		if err != nil {
			return &exitError{code: 1, msg: err.Error()}
		}
		progress := isTerminal(e.Stderr) && !asJSON
		in := app.BacktestInput{Rules: rs, From: from, To: to}
		if progress {
			in.Progress = func(customers, transactions int) {
				if customers%20 == 0 {
					fmt.Fprintf(e.Stderr, "\r%d customers, %d transactions evaluated   ", customers, transactions)
				}
			}
		}
		began := time.Now()
		res, err := sys.app.Transactions.Backtest(ctx, operator(), in)
		if progress {
			fmt.Fprintln(e.Stderr)
		}
		if err != nil {
			return describe(err)
		}
		elapsed := time.Since(began)
		if asJSON {
			out := backtestJSON{File: pos[0], RuleSetVersion: res.RuleSetVersion, From: res.From, To: res.To, Customers: res.Customers,
				Transactions: res.Transactions, Screened: res.Screened, Seconds: float64(elapsed.Milliseconds()) / 1000, Rules: []backtestRuleJSON{}}
			for _, r := range res.Rules {
				jr := backtestRuleJSON{Rule: r.Rule, Version: r.Version, Severity: r.Severity, Alerts: r.Alerts, Errors: r.Errors,
					Customers: []backtestCustomerJSON{}}
				for _, c := range r.Customers {
					jr.Customers = append(jr.Customers, backtestCustomerJSON{CustomerID: c.CustomerID, Alerts: c.Alerts})
				}
				out.Rules = append(out.Rules, jr)
			}
			return printJSON(e.Stdout, out)
		}
		fmt.Fprintf(e.Stdout, "rule set %s over %s – %s: %d transactions of %d customers in %.1fs (nothing written)\n",
			res.RuleSetVersion, res.From.Format(time.RFC3339), res.To.Format(time.RFC3339), res.Transactions, res.Customers, elapsed.Seconds())
		if !res.Screened {
			fmt.Fprintln(e.Stdout, "counterparty names were not screened (no rule reads screening, or no list is loaded)")
		}
		tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "RULE\tVERSION\tSEVERITY\tALERTS\tERRORS\tCUSTOMERS\tMOST ALERTED")
		for _, r := range res.Rules {
			var top []string
			for i, c := range r.Customers {
				if i == listed {
					top = append(top, fmt.Sprintf("+%d more", len(r.Customers)-listed))
					break
				}
				top = append(top, fmt.Sprintf("%s (%d)", c.CustomerID, c.Alerts))
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s\n", r.Rule, r.Version, r.Severity, r.Alerts, r.Errors, len(r.Customers), strings.Join(top, ", "))
		}
		return tw.Flush()
	})
}
