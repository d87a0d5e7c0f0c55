package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/kyc-platform/kyc/internal/config"
	"github.com/kyc-platform/kyc/internal/risk"
)

const riskUsage = "usage: kyc risk validate FILE [--json] | kyc risk backtest FILE [--customers N] [--json]"

// runRisk is `kyc risk validate|backtest`: check an operator's risk model
// before it is configured (KYC_RISK_MODEL), and see what it would change
// for the current customers before anyone switches (PRODUCT.md section 6).
func runRisk(ctx context.Context, e *Env, args []string) error {
	if len(args) == 0 {
		return usageErr(riskUsage)
	}
	switch args[0] {
	case "validate":
		return runRiskValidate(e, args[1:])
	case "backtest":
		return runRiskBacktest(ctx, e, args[1:])
	}
	return usageErr(riskUsage)
}

// loadRiskModel reads a model file, or the default model for "".
func loadRiskModel(path string) (*risk.Model, error) {
	if path == "" {
		return risk.Default()
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := risk.Load(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// runRiskValidate loads a model exactly as kyc serve would, without the
// database, and reports every problem of the file at once (the line and
// field at fault) with exit status 1.
func runRiskValidate(e *Env, args []string) error {
	var asJSON bool
	_, pos, err := loadConfig(e, "risk validate", args, func(_ *config.Config, fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print one JSON object")
	})
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("usage: kyc risk validate FILE [--json]")
	}
	m, err := loadRiskModel(pos[0])
	if err != nil {
		if asJSON {
			if perr := printJSON(e.Stdout, map[string]any{"valid": false, "file": pos[0], "error": err.Error()}); perr != nil {
				return perr
			}
			return &exitError{code: 1}
		}
		return &exitError{code: 1, msg: err.Error()}
	}
	if asJSON {
		return printJSON(e.Stdout, map[string]any{"valid": true, "file": pos[0], "version": m.Version(), "factors": m.FactorNames()})
	}
	fmt.Fprintf(e.Stdout, "%s: risk model %s is valid: %d factors\n", pos[0], m.Version(), len(m.FactorNames()))
	return nil
}

type riskChangeJSON struct {
	CustomerID string `json:"customer_id"`
	Status     string `json:"status"`
	FromRating string `json:"from_rating"`
	ToRating   string `json:"to_rating"`
	FromDD     string `json:"from_due_diligence"`
	ToDD       string `json:"to_due_diligence"`
}

// runRiskBacktest scores the current customers with a candidate model and
// prints how many ratings and due-diligence levels would change, and for
// which customers. It writes nothing.
func runRiskBacktest(ctx context.Context, e *Env, args []string) error {
	var asJSON bool
	var listed int
	return withSystem(ctx, e, "risk backtest", args, func(_ *config.Config, fs *flag.FlagSet) {
		fs.IntVar(&listed, "customers", 50, "customers listed in the text output (--json lists all)")
		fs.BoolVar(&asJSON, "json", false, "print one JSON object")
	}, func(sys *system, pos []string) error {
		if len(pos) != 1 {
			return usageErr("usage: kyc risk backtest FILE [--customers N] [--json]")
		}
		m, err := loadRiskModel(pos[0])
		if err != nil {
			return &exitError{code: 1, msg: err.Error()}
		}
		res, err := sys.app.Customers.BacktestRisk(ctx, operator(), m)
		if err != nil {
			return describe(err)
		}
		if asJSON {
			changes := []riskChangeJSON{}
			for _, c := range res.Changes {
				changes = append(changes, riskChangeJSON{CustomerID: c.CustomerID, Status: string(c.Status), FromRating: string(c.FromRating), ToRating: string(c.ToRating), FromDD: string(c.FromDD), ToDD: string(c.ToDD)})
			}
			return printJSON(e.Stdout, map[string]any{"file": pos[0], "current_version": res.CurrentVersion, "candidate_version": res.CandidateVersion,
				"customers": res.Customers, "ratings_changed": res.RatingChanged, "due_diligence_changed": res.DDChanged, "changes": changes})
		}
		fmt.Fprintf(e.Stdout, "risk model %s (running: %s) over %d assessed customers: %d ratings and %d due-diligence levels would change (nothing written)\n",
			res.CandidateVersion, res.CurrentVersion, res.Customers, res.RatingChanged, res.DDChanged)
		if len(res.Changes) == 0 {
			return nil
		}
		tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CUSTOMER\tSTATUS\tRATING\tDUE DILIGENCE")
		for i, c := range res.Changes {
			if i == listed {
				fmt.Fprintf(tw, "… and %d more (--json lists all)\n", len(res.Changes)-listed)
				break
			}
			fmt.Fprintf(tw, "%s\t%s\t%s → %s\t%s → %s\n", c.CustomerID, c.Status, c.FromRating, c.ToRating, c.FromDD, c.ToDD)
		}
		return tw.Flush()
	})
}
