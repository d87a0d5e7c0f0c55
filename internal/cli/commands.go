package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/config"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/screening"
	"github.com/kyc-platform/kyc/internal/screening/lists"
	"github.com/kyc-platform/kyc/internal/screening/listsync"
)

func runMigrate(ctx context.Context, e *Env, args []string) error {
	var asJSON bool
	cfg, pos, err := loadConfig(e, "migrate", args, func(_ *config.Config, fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print one JSON object")
	})
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErr("unexpected argument %q", pos[0])
	}
	st, _, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := checkMasterKey(ctx, cfg, st); err != nil {
		return err
	}
	cur, latest, err := st.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		return printJSON(e.Stdout, map[string]any{"version": cur, "latest": latest, "engine": st.Dialect()})
	}
	fmt.Fprintf(e.Stdout, "database migrated to version %d\n", cur)
	return nil
}

// withSystem runs fn with a wired system (no job workers) for one command.
func withSystem(ctx context.Context, e *Env, name string, args []string, bind func(*config.Config, *flag.FlagSet), fn func(sys *system, pos []string) error) error {
	cfg, pos, err := loadConfig(e, name, args, bind)
	if err != nil {
		return err
	}
	if cfg.LogLevel == "info" {
		cfg.LogLevel = "warn" // one-shot commands print their result, not progress logs
	}
	sys, err := buildSystem(ctx, cfg, e.Stderr, true, 0)
	if err != nil {
		return err
	}
	defer sys.Close()
	if err := fn(sys, pos); err != nil {
		return err
	}
	if name == "audit verify" {
		// Verification reports unsealed events; it does not hide them.
		return nil
	}
	// No sealer may be running (no kyc serve): chain what the command
	// wrote before exiting.
	if _, err := sys.app.Audit.SealAll(ctx); err != nil {
		return fmt.Errorf("seal audit events: %w", err)
	}
	return nil
}

// describe renders a domain error with its field list for a terminal.
func describe(err error) error {
	var de *domain.Error
	if errors.As(err, &de) {
		msg := de.Message
		for _, f := range de.Fields {
			msg += fmt.Sprintf("\n  --%s: %s", f.Location, f.Message)
		}
		return &exitError{code: 1, msg: msg}
	}
	return err
}

func runLists(ctx context.Context, e *Env, args []string) error {
	if len(args) > 0 && args[0] == "sync" {
		return runListsSync(ctx, e, args[1:])
	}
	if len(args) == 0 || args[0] != "import" {
		return usageErr("usage: kyc lists import --source SOURCE FILE… [--force] [--json] | kyc lists sync [--source S] [--force]")
	}
	var source string
	var asJSON, force bool
	return withSystem(ctx, e, "lists import", args[1:], func(_ *config.Config, fs *flag.FlagSet) {
		fs.StringVar(&source, "source", "", "list source: "+strings.Join(lists.Names(), ", ")+" (required)")
		fs.BoolVar(&force, "force", false, "accept an edition with far fewer entities than the list in use")
		fs.BoolVar(&asJSON, "json", false, "print one JSON object")
	}, func(sys *system, pos []string) error {
		if source == "" || len(pos) == 0 {
			return usageErr("usage: kyc lists import --source SOURCE FILE… [--force]")
		}
		var files []lists.File
		for _, p := range pos {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			files = append(files, lists.File{Name: filepath.Base(p), R: f})
		}
		progress := isTerminal(e.Stderr) && !asJSON
		if progress {
			fmt.Fprintf(e.Stderr, "importing %s from %d file(s)…\n", source, len(files))
		}
		res, err := sys.app.Screening.Import(ctx, operator(), source, files, force)
		if err != nil {
			return describe(err)
		}
		if asJSON {
			return printJSON(e.Stdout, res)
		}
		if res.Unchanged {
			fmt.Fprintf(e.Stdout, "%s: unchanged (snapshot %s, %d entities)\n", source, res.Snapshot.ID, res.Snapshot.EntityCount)
			if res.RescreenRun != "" {
				fmt.Fprintf(e.Stdout, "the earlier edition is active again; re-screening of the customer book against the %d entities that differ queued (run %s)\n",
					res.Added+res.Changed, res.RescreenRun)
			}
			return nil
		}
		fmt.Fprintf(e.Stdout, "%s: snapshot %s loaded, %d entities (%d added, %d changed, %d removed), content hash %s\n",
			source, res.Snapshot.ID, res.Snapshot.EntityCount, res.Added, res.Changed, res.Removed, res.Snapshot.ContentHash[:16])
		if res.RescreenRun != "" {
			fmt.Fprintf(e.Stdout, "re-screening of the customer book against the %d added and changed entities queued (run %s); a running kyc serve works it\n",
				res.Added+res.Changed, res.RescreenRun)
		}
		return nil
	})
}

func runScreen(ctx context.Context, e *Env, args []string) error {
	var q screening.Query
	var typ, file string
	var asJSON bool
	return withSystem(ctx, e, "screen", args, func(_ *config.Config, fs *flag.FlagSet) {
		fs.StringVar(&file, "file", "", "screen every name of a CSV file (header with name[,type,birth_date,country], or one name per line)")
		fs.StringVar(&q.BirthDate, "birth-date", "", "birth date (YYYY, YYYY-MM or YYYY-MM-DD) as evidence")
		fs.StringVar(&q.Country, "country", "", "ISO country code as evidence")
		fs.StringVar(&typ, "type", "", "person, organization, vessel or aircraft")
		fs.Float64Var(&q.Threshold, "threshold", 0, "minimum score (0: the default threshold)")
		fs.IntVar(&q.Limit, "limit", 10, "maximum number of matches")
		fs.BoolVar(&asJSON, "json", false, "print one JSON object")
	}, func(sys *system, pos []string) error {
		q.Type = screening.EntityType(typ)
		if file != "" {
			if len(pos) > 0 {
				return usageErr("give either NAME or --file, not both")
			}
			return screenFile(ctx, e, sys, file, q, asJSON)
		}
		if len(pos) == 0 {
			return usageErr("usage: kyc screen NAME [--birth-date D --country C --type T --json] | kyc screen --file names.csv")
		}
		q.Name = strings.Join(pos, " ")
		res, err := sys.app.Screening.Screen(ctx, operator(), q)
		if err != nil {
			return describe(err)
		}
		if asJSON {
			return printJSON(e.Stdout, res)
		}
		return printMatches(e.Stdout, res.Matches)
	})
}

func printMatches(w io.Writer, ms []screening.Match) error {
	if len(ms) == 0 {
		fmt.Fprintln(w, "no matches")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SCORE\tLIST\tSOURCE ID\tNAME\tMATCHED NAME")
	for _, m := range ms {
		fmt.Fprintf(tw, "%.3f\t%s\t%s\t%s\t%s\n", m.Score, m.List, m.SourceID, m.Name, m.MatchedName)
	}
	return tw.Flush()
}

func runKeys(ctx context.Context, e *Env, args []string) error {
	if len(args) == 0 || args[0] != "rotate" {
		return usageErr("usage: kyc keys rotate [--json]")
	}
	var asJSON bool
	return withSystem(ctx, e, "keys rotate", args[1:], func(_ *config.Config, fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print one JSON object")
	}, func(sys *system, _ []string) error {
		kid, err := sys.keys.Rotate(ctx)
		if err != nil {
			return err
		}
		pruned, err := sys.keys.Prune(ctx)
		if err != nil {
			return err
		}
		if asJSON {
			return printJSON(e.Stdout, map[string]any{"kid": kid, "pruned": pruned})
		}
		fmt.Fprintf(e.Stdout, "new signing key %s; old keys stay in the JWKS until their tokens expire (%d expired key(s) removed)\n", kid, pruned)
		return nil
	})
}

func runListsSync(ctx context.Context, e *Env, args []string) error {
	var only, sourcesFile string
	var force, asJSON bool
	return withSystem(ctx, e, "lists sync", args, func(_ *config.Config, fs *flag.FlagSet) {
		fs.StringVar(&only, "source", "", "sync only this source")
		fs.StringVar(&sourcesFile, "sources", "", "JSON file of sources [{name, files: [{name, url}]}] (KYC_LIST_SOURCES; default: the official URLs)")
		fs.BoolVar(&force, "force", false, "accept a sharp drop in the number of entities")
		fs.BoolVar(&asJSON, "json", false, "print one JSON object")
	}, func(sys *system, pos []string) error {
		if len(pos) > 0 {
			return usageErr("unexpected argument %q", pos[0])
		}
		if sourcesFile == "" {
			sourcesFile = e.Getenv("KYC_LIST_SOURCES")
		}
		srcs, err := loadListSources(sourcesFile)
		if err != nil {
			return err
		}
		if only != "" {
			var picked []listsync.Source
			for _, s := range srcs {
				if s.Name == only {
					picked = append(picked, s)
				}
			}
			if len(picked) == 0 {
				return usageErr("no configured source %q", only)
			}
			srcs = picked
		}
		if isTerminal(e.Stderr) && !asJSON {
			fmt.Fprintf(e.Stderr, "syncing %d source(s)…\n", len(srcs))
		}
		results, err := sys.app.Screening.SyncAll(ctx, operator(), listFetcher(), srcs, force)
		if asJSON {
			if perr := printJSON(e.Stdout, map[string]any{"results": results}); perr != nil {
				return perr
			}
		} else {
			for _, r := range results {
				switch {
				case r.Error != "":
					fmt.Fprintf(e.Stdout, "%s: FAILED, list in use kept: %s\n", r.Source, r.Error)
				case r.NotModified:
					fmt.Fprintf(e.Stdout, "%s: not modified\n", r.Source)
				case r.Import.Unchanged:
					fmt.Fprintf(e.Stdout, "%s: unchanged (%d entities)\n", r.Source, r.Import.Snapshot.EntityCount)
				default:
					fmt.Fprintf(e.Stdout, "%s: snapshot %s, %d entities (%d added, %d changed, %d removed)\n", r.Source, r.Import.Snapshot.ID, r.Import.Snapshot.EntityCount, r.Import.Added, r.Import.Changed, r.Import.Removed)
				}
			}
		}
		if err != nil {
			return &exitError{code: 1}
		}
		return nil
	})
}

// loadListSources reads the configured sources, or returns the defaults.
func loadListSources(path string) ([]listsync.Source, error) {
	if path == "" {
		return app.DefaultListSources(), nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	var srcs []listsync.Source
	if err := json.Unmarshal(b, &srcs); err != nil {
		return nil, fmt.Errorf("list sources %s: %w", path, err)
	}
	for i, s := range srcs {
		if _, ok := lists.Lookup(s.Name); !ok || len(s.Files) == 0 {
			return nil, fmt.Errorf("list sources %s: entry %d: unknown source %q or no files", path, i, s.Name)
		}
	}
	return srcs, nil
}
