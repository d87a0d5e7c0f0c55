package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestLayers checks the imports of every package of the module against
// Rules.
func TestLayers(t *testing.T) {
	module, pkgs := listModule(t)
	for _, v := range Check(Rules, module, pkgs) {
		t.Error(v)
	}
	// A rule that applies to no package has a typo or outlived its
	// packages: either way it checks nothing.
	for _, r := range Rules {
		if !slices.ContainsFunc(pkgs, func(p Package) bool {
			rel, ok := relative(module, p.ImportPath)
			return ok && r.Applies(rel)
		}) {
			t.Errorf("rule %q applies to no package of %s", r.Name, module)
		}
	}
}

// listModule runs `go list` on the whole module from its root and returns
// the module path and its packages with the imports of their non-test
// files.
func listModule(t *testing.T) (string, []Package) {
	t.Helper()
	root := moduleRoot(t)
	run := func(args ...string) []byte {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir = root
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
		}
		return out
	}
	module := strings.TrimSpace(string(run("list", "-m")))
	dec := json.NewDecoder(bytes.NewReader(run("list", "-json=ImportPath,Imports", "./...")))
	var pkgs []Package
	for {
		var p Package
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	// Guard against a listing that checks nothing.
	for _, want := range []string{"internal/app", "internal/api", "internal/store", "internal/domain", "internal/archtest"} {
		if !slices.ContainsFunc(pkgs, func(p Package) bool { return p.ImportPath == module+"/"+want }) {
			t.Fatalf("go list found no %s in %s (%d packages)", want, module, len(pkgs))
		}
	}
	return module, pkgs
}

// moduleRoot is the directory of the go.mod above the working directory.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// TestRulesCatchViolations runs the real rules on a made-up module with
// one forbidden import per rule (and allowed ones beside them), so that a
// rule that cannot fail is noticed.
func TestRulesCatchViolations(t *testing.T) {
	const m = "example.com/kyc"
	pkg := func(path string, imports ...string) Package {
		for i, imp := range imports {
			if strings.HasPrefix(imp, "internal/") || strings.HasPrefix(imp, "cmd/") {
				imports[i] = m + "/" + imp
			}
		}
		return Package{ImportPath: m + "/" + path, Imports: imports}
	}
	pkgs := []Package{
		// Allowed: each layer importing what it may.
		pkg("cmd/kyc", "internal/cli"),
		pkg("internal/cli", "internal/api", "internal/store", "internal/store/sqlite", "internal/store/postgres", "net/http"),
		pkg("internal/api", "internal/app", "internal/domain", "internal/httpx", "internal/routes", "net/http"),
		pkg("internal/web/staff", "internal/app", "internal/web", "internal/httpx", "net/http"),
		pkg("internal/jobs", "internal/app", "database/sql", "github.com/riverqueue/river"),
		pkg("internal/app", "internal/domain", "internal/store", "internal/screening", "database/sql"),
		pkg("internal/app/inline", "internal/app"),
		pkg("internal/screening/lists", "internal/screening", "internal/domain", "encoding/xml"),
		pkg("internal/risk", "internal/domain", "gopkg.in/yaml.v3"),
		pkg("internal/domain", "time"),
		pkg("internal/routes", "strings"),
		pkg("internal/store/testdb", "internal/store/sqlite", "internal/store/postgres"),
		// Forbidden: one per rule.
		pkg("internal/web/applicant", "internal/app", "internal/store"),
		pkg("internal/jobs/extra", "internal/store/sqlite"),
		pkg("internal/app/extra", "net/http", "internal/httpx"),
		pkg("internal/api/extra", "internal/web/applicant"),
		pkg("internal/web/extra", "internal/api"),
		pkg("internal/jobs/more", "internal/web"),
		pkg("internal/screening/extra", "internal/config"),
		pkg("internal/risk/extra", "internal/screening"),
		pkg("internal/domain/extra", "internal/domain", "internal/app"),
		pkg("internal/routes/extra", "internal/web"),
		pkg("internal/kyctest", "internal/store/postgres"),
	}
	var got []string
	for _, v := range Check(Rules, m, pkgs) {
		got = append(got, v.String())
	}
	want := []string{
		"internal/web/applicant imports internal/store, but " + Rules[0].Name,
		"internal/jobs/extra imports internal/store/sqlite, but " + Rules[0].Name,
		"internal/jobs/extra imports internal/store/sqlite, but " + Rules[9].Name,
		"internal/app/extra imports net/http, but " + Rules[1].Name,
		"internal/app/extra imports internal/httpx, but " + Rules[1].Name,
		"internal/api/extra imports internal/web/applicant, but " + Rules[2].Name,
		"internal/web/extra imports internal/api, but " + Rules[3].Name,
		"internal/jobs/more imports internal/web, but " + Rules[4].Name,
		"internal/screening/extra imports internal/config, but " + Rules[5].Name,
		"internal/risk/extra imports internal/screening, but " + Rules[6].Name,
		"internal/domain/extra imports internal/app, but " + Rules[7].Name,
		"internal/routes/extra imports internal/web, but " + Rules[8].Name,
		"internal/kyctest imports internal/store/postgres, but " + Rules[9].Name,
	}
	if !slices.Equal(got, want) {
		t.Errorf("violations:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	// Every rule is exercised above.
	for _, r := range Rules {
		if !slices.ContainsFunc(want, func(w string) bool { return strings.HasSuffix(w, ", but "+r.Name) }) {
			t.Errorf("rule %q has no failing case", r.Name)
		}
	}
}

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, path string
		want          bool
	}{
		{"internal/store/...", "internal/store", true},
		{"internal/store/...", "internal/store/sqlite/sqlitedb", true},
		{"internal/store/...", "internal/storefront", false},
		{"internal/domain", "internal/domain/extra", false},
		{"net/http", "net/http/httptest", false},
		{"...", "cmd/kyc", true},
	} {
		if got := match(tc.pattern, tc.path); got != tc.want {
			t.Errorf("match(%q, %q) = %v, want %v", tc.pattern, tc.path, got, tc.want)
		}
	}
}
