// Package webtest holds helpers for browser tests of the web pages: start a
// real handler on httptest, start Debian's Chromium through chromedp, and
// save screenshots under testout/screenshots at the repository root.
//
//	srv := webtest.Serve(t, handler)
//	b := webtest.Browser(t)           // skips, naming chromium, when it is missing
//	b.Run(t, chromedp.Navigate(srv.URL+"/onboarding"))
//	b.Screenshot(t, "onboarding-start")
package webtest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Serve starts h on a local httptest server, closed with t.
func Serve(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// ChromiumPath returns the Chromium binary: $CHROMIUM, /usr/bin/chromium,
// or chromium / chromium-browser on PATH; "" when none is installed.
func ChromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	for _, n := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// B is a running headless browser tab.
type B struct {
	// Ctx is the tab's context; the first action started the browser, so it
	// has no timeout of its own (Do and Text add one per call).
	Ctx context.Context
	// noAudit turns the accessibility audit off (axe-core not installed
	// outside CI).
	noAudit bool
}

// Browser starts headless Chromium with a fresh profile (closed with t), or
// skips the test when Chromium is not installed.
func Browser(t testing.TB) *B {
	t.Helper()
	path := ChromiumPath()
	if path == "" {
		t.Skip("chromium is not installed (apt-get install -y chromium): browser tests skipped")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelA() })
	// The first run starts the browser: no timeout on this context.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	b := &B{Ctx: ctx}
	// The last page a test reaches is audited too (cleanups run last
	// registered first: before the browser closes).
	t.Cleanup(func() {
		if !t.Failed() {
			b.audit(t)
		}
	})
	return b
}

// Timeout bounds each Do, Text and Eval call.
const Timeout = 30 * time.Second

// Do runs actions, failing the test (with the current URL) on an error.
func (b *B) Do(t testing.TB, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, Timeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		loc, _ := chromedp.Run(b.Ctx, chromedp.Location())
		t.Fatalf("browser at %s: %v", loc, err)
	}
	// Every page the test reaches is checked for accessibility (axe.go).
	b.audit(t)
}

// Get runs one action with a result.
func Get[T any](t testing.TB, b *B, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, Timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		loc, _ := chromedp.Run(b.Ctx, chromedp.Location())
		t.Fatalf("browser at %s: %v", loc, err)
	}
	return v
}

// Text returns the visible text of the first element matching a CSS selector.
func (b *B) Text(t testing.TB, css string) string {
	t.Helper()
	// A page that updates itself (htmx) may replace the element between
	// the query and the read ("No node with given id found"): read again.
	for attempt := 0; attempt < 5; attempt++ {
		ctx, cancel := context.WithTimeout(b.Ctx, Timeout)
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
		cancel()
		if err == nil {
			return strings.TrimSpace(s)
		}
		if !strings.Contains(err.Error(), "No node with given id") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	return strings.TrimSpace(Get(t, b, chromedp.Text(chromedp.CSS(css))))
}

// Location is the current URL.
func (b *B) Location(t testing.TB) string {
	t.Helper()
	return Get(t, b, chromedp.Location())
}

// Desktop sets a 1280×900 desktop viewport.
func (b *B) Desktop(t testing.TB) {
	t.Helper()
	b.Do(t, chromedp.EmulateViewport(1280, 900))
}

// Phone sets a 390×844 phone viewport (touch, mobile, scale 2).
func (b *B) Phone(t testing.TB) {
	t.Helper()
	b.Do(t, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
}

// Dark emulates prefers-color-scheme: dark (or light) and applies it to a
// page that follows Bootstrap's data-bs-theme attribute.
func (b *B) Dark(t testing.TB, dark bool) {
	t.Helper()
	scheme := "light"
	if dark {
		scheme = "dark"
	}
	b.Do(t, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	}))
	_ = Get(t, b, chromedp.Evaluate[bool](`(function(){try{localStorage.removeItem("kyc-theme")}catch(e){}; document.documentElement.setAttribute("data-bs-theme","`+scheme+`"); return true})()`))
}

// Screenshot saves a full-page PNG as testout/screenshots/<name>.png at the
// repository root and returns its path.
func (b *B) Screenshot(t testing.TB, name string) string {
	t.Helper()
	buf := Get(t, b, chromedp.FullScreenshot(100))
	p := filepath.Join(ScreenshotDir(t), name+".png")
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// ScreenshotDir is testout/screenshots at the repository root (the folder
// holding go.mod), created when missing.
func ScreenshotDir(t testing.TB) string {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "testout", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// WaitText waits until the first element matching css contains want.
func (b *B) WaitText(t testing.TB, css, want string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	got := ""
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.Ctx, 5*time.Second)
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
		cancel()
		if got = s; err == nil && strings.Contains(s, want) {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s: text %q does not contain %q after %s", css, got, want, timeout)
}

// WaitEval waits until a JavaScript expression evaluates to true.
func (b *B) WaitEval(t testing.TB, expr string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var lastErr error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.Ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		lastErr = err
		time.Sleep(200 * time.Millisecond)
	}
	loc, _ := chromedp.Run(b.Ctx, chromedp.Location())
	t.Fatalf("at %s: %s still not true after %s (last error %v)", loc, expr, timeout, lastErr)
}

// Press clicks an element through the DOM (element.click()) rather than a
// mouse event at its coordinates, which can miss when the layout is still
// moving (an image loading, a scroll to an anchor) on a loaded machine.
func Press(css string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		js := `(function(){var e=document.querySelector(` + strconv.Quote(css) + `); if(!e) return false; e.click(); return true})()`
		ok, err := chromedp.Evaluate[bool](js)(ctx, t)
		if err == nil && !ok {
			err = fmt.Errorf("no element matches %s", css)
		}
		return err
	})
}

// repoRoot is the folder holding go.mod above this file.
func repoRoot() (string, error) {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Dir(file)
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			return root, nil
		}
		parent := filepath.Dir(root)
		if parent == root {
			return "", fmt.Errorf("webtest: go.mod not found above %s", file)
		}
		root = parent
	}
}
