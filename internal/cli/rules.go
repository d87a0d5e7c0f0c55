package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/config"
	"github.com/kyc-platform/kyc/internal/monitoring"
	"github.com/kyc-platform/kyc/internal/risk"
)

const rulesUsage = "usage: kyc rules validate FILE [--json]"

// runRules is `kyc rules validate|backtest`: check a monitoring rule set
// before it is configured (KYC_MONITORING_RULES), and try it on the stored
// history.
func runRules(_ context.Context, e *Env, args []string) error {
	if len(args) == 0 {
		return usageErr(rulesUsage)
	}
	switch args[0] {
	case "validate":
		return runRulesValidate(e, args[1:])
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
