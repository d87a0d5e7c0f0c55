package cli

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/kyc-platform/kyc/internal/config"
)

// helpExtra is what a command's help shows after its flags.
func helpExtra(name string) func(io.Writer, *flag.FlagSet) {
	if name == "serve" {
		return printSettings
	}
	return nil
}

// settingNames are the environment variables the configuration reads,
// found by letting config.FromEnv read an empty environment: the list
// cannot drift from the code.
func settingNames() []string {
	var names []string
	_, _ = config.FromEnv(func(name string) string {
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
		return ""
	})
	slices.Sort(names)
	return names
}

// printSettings lists every setting of kyc serve with its environment
// variable and, where there is one, its flag.
func printSettings(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintln(w, "Settings (environment variables; a flag, where there is one, wins; README, \"Configuration\", describes each):")
	for _, n := range settingNames() {
		flagName := strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(n, "KYC_")), "_", "-")
		if fs.Lookup(flagName) != nil {
			fmt.Fprintf(w, "  %-36s --%s\n", n, flagName)
		} else {
			fmt.Fprintf(w, "  %s\n", n)
		}
	}
}
