package postgres

import (
	"os"
	"strings"
	"testing"
)

// TestReposMatchSQLite keeps repos.go identical to ../sqlite/repos.go apart
// from the package clause, the generated package's import path and the
// cross-reference comment: the two engines share their repository code.
func TestReposMatchSQLite(t *testing.T) {
	normalise := func(path, pkg, gen, other string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s := strings.Replace(string(b), "package "+pkg+"\n", "package X\n", 1)
		s = strings.Replace(s, gen, "GEN", 1)
		return strings.Replace(s, other, "OTHER", 1)
	}
	pg := normalise("repos.go", "postgres", "internal/store/postgres/pgdb", "../sqlite/repos.go")
	lite := normalise("../sqlite/repos.go", "sqlite", "internal/store/sqlite/sqlitedb", "../postgres/repos.go")
	if pg != lite {
		t.Fatal("postgres/repos.go and sqlite/repos.go differ; edit one and copy it to the other " +
			"(sed 's/^package sqlite$/package postgres/; s|sqlite/sqlitedb|postgres/pgdb|; s|../postgres/repos.go|../sqlite/repos.go|')")
	}
}
