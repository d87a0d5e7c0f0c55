package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/config"
)

const auditUsage = "usage: kyc audit verify [--checkpoint FILE] [--max-unsealed-age 1m] [--json] | kyc audit checkpoint [--json]"

func runAudit(ctx context.Context, e *Env, args []string) error {
	if len(args) == 0 {
		return usageErr(auditUsage)
	}
	switch args[0] {
	case "verify":
		return runAuditVerify(ctx, e, args[1:])
	case "checkpoint":
		return runAuditCheckpoint(ctx, e, args[1:])
	}
	return usageErr(auditUsage)
}

// runAuditVerify recomputes the chain: exit 0 when it verifies, 1 when
// it does not (or sealing lags beyond the bound, or the checkpoint does
// not match).
func runAuditVerify(ctx context.Context, e *Env, args []string) error {
	var asJSON bool
	var cpFile string
	var maxAge time.Duration
	return withSystem(ctx, e, "audit verify", args, func(_ *config.Config, fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print one JSON object")
		fs.StringVar(&cpFile, "checkpoint", "", "a checkpoint printed by kyc audit checkpoint: the chain must still match it")
		fs.DurationVar(&maxAge, "max-unsealed-age", app.DefaultMaxUnsealedAge, "committed events waiting longer than this for a sealer are an error")
	}, func(sys *system, pos []string) error {
		if len(pos) > 0 {
			return usageErr("unexpected argument %q", pos[0])
		}
		opts := app.VerifyOptions{MaxUnsealedAge: maxAge}
		if cpFile != "" {
			data, err := os.ReadFile(cpFile)
			if err != nil {
				return &exitError{code: 2, msg: fmt.Sprintf("checkpoint: %v", err)}
			}
			cp, err := app.ParseCheckpoint(data)
			if err != nil {
				return &exitError{code: 2, msg: fmt.Sprintf("%s: %v", cpFile, err)}
			}
			opts.Checkpoint = &cp
		}
		res, err := sys.app.Audit.VerifyWith(ctx, operator(), opts)
		if err != nil {
			return describe(err)
		}
		if asJSON {
			if err := printJSON(e.Stdout, res); err != nil {
				return err
			}
		} else {
			printVerify(e, res)
		}
		if !res.OK {
			return &exitError{code: 1}
		}
		return nil
	})
}

func printVerify(e *Env, res app.VerifyResult) {
	switch {
	case res.OK:
		fmt.Fprintf(e.Stdout, "audit chain OK: %d events, head %s\n", res.Events, res.HeadHash)
		if res.LegacyEvents > 0 {
			fmt.Fprintf(e.Stdout, "  events 1 to %d are chained by the unkeyed rule of earlier versions; keyed after that (key %s)\n", res.LegacyEvents, res.KeyID)
		}
		if res.CheckpointSeq > 0 {
			fmt.Fprintf(e.Stdout, "  matches the checkpoint at event %d\n", res.CheckpointSeq)
		}
		if res.Unsealed > 0 {
			fmt.Fprintf(e.Stdout, "  %d committed event(s) wait for the sealer\n", res.Unsealed)
		}
	case res.BrokenAt > 0:
		fmt.Fprintf(e.Stdout, "audit chain BROKEN at event %d (%s): %s\n", res.BrokenAt, joinNonEmpty(" ", res.EventID), res.Reason)
	default:
		fmt.Fprintf(e.Stdout, "audit trail NOT OK: %s\n", res.Reason)
	}
}

// runAuditCheckpoint seals what is pending, verifies the chain and prints
// a signed statement of its head, to keep somewhere the database's
// administrators cannot write.
func runAuditCheckpoint(ctx context.Context, e *Env, args []string) error {
	var asJSON bool
	return withSystem(ctx, e, "audit checkpoint", args, func(_ *config.Config, fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print the checkpoint as one JSON object")
	}, func(sys *system, pos []string) error {
		if len(pos) > 0 {
			return usageErr("unexpected argument %q", pos[0])
		}
		if _, err := sys.app.Audit.SealAll(ctx); err != nil {
			return fmt.Errorf("seal audit events: %w", err)
		}
		cp, _, err := sys.app.Audit.Checkpoint(ctx, operator())
		if err != nil {
			return describe(err)
		}
		if asJSON {
			return printJSON(e.Stdout, cp)
		}
		fmt.Fprintf(e.Stdout, "# kyc audit checkpoint: keep this elsewhere; check later with kyc audit verify --checkpoint FILE\n%s", cp.Text())
		return nil
	})
}
