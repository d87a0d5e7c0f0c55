package main_test

// TestReadmeGetStarted runs every shell command of the README's "Get
// started" section (its ```sh blocks, line by line, in order) in a
// temporary directory against the built binary, so that the first
// commands a new user types work as written.
//
// Three lines are not run as typed, each for its reason:
//   - `make run` builds the binary and then serves in the foreground,
//     blocking: the test has built the binary already (kycBinary) and
//     starts `kyc serve` in the background in the temporary directory
//     (its data in ./kyc-data there, as make run's), waiting for /readyz;
//   - `make test` is the test suite this test belongs to: not run;
//   - `make install` runs the real Makefile target with the build step
//     marked done (-o build) on the binary already built, into a
//     temporary PREFIX put first on PATH, so the `kyc …` lines after it
//     run the installed copy.
// The official list files the section names cannot be downloaded here:
// the OFAC fixtures stand in for them under the same file names. The
// address 127.0.0.1:8080 is replaced by a free port.

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/screening/lists"
)

// readmeSection returns the text under the level-2 heading title.
func readmeSection(t *testing.T, title string) string {
	t.Helper()
	readme := repoFile(t, "README.md")
	start := strings.Index(readme, "\n## "+title+"\n")
	if start < 0 {
		t.Fatalf("README has no section %q", title)
	}
	rest := readme[start+len(title)+5:]
	if end := strings.Index(rest, "\n## "); end >= 0 {
		rest = rest[:end]
	}
	return rest
}

// shellLines returns the commands of the ```sh blocks of text, with
// backslash continuations joined.
func shellLines(text string) []string {
	var out []string
	in := false
	pending := ""
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case !in && trimmed == "```sh":
			in = true
			continue
		case in && trimmed == "```":
			in = false
			continue
		case !in:
			continue
		}
		if strings.HasSuffix(trimmed, "\\") {
			pending += strings.TrimSuffix(trimmed, "\\") + " "
			continue
		}
		cmd := strings.TrimSpace(pending + trimmed)
		pending = ""
		if cmd != "" && !strings.HasPrefix(cmd, "#") {
			out = append(out, cmd)
		}
	}
	return out
}

func TestReadmeGetStarted(t *testing.T) {
	section := readmeSection(t, "Get started")
	cmds := shellLines(section)
	if len(cmds) < 4 {
		t.Fatalf("the Get started section has %d shell commands: %q", len(cmds), cmds)
	}

	// The list URLs it gives are the ones kyc lists sync fetches.
	var official []string
	for _, s := range lists.Sources() {
		for _, f := range s.Files {
			official = append(official, f.URL)
		}
	}
	for _, u := range regexp.MustCompile(`https://[^\s,;)]+[^\s,;).]`).FindAllString(section, -1) {
		if !slices.Contains(official, u) {
			t.Errorf("the README names %s, which is not the URL of any list source (lists.Sources)", u)
		}
	}

	bin := kycBinary(t)
	dir := t.TempDir()
	// ./bin/kyc as after make build, and the list files.
	if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	copyBinary(t, bin, filepath.Join(dir, "bin", "kyc"))
	fixtures := kyctest.OFACDir(t)
	for _, f := range []string{"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"} {
		b, err := os.ReadFile(filepath.Join(fixtures, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	addr := freeAddr(t)
	path := os.Getenv("PATH")
	environ := func() []string {
		var out []string
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "KYC_") && !strings.HasPrefix(kv, "PATH=") {
				out = append(out, kv)
			}
		}
		return append(out, "PATH="+path, "KYC_ADDR="+addr)
	}
	e := &env{t: t, bin: filepath.Join(dir, "bin", "kyc"), base: "http://" + addr}
	served := false
	for _, line := range cmds {
		line = strings.ReplaceAll(line, "127.0.0.1:8080", addr)
		fields := strings.Fields(line)
		switch {
		case fields[0] == "make" && len(fields) > 1 && fields[1] == "run":
			e.serve(environ(), nil, dir)
			served = true
			t.Logf("make run: kyc serve in the background, ready at %s", e.base)
			continue
		case fields[0] == "make" && len(fields) > 1 && fields[1] == "test":
			t.Log("make test: the suite this test is part of, not run from it")
			continue
		case fields[0] == "make" && len(fields) > 1 && fields[1] == "install":
			prefix := filepath.Join(dir, "prefix")
			cmd := exec.Command("make", "-C", filepath.Join("..", ".."), "-o", "build", "install", "BIN="+bin, "PREFIX="+prefix)
			cmd.Env = environ()
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", line, err, out)
			}
			if _, err := os.Stat(filepath.Join(prefix, "bin", "kyc")); err != nil {
				t.Fatalf("make install did not install kyc: %v", err)
			}
			path = filepath.Join(prefix, "bin") + string(os.PathListSeparator) + path
			continue
		case fields[0] == "make":
			t.Fatalf("%q: a make target this test does not know how to run; teach it", line)
		}
		cmd := exec.Command("bash", "-e", "-o", "pipefail", "-c", line)
		cmd.Dir = dir
		cmd.Env = environ()
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("README command %q failed: %v\nstdout:\n%s\nstderr:\n%s", line, err, out.String(), errb.String())
		}
		t.Logf("$ %s\n%s", line, strings.TrimSpace(out.String()))
		if strings.HasPrefix(line, "kyc ") && strings.Contains(errb.String(), "command not found") {
			t.Fatalf("%q: kyc is not on PATH", line)
		}
	}
	if !served {
		t.Fatal("the Get started section does not start kyc (make run)")
	}
	if _, err := net.Dial("tcp", addr); err != nil {
		t.Fatalf("kyc serve stopped during the README commands: %v", err)
	}
}

func copyBinary(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o755); err != nil {
		t.Fatal(err)
	}
}
