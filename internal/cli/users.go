package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/config"
)

// runUser: kyc user create --email E --role R [--password-stdin] [--json].
// Without --password-stdin a one-time password is generated and printed; it
// must be changed at the first sign-in.
func runUser(ctx context.Context, e *Env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return usageErr("usage: kyc user create --email EMAIL --role analyst|mlro|auditor|admin [--password-stdin] [--json]")
	}
	var email, role string
	var fromStdin, asJSON bool
	return withSystem(ctx, e, "user create", args[1:], func(_ *config.Config, fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "e-mail address the user signs in with (required)")
		fs.StringVar(&role, "role", "", "role: analyst, mlro, auditor or admin (required)")
		fs.BoolVar(&fromStdin, "password-stdin", false, "read the password from the first line of standard input")
		fs.BoolVar(&asJSON, "json", false, "print one JSON object")
	}, func(sys *system, pos []string) error {
		if len(pos) > 0 {
			return usageErr("unexpected argument %q", pos[0])
		}
		in := app.CreateUserInput{Email: email, Role: role}
		if fromStdin {
			line, err := bufio.NewReader(e.Stdin).ReadString('\n')
			if err != nil && line == "" {
				return usageErr("--password-stdin: no password on standard input")
			}
			in.Password = strings.TrimRight(line, "\r\n")
			if in.Password == "" {
				return usageErr("--password-stdin: the password is empty")
			}
		}
		nu, err := sys.app.Users.Create(ctx, operator(), in)
		if err != nil {
			return describe(err)
		}
		if asJSON {
			out := map[string]any{"id": nu.User.ID, "email": nu.User.Email, "role": nu.User.Role, "must_change_password": nu.User.MustChangePassword}
			if nu.OneTimePassword != "" {
				out["one_time_password"] = nu.OneTimePassword
			}
			return printJSON(e.Stdout, out)
		}
		fmt.Fprintf(e.Stdout, "user:  %s\nemail: %s\nrole:  %s\n", nu.User.ID, nu.User.Email, nu.User.Role)
		if nu.OneTimePassword != "" {
			fmt.Fprintf(e.Stdout, "one-time password: %s\n\nShown only now. It must be changed at the first sign-in", nu.OneTimePassword)
		} else {
			fmt.Fprint(e.Stdout, "\nSign in with the password you gave")
		}
		if app.RequiresTOTP(nu.User.Role) {
			fmt.Fprint(e.Stdout, "; the role also needs an authenticator app, set up at the first sign-in")
		}
		fmt.Fprintln(e.Stdout, ".")
		return nil
	})
}
