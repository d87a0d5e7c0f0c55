package kyctest_test

import (
	"os/exec"
	"strings"
	"testing"
)

// The harness is for tests only: no package of the module imports it
// outside its _test.go files (kyc demo shares the clock and the queue
// through internal/app/inline instead).
func TestOnlyTestsImportTheHarness(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH: cannot list the module's imports")
	}
	const harness = "github.com/kyc-platform/kyc/internal/kyctest"
	// .Imports lists the imports of a package's non-test files only.
	out, err := exec.Command(goTool, "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "github.com/kyc-platform/kyc/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkgs++
		for _, imp := range f[1:] {
			if imp == harness {
				t.Errorf("%s imports %s outside its tests", f[0], harness)
			}
		}
	}
	if pkgs < 10 {
		t.Fatalf("go list found %d packages; the check saw nothing", pkgs)
	}
}
