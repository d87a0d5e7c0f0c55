package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kyc-platform/kyc/internal/config"
)

// runClient is `kyc client create|list|disable|enable|rotate-secret|delete`
// (issue 12, item 8): every change is audited with the operator as actor.
func runClient(ctx context.Context, e *Env, args []string) error {
	switch args[0] {
	case "create":
		return runClientCreate(ctx, e, args[1:])
	case "list":
		return runClientList(ctx, e, args[1:])
	case "disable", "enable":
		return runClientSetDisabled(ctx, e, args[0], args[1:])
	case "rotate-secret":
		return runClientRotate(ctx, e, args[1:])
	case "delete":
		return runClientDelete(ctx, e, args[1:])
	}
	return usageErr("unknown subcommand %q of kyc client (kyc client --help lists them)", args[0])
}

func runClientCreate(ctx context.Context, e *Env, args []string) error {
	var name, scopes, tenant string
	var asJSON bool
	return withSystem(ctx, e, "client create", args, func(_ *config.Config, fs *flag.FlagSet) {
		fs.StringVar(&name, "name", "", "client name (required)")
		fs.StringVar(&tenant, "tenant", "default", "tenant: a client sees only its tenant's customers and cases")
		fs.StringVar(&scopes, "scopes", "", "comma-separated scopes, or all (required)")
		fs.BoolVar(&asJSON, "json", false, "print one JSON object")
	}, func(sys *system, pos []string) error {
		if len(pos) > 0 {
			return usageErr("unexpected argument %q", pos[0])
		}
		c, err := sys.app.Clients.CreateInTenant(ctx, operator(), tenant, name, scopes)
		if err != nil {
			return describe(err)
		}
		if asJSON {
			return printJSON(e.Stdout, c)
		}
		fmt.Fprintf(e.Stdout, "client_id:     %s\nclient_secret: %s\ntenant:        %s\nscopes:        %s\n\nThe secret is shown only now: store it safely.\n", c.ClientID, c.ClientSecret, c.Tenant, strings.Join(c.Scopes, " "))
		return nil
	})
}

func runClientList(ctx context.Context, e *Env, args []string) error {
	var asJSON bool
	return withSystem(ctx, e, "client list", args, func(_ *config.Config, fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print one JSON object")
	}, func(sys *system, pos []string) error {
		if len(pos) > 0 {
			return usageErr("unexpected argument %q", pos[0])
		}
		cs, err := sys.app.Clients.List(ctx, operator())
		if err != nil {
			return describe(err)
		}
		if asJSON {
			return printJSON(e.Stdout, map[string]any{"clients": cs})
		}
		if len(cs) == 0 {
			fmt.Fprintln(e.Stdout, "no API clients (kyc client create makes one)")
			return nil
		}
		tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CLIENT ID\tNAME\tTENANT\tSCOPES\tCREATED\tLAST USED\tDISABLED")
		for _, c := range cs {
			disabled := "no"
			if c.Disabled {
				disabled = "yes"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Name, c.Tenant, strings.Join(c.Scopes, ","),
				c.CreatedAt.UTC().Format(time.RFC3339), lastUsed(c.LastUsedAt), disabled)
		}
		return tw.Flush()
	})
}

func lastUsed(t *time.Time) string {
	if t == nil {
		return "never"
	}
	return t.UTC().Format(time.RFC3339)
}

// oneClient runs a client subcommand that takes one CLIENT_ID.
func oneClient(ctx context.Context, e *Env, name string, args []string, asJSON *bool, fn func(sys *system, id string) error) error {
	return withSystem(ctx, e, name, args, func(_ *config.Config, fs *flag.FlagSet) {
		fs.BoolVar(asJSON, "json", false, "print one JSON object")
	}, func(sys *system, pos []string) error {
		if len(pos) != 1 {
			return usageErr("usage: kyc %s CLIENT_ID [--json]", name)
		}
		return fn(sys, pos[0])
	})
}

func runClientSetDisabled(ctx context.Context, e *Env, verb string, args []string) error {
	var asJSON bool
	return oneClient(ctx, e, "client "+verb, args, &asJSON, func(sys *system, id string) error {
		c, err := sys.app.Clients.SetDisabled(ctx, operator(), id, verb == "disable")
		if err != nil {
			return describe(err)
		}
		if asJSON {
			return printJSON(e.Stdout, c)
		}
		if c.Disabled {
			fmt.Fprintf(e.Stdout, "client %s (%s) disabled: it gets no tokens, and the tokens it holds are refused from the next request on\n", c.ID, c.Name)
		} else {
			fmt.Fprintf(e.Stdout, "client %s (%s) enabled\n", c.ID, c.Name)
		}
		return nil
	})
}

func runClientRotate(ctx context.Context, e *Env, args []string) error {
	var asJSON bool
	return oneClient(ctx, e, "client rotate-secret", args, &asJSON, func(sys *system, id string) error {
		c, err := sys.app.Clients.RotateSecret(ctx, operator(), id)
		if err != nil {
			return describe(err)
		}
		if asJSON {
			return printJSON(e.Stdout, c)
		}
		fmt.Fprintf(e.Stdout, "client_id:     %s\nclient_secret: %s\n\nThe new secret is shown only now: store it safely. The old secret and the tokens obtained with it no longer work.\n", c.ClientID, c.ClientSecret)
		return nil
	})
}

func runClientDelete(ctx context.Context, e *Env, args []string) error {
	var asJSON, yes bool
	return withSystem(ctx, e, "client delete", args, func(_ *config.Config, fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print one JSON object")
		fs.BoolVar(&yes, "yes", false, "delete without asking (required when standard input is not a terminal)")
	}, func(sys *system, pos []string) error {
		if len(pos) != 1 {
			return usageErr("usage: kyc client delete CLIENT_ID [--yes] [--json]")
		}
		id := pos[0]
		if !yes {
			if err := confirm(e, fmt.Sprintf("Delete API client %s? It gets no tokens, the tokens it holds are refused from the next request on, and it cannot be undone.", id),
				"client delete: deleting a client cannot be undone: confirm with --yes"); err != nil {
				return err
			}
		}
		if err := sys.app.Clients.Delete(ctx, operator(), id); err != nil {
			return describe(err)
		}
		if asJSON {
			return printJSON(e.Stdout, map[string]any{"client_id": id, "deleted": true})
		}
		fmt.Fprintf(e.Stdout, "client %s deleted: it gets no tokens, and the tokens it holds are refused from the next request on\n", id)
		return nil
	})
}
