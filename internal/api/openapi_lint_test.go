package api_test

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// spectral is the linter pinned in web/package.json (devDependencies), that
// make assets installs with npm ci.
const spectral = "../../web/node_modules/.bin/spectral"

// TestOpenAPILint lints the served document with Spectral's recommended
// OpenAPI rules (testdata/spectral.yaml) and fails on any error (issue 14).
// It skips only when the linter is not installed, and never on CI
// (CI=true), where make test installs it.
func TestOpenAPILint(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(spectral); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("spectral is not installed (%v); make assets installs it from web/package.json", err)
		}
		t.Skipf("spectral is not installed (%v): run make assets (npm ci in web/) to lint the OpenAPI document", err)
	}
	doc := served(t, setup(t, "sqlite"))
	file := filepath.Join(t.TempDir(), "openapi.json")
	if err := os.WriteFile(file, doc.raw, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(spectral, "lint", "--quiet", "--format", "json", "--fail-severity", "error", "--ruleset", "testdata/spectral.yaml", file)
	out, err := cmd.Output()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("spectral: %v", err)
	}
	var results []struct {
		Code     string `json:"code"`
		Message  string `json:"message"`
		Path     []any  `json:"path"`
		Severity int    `json:"severity"` // 0 error, 1 warning, 2 info, 3 hint
	}
	if jerr := json.Unmarshal(out, &results); jerr != nil {
		t.Fatalf("spectral output (%v): %s %s", jerr, out, stderrOf(err))
	}
	errs, warnings := 0, 0
	for _, r := range results {
		switch r.Severity {
		case 0:
			errs++
			t.Errorf("spectral error %s at %v: %s", r.Code, r.Path, r.Message)
		case 1:
			warnings++
			t.Logf("spectral warning %s at %v: %s", r.Code, r.Path, r.Message)
		}
	}
	if errs == 0 && err != nil {
		t.Fatalf("spectral failed without reporting an error: %v %s", err, stderrOf(err))
	}
	t.Logf("spectral: %d errors, %d warnings", errs, warnings)
}

func stderrOf(err error) string {
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return string(exit.Stderr)
	}
	return ""
}
