package postgres

import (
	"os"
	"strings"
	"testing"
)

// TestStaffReposMatchSQLite keeps staff_repos.go identical to
// ../sqlite/staff_repos.go apart from the package clause, the generated
// package's import path and the cross-reference comment.
func TestStaffReposMatchSQLite(t *testing.T) {
	normalise := func(path, pkg, gen, other string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s := strings.Replace(string(b), "package "+pkg+"\n", "package X\n", 1)
		s = strings.Replace(s, gen, "GEN", 1)
		return strings.Replace(s, other, "OTHER", 1)
	}
	pg := normalise("staff_repos.go", "postgres", "internal/store/postgres/pgdb", "../sqlite/staff_repos.go")
	lite := normalise("../sqlite/staff_repos.go", "sqlite", "internal/store/sqlite/sqlitedb", "../postgres/staff_repos.go")
	if pg != lite {
		t.Fatal("postgres/staff_repos.go and sqlite/staff_repos.go differ; edit one and copy it to the other")
	}
}
