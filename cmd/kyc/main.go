// Command kyc is a self-hosted KYC/AML compliance platform: onboarding,
// identity checks, sanctions and PEP screening, risk rating, case management
// and an audit trail, in one binary.
package main

import (
	"context"
	"os"

	"github.com/kyc-platform/kyc/internal/cli"
)

func main() {
	os.Exit(cli.Run(context.Background(), &cli.Env{Args: os.Args, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
}
