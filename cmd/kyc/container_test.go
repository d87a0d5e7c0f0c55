package main_test

// TestContainerConstraints runs the built binary the way the Dockerfile's
// image runs it, since no container runtime is available here: as the
// image's non-root user (uid 65532, when the test runs as root), with no
// HOME and a minimal environment, its working directory read-only (the
// image's root file system), writable only the data directory (the
// volume) and a temporary directory (the tmpfs on /tmp), listening on
// 0.0.0.0. kyc must migrate, serve, answer /readyz and take a customer
// with a document, writing nowhere else.

import (
	"encoding/json"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store/testdb"
	"github.com/kyc-platform/kyc/internal/vault"
)

// imageUID is the distroless nonroot user the Dockerfile runs as.
const imageUID = 65532

func TestContainerConstraints(t *testing.T) {
	bin := kycBinary(t)
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			var dbURL string
			if engine == testdb.Postgres {
				dbURL = testdb.PostgresURL(t) // skips without KYC_TEST_POSTGRES_URL
			}
			containerRun(t, bin, dbURL)
		})
	}
}

func containerRun(t *testing.T, bin, dbURL string) {
	// A root the other user can traverse (t.TempDir's are 0700).
	root, err := os.MkdirTemp("", "kyc-container-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(root) })
	mustChmod(t, root, 0o755)
	asRoot := os.Geteuid() == 0
	var cred *syscall.SysProcAttr
	if asRoot {
		cred = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: imageUID, Gid: imageUID}}
	} else {
		t.Logf("not running as root: kyc runs as uid %d (the image's uid %d needs root to switch to)", os.Geteuid(), imageUID)
	}
	// The image's file system: the binary and a working directory nobody
	// may write to.
	binDir := filepath.Join(root, "usr-local-bin")
	mustMkdir(t, binDir, 0o755)
	imageBin := filepath.Join(binDir, "kyc")
	src, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(imageBin, src, 0o755); err != nil {
		t.Fatal(err)
	}
	mustChmod(t, binDir, 0o555)
	cwd := filepath.Join(root, "rootfs")
	mustMkdir(t, cwd, 0o555)
	// The volume and the tmpfs, owned by the image's user.
	data, tmp := filepath.Join(root, "data"), filepath.Join(root, "tmp")
	for _, d := range []string{data, tmp} {
		mustMkdir(t, d, 0o700)
		if asRoot {
			if err := os.Chown(d, imageUID, imageUID); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Cleanup(func() { mustChmod(t, binDir, 0o755); mustChmod(t, cwd, 0o755) })

	addr := freeAddr(t)
	_, port, _ := net.SplitHostPort(addr)
	e := &env{t: t, bin: imageBin, dataDir: data, base: "http://127.0.0.1:" + port}
	// Only what the image sets (no HOME, no USER), plus the test's own.
	vars := []string{"PATH=/usr/bin:/bin", "TMPDIR=" + tmp, "KYC_ADDR=0.0.0.0:" + port, "KYC_DATA_DIR=" + data,
		"KYC_LOG_FORMAT=json", "KYC_MASTER_KEY=" + vault.GenerateKey()}
	if dbURL != "" {
		vars = append(vars, "KYC_DATABASE_URL="+dbURL)
	}
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(imageBin, args...)
		cmd.Env, cmd.Dir, cmd.SysProcAttr = vars, cwd, cred
		out, err := cmd.Output()
		if err != nil {
			stderr := ""
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = string(ee.Stderr)
			}
			t.Fatalf("kyc %v under the container's constraints: %v\n%s%s", args, err, out, stderr)
		}
		return string(out)
	}
	run("migrate")
	c := e.newClientWith(run)

	// kyc serve, with its environment exactly vars (not the test's).
	stop := e.serve(vars, cred, cwd)
	e.token(c)
	// Listening on every interface: reachable on a non-loopback address too.
	if ip := nonLoopback(); ip != "" {
		resp, err := http.Get("http://" + net.JoinHostPort(ip, port) + "/readyz")
		if err != nil {
			t.Fatalf("/readyz on %s: %v (kyc must listen on 0.0.0.0 in a container)", ip, err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("/readyz on %s: %d", ip, resp.StatusCode)
		}
	} else {
		t.Log("no non-loopback address on this machine: 0.0.0.0 checked through the loopback only")
	}
	var cust customerResp
	if st := e.call(c, http.MethodPost, "/api/v1/customers", individual("Ines", "Container", "1980-01-02", "SE", false), &cust); st != 201 {
		t.Fatalf("create customer: %d", st)
	}
	doc := kyctest.PNG()
	docID := e.uploadDoc(c, cust.ID, doc)
	req, _ := http.NewRequest(http.MethodGet, e.base+"/api/v1/customers/"+cust.ID+"/documents/"+docID, nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || len(got) != len(doc) {
		t.Fatalf("read the document back: %d, %d bytes", resp.StatusCode, len(got))
	}
	stop()

	// Nothing written outside the volume (and the tmpfs); what is in the
	// volume belongs to the image's user and is readable by it alone.
	if entries, _ := os.ReadDir(cwd); len(entries) > 0 {
		t.Errorf("kyc wrote into its working directory: %v", entries)
	}
	n := 0
	_ = filepath.WalkDir(data, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == data {
			return err
		}
		n++
		st, err := os.Stat(p)
		if err != nil {
			return err
		}
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %04o, want owner-only", strings.TrimPrefix(p, data), st.Mode().Perm())
		}
		if sys, ok := st.Sys().(*syscall.Stat_t); ok && asRoot && sys.Uid != imageUID {
			t.Errorf("%s belongs to uid %d, want %d", strings.TrimPrefix(p, data), sys.Uid, imageUID)
		}
		return nil
	})
	if n == 0 {
		t.Error("nothing written to the data directory: the document should be there")
	}
}

// newClientWith creates an API client with run (kyc under constraints).
func (e *env) newClientWith(run func(args ...string) string) *client {
	e.t.Helper()
	out := run("client", "create", "--name", "container", "--scopes", "all", "--json")
	var c struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil || c.ClientID == "" {
		e.t.Fatalf("client create printed %q: %v", out, err)
	}
	return &client{id: c.ClientID, secret: c.ClientSecret}
}

func nonLoopback() string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return ""
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP.String()
		}
	}
	return ""
}

func mustMkdir(t *testing.T, p string, mode os.FileMode) {
	t.Helper()
	if err := os.Mkdir(p, mode); err != nil {
		t.Fatal(err)
	}
	mustChmod(t, p, mode)
}

func mustChmod(t *testing.T, p string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
}
