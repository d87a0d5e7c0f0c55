package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
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

// noRateLimit turns every family's rate limit off.
const noRateLimit = "default:off, screening:off, transactions:off"

// kycBin is the binary under test, built once by TestMain.
var kycBin string

// full selects the published sizes (make reliability-nightly) over the
// CI sizes.
var full = os.Getenv("KYC_RELIABILITY_FULL") == "1"

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "kyc-reliability-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	kycBin = filepath.Join(dir, "kyc")
	out, err := exec.Command("go", "build", "-o", kycBin, "../../cmd/kyc").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "go build ../../cmd/kyc: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// sizes picks the CI or the published size.
func sizes[T any](ci, published T) T {
	if full {
		return published
	}
	return ci
}

// deployment is one kyc installation: a data directory and a database
// (a SQLite file in the data directory, or a fresh PostgreSQL schema),
// the environment every process of it gets, and an API client.
type deployment struct {
	t       testing.TB
	engine  string
	dataDir string
	dbURL   string // PostgreSQL only
	env     []string

	clientID, clientSecret string
}

// newDeployment migrates a new installation, imports the OFAC fixture and
// creates an API client with every scope. extraEnv is added to every
// process's environment (KEY=value).
func newDeployment(t testing.TB, engine string, extraEnv ...string) *deployment {
	t.Helper()
	d := &deployment{t: t, engine: engine, dataDir: t.TempDir()}
	d.env = append(os.Environ(),
		"KYC_DATA_DIR="+d.dataDir,
		"KYC_MASTER_KEY="+vault.GenerateKey(),
		"KYC_BASE_URL=http://kyc.reliability",
		"KYC_LOG_LEVEL=warn",
		"KYC_DATABASE_URL=",
		// The crash, outage and load parts measure capacity and
		// durability, not the API's rate limits (TestThreeReplicas turns
		// them on to check they hold across replicas).
		"KYC_RATE_LIMIT="+noRateLimit,
	)
	if engine == testdb.Postgres {
		d.dbURL = testdb.PostgresURL(t) // skips without KYC_TEST_POSTGRES_URL
		d.env = append(d.env, "KYC_DATABASE_URL="+d.dbURL)
	}
	d.env = append(d.env, extraEnv...)
	d.run("migrate")
	fixture := kyctest.OFACDir(t)
	d.run("lists", "import", "--source", "ofac_sdn",
		filepath.Join(fixture, "sdn.csv"), filepath.Join(fixture, "alt.csv"),
		filepath.Join(fixture, "add.csv"), filepath.Join(fixture, "sdn_comments.csv"))
	var cl struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	if err := json.Unmarshal([]byte(d.run("client", "create", "--name", "reliability", "--scopes", "all", "--json")), &cl); err != nil {
		t.Fatalf("client create: %v", err)
	}
	d.clientID, d.clientSecret = cl.ClientID, cl.ClientSecret
	return d
}

// withEnv returns the environment with the given KEY=value pairs last
// (later entries win for os/exec).
func (d *deployment) withEnv(kv ...string) []string {
	return append(append([]string(nil), d.env...), kv...)
}

// run runs a CLI command to completion and returns its standard output.
func (d *deployment) run(args ...string) string {
	d.t.Helper()
	cmd := exec.Command(kycBin, args...)
	cmd.Env = d.env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		d.t.Fatalf("kyc %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.String()
}

// proc is one running `kyc serve`.
type proc struct {
	t    testing.TB
	addr string
	args []string
	env  []string
	cmd  *exec.Cmd
	logs *tailBuffer
	done chan struct{}
}

// start runs `kyc serve` on addr (a free port when empty) with the extra
// arguments and waits until /readyz answers 200.
func (d *deployment) start(addr string, env []string, args ...string) *proc {
	d.t.Helper()
	if addr == "" {
		addr = freeAddr(d.t)
	}
	if env == nil {
		env = d.env
	}
	p := &proc{t: d.t, addr: addr, args: args, env: env}
	if err := p.launch(); err != nil {
		d.t.Fatal(err)
	}
	d.t.Cleanup(p.stop)
	return p
}

func (p *proc) base() string { return "http://" + p.addr }

// launch starts the process and waits for /readyz (safe to call from any
// goroutine: it reports instead of failing the test).
func (p *proc) launch() error {
	p.logs = &tailBuffer{max: 64 << 10}
	p.cmd = exec.Command(kycBin, append([]string{"serve", "--addr", p.addr, "--no-migrate"}, p.args...)...)
	p.cmd.Env = p.env
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	// The port of a killed process is free at once, but a restart may race
	// the kernel's cleanup of the old listener: retry the start briefly.
	var err error
	for range 50 {
		if err = p.cmd.Start(); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("start kyc serve: %w", err)
	}
	p.done = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) { _ = cmd.Wait(); close(done) }(p.cmd, p.done)
	if err := waitReady(p.base(), p.done, time.Minute); err != nil {
		return fmt.Errorf("kyc serve on %s: %w\n%s", p.addr, err, p.logs.String())
	}
	return nil
}

// kill9 kills the process with SIGKILL (no shutdown path runs) and waits
// for it to be gone.
func (p *proc) kill9() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// restart starts the process again on the same address.
func (p *proc) restart() error { return p.launch() }

// stop ends the process with SIGTERM (its graceful path), then SIGKILL
// after 30 s.
func (p *proc) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		p.kill9()
	}
}

// waitReady polls /readyz until 200, the process exits or the time is up.
func waitReady(base string, exited <-chan struct{}, within time.Duration) error {
	hc := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(within)
	for {
		select {
		case <-exited:
			return errors.New("the process exited before it was ready")
		default:
		}
		if resp, err := hc.Get(base + "/readyz"); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not ready within %s", within)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// tailBuffer keeps the last max bytes written to it (a process's output,
// shown when a test fails).
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) > b.max {
		b.buf = b.buf[len(b.buf)-b.max:]
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}

// client is an API client of one deployment: it gets and renews its own
// token, and talks to whichever base URL base() returns at the time.
type client struct {
	d    *deployment
	base func() string
	hc   *http.Client

	mu    sync.Mutex
	token string
}

func (d *deployment) client(base func() string) *client {
	return &client{d: d, base: base, hc: &http.Client{
		Timeout:   15 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 64},
	}}
}

// response is one answer of the API (status 0: no answer, err set).
type response struct {
	status int
	header http.Header
	body   []byte
	err    error
}

func (r response) String() string {
	if r.err != nil {
		return r.err.Error()
	}
	return fmt.Sprintf("%d %s", r.status, bytes.TrimSpace(r.body))
}

func (c *client) getToken(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != "" {
		return c.token, nil
	}
	form := url.Values{"grant_type": {"client_credentials"}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, c.base()+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(c.d.clientID, c.d.clientSecret)
	resp, err := c.hc.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		return "", fmt.Errorf("token: status %d (%v)", resp.StatusCode, err)
	}
	c.token = tok.AccessToken
	return c.token, nil
}

// do sends one request; a 401 renews the token and retries once.
func (c *client) do(ctx context.Context, method, path string, body any, header map[string]string) response {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return response{err: err}
		}
	}
	for attempt := 0; ; attempt++ {
		tok, err := c.getToken(ctx)
		if err != nil {
			return response{err: err}
		}
		req, err := http.NewRequestWithContext(ctx, method, c.base()+path, bytes.NewReader(payload))
		if err != nil {
			return response{err: err}
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		if payload != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := c.hc.Do(req)
		if err != nil {
			return response{err: err}
		}
		out, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return response{err: err}
		}
		if resp.StatusCode == http.StatusUnauthorized && attempt == 0 {
			c.mu.Lock()
			c.token = ""
			c.mu.Unlock()
			continue
		}
		return response{status: resp.StatusCode, header: resp.Header, body: out}
	}
}

// customerBody is a valid individual that the default model rates low and
// the OFAC fixture does not match; n makes the e-mail address unique.
func customerBody(n int) map[string]any {
	return map[string]any{
		"type": "individual", "given_names": "Anna Maria", "family_name": "Eriksson", "birth_date": "1990-08-12",
		"place_of_birth": map[string]any{"city": "Göteborg", "country": "SE"}, "nationality": "SE",
		"email": fmt.Sprintf("anna.%d@example.com", n), "phone": "+46701234567", "occupation": "Teacher",
		"source_of_funds": "Salary", "face_to_face": true,
		"address":                 map[string]any{"line1": "Storgatan 1", "city": "Stockholm", "postal_code": "11122", "country": "SE"},
		"expected_monthly_volume": map[string]any{"amount": 300000, "currency": "EUR"},
		"document":                map[string]any{"type": "id_card", "number": "AB1234567", "issuing_country": "SE", "expiry_date": "2031-05-01"},
	}
}

// customerState reads a customer's status.
func (c *client) customerStatus(ctx context.Context, id string) (string, response) {
	r := c.do(ctx, http.MethodGet, "/api/v1/customers/"+id, nil, nil)
	if r.status != http.StatusOK {
		return "", r
	}
	var cu struct {
		Status string `json:"status"`
	}
	if err := json.Unmarshal(r.body, &cu); err != nil {
		r.err = err
		return "", r
	}
	return cu.Status, r
}

// listCustomerIDs pages through GET /api/v1/customers.
func (c *client) listCustomerIDs(ctx context.Context) ([]string, error) {
	var ids []string
	cursor := ""
	for {
		path := "/api/v1/customers?limit=200"
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		r := c.do(ctx, http.MethodGet, path, nil, nil)
		if r.status != http.StatusOK {
			return nil, fmt.Errorf("list customers: %s", r)
		}
		var page struct {
			Data []struct {
				ID string `json:"id"`
			} `json:"data"`
			NextCursor string `json:"next_cursor"`
		}
		if err := json.Unmarshal(r.body, &page); err != nil {
			return nil, err
		}
		for _, cu := range page.Data {
			ids = append(ids, cu.ID)
		}
		if page.NextCursor == "" {
			return ids, nil
		}
		cursor = page.NextCursor
	}
}

// waitChecksDone polls until no customer of ids is still `submitted`
// (every check has an outcome) or the time is up; it returns the ids still
// waiting.
func (c *client) waitChecksDone(ctx context.Context, ids []string, within time.Duration) []string {
	deadline := time.Now().Add(within)
	waiting := ids
	for {
		var still []string
		for _, id := range waiting {
			st, r := c.customerStatus(ctx, id)
			if st == "submitted" || r.status != http.StatusOK {
				still = append(still, id)
			}
		}
		waiting = still
		if len(waiting) == 0 || time.Now().After(deadline) {
			return waiting
		}
		time.Sleep(time.Second)
	}
}
