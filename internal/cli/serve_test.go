package cli

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe for the server's goroutines and the
// test to share.
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

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// TestServeBindsFirst: with its port taken, kyc serve fails at once with
// the address named, before it migrates a database or starts workers.
func TestServeBindsFirst(t *testing.T) {
	t.Parallel()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	dir := filepath.Join(t.TempDir(), "data")
	var errb bytes.Buffer
	code := Run(context.Background(), &Env{Args: []string{"kyc", "serve"}, Stdout: io.Discard, Stderr: &errb,
		Getenv: func(k string) string {
			return map[string]string{"KYC_DATA_DIR": dir, "KYC_ADDR": taken.Addr().String()}[k]
		}})
	if code == 0 || !strings.Contains(errb.String(), "listen on "+taken.Addr().String()) {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "kyc.db")); !os.IsNotExist(err) {
		t.Fatalf("a database was created before the listener failed: %v", err)
	}
}

// TestServeMetricsApartHSTSAndDrain runs kyc serve in process: /metrics
// only on KYC_METRICS_ADDR (hardening item 15), HSTS when the public URL is
// https behind a TLS-terminating proxy (item 16), a warning when no list is
// loaded, and on shutdown /readyz answers 503 during KYC_SHUTDOWN_DRAIN
// while requests are still served, then the process exits 0.
func TestServeMetricsApartHSTSAndDrain(t *testing.T) {
	t.Parallel()
	addr, maddr := freeAddr(t), freeAddr(t)
	env := map[string]string{
		"KYC_DATA_DIR": t.TempDir(), "KYC_ADDR": addr, "KYC_METRICS_ADDR": maddr,
		"KYC_BASE_URL": "https://kyc.example.com", "KYC_SHUTDOWN_DRAIN": "1500ms", "KYC_WORKERS": "1",
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, &Env{Args: []string{"kyc", "serve"}, Stdout: io.Discard, Stderr: &stderr, Getenv: func(k string) string { return env[k] }})
	}()
	client := &http.Client{Timeout: 2 * time.Second}
	get := func(url string) (*http.Response, error) {
		resp, err := client.Get(url)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
		}
		return resp, err
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := get("http://" + addr + "/readyz")
		if err == nil && resp.StatusCode == http.StatusOK {
			break
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d: %s", code, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready: %v; %s", err, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	resp, err := get("http://" + addr + "/healthz")
	if err != nil || resp.Header.Get("Strict-Transport-Security") == "" {
		t.Fatalf("no HSTS with an https KYC_BASE_URL: %v %v", resp, err)
	}
	if resp, err := get("http://" + addr + "/metrics"); err != nil || resp.StatusCode == http.StatusOK {
		t.Fatalf("/metrics still public on the API listener: %v %v", resp, err)
	}
	if resp, err := get("http://" + maddr + "/metrics"); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics on KYC_METRICS_ADDR: %v %v", resp, err)
	}
	if !strings.Contains(stderr.String(), "No sanctions list is loaded") {
		t.Errorf("no warning about the missing lists: %s", stderr.String())
	}

	cancel() // as SIGTERM
	sawDraining := false
	for end := time.Now().Add(1200 * time.Millisecond); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		resp, err := get("http://" + addr + "/readyz")
		if err != nil {
			t.Fatalf("the listener closed during the drain: %v", err)
		}
		if resp.StatusCode == http.StatusServiceUnavailable {
			sawDraining = true
			if live, err := get("http://" + addr + "/healthz"); err != nil || live.StatusCode != http.StatusOK {
				t.Fatalf("healthz during drain: %v %v", live, err)
			}
			break
		}
	}
	if !sawDraining {
		t.Fatal("/readyz never answered 503 during the drain")
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
	case <-time.After(40 * time.Second):
		t.Fatal("serve did not stop")
	}
	if _, err := get("http://" + addr + "/healthz"); err == nil {
		t.Fatal("still serving after shutdown")
	}
}
