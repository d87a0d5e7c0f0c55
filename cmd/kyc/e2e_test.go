package main_test

// End-to-end test: builds the kyc binary, runs `kyc serve` on a fresh data
// directory (SQLite, and PostgreSQL when KYC_TEST_POSTGRES_URL is set) and
// drives the whole onboarding flow over HTTP the way an integrator would,
// then checks the audit chain with `kyc audit verify`, tampers with one row
// directly in the database and checks that verification fails.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
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

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store/sqlite"
	"github.com/kyc-platform/kyc/internal/store/testdb"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func kycBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "kyc-e2e-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "kyc")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

type env struct {
	t       *testing.T
	bin     string
	vars    []string
	base    string
	dbURL   string // postgres URL, or "" for SQLite
	dataDir string
}

// run executes a kyc command and returns stdout and the exit code.
func (e *env) run(args ...string) (string, int) {
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
	if code != 0 {
		e.t.Logf("kyc %v exited %d: %s", args, code, errb.String())
	}
	return out.String(), code
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

type client struct {
	id, secret, token string
}

func (e *env) newClient(name string, tenant ...string) *client {
	e.t.Helper()
	args := []string{"client", "create", "--name", name, "--scopes", "all", "--json"}
	if len(tenant) > 0 {
		args = append(args, "--tenant", tenant[0])
	}
	out, code := e.run(args...)
	if code != 0 {
		e.t.Fatalf("client create exited %d", code)
	}
	var c struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil || c.ClientID == "" || c.ClientSecret == "" {
		e.t.Fatalf("client create --json printed %q: %v", out, err)
	}
	return &client{id: c.ClientID, secret: c.ClientSecret}
}

// call sends a request and decodes the JSON answer into out (when non-nil).
func (e *env) call(c *client, method, path string, body any, out any) int {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, e.base+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c != nil {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			e.t.Fatalf("%s %s: decode %q: %v", method, path, raw, err)
		}
	}
	if resp.StatusCode >= 400 {
		e.t.Logf("%s %s -> %d %s", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode
}

func (e *env) token(c *client) {
	e.t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}}
	req, _ := http.NewRequest(http.MethodPost, e.base+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(c.id, c.secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || resp.StatusCode != 200 || tok.AccessToken == "" || tok.TokenType != "Bearer" || tok.ExpiresIn <= 0 {
		e.t.Fatalf("token: status %d %+v %v", resp.StatusCode, tok, err)
	}
	c.token = tok.AccessToken
}

func individual(given, family, birth, nationality string, pep bool) map[string]any {
	return map[string]any{
		"type": "individual", "given_names": given, "family_name": family, "birth_date": birth,
		"place_of_birth": map[string]any{"city": "Göteborg", "country": "SE"}, "nationality": nationality, "email": strings.ToLower(given[:1]+family) + "@example.com", "phone": "+46701234567",
		"address":    map[string]any{"line1": "Storgatan 1", "city": "Stockholm", "postal_code": "11122", "country": "SE"},
		"occupation": "Engineer", "pep_declared": pep, "source_of_funds": "Salary", "face_to_face": true,
		"expected_monthly_volume": map[string]any{"amount": 250000, "currency": "EUR"},
		"document":                map[string]any{"type": "id_card", "number": "AB1234567", "issuing_country": "SE", "expiry_date": "2031-05-01"},
	}
}

type checksResp struct {
	Data []struct {
		Type, Status, Summary, Error string
	} `json:"data"`
}

// waitChecks polls until no check is pending (bounded).
func (e *env) waitChecks(c *client, id string) checksResp {
	e.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var cr checksResp
		if st := e.call(c, http.MethodGet, "/api/v1/customers/"+id+"/checks", nil, &cr); st != 200 {
			e.t.Fatalf("checks: %d", st)
		}
		done := len(cr.Data) == 3
		for _, ck := range cr.Data {
			if ck.Status == "pending" {
				done = false
			}
		}
		if done {
			return cr
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("checks still pending after 30s: %+v", cr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type customerResp struct {
	ID, Status, RiskRating string
	Rating                 string `json:"risk_rating"`
}

func TestEndToEnd(t *testing.T) {
	bin := kycBinary(t)
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			e := &env{t: t, bin: bin, dataDir: t.TempDir()}
			addr := freeAddr(t)
			e.base = "http://" + addr
			e.vars = []string{"KYC_DATA_DIR=" + e.dataDir, "KYC_ADDR=" + addr, "KYC_LOG_FORMAT=json", "KYC_DATABASE_URL="}
			if engine == testdb.Postgres {
				e.dbURL = testdb.PostgresURL(t)
				e.vars = append(e.vars, "KYC_DATABASE_URL="+e.dbURL)
			}
			flow(t, e)
		})
	}
}

func flow(t *testing.T, e *env) {
	// Operator set-up through the CLI, before and while serving.
	if out, code := e.run("migrate"); code != 0 || !strings.Contains(out, "migrated") {
		t.Fatalf("migrate: %d %q", code, out)
	}
	fixture := kyctest.OFACDir(t)
	out, code := e.run("lists", "import", "--source", "ofac_sdn", "--json",
		filepath.Join(fixture, "sdn.csv"), filepath.Join(fixture, "alt.csv"), filepath.Join(fixture, "add.csv"), filepath.Join(fixture, "sdn_comments.csv"))
	if code != 0 || !strings.Contains(out, `"entity_count": 3`) {
		t.Fatalf("lists import: %d %s", code, out)
	}
	analyst, reviewer := e.newClient("analyst"), e.newClient("reviewer")
	outsider := e.newClient("outsider", "globex")

	srv := exec.Command(e.bin, "serve")
	srv.Env = append(os.Environ(), e.vars...)
	var logs bytes.Buffer
	srv.Stdout, srv.Stderr = &logs, &logs
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		_ = srv.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- srv.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("kyc serve did not stop cleanly on SIGTERM: %v\n%s", err, logs.String())
			}
		case <-time.After(30 * time.Second):
			_ = srv.Process.Kill()
			t.Errorf("kyc serve did not stop within 30s of SIGTERM")
		}
	}
	t.Cleanup(stop)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		resp, err := http.Get(e.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if ctx.Err() != nil {
			t.Fatalf("server not ready: %v\n%s", err, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}

	// Unauthenticated calls are refused with problem+json.
	if st := e.call(nil, http.MethodGet, "/api/v1/customers", nil, nil); st != 401 {
		t.Fatalf("no token: %d", st)
	}
	e.token(analyst)
	e.token(reviewer)
	e.token(outsider)

	// 1. A clean, low-risk individual is approved automatically.
	var clean customerResp
	if st := e.call(analyst, http.MethodPost, "/api/v1/customers", individual("Anna Maria", "Eriksson", "1990-08-12", "SE", false), &clean); st != 201 || clean.Status != "draft" {
		t.Fatalf("create: %d %+v", st, clean)
	}
	if st := e.call(analyst, http.MethodPost, "/api/v1/customers/"+clean.ID+"/submit", nil, nil); st != 202 {
		t.Fatalf("submit: %d", st)
	}
	e.waitChecks(analyst, clean.ID)
	waitStatus(t, e, analyst, clean.ID, "approved")

	// 2. A listed OFAC name goes to a screening-hit case.
	var listed customerResp
	body := individual("Andrey Georgiyevich", "Zakharov", "1969-01-08", "RU", false)
	if st := e.call(analyst, http.MethodPost, "/api/v1/customers", body, &listed); st != 201 {
		t.Fatalf("create listed: %d", st)
	}
	e.call(analyst, http.MethodPost, "/api/v1/customers/"+listed.ID+"/submit", nil, nil)
	cr := e.waitChecks(analyst, listed.ID)
	for _, ck := range cr.Data {
		if ck.Type == "screening" && ck.Status != "needs_review" {
			t.Fatalf("screening check %s: %s", ck.Status, ck.Summary)
		}
	}
	waitStatus(t, e, analyst, listed.ID, "in_review")
	var cases struct {
		Data []struct{ ID, Kind, Status string } `json:"data"`
	}
	e.call(analyst, http.MethodGet, "/api/v1/cases?customer_id="+listed.ID, nil, &cases)
	if len(cases.Data) != 1 || cases.Data[0].Kind != "screening_hit" || cases.Data[0].Status != "open" {
		t.Fatalf("cases: %+v", cases)
	}
	caseID := cases.Data[0].ID
	var detail struct {
		Status string
		Hits   []struct {
			ID, List, Name string
			SourceID       string `json:"source_id"`
		} `json:"screening_hits"`
	}
	e.call(analyst, http.MethodGet, "/api/v1/cases/"+caseID, nil, &detail)
	if len(detail.Hits) == 0 || detail.Hits[0].SourceID != "35025" {
		t.Fatalf("case hits: %+v", detail)
	}
	if st := e.call(analyst, http.MethodPatch, "/api/v1/screening-hits/"+detail.Hits[0].ID, map[string]string{"disposition": "true_match", "reason": "Name, birth date and nationality match SDN 35025"}, nil); st != 200 {
		t.Fatalf("disposition: %d", st)
	}

	// 3. Rejecting on a screening hit takes two different people.
	if st := e.call(analyst, http.MethodPost, "/api/v1/cases/"+caseID+"/decisions", map[string]string{"decision": "reject", "reason": "Sanctioned person"}, &detail); st != 202 || detail.Status != "pending_second_approval" {
		t.Fatalf("first rejection: %d %s", st, detail.Status)
	}
	if st := e.call(analyst, http.MethodPost, "/api/v1/cases/"+caseID+"/decisions", map[string]string{"decision": "reject", "reason": "Again"}, nil); st != 403 {
		t.Fatalf("same person's second approval: %d, want 403", st)
	}
	if st := e.call(reviewer, http.MethodPost, "/api/v1/cases/"+caseID+"/decisions", map[string]string{"decision": "reject", "reason": "Confirmed"}, &detail); st != 200 || detail.Status != "closed" {
		t.Fatalf("second rejection: %d %s", st, detail.Status)
	}
	// A client of the same tenant reads the customer; one of another tenant
	// cannot, nor its cases.
	if st := e.call(reviewer, http.MethodGet, "/api/v1/customers/"+listed.ID, nil, nil); st != 200 {
		t.Fatalf("same-tenant client reads customer: %d, want 200", st)
	}
	if st := e.call(outsider, http.MethodGet, "/api/v1/customers/"+listed.ID, nil, nil); st != 404 {
		t.Fatalf("other tenant reads customer: %d, want 404", st)
	}
	if st := e.call(outsider, http.MethodGet, "/api/v1/cases/"+caseID, nil, nil); st != 404 {
		t.Fatalf("other tenant reads case: %d, want 404", st)
	}
	waitStatus(t, e, analyst, listed.ID, "rejected")

	// 4. A high-risk (PEP) customer: enhanced due diligence is approved only
	// with source-of-funds and source-of-wealth evidence, and the approval
	// completing four-eyes is a staff MLRO's, never a second API client's
	// (FATF R.12).
	var pep customerResp
	if st := e.call(analyst, http.MethodPost, "/api/v1/customers", individual("Karin", "Lindqvist", "1971-02-03", "SE", true), &pep); st != 201 {
		t.Fatalf("create PEP: %d", st)
	}
	for _, kind := range []string{"source_of_funds", "source_of_wealth"} {
		if st := e.upload(analyst, "/api/v1/customers/"+pep.ID+"/documents", kind, kyctest.PNG()); st != 201 {
			t.Fatalf("upload %s: %d", kind, st)
		}
	}
	e.call(analyst, http.MethodPost, "/api/v1/customers/"+pep.ID+"/submit", nil, nil)
	e.waitChecks(analyst, pep.ID)
	waitStatus(t, e, analyst, pep.ID, "in_review")
	e.call(analyst, http.MethodGet, "/api/v1/cases?customer_id="+pep.ID, nil, &cases)
	if len(cases.Data) != 1 {
		t.Fatalf("PEP cases: %+v", cases)
	}
	pepCase := cases.Data[0].ID
	if st := e.call(analyst, http.MethodPost, "/api/v1/cases/"+pepCase+"/decisions", map[string]string{"decision": "approve", "reason": "Source of wealth documented"}, &detail); st != 202 || detail.Status != "pending_second_approval" {
		t.Fatalf("first approval: %d %s", st, detail.Status)
	}
	waitStatus(t, e, analyst, pep.ID, "in_review")
	if st := e.call(reviewer, http.MethodPost, "/api/v1/cases/"+pepCase+"/decisions", map[string]string{"decision": "approve", "reason": "Agreed"}, nil); st != 403 {
		t.Fatalf("second approval by an API client: %d, want 403", st)
	}
	waitStatus(t, e, analyst, pep.ID, "in_review")
	var risk struct {
		Rating       string `json:"rating"`
		DueDiligence string `json:"due_diligence"`
	}
	if e.call(analyst, http.MethodGet, "/api/v1/customers/"+pep.ID+"/risk", nil, &risk); risk.Rating != "high" || risk.DueDiligence != "enhanced" {
		t.Fatalf("PEP risk %+v", risk)
	}

	// The audit trail is readable through the API: events appear there
	// once the sealer (running in the server) has chained them, shortly
	// after their commit.
	var evs struct {
		Data []struct{ Action, Hash string } `json:"data"`
	}
	for deadline := time.Now().Add(30 * time.Second); ; {
		st := e.call(analyst, http.MethodGet, "/api/v1/audit-events?entity_type=case&entity_id="+caseID, nil, &evs)
		if st == 200 && len(evs.Data) >= 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("audit events: %d %+v", st, evs)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if strings.Contains(logs.String(), "Zakharov") || strings.Contains(logs.String(), "eriksson@example.com") {
		t.Fatal("personal data in the server log")
	}
	stop()

	// 5. The chain verifies, and stops verifying after a direct edit.
	out, code = e.run("audit", "verify", "--json")
	if code != 0 || !strings.Contains(out, `"ok": true`) {
		t.Fatalf("audit verify: %d %s", code, out)
	}
	tamper(t, e, `UPDATE audit_events SET actor = 'client:someone-else' WHERE seq = 3`)
	out, code = e.run("audit", "verify")
	if code == 0 || !strings.Contains(out, "event 3") {
		t.Fatalf("tampered chain: exit %d, %q", code, out)
	}
	if !sqliteHasNoPlaintext(t, e, "Eriksson", "anna") {
		t.Fatal("personal data found in plain text in the database file")
	}
}

func waitStatus(t *testing.T, e *env, c *client, id, want string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var got customerResp
		e.call(c, http.MethodGet, "/api/v1/customers/"+id, nil, &got)
		if got.Status == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("customer %s is %s, want %s", id, got.Status, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func tamper(t *testing.T, e *env, stmt string) {
	t.Helper()
	var db *sql.DB
	var err error
	if e.dbURL != "" {
		db, err = sql.Open("pgx", e.dbURL)
	} else {
		db, err = sql.Open("sqlite", sqlite.DSN(filepath.Join(e.dataDir, "kyc.db")))
	}
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The append-only trigger refuses the edit; an intruder owning the
	// database puts it out of the way first.
	if _, err := db.Exec(stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("the audit trail accepted %q: %v", stmt, err)
	}
	disable := "DROP TRIGGER audit_events_no_update"
	if e.dbURL != "" {
		disable = "ALTER TABLE audit_events DISABLE TRIGGER USER"
	}
	if _, err := db.Exec(disable); err != nil {
		t.Fatal(err)
	}
	res, err := db.Exec(stmt)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("tamper changed %d rows", n)
	}
}

// sqliteHasNoPlaintext checks the SQLite files for personal data in clear.
func sqliteHasNoPlaintext(t *testing.T, e *env, needles ...string) bool {
	t.Helper()
	if e.dbURL != "" {
		return true
	}
	files, _ := filepath.Glob(filepath.Join(e.dataDir, "kyc.db*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		low := bytes.ToLower(b)
		for _, n := range needles {
			if bytes.Contains(low, []byte(strings.ToLower(n))) {
				t.Logf("%q found in %s", n, f)
				return false
			}
		}
	}
	return true
}

// upload sends a document as multipart/form-data and returns the status.
func (e *env) upload(c *client, path, kind string, content []byte) int {
	e.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("kind", kind)
	fw, _ := w.CreateFormFile("file", "scan.png")
	_, _ = fw.Write(content)
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, e.base+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("upload: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 {
		raw, _ := io.ReadAll(resp.Body)
		e.t.Logf("POST %s -> %d %s", path, resp.StatusCode, raw)
	}
	return resp.StatusCode
}
