package main_test

// kyc backup and restore, end to end with the built binary: a backup taken
// while kyc serve is writing is a consistent point-in-time copy that,
// restored into a fresh data directory as the README says (cp -a), passes
// kyc audit verify and serves its customers and documents again.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store/testdb"
	"github.com/kyc-platform/kyc/internal/vault"
)

// runFull executes a kyc command and returns stdout, stderr and the exit code.
func (e *env) runFull(args ...string) (string, string, int) {
	e.t.Helper()
	cmd := exec.Command(e.bin, args...)
	cmd.Env = append(os.Environ(), e.vars...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatalf("kyc %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

// serve starts kyc serve with the environment environ (nil: the test's
// with e.vars), waits for /readyz at e.base and returns a function
// stopping it with SIGTERM (also run at cleanup).
func (e *env) serve(environ []string, attr *syscall.SysProcAttr, dir string) func() {
	e.t.Helper()
	t := e.t
	srv := exec.Command(e.bin, "serve")
	srv.Env = environ
	if environ == nil {
		srv.Env = append(os.Environ(), e.vars...)
	}
	srv.SysProcAttr = attr
	srv.Dir = dir
	logs := &lockedBuffer{}
	srv.Stdout, srv.Stderr = logs, logs
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			_ = srv.Process.Signal(syscall.SIGTERM)
			done := make(chan error, 1)
			go func() { done <- srv.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("kyc serve did not stop cleanly on SIGTERM: %v\n%s", err, logs.String())
				}
			case <-time.After(60 * time.Second):
				_ = srv.Process.Kill()
				t.Errorf("kyc serve did not stop within 60s of SIGTERM")
			}
		})
	}
	t.Cleanup(stop)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		resp, err := http.Get(e.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return stop
			}
		}
		if ctx.Err() != nil {
			t.Fatalf("kyc serve not ready at %s: %v\n%s", e.base, err, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// letters names the n-th customer with letters only (names are letters).
func letters(n int) string {
	s := ""
	for {
		s = string(rune('a'+n%26)) + s
		n /= 26
		if n == 0 {
			return "Backup" + s
		}
	}
}

// createCustomer creates one draft over HTTP without the testing.T (it
// runs in the writer goroutine).
func createCustomer(base, token, family string) (string, error) {
	b, _ := json.Marshal(individual("Eva", family, "1985-03-04", "SE", false))
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/customers", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct{ ID string }
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 201 || json.Unmarshal(raw, &out) != nil || out.ID == "" {
		return "", fmt.Errorf("create %s: %d %s", family, resp.StatusCode, raw)
	}
	return out.ID, nil
}

// uploadDoc uploads content as a document of the customer and returns its id.
func (e *env) uploadDoc(c *client, customer string, content []byte) string {
	e.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("kind", "identity_document")
	fw, _ := w.CreateFormFile("file", "scan.png")
	_, _ = fw.Write(content)
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, e.base+"/api/v1/customers/"+customer+"/documents", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out struct{ ID string }
	if resp.StatusCode != 201 || json.Unmarshal(raw, &out) != nil || out.ID == "" {
		e.t.Fatalf("upload: %d %s", resp.StatusCode, raw)
	}
	return out.ID
}

func TestBackupRestoreRoundTrip(t *testing.T) {
	bin := kycBinary(t)
	key := vault.GenerateKey()
	addr := freeAddr(t)
	e := &env{t: t, bin: bin, dataDir: t.TempDir(), base: "http://" + addr}
	// The writer creates customers as fast as it can while the backup runs;
	// the API's rate limit (on by default) would refuse it part of the time,
	// which is not what this test is about.
	e.vars = []string{"KYC_DATA_DIR=" + e.dataDir, "KYC_ADDR=" + addr, "KYC_LOG_FORMAT=json", "KYC_DATABASE_URL=",
		"KYC_DOCUMENT_STORE=", "KYC_MASTER_KEY=" + key, "KYC_BASE_URL=", "KYC_RATE_LIMIT=off"}
	if out, code := e.run("migrate"); code != 0 {
		t.Fatalf("migrate: %d %s", code, out)
	}
	c := e.newClient("backup-writer")
	stop := e.serve(nil, nil, "")
	e.token(c)

	// Customers and a document committed before the backup starts: all of
	// them must be in it.
	var before []string
	for i := range 5 {
		id, err := createCustomer(e.base, c.token, letters(i))
		if err != nil {
			t.Fatal(err)
		}
		before = append(before, id)
	}
	doc := kyctest.PNG()
	docID := e.uploadDoc(c, before[0], doc)

	// A writer keeps creating customers while the backup runs.
	stopWriting := make(chan struct{})
	type result struct {
		ids []string
		err error
	}
	written := make(chan result, 1)
	go func() {
		var r result
		for i := 100; ; i++ {
			select {
			case <-stopWriting:
				written <- r
				return
			default:
			}
			id, err := createCustomer(e.base, c.token, letters(i))
			if err != nil {
				r.err = err
				written <- r
				return
			}
			r.ids = append(r.ids, id)
		}
	}()
	time.Sleep(200 * time.Millisecond) // let the writer get going
	dest := filepath.Join(t.TempDir(), "backup-1")
	out, stderr, code := e.runFull("backup", dest, "--json")
	close(stopWriting)
	during := <-written
	if during.err != nil {
		t.Fatalf("writer: %v", during.err)
	}
	if code != 0 {
		t.Fatalf("kyc backup while serving: exit %d\n%s%s", code, out, stderr)
	}
	var m struct {
		Dest          string
		SchemaVersion int64 `json:"schema_version"`
		Database      struct {
			File   string
			Bytes  int64
			SHA256 string
		}
		Documents         int
		MasterKeyIncluded bool `json:"master_key_included"`
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("backup --json printed %q: %v", out, err)
	}
	if m.Dest != dest || m.Database.File != "kyc.db" || m.Database.Bytes == 0 || len(m.Database.SHA256) != 64 || m.Documents != 1 || m.MasterKeyIncluded || m.SchemaVersion == 0 {
		t.Fatalf("backup manifest: %+v", m)
	}
	// Written after the backup returned: must not be in it.
	after, err := createCustomer(e.base, c.token, "Afterwards")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d customers written while the backup ran", len(during.ids))

	// The backup holds no master key unless asked, and is owner-only.
	if _, err := os.Stat(filepath.Join(dest, "master.key")); !os.IsNotExist(err) {
		t.Fatalf("master.key in a backup taken without --include-master-key: %v", err)
	}
	for _, p := range []string{dest, filepath.Join(dest, "kyc.db"), filepath.Join(dest, "backup.json"), filepath.Join(dest, "documents")} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %04o, want owner-only", p, st.Mode().Perm())
		}
	}
	// A backup never overwrites another; a second one with the key.
	if _, stderr, code := e.runFull("backup", dest); code != 2 || !strings.Contains(stderr, "not empty") {
		t.Fatalf("backup into a non-empty DEST: exit %d %s", code, stderr)
	}
	withKey := filepath.Join(t.TempDir(), "backup-2")
	if out, stderr, code := e.runFull("backup", withKey, "--include-master-key"); code != 0 || !strings.Contains(out, "master key: included") {
		t.Fatalf("backup --include-master-key: exit %d %s %s", code, out, stderr)
	}
	if b, err := os.ReadFile(filepath.Join(withKey, "master.key")); err != nil || strings.TrimSpace(string(b)) != key {
		t.Fatalf("master.key in the backup: %q %v", b, err)
	}
	stop()

	// Restore as the README says: copy the backup into a fresh data
	// directory, give the master key, verify the audit chain, serve.
	restored := filepath.Join(t.TempDir(), "restored")
	if out, err := exec.Command("cp", "-a", dest, restored).CombinedOutput(); err != nil {
		t.Fatalf("cp -a: %v %s", err, out)
	}
	addr2 := freeAddr(t)
	r := &env{t: t, bin: bin, dataDir: restored, base: "http://" + addr2}
	r.vars = []string{"KYC_DATA_DIR=" + restored, "KYC_ADDR=" + addr2, "KYC_LOG_FORMAT=json", "KYC_DATABASE_URL=",
		"KYC_DOCUMENT_STORE=", "KYC_MASTER_KEY=" + key, "KYC_BASE_URL=", "KYC_RATE_LIMIT=off"}
	if out, stderr, code := r.runFull("audit", "verify"); code != 0 {
		t.Fatalf("kyc audit verify on the restored data: exit %d\n%s%s", code, out, stderr)
	}
	r.serve(nil, nil, "")
	r.token(c) // the API client's credentials came back with the data
	for i, id := range before {
		var got struct {
			Status     string
			FamilyName string `json:"family_name"`
		}
		if st := r.call(c, http.MethodGet, "/api/v1/customers/"+id, nil, &got); st != 200 || got.FamilyName != letters(i) {
			t.Fatalf("restored customer %s: %d %+v", id, st, got)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, r.base+"/api/v1/customers/"+before[0]+"/documents/"+docID, nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(got, doc) {
		t.Fatalf("restored document: %d, %d bytes (want %d)", resp.StatusCode, len(got), len(doc))
	}
	if st := r.call(c, http.MethodGet, "/api/v1/customers/"+after, nil, nil); st != 404 {
		t.Fatalf("a customer created after the backup is in it: %d", st)
	}
	// The ones written during the backup: a prefix of them is in it (one
	// snapshot), never a later one without an earlier one.
	missing := false
	for _, id := range during.ids {
		st := r.call(c, http.MethodGet, "/api/v1/customers/"+id, nil, nil)
		switch {
		case st == 404:
			missing = true
		case st == 200 && missing:
			t.Fatalf("customer %s is in the backup but one created before it is not: not one snapshot", id)
		case st != 200:
			t.Fatalf("customer %s: %d", id, st)
		}
	}
}

// TestBackupPostgresPointsToPgDump: on PostgreSQL kyc backup does not
// pretend; it names the tool to use and exits 2.
func TestBackupPostgresPointsToPgDump(t *testing.T) {
	e := &env{t: t, bin: kycBinary(t), dataDir: t.TempDir()}
	e.vars = []string{"KYC_DATA_DIR=" + e.dataDir, "KYC_DATABASE_URL=" + testdb.PostgresURL(t)}
	out, stderr, code := e.runFull("backup", filepath.Join(t.TempDir(), "b"))
	if code != 2 || !strings.Contains(stderr, "pg_dump") || out != "" {
		t.Fatalf("kyc backup on PostgreSQL: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	if strings.Contains(stderr, "postgres://") {
		t.Fatalf("the message shows the database URL: %s", stderr)
	}
}
