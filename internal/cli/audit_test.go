package cli

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/store/sqlite"
)

// Issue 12 item 7: kyc audit checkpoint prints a signed head to keep
// elsewhere; kyc audit verify --checkpoint FILE checks the chain against
// it, in either printed form.
func TestAuditCheckpointCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, errs, code := runCLI(t, dir, "client", "create", "--name", "a", "--scopes", "all"); code != 0 {
		t.Fatalf("client create: %d %s", code, errs)
	}
	out, errs, code := runCLI(t, dir, "audit", "checkpoint")
	if code != 0 || !strings.Contains(out, "format: kyc-audit-checkpoint/1") || !strings.Contains(out, "seq: 1\n") {
		t.Fatalf("checkpoint: %d %s %s", code, out, errs)
	}
	text := filepath.Join(dir, "cp.txt")
	os.WriteFile(text, []byte(out), 0o600)
	out, _, code = runCLI(t, dir, "audit", "checkpoint", "--json")
	var cp map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &cp) != nil || cp["seq"] != float64(1) || cp["signature"] == "" {
		t.Fatalf("checkpoint --json: %d %s", code, out)
	}
	js := filepath.Join(dir, "cp.json")
	os.WriteFile(js, []byte(out), 0o600)

	runCLI(t, dir, "client", "create", "--name", "b", "--scopes", "all")
	for _, f := range []string{text, js} {
		out, _, code = runCLI(t, dir, "audit", "verify", "--checkpoint", f)
		if code != 0 || !strings.Contains(out, "audit chain OK: 2 events") || !strings.Contains(out, "matches the checkpoint at event 1") {
			t.Fatalf("verify --checkpoint %s: %d %s", filepath.Base(f), code, out)
		}
	}
	// An altered checkpoint fails; a missing or malformed file is a usage error.
	altered := filepath.Join(dir, "altered.txt")
	b, _ := os.ReadFile(text)
	os.WriteFile(altered, []byte(strings.Replace(string(b), "seq: 1\n", "seq: 2\n", 1)), 0o600)
	out, _, code = runCLI(t, dir, "audit", "verify", "--checkpoint", altered)
	if code != 1 || !strings.Contains(out, "NOT OK") || !strings.Contains(out, "signature") {
		t.Fatalf("altered checkpoint: %d %s", code, out)
	}
	os.WriteFile(altered, []byte("nonsense"), 0o600)
	if _, errs, code := runCLI(t, dir, "audit", "verify", "--checkpoint", altered); code != 2 || !strings.Contains(errs, "checkpoint") {
		t.Fatalf("malformed checkpoint: %d %s", code, errs)
	}
	if _, _, code := runCLI(t, dir, "audit", "verify", "--checkpoint", filepath.Join(dir, "missing")); code != 2 {
		t.Fatalf("missing checkpoint: %d", code)
	}

	// An edited event (the intruder drops the append-only trigger) breaks
	// the chain.
	db, err := sql.Open("sqlite", sqlite.DSN(filepath.Join(dir, "kyc.db")))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"DROP TRIGGER audit_events_no_update", "UPDATE audit_events SET meta = '{}' WHERE seq = 2"} {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	out, _, code = runCLI(t, dir, "audit", "verify", "--json")
	var res struct {
		OK       bool  `json:"ok"`
		BrokenAt int64 `json:"broken_at"`
	}
	if code != 1 || json.Unmarshal([]byte(out), &res) != nil || res.OK || res.BrokenAt != 2 {
		t.Fatalf("verify after tampering: %d %s", code, out)
	}
}
