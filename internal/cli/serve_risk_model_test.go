package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/risk"
)

// TestServeRefusesModelWithBadReviewDuration: kyc serve with KYC_RISK_MODEL
// naming a model whose review interval is not an ISO 8601 duration stops
// at once with a non-zero exit and a message naming the file and the field
// at fault (PRODUCT.md section 6: "a bad model stops the server with the
// line and field at fault"; issue 8: "a model file with a bad duration
// stops the server with a clear message").
func TestServeRefusesModelWithBadReviewDuration(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	model := filepath.Join(dir, "model.yaml")
	yaml := strings.Replace(string(risk.DefaultYAML()), "medium: P2Y", "medium: two years", 1)
	if yaml == string(risk.DefaultYAML()) {
		t.Fatal("the default model has no medium: P2Y review interval to spoil")
	}
	if err := os.WriteFile(model, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	var errb bytes.Buffer
	code := Run(context.Background(), &Env{Args: []string{"kyc", "serve"}, Stdout: io.Discard, Stderr: &errb,
		Getenv: func(k string) string {
			return map[string]string{"KYC_DATA_DIR": data, "KYC_ADDR": freeAddr(t), "KYC_RISK_MODEL": model}[k]
		}})
	msg := errb.String()
	if code == 0 {
		t.Fatalf("kyc serve started with a bad model: %s", msg)
	}
	for _, want := range []string{"KYC_RISK_MODEL", model, "review_intervals.medium", `"two years"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not name %s", msg, want)
		}
	}
}
