package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// running is a kyc serve started in process by startServe.
type running struct {
	addr           string
	stdout, stderr *lockedBuffer
	client         *http.Client
	stop           func() int // cancels as SIGTERM would and returns the exit status
}

// get answers the status and body of GET path on the running server.
func (s *running) get(t *testing.T, path, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://"+s.addr+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// startServe runs `kyc serve` in process with env (on a free address, a
// fresh data directory, and a fresh PostgreSQL schema for engine
// "postgres") and waits until /readyz answers 200.
func startServe(t *testing.T, engine string, env map[string]string) *running {
	t.Helper()
	addr := freeAddr(t)
	full := map[string]string{"KYC_DATA_DIR": t.TempDir(), "KYC_ADDR": addr, "KYC_WORKERS": "2", "KYC_SHUTDOWN_DRAIN": "0s"}
	if engine == testdb.Postgres {
		full["KYC_DATABASE_URL"] = testdb.PostgresURL(t)
	}
	for k, v := range env {
		full[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &running{addr: addr, stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, client: &http.Client{Timeout: 5 * time.Second}}
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, &Env{Args: []string{"kyc", "serve"}, Stdout: s.stdout, Stderr: s.stderr, Getenv: func(k string) string { return full[k] }})
	}()
	stopped := false
	code := 0
	s.stop = func() int {
		if !stopped {
			stopped = true
			cancel()
			select {
			case code = <-done:
			case <-time.After(60 * time.Second):
				t.Fatal("serve did not stop")
			}
		}
		return code
	}
	t.Cleanup(func() { s.stop() })
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		resp, err := s.client.Get("http://" + addr + "/readyz")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		select {
		case c := <-done:
			stopped, code = true, c
			t.Fatalf("serve exited %d: %s", c, s.stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready: %v; %s", err, s.stderr.String())
		}
	}
}

var oneTimePassword = regexp.MustCompile(`one-time password (\S+)`)

// TestServeJSONLogsOnly starts a real kyc serve on a fresh installation
// with KYC_LOG_FORMAT=json (issue 14, item 4): every line it writes on
// stderr, from the start to the end of shutdown, is a JSON object; the
// first administrator's one-time password is printed on stdout (the
// terminal) and appears in no log line; durations are logged in
// milliseconds (keys ending in _ms, no slog nanoseconds); the health
// probes are logged at DEBUG, API requests at INFO with their route
// pattern.
func TestServeJSONLogsOnly(t *testing.T) {
	t.Parallel()
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			s := startServe(t, engine, map[string]string{"KYC_LOG_FORMAT": "json", "KYC_LOG_LEVEL": "debug"})
			if code, _ := s.get(t, "/healthz", ""); code != http.StatusOK {
				t.Fatalf("healthz %d", code)
			}
			if code, _ := s.get(t, "/api/v1/customers/cus_00000000000000000000000001", ""); code != http.StatusUnauthorized {
				t.Fatalf("unauthenticated API request answered %d", code)
			}
			if code := s.stop(); code != 0 {
				t.Fatalf("exit %d: %s", code, s.stderr.String())
			}

			m := oneTimePassword.FindStringSubmatch(s.stdout.String())
			if m == nil {
				t.Fatalf("no one-time password on stdout: %q", s.stdout.String())
			}
			otp := m[1]
			stderr := s.stderr.String()
			if strings.Contains(stderr, otp) {
				t.Fatal("the one-time password went into the log stream")
			}
			var lines []map[string]any
			sc := bufio.NewScanner(strings.NewReader(stderr))
			sc.Buffer(make([]byte, 1<<20), 1<<20)
			for n := 1; sc.Scan(); n++ {
				var line map[string]any
				if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
					t.Fatalf("stderr line %d is not JSON (%v): %q", n, err, sc.Text())
				}
				for k := range line {
					if k == "duration" || strings.HasSuffix(k, "_ns") {
						t.Errorf("stderr line %d logs a duration in nanoseconds: %q", n, sc.Text())
					}
				}
				lines = append(lines, line)
			}
			if len(lines) < 3 {
				t.Fatalf("only %d log lines: %q", len(lines), stderr)
			}
			find := func(msg, route string) map[string]any {
				for _, l := range lines {
					if l["msg"] == msg && (route == "" || l["route"] == route) {
						return l
					}
				}
				t.Fatalf("no log line %q %s in %s", msg, route, stderr)
				return nil
			}
			find("kyc serving", "")
			find("first administrator created; the one-time password is printed on standard output only", "")
			find("stopped", "")
			if l := find("http request", "/healthz"); l["level"] != "DEBUG" {
				t.Errorf("health probe logged at %v", l["level"])
			}
			l := find("http request", "/api/v1/customers/{id}")
			if _, ok := l["duration_ms"].(float64); !ok || l["level"] != "INFO" || l["status"] != 401.0 {
				t.Errorf("API access log %v", l)
			}
		})
	}
}

// TestServeJSONLogsOnFailure: a serve that cannot start (its database
// unreachable) still writes nothing but JSON on stderr with JSON logs, and
// exits non-zero naming the cause.
func TestServeJSONLogsOnFailure(t *testing.T) {
	t.Parallel()
	var stderr lockedBuffer
	env := map[string]string{"KYC_DATA_DIR": t.TempDir(), "KYC_ADDR": freeAddr(t), "KYC_LOG_FORMAT": "json",
		"KYC_DATABASE_URL": "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2"}
	code := Run(context.Background(), &Env{Args: []string{"kyc", "serve"}, Stdout: io.Discard, Stderr: &stderr, Getenv: func(k string) string { return env[k] }})
	if code == 0 {
		t.Fatal("serve started without its database")
	}
	out := strings.TrimSpace(stderr.String())
	if out == "" {
		t.Fatal("nothing says why serve stopped")
	}
	for _, ln := range strings.Split(out, "\n") {
		var line map[string]any
		if err := json.Unmarshal([]byte(ln), &line); err != nil {
			t.Fatalf("stderr line is not JSON (%v): %q", err, ln)
		}
		if line["level"] == "ERROR" && !strings.Contains(line["err"].(string), "PostgreSQL") {
			t.Errorf("the error does not name the cause: %v", line)
		}
	}
}
