// Package archtest keeps kyc's layers sealed: transports (api, web, jobs,
// cli) call app, app calls domain and the store ports, and the pure
// packages (domain, screening, risk) depend on nothing of kyc. Rules holds
// the import rules as a table; its test lists every package of the module
// with `go list` and fails on each import a rule forbids, naming the
// import and the rule. Only the imports of non-test files are checked:
// tests may reach into the store to set up and inspect their data.
package archtest

import (
	"fmt"
	"slices"
	"strings"
)

// Rule is one import rule. Paths are relative to the module
// ("internal/app") unless they name another module or the standard library
// ("net/http"); "x/..." means x and every package below it.
type Rule struct {
	// Name says what the rule keeps, in a few words.
	Name string
	// From lists the packages the rule applies to, less Except.
	From, Except []string
	// Deny lists imports the packages may not have.
	Deny []string
	// Only, when not nil, lists the only packages of the module they may
	// import (the standard library and other modules stay free).
	Only []string
}

// Rules are kyc's layering rules.
var Rules = []Rule{
	{Name: "transports do not import the store: they call app, which hands them app and domain types",
		From: []string{"internal/api/...", "internal/web/...", "internal/jobs/..."},
		Deny: []string{"internal/store/..."}},
	{Name: "app holds no HTTP and knows no transport",
		From: []string{"internal/app/..."},
		Deny: []string{"net/http", "internal/httpx/...", "internal/api/...", "internal/web/...", "internal/jobs/...", "internal/cli/..."}},
	{Name: "the API does not import the web pages (shared paths live in internal/routes)",
		From: []string{"internal/api/..."},
		Deny: []string{"internal/web/..."}},
	{Name: "the web pages do not import the API or the jobs",
		From: []string{"internal/web/..."},
		Deny: []string{"internal/api/...", "internal/jobs/..."}},
	{Name: "the jobs do not import the API or the web pages",
		From: []string{"internal/jobs/..."},
		Deny: []string{"internal/api/...", "internal/web/..."}},
	{Name: "screening is pure: it uses nothing of kyc but domain",
		From: []string{"internal/screening/..."},
		Only: []string{"internal/domain", "internal/screening/..."}},
	{Name: "risk is pure: it uses nothing of kyc but domain",
		From: []string{"internal/risk/..."},
		Only: []string{"internal/domain"}},
	{Name: "domain imports nothing of kyc",
		From: []string{"internal/domain/..."},
		Only: []string{"internal/domain/..."}},
	{Name: "routes is a leaf that both the API and the web pages read",
		From: []string{"internal/routes/..."},
		Only: []string{}},
	{Name: "only the composition root (cli) picks a database engine",
		From:   []string{"..."},
		Except: []string{"internal/cli/...", "internal/store/..."},
		Deny:   []string{"internal/store/sqlite/...", "internal/store/postgres/..."}},
}

// Package is a package of the module and its imports (full import paths),
// as `go list` reports them.
type Package struct {
	ImportPath string
	Imports    []string
}

// Violation is one forbidden import.
type Violation struct {
	Package, Import string // module-relative where they are in the module
	Rule            string
}

// String names the offending import and the rule.
func (v Violation) String() string {
	return fmt.Sprintf("%s imports %s, but %s", v.Package, v.Import, v.Rule)
}

// Check applies the rules to the packages of module (its path, e.g.
// "github.com/kyc-platform/kyc") and returns every violation, in package
// order.
func Check(rules []Rule, module string, pkgs []Package) []Violation {
	var out []Violation
	for _, p := range pkgs {
		from, ok := relative(module, p.ImportPath)
		if !ok {
			continue
		}
		for _, r := range rules {
			if !r.Applies(from) {
				continue
			}
			for _, imp := range p.Imports {
				rel, inModule := relative(module, imp)
				denied := matchAny(r.Deny, rel)
				if r.Only != nil && inModule && !matchAny(r.Only, rel) {
					denied = true
				}
				if denied {
					out = append(out, Violation{Package: from, Import: rel, Rule: r.Name})
				}
			}
		}
	}
	return out
}

// Applies reports whether the rule applies to a module-relative package.
func (r Rule) Applies(pkg string) bool {
	return matchAny(r.From, pkg) && !matchAny(r.Except, pkg)
}

// relative returns the path of an import inside the module ("internal/app",
// "." for the root) and true, or the path unchanged and false when it is
// outside the module.
func relative(module, path string) (string, bool) {
	if path == module {
		return ".", true
	}
	if rest, ok := strings.CutPrefix(path, module+"/"); ok {
		return rest, true
	}
	return path, false
}

func matchAny(patterns []string, path string) bool {
	return slices.ContainsFunc(patterns, func(p string) bool { return match(p, path) })
}

// match reports whether path matches pattern: exactly, or as "x/..." for x
// and every package below it ("..." alone matches everything).
func match(pattern, path string) bool {
	if pattern == "..." {
		return true
	}
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return path == base || strings.HasPrefix(path, base+"/")
	}
	return path == pattern
}
