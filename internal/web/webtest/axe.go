package webtest

// Accessibility: every page a browser test visits is checked with axe-core
// (web/package.json pins it; `make assets` installs it under
// web/node_modules, which is never served: the script is read by the tests
// only and evaluated in the page through the DevTools protocol). Each new
// document is audited once, in the light and the dark theme, against the
// WCAG 2.0/2.1/2.2 A and AA rules; a serious or critical violation fails
// the test with the page, the theme, the rule and the elements at fault.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// AxeTags are the axe-core rule tags checked: WCAG 2.2 level AA (UX.md).
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// Themes are the Bootstrap colour modes every page is audited in.
var Themes = []string{"light", "dark"}

var (
	axeOnce sync.Once
	axeSrc  string
	axeErr  error
)

// axeScript returns axe.min.js from web/node_modules/axe-core.
func axeScript(t testing.TB) (string, error) {
	axeOnce.Do(func() {
		root, err := repoRoot()
		if err != nil {
			axeErr = err
			return
		}
		b, err := os.ReadFile(filepath.Join(root, "web", "node_modules", "axe-core", "axe.min.js"))
		if err != nil {
			axeErr = fmt.Errorf("axe-core is not installed (run make assets): %w", err)
			return
		}
		axeSrc = string(b)
	})
	return axeSrc, axeErr
}

// Violation is one axe rule failing on a page in a theme.
type Violation struct {
	Page, Theme string
	ID          string `json:"id"`
	Impact      string `json:"impact"`
	Help        string `json:"help"`
	HelpURL     string `json:"url"`
	Nodes       []struct {
		Target  string `json:"target"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "[%s] %s: %s (%s)", v.Impact, v.ID, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n      %s\n        %s", n.Target, strings.ReplaceAll(n.Summary, "\n", "\n        "))
	}
	return b.String()
}

// pageState answers "loading", "done" (this document was audited, or is
// no page of the server: about:blank) or the page's path.
const pageState = `(function(){
  if (location.protocol !== "http:" && location.protocol !== "https:") return "done";
  if (document.readyState !== "complete") return "loading";
  if (window.__kycAxeDone) return "done";
  return location.pathname + location.search;
})()`

// axeRun audits the document in one theme. Transitions and animations
// are switched off first (through a constructed style sheet, which the
// pages' CSP allows), so that colours are measured settled; the theme in
// force before is restored after.
func axeRun(theme string) string {
	return `(async function(){
  var root = document.documentElement, prev = root.getAttribute("data-bs-theme");
  if (!window.__kycAxeSheet) {
    var s = new CSSStyleSheet();
    s.replaceSync("*, *::before, *::after { transition: none !important; animation: none !important; }");
    document.adoptedStyleSheets = document.adoptedStyleSheets.concat([s]);
    window.__kycAxeSheet = s;
  }
  root.setAttribute("data-bs-theme", "` + theme + `");
  await new Promise(function(r){ requestAnimationFrame(function(){ requestAnimationFrame(r); }); });
  try {
    var res = await axe.run(document, {runOnly: {type: "tag", values: ` + jsArray(AxeTags) + `}, resultTypes: ["violations"]});
    return res.violations.filter(function(v){ return v.impact === "serious" || v.impact === "critical"; }).map(function(v){
      return {id: v.id, impact: v.impact, help: v.help, url: v.helpUrl, nodes: v.nodes.slice(0, 8).map(function(n){
        return {target: n.target.join(" "), summary: n.failureSummary || ""};
      })};
    });
  } finally {
    if (prev === null) root.removeAttribute("data-bs-theme"); else root.setAttribute("data-bs-theme", prev);
  }
})()`
}

func jsArray(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = `"` + s + `"`
	}
	return "[" + strings.Join(q, ",") + "]"
}

// errNavigated: the page changed while it was being audited.
var errNavigated = errors.New("the page navigated during the audit")

// Audit runs axe on the current document in every theme unless that
// document was audited already, and returns the serious and critical
// violations. It waits for a document still loading; a document replaced
// during the audit is audited instead.
func (b *B) Audit(t testing.TB) ([]Violation, error) {
	t.Helper()
	src, err := axeScript(t)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(b.Ctx, 2*time.Minute)
	defer cancel()
	for attempt := 0; ; attempt++ {
		vs, err := b.auditOnce(ctx, src)
		if err == nil || ctx.Err() != nil || attempt >= 20 {
			return vs, err
		}
		time.Sleep(150 * time.Millisecond) // navigation in progress: audit the next document
	}
}

func (b *B) auditOnce(ctx context.Context, src string) ([]Violation, error) {
	page, err := chromedp.Run(ctx, chromedp.Evaluate[string](pageState))
	if err != nil {
		return nil, err
	}
	switch page {
	case "done":
		return nil, nil
	case "loading":
		return nil, errNavigated
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`if (typeof axe === "undefined") {`+src+`}`)); err != nil {
		return nil, fmt.Errorf("inject axe-core: %w", err)
	}
	var out []Violation
	for _, theme := range Themes {
		vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](axeRun(theme), chromedp.EvalAwaitPromise))
		if err != nil {
			return nil, err
		}
		for i := range vs {
			vs[i].Page, vs[i].Theme = page, theme
		}
		out = append(out, vs...)
	}
	// Mark this document audited, unless it is no longer the one audited.
	same, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function(){ if (location.pathname + location.search !== `+jsString(page)+`) return false; window.__kycAxeDone = true; return true })()`))
	if err != nil {
		return nil, err
	}
	if !same {
		return nil, errNavigated
	}
	return out, nil
}

func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "<", `\x3c`)
	return `"` + r.Replace(s) + `"`
}

// audit is Audit reporting to the test: each violation fails it; a page
// that cannot be audited is logged (the browser action that follows
// reports a broken page itself).
func (b *B) audit(t testing.TB) {
	t.Helper()
	if b.noAudit {
		return
	}
	if _, err := axeScript(t); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("accessibility audit: %v", err)
		}
		b.noAudit = true
		t.Logf("accessibility audit skipped: %v", err)
		return
	}
	vs, err := b.Audit(t)
	if err != nil {
		t.Logf("accessibility audit of the current page not done: %v", err)
		return
	}
	for _, v := range vs {
		t.Errorf("accessibility (axe-core, WCAG 2.2 AA) of %s in the %s theme: %s", v.Page, v.Theme, v)
	}
}
