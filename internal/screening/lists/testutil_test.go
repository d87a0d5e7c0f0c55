package lists

import (
	"os"
	"path/filepath"
	"testing"
)

// dataDir is the shared real list folder, relative to this package.
const dataDir = "../../../../shared/data/lists"

// openFiles opens real list files or skips the test naming the missing path.
func openFiles(t testing.TB, rel ...string) []File {
	t.Helper()
	var fs []File
	for _, r := range rel {
		p := filepath.Join(dataDir, r)
		f, err := os.Open(p)
		if os.IsNotExist(err) {
			t.Skipf("real list data missing: %s (the ../shared/data/lists folder beside the repository)", p)
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		fs = append(fs, File{Name: filepath.Base(p), R: f})
	}
	return fs
}
