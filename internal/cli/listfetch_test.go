package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/kyctest"
)

// TestListsSyncRedirects: kyc lists sync follows a redirect on the
// configured host (a mirror reorganised) but refuses one to another,
// private host — here another loopback port standing for the cloud
// metadata service or an internal admin port — and keeps the list in use
// (hardening item 17).
func TestListsSyncRedirects(t *testing.T) {
	t.Parallel()
	fixture := kyctest.OFACDir(t)
	internal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		t.Error("the redirect to another private host was followed")
		w.WriteHeader(http.StatusTeapot)
	}))
	defer internal.Close()
	files := http.FileServer(http.Dir(fixture))
	mirror := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/old/"):
			http.Redirect(w, r, "/"+strings.TrimPrefix(r.URL.Path, "/old/"), http.StatusMovedPermanently)
		case strings.HasPrefix(r.URL.Path, "/away/"):
			http.Redirect(w, r, internal.URL+"/latest/meta-data", http.StatusFound)
		default:
			files.ServeHTTP(w, r)
		}
	}))
	defer mirror.Close()
	dir := t.TempDir()
	srcs := filepath.Join(dir, "sources.json")
	write := func(prefix string) {
		t.Helper()
		if err := os.WriteFile(srcs, []byte(fmt.Sprintf(`[{"name":"ofac_sdn","files":[{"name":"sdn.csv","url":"%[1]s/%[2]ssdn.csv"},{"name":"alt.csv","url":"%[1]s/alt.csv"},{"name":"add.csv","url":"%[1]s/add.csv"},{"name":"sdn_comments.csv","url":"%[1]s/sdn_comments.csv"}]}]`, mirror.URL, prefix)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("old/")
	out, errs, code := runCLI(t, dir, "lists", "sync", "--sources", srcs)
	if code != 0 || !strings.Contains(out, "3 entities") {
		t.Fatalf("redirect on the mirror itself: exit %d: %s %s", code, out, errs)
	}
	write("away/")
	out, errs, code = runCLI(t, dir, "lists", "sync", "--sources", srcs, "--force")
	if code != 1 || !strings.Contains(out+errs, "FAILED, list in use kept") || !strings.Contains(out+errs, "redirect to "+strings.TrimPrefix(internal.URL, "http://")+" refused") {
		t.Fatalf("redirect to another private host: exit %d: %s %s", code, out, errs)
	}
}
