package config

import (
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the README's configuration table from Settings")

// developerVariables are read by tests, benchmarks and the screening
// evaluation only, never by kyc itself; the README names them under
// "Development".
func developerVariable(name string) bool {
	for _, p := range []string{"KYC_TEST_", "KYC_BENCH_", "KYC_EVAL_"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

func settingNames() []string {
	var out []string
	for _, s := range Settings() {
		out = append(out, s.Name)
	}
	return out
}

// TestSettingsAreWhatFromEnvReads: every variable FromEnv asks for is in
// Settings and every setting is asked for (issue 14, item 4: the list, and
// so the README table written from it, is the configuration code's).
func TestSettingsAreWhatFromEnvReads(t *testing.T) {
	t.Parallel()
	read := map[string]bool{}
	if _, err := FromEnv(func(k string) string { read[k] = true; return "" }); err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, n := range settingNames() {
		if listed[n] {
			t.Errorf("%s is listed twice", n)
		}
		listed[n] = true
		if !read[n] {
			t.Errorf("%s is in Settings but FromEnv never reads it", n)
		}
	}
	for n := range read {
		if !listed[n] {
			t.Errorf("FromEnv reads %s, which Settings does not list", n)
		}
	}
}

// TestSettingsLiteralDefaults: setting every variable to the default the
// list states gives exactly the configuration of an empty environment, so
// no documented default can drift from Default.
func TestSettingsLiteralDefaults(t *testing.T) {
	t.Parallel()
	env := map[string]string{}
	for _, s := range Settings() {
		if s.Literal() {
			env[s.Name] = s.Default
		}
	}
	got, err := FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	want, err := FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		for _, s := range Settings() {
			if !s.Literal() {
				continue
			}
			one, _ := FromEnv(func(k string) string {
				if k == s.Name {
					return s.Default
				}
				return ""
			})
			if !reflect.DeepEqual(one, want) {
				t.Errorf("%s: the documented default %q is not the default", s.Name, s.Default)
			}
		}
		t.Fatalf("documented defaults differ from those of an empty environment")
	}
}

// TestSettingsFlags: each flag of kyc (Bind, BindServe) names its variable
// in its usage, and Settings gives that variable the same flag.
func TestSettingsFlags(t *testing.T) {
	t.Parallel()
	c := Default()
	fs := flag.NewFlagSet("kyc", flag.ContinueOnError)
	c.Bind(fs)
	c.BindServe(fs)
	byFlag := map[string]string{}
	for _, s := range Settings() {
		if s.Flag != "" {
			byFlag[s.Flag] = s.Name
		}
	}
	seen := map[string]bool{}
	fs.VisitAll(func(f *flag.Flag) {
		name := "--" + f.Name
		seen[name] = true
		v, ok := byFlag[name]
		if !ok {
			t.Errorf("flag %s is in no setting", name)
			return
		}
		if !strings.Contains(f.Usage, "("+v+")") && !strings.Contains(f.Usage, "("+v+";") {
			t.Errorf("flag %s: usage %q does not name %s", name, f.Usage, v)
		}
	})
	for f, v := range byFlag {
		if !seen[f] {
			t.Errorf("%s names flag %s, which kyc does not have", v, f)
		}
	}
}

// TestSettingsReadOnlyThroughConfig: no other non-test code of the module
// reads a KYC_ variable that is not a setting (configuration is read in
// one place; tests and benchmarks have their own KYC_TEST_, KYC_BENCH_,
// KYC_EVAL_ variables).
func TestSettingsReadOnlyThroughConfig(t *testing.T) {
	t.Parallel()
	root := moduleRoot(t)
	lit := regexp.MustCompile(`"(KYC_[A-Z0-9_]*[A-Z0-9])"`)
	listed := map[string]bool{}
	for _, n := range settingNames() {
		listed[n] = true
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range lit.FindAllStringSubmatch(string(b), -1) {
			if !listed[m[1]] && !developerVariable(m[1]) {
				rel, _ := filepath.Rel(root, p)
				t.Errorf("%s reads %s, which is not a setting (add it to Settings and the README)", rel, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSettingsTable: the README's configuration table is exactly Settings,
// row for row, both ways (issue 14, item 4). Run with -update to rewrite
// it from the list.
func TestSettingsTable(t *testing.T) {
	path := filepath.Join(moduleRoot(t), "README.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	start, end, err := settingsTableSpan(readme)
	if err != nil {
		t.Fatal(err)
	}
	want := SettingsTable()
	if *update {
		if err := os.WriteFile(path, []byte(readme[:start]+want+readme[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got := readme[start:end]
	if got == want {
		return
	}
	documented := map[string]bool{}
	row := regexp.MustCompile("(?m)^\\| `(KYC_[A-Z0-9_]+)`")
	for _, m := range row.FindAllStringSubmatch(got, -1) {
		documented[m[1]] = true
	}
	for _, n := range settingNames() {
		if !documented[n] {
			t.Errorf("README: no row for %s", n)
		}
		delete(documented, n)
	}
	for n := range documented {
		t.Errorf("README documents %s, which kyc does not read", n)
	}
	gotRows, wantRows := strings.Split(got, "\n"), strings.Split(want, "\n")
	for _, r := range wantRows {
		if !slices.Contains(gotRows, r) {
			t.Errorf("README lacks the row\n%s", r)
		}
	}
	t.Fatal("the README's configuration table is not Settings: go test ./internal/config -run TestSettingsTable -update")
}

// settingsTableSpan finds the table under "## Configuration": the offsets
// of its header line and of the end of its last row.
func settingsTableSpan(readme string) (int, int, error) {
	sec := strings.Index(readme, "\n## Configuration\n")
	if sec < 0 {
		return 0, 0, errNoTable
	}
	start := strings.Index(readme[sec:], "\n| variable |")
	if start < 0 {
		return 0, 0, errNoTable
	}
	start += sec + 1
	end := start
	for end < len(readme) && readme[end] == '|' {
		nl := strings.IndexByte(readme[end:], '\n')
		if nl < 0 {
			return start, len(readme), nil
		}
		end += nl + 1
	}
	return start, end, nil
}

type tableError string

func (e tableError) Error() string { return string(e) }

const errNoTable = tableError(`README: no "| variable |" table under "## Configuration"`)

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
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}
